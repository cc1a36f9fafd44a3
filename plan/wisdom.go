package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/zerocall/zerocall/asm"
	"github.com/zerocall/zerocall/internal/errs"
	"github.com/zerocall/zerocall/internal/fit"
	"github.com/zerocall/zerocall/internal/machine"
	"github.com/zerocall/zerocall/kernel"
)

// wisdomVersion is the version of the wisdom file's format.
const wisdomVersion = 1

// maxWisdom bounds the size of a wisdom file that is read.
const maxWisdom = 1 << 20

// wisdom is what a calibration measured, as its JSON file holds it.
type wisdom struct {
	Version int          `json:"zerocall_wisdom"`
	Key     key          `json:"key"`
	Paths   []pathWisdom `json:"paths"`
	// Chose says which path the plan runs for which sizes, as Logf is
	// told, for reading (zerocall wisdom prints it): choices are made
	// from the times.
	Chose string `json:"chose,omitempty"`
}

// key is what makes wisdom valid: the machine, the builds, the kernel and
// its paths, in order.
type key struct {
	CPU      string   `json:"cpu"`
	Variant  string   `json:"variant"`
	OS       string   `json:"os"`
	Go       string   `json:"go"`
	Zerocall string   `json:"zerocall"`
	Kernel   string   `json:"kernel"`
	Paths    []string `json:"paths"`
}

// pathWisdom is one path's measurements: the time of a call of each size
// it ran, the size from which it failed if it did, and the line fitted
// through its times (for reading; choices come from the times).
type pathWisdom struct {
	Name      string    `json:"name"`
	Sizes     []int     `json:"sizes"`
	NS        []float64 `json:"ns"`
	FailsFrom int       `json:"fails_from,omitempty"`
	Error     string    `json:"error,omitempty"`
	Fit       fit.Line  `json:"fit"`
}

// fit sets pw.Fit from its times.
func (pw *pathWisdom) fit() {
	w := make([]float64, len(pw.Sizes))
	for i, n := range pw.Sizes {
		w[i] = float64(n)
	}
	pw.Fit = fit.Fit(w, pw.NS)
}

// key returns the key of the wisdom of p, with the paths names, on this
// machine and build.
func (p *Plan) key(names []string) key {
	k := key{
		CPU:      machine.CPU(),
		Variant:  "none",
		OS:       runtime.GOOS + "/" + runtime.GOARCH,
		Go:       runtime.Version(),
		Zerocall: machine.Version("github.com/zerocall/zerocall"),
		Kernel:   p.Kernel.Name,
	}
	if vs := asm.Variants(); len(vs) > 0 {
		k.Variant = vs[0].String() // the C variant zerocall.Auto runs here
	}
	k.Paths = names
	return k
}

// mismatch says how the key of some wisdom differs from want, the key of
// this machine and plan, or returns "" if it does not.
func (k key) mismatch(want key) string {
	for _, f := range []struct{ name, got, want string }{
		{"the CPU", k.CPU, want.CPU},
		{"the C variant", k.Variant, want.Variant},
		{"the system", k.OS, want.OS},
		{"Go", k.Go, want.Go},
		{"zerocall", k.Zerocall, want.Zerocall},
		{"the kernel", k.Kernel, want.Kernel},
		{"the paths", strings.Join(k.Paths, ", "), strings.Join(want.Paths, ", ")},
	} {
		if f.got != f.want {
			return fmt.Sprintf("it was measured for %s %q, not %q", f.name, f.got, f.want)
		}
	}
	return ""
}

// parse decodes wisdom and checks that it is whole and valid for want.
func parse(b []byte, want key) (*wisdom, error) {
	var w wisdom
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&w); err != nil {
		return nil, fmt.Errorf("%w: not wisdom of zerocall: %v", errs.Argument, err)
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: not wisdom of zerocall: more after its JSON object", errs.Argument)
	}
	if w.Version != wisdomVersion {
		return nil, fmt.Errorf("%w: wisdom of version %d, not %d", errs.Argument, w.Version, wisdomVersion)
	}
	if m := w.Key.mismatch(want); m != "" {
		return nil, fmt.Errorf("%w: stale or foreign wisdom: %s", errs.Argument, m)
	}
	if len(w.Paths) != len(want.Paths) {
		return nil, fmt.Errorf("%w: wisdom of %d paths for a plan of %d", errs.Argument, len(w.Paths), len(want.Paths))
	}
	measured := false
	for i, pw := range w.Paths {
		ok := pw.Name == want.Paths[i] && len(pw.Sizes) == len(pw.NS) &&
			slices.IsSorted(pw.Sizes) && !slices.Contains(pw.Sizes, 0) && pw.FailsFrom >= 0
		// Rising as float64 too (sizes past 2⁵³ may round alike), since a
		// curve divides by the difference of two sizes.
		for j := range pw.NS {
			ok = ok && pw.Sizes[j] > 0 && (j == 0 || float64(pw.Sizes[j]) > float64(pw.Sizes[j-1])) &&
				pw.NS[j] > 0 && !math.IsInf(pw.NS[j], 0)
		}
		if !ok {
			return nil, fmt.Errorf("%w: wisdom for path %s is not a list of positive times at rising sizes", errs.Argument, want.Paths[i])
		}
		// A path fails from a size past those it ran.
		if n := len(pw.Sizes); n > 0 && pw.FailsFrom != 0 && pw.FailsFrom <= pw.Sizes[n-1] {
			return nil, fmt.Errorf("%w: wisdom for path %s says it fails from size %d, and has times up to size %d",
				errs.Argument, want.Paths[i], pw.FailsFrom, pw.Sizes[n-1])
		}
		measured = measured || len(pw.Sizes) > 0
	}
	if !measured {
		return nil, fmt.Errorf("%w: wisdom with no measurement", errs.Argument)
	}
	for i, pw := range w.Paths {
		if len(pw.Sizes) == 0 && pw.FailsFrom == 0 {
			return nil, fmt.Errorf("%w: wisdom for path %s has no times, and no size it fails from", errs.Argument, want.Paths[i])
		}
	}
	return &w, nil
}

// ioErr is the error of WriteTo or ReadFrom (method) on a nil plan, or
// given a nil io.Writer or io.Reader (kind), if noIO.
func (p *Plan) ioErr(noIO bool, method, kind string) error {
	switch {
	case p == nil:
		return errNil
	case noIO:
		return fmt.Errorf("%w: plan.Plan.%s with a nil io.%s", errs.Argument, method, kind)
	}
	return nil
}

// WriteTo writes the plan's wisdom as JSON to w, making it first as the
// first call would (see Plan).
func (p *Plan) WriteTo(w io.Writer) (int64, error) {
	if err := p.ioErr(w == nil, "WriteTo", "Writer"); err != nil {
		return 0, err
	}
	t := p.state.Load()
	if t == nil {
		t = p.ready()
	}
	if t.err != nil {
		return 0, t.err
	}
	b, err := json.MarshalIndent(t.w, "", "  ")
	if err != nil {
		return 0, err
	}
	n, err := w.Write(append(b, '\n'))
	return int64(n), err
}

// ReadFrom reads wisdom written by WriteTo and, if it is valid for this
// plan on this machine and build, sends calls where it says from then
// on. Wisdom measured elsewhere (another CPU or C variant, another Go or
// zerocall, another kernel or set of paths), measured past MaxSize (past
// the call Inputs makes for MaxSize, which may be larger), or with a path
// that now fails or panics on a call of the largest size the wisdom has
// it run (a handle made smaller since, or broken), is refused with an
// error that says how it differs, and the plan is left as it was. To
// check the paths, ReadFrom calls Inputs and each path once at that
// size: like Calibrate, it must not run while a path that may not be
// called at once (a handle) is in use.
func (p *Plan) ReadFrom(r io.Reader) (int64, error) {
	if err := p.ioErr(r == nil, "ReadFrom", "Reader"); err != nil {
		return 0, err
	}
	b, err := io.ReadAll(io.LimitReader(r, maxWisdom+1))
	n := int64(len(b))
	if err != nil {
		return n, err
	}
	if len(b) > maxWisdom {
		return n, fmt.Errorf("%w: wisdom larger than %d bytes", errs.Argument, maxWisdom)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	t, err := p.check()
	if err != nil {
		return n, err
	}
	w, err := parse(b, p.key(t.names))
	if err == nil {
		err = p.probe(t, w)
	}
	if err != nil {
		return n, err
	}
	p.use(t, w)
	return n, nil
}

// probe calls each path of t once at the largest size w has it run, on
// Inputs of that size, and refuses w if a path fails the call: a handle
// made smaller since the wisdom was measured refuses it for its capacity
// (which the key cannot hold), a handle broken since fails every call,
// and the wisdom would send calls there that fail. A call Inputs makes
// larger than asked is not made. Wisdom that has any path, the Go
// version's included, run past what Inputs makes for MaxSize is refused
// before any call: Inputs is never asked for more than MaxSize (a plan
// of a smaller MaxSize may share the wisdom's file, and a file's sizes
// are anyone's), and without Inputs, past MaxSize itself.
func (p *Plan) probe(t *table, w *wisdom) error {
	for i, call := range t.calls {
		sizes := w.Paths[i].Sizes
		if len(sizes) == 0 {
			continue
		}
		n := sizes[len(sizes)-1]
		past := n > p.maxSize()
		if !past && (call == nil || p.Inputs == nil) {
			continue
		}
		// Inputs is asked for MaxSize at most. It may make a call larger
		// than asked, which calibration measures: wisdom past MaxSize is
		// the plan's own if the call of Inputs(MaxSize) reaches its size.
		got := 0
		var a *kernel.Args
		var bufs []kernel.Slice
		if p.Inputs != nil {
			var err error
			if a, bufs, err = p.inputs(min(n, p.maxSize())); err != nil {
				return err
			}
			got = size(bufs)
		}
		if past && got < n {
			return fmt.Errorf("%w: wisdom measured path %s at size %d, past the plan's MaxSize of %d", errs.Argument, t.names[i], n, p.maxSize())
		}
		if call == nil || got > n {
			continue
		}
		if err := probeCall(call, a, bufs); err != nil {
			return fmt.Errorf("%w: stale wisdom: path %s fails a call of size %d, which the wisdom has it run (%v)",
				errs.Argument, t.names[i], size(bufs), err)
		}
	}
	return nil
}

// probeCall makes a probe's call, and returns the error of a call that
// panics, as calibration does (timeRun): the wisdom is then refused, and
// the panic does not reach ReadFrom's caller or a plan's first call.
func probeCall(call func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error), a *kernel.Args, bufs []kernel.Slice) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panicked: %v", r)
		}
	}()
	_, err = call(a, bufs...)
	return err
}

// errNoFile is readFile's error for a file that does not exist.
var errNoFile = errors.New("no wisdom file")

// readFile reads the wisdom file name and checks it against want.
func readFile(name string, want key) (*wisdom, error) {
	// Not a FIFO, whose open waits for a writer (with the plan's lock
	// held), nor a device.
	if fi, err := os.Stat(name); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", name)
	}
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNoFile
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxWisdom+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxWisdom {
		return nil, fmt.Errorf("%w: wisdom larger than %d bytes", errs.Argument, maxWisdom)
	}
	return parse(b, want)
}

// files returns the wisdom files of p: File, or else one in the
// directory ZEROCALL_WISDOM names; then the cache's, if Cache is set.
func (p *Plan) files() []string {
	var names []string
	if p.File != "" {
		names = append(names, p.File)
	} else if dir := os.Getenv("ZEROCALL_WISDOM"); dir != "" {
		names = append(names, filepath.Join(dir, p.cacheName()))
	}
	if p.Cache {
		if dir, err := os.UserCacheDir(); err == nil {
			names = append(names, filepath.Join(dir, "zerocall", "wisdom", p.cacheName()))
		} else {
			p.logf("plan %s: no cache directory: %v", p.Kernel.Name, err)
		}
	}
	return names
}

// cacheName returns the name of p's file in the cache: the kernel's name,
// made safe for a file name, and a hash of its whole name and its paths'
// names, so that plans of one kernel over other paths, and of kernels
// whose names are made safe alike (conv/3x3, conv:3x3), keep wisdom of
// their own. The name is cut to maxNameBytes, since a file's name has at
// most 255 bytes on most systems; the hash tells apart names cut alike.
func (p *Plan) cacheName() string {
	h := fnv.New32a()
	h.Write([]byte(p.Kernel.Name + "\x00"))
	if p.Go != nil {
		h.Write([]byte("go\x00"))
	}
	for _, name := range slices.Sorted(maps.Keys(p.Paths)) {
		h.Write([]byte(name))
		h.Write([]byte{0})
	}
	name := strings.Map(func(r rune) rune {
		if r < 0x80 && (r == '-' || r == '.' || r == '_' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			return r
		}
		return '_'
	}, p.Kernel.Name)
	if len(name) > maxNameBytes {
		name = name[:maxNameBytes] // ASCII now: cut anywhere
	}
	return fmt.Sprintf("%s-%08x.json", name, h.Sum32())
}

// maxNameBytes is the most of a kernel's name a wisdom file's name holds.
const maxNameBytes = 100

// save writes w to each of the wisdom files names, through a temporary
// file renamed into place, so that a reader never sees half a file. A
// failure is logged, not returned: the plan works without its files.
func (p *Plan) save(w *wisdom, names []string) {
	if len(names) == 0 {
		return
	}
	b, err := json.MarshalIndent(w, "", "  ")
	if err != nil {
		p.logf("plan %s: wisdom not saved: %v", p.Kernel.Name, err)
		return
	}
	b = append(b, '\n')
	if len(b) > maxWisdom {
		p.logf("plan %s: wisdom not saved: %d bytes, more than the %d a plan reads", p.Kernel.Name, len(b), maxWisdom)
		return
	}
	for _, name := range names {
		if err := writeFile(name, b); err != nil {
			p.logf("plan %s: wisdom not saved: %v", p.Kernel.Name, err)
		}
	}
}

// writeFile writes b to name, creating its directory.
func writeFile(name string, b []byte) error {
	if fi, err := os.Stat(name); err == nil && fi.IsDir() {
		return fmt.Errorf("%s is a directory, not a wisdom file", name)
	} else if err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file, not a wisdom file", name) // a device or a FIFO, which it must not replace
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	// A temporary file of mode 0644 under the umask, as a file of its own
	// would be (CreateTemp's is 0600, and a Chmod would ignore the umask).
	var f *os.File
	var err error
	for range 100 {
		tmp := filepath.Join(filepath.Dir(name), fmt.Sprintf(".wisdom-%016x", rand.Uint64()))
		f, err = os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
