package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/kernel"
)

// TestMain runs the tests with no ZEROCALL_WISDOM of the environment's:
// they set it where they need it.
func TestMain(m *testing.M) {
	os.Unsetenv("ZEROCALL_WISDOM")
	os.Exit(m.Run())
}

// The tests plan testkernel.Clamp, out[i] = min(max(x[i], lo), hi)·s on
// float32, over its Go version ("go") and paths that are the same Go
// version as a one-shot call (scaleCall).
var (
	scale     = testkernel.Clamp
	scaleGo   = testkernel.ClampRef
	scaleCall = funcs.Checked(scale, scaleGo)
)

// scaleInputs returns a call of size n, on inputs of 0.5: outputs of 1.5.
func scaleInputs(n int) (*kernel.Args, []kernel.Slice) {
	x := make([]float32, n)
	for i := range x {
		x[i] = 0.5
	}
	a := testkernel.ClampArgs
	return &a, []kernel.Slice{kernel.SliceOf(x), kernel.SliceOf(make([]float32, n))}
}

// planOf returns a plan of the kernel over paths named names: scale's Go
// version for "go", scaleCall for the others.
func planOf(names ...string) *Plan {
	p := &Plan{Kernel: scale, Inputs: scaleInputs, MaxSize: 256, Budget: 20 * time.Millisecond, Paths: paths{}}
	for _, n := range names {
		if n == "go" {
			p.Go = scaleGo
		} else {
			p.Paths[n] = scaleCall
		}
	}
	return p
}

// names returns the names of p's paths, in the order of its wisdom.
func names(t testing.TB, p *Plan) []string {
	t.Helper()
	tb, err := p.check()
	if err != nil {
		t.Fatal(err)
	}
	return tb.names
}

// inject loads wisdom into p with the times of each path at the sizes
// 1, 2, 4, ...: times[name], failing from fails[name] if set. It raises
// p's MaxSize to the largest of those sizes, as a plan that measured them
// has it.
func inject(t testing.TB, p *Plan, times map[string][]float64, fails map[string]int) {
	t.Helper()
	ns := names(t, p)
	w := wisdom{Version: wisdomVersion, Key: p.key(ns)}
	for _, name := range ns {
		pw := pathWisdom{Name: name, NS: times[name], FailsFrom: fails[name]}
		for i := range pw.NS {
			pw.Sizes = append(pw.Sizes, 1<<i)
			p.MaxSize = max(p.MaxSize, 1<<i)
		}
		w.Paths = append(w.Paths, pw)
	}
	b, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.ReadFrom(bytes.NewReader(b)); err != nil {
		t.Fatalf("ReadFrom: %v", err)
	}
}

// choices returns the path p chooses for each size of sizes.
func choices(t *testing.T, p *Plan, sizes []int) []string {
	t.Helper()
	var got []string
	for _, n := range sizes {
		c, err := p.Choice(n)
		if err != nil {
			t.Fatalf("Choice(%d): %v", n, err)
		}
		got = append(got, c)
	}
	return got
}

func TestClass(t *testing.T) {
	prev := -1
	for n := 0; n < 1<<16; n++ {
		c := class(n)
		if c < prev || c > prev+1 || c >= classes {
			t.Fatalf("class(%d) = %d after %d", n, c, prev)
		}
		if lo, hi := classSize(c), classSize(c+1); n < lo || n >= hi {
			t.Fatalf("class(%d) = %d holds [%d, %d)", n, c, lo, hi)
		}
		prev = c
	}
	for _, n := range []int{1 << 40, 1<<62 + 12345, int(^uint(0) >> 1)} {
		if c := class(n); c >= classes || classSize(c) > n || (classSize(c+1) <= n && n != int(^uint(0)>>1)) {
			t.Errorf("class(%d) = %d holds [%d, %d)", n, c, classSize(c), classSize(c+1))
		}
	}
}

// TestLastClass checks the classes at the end of the sizes: each class
// holds its smallest size, so that none lies past math.MaxInt, where no
// call is, and what a plan says it chose for the largest sizes is what
// it runs. Path b is cheaper than a up to about 8.5·10¹⁸, past the
// smallest size of the last class, 7·2⁶⁰, and short of math.MaxInt.
func TestLastClass(t *testing.T) {
	for c := range classes {
		if n := classSize(c); class(n) != c {
			t.Errorf("class %d starts at %d, which is in class %d", c, n, class(n))
		}
	}
	a, b := make([]float64, 21), make([]float64, 21)
	for i := range a {
		a[i], b[i] = 10, 9
	}
	b[20] = 9 + float64(1<<19)/8.5e18
	p := planOf("a", "b")
	inject(t, p, map[string][]float64{"a": a, "b": b}, nil)
	c, err := p.Choice(math.MaxInt)
	if err != nil {
		t.Fatal(err)
	}
	if d := p.describe(p.state.Load()); d != c+" from n = 0" {
		t.Errorf("described as %q, and Choice(math.MaxInt) = %s", d, c)
	}
}

// TestChoices checks the path chosen at each size from injected times:
// the cheapest at every measured size, including a path that wins, loses
// and wins again, and between sizes where the lines through the times
// cross.
func TestChoices(t *testing.T) {
	p := planOf("go", "asm", "cgo")
	inject(t, p, map[string][]float64{
		// sizes: 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024
		"go":  {2, 3, 5, 9, 12, 12, 12, 12, 500, 1000, 2000}, // fast to 8, a fixed cost to 128, then slow
		"asm": {10.1, 10.2, 10.4, 10.8, 11.6, 13.2, 16.4, 22.8, 35.6, 61.2, 112.4},
		"cgo": {40, 40, 40, 41, 41, 42, 43, 45, 50, 60, 80},
	}, nil)
	sizes := []int{0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 1 << 20}
	want := []string{"go", "go", "go", "go", "go", "asm", "go", "go", "go", "asm", "cgo", "cgo", "cgo"}
	if got := choices(t, p, sizes); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("choices at %v:\n got %v\nwant %v", sizes, got, want)
	}
	// Between 256 and 512, asm's line (35.6 → 61.2) crosses cgo's (50 →
	// 60) at 256 + 14.4/(0.1 - 10/256) ≈ 492.5: the class [448, 512) is
	// asm's (54.8 against 57.5 at 448), and cgo's from 512 on.
	if got := choices(t, p, []int{447, 448, 511, 512}); strings.Join(got, " ") != "asm asm asm cgo" {
		t.Errorf("around the asm/cgo crossover: %v", got)
	}
	// One size always takes the same path.
	for range 3 {
		if c, _ := p.Choice(16); c != "asm" {
			t.Fatalf("Choice(16) = %s, then asm", c)
		}
	}
}

// TestCallSize checks that a call goes by the length of its longest
// slice, wherever that slice is, for kernels of one to four buffers (one
// and two are taken apart from the others): a path cheaper to 32
// elements, another from 64.
func TestCallSize(t *testing.T) {
	for nb := 1; nb <= 4; nb++ {
		k := &kernel.Kernel{Name: fmt.Sprint("size", nb)}
		for i := range nb {
			k.Buffers = append(k.Buffers, kernel.Buffer{Name: fmt.Sprint("b", i), Type: kernel.Float32, Role: kernel.In})
		}
		var ran string
		call := func(name string) func(*kernel.Args, ...kernel.Slice) (kernel.Return, error) {
			return func(*kernel.Args, ...kernel.Slice) (kernel.Return, error) {
				ran = name
				return kernel.Return{}, nil
			}
		}
		p := &Plan{Kernel: k, Paths: paths{"small": call("small"), "large": call("large")}}
		inject(t, p, map[string][]float64{
			// sizes: 1, 2, 4, 8, 16, 32, 64, 128
			"small": {1, 1, 1, 1, 1, 1, 100, 200},
			"large": {50, 50, 50, 50, 50, 50, 50, 50},
		}, nil)
		short, long := make([]float32, 1), make([]float32, 100)
		for at := -1; at < nb; at++ { // the long slice's buffer, or none
			bufs := make([]kernel.Slice, nb)
			for i := range bufs {
				bufs[i] = kernel.SliceOf(short)
				if i == at {
					bufs[i] = kernel.SliceOf(long)
				}
			}
			want := "small"
			if at >= 0 {
				want = "large"
			}
			if _, err := p.Call(nil, bufs...); err != nil || ran != want {
				t.Errorf("%d buffers, 100 elements in buffer %d: ran %s (%v), want %s", nb, at, ran, err, want)
			}
		}
	}
}

// TestChoicesLimit checks that a path that failed from some size (a
// handle's capacity) is chosen only up to the last size it ran, however
// cheap, and up to that very size: a handle's capacity is the size its
// calls most often have, and it lies where a class starts. Each call
// must run on the path Choice names for its size.
func TestChoicesLimit(t *testing.T) {
	p := planOf("handle", "go")
	var ran string // the path of the last call
	p.Paths["handle"] = func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
		if bufs[0].Len() > 8 {
			return kernel.Return{}, errors.New("past the handle's capacity")
		}
		ran = "handle"
		return scaleCall(a, bufs...)
	}
	p.Go = func(a *kernel.Args, bufs []kernel.Slice) kernel.Return {
		ran = "go"
		return scaleGo(a, bufs)
	}
	inject(t, p, map[string][]float64{
		"handle": {1, 1, 1, 1},
		"go":     {2, 3, 5, 9, 17, 33},
	}, map[string]int{"handle": 16})
	// Measured up to 8, it runs every size to 8: the class [8, 10) is
	// split at 8.
	sizes := []int{1, 4, 7, 8, 9, 16, 1000}
	want := []string{"handle", "handle", "handle", "handle", "go", "go", "go"}
	if got := choices(t, p, sizes); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got %v, want %v", got, want)
	}
	for i, n := range sizes {
		a, bufs := scaleInputs(n)
		ran = ""
		if _, err := p.Call(a, bufs...); err != nil || ran != want[i] {
			t.Errorf("Call at n = %d: %v, run on path %q, want %s", n, err, ran, want[i])
		}
	}
	// The class split at the edge calls through one more function, and
	// allocates no more for it.
	for _, n := range []int{8, 9} {
		a, bufs := scaleInputs(n)
		if allocs := testing.AllocsPerRun(100, func() { p.Call(a, bufs...) }); allocs != 0 && !kerneltest.InexactAllocs {
			t.Errorf("Call at n = %d: %v allocations, want 0", n, allocs)
		}
	}
	if got, want := p.describe(p.state.Load()), "handle for n = 0 to 8, go from n = 9"; got != want {
		t.Errorf("described as %q, want %q", got, want)
	}
}

// TestWisdomRefused checks that wisdom made for anything else is refused
// with its reason, and leaves the plan as it was.
func TestWisdomRefused(t *testing.T) {
	p := planOf("a", "b")
	inject(t, p, map[string][]float64{"a": {1, 2, 4}, "b": {3, 3, 3}}, nil)
	before := choices(t, p, []int{1, 2, 4})
	good := wisdom{Version: wisdomVersion, Key: p.key(names(t, p)), Paths: []pathWisdom{
		{Name: "a", Sizes: []int{1, 2}, NS: []float64{9, 9}}, {Name: "b", Sizes: []int{1, 2}, NS: []float64{1, 1}}}}
	for _, c := range []struct {
		name   string
		change func(w *wisdom)
		want   string
	}{
		{"another CPU", func(w *wisdom) { w.Key.CPU = "a CPU of another machine" }, "the CPU"},
		{"another variant", func(w *wisdom) { w.Key.Variant = "not " + w.Key.Variant }, "the C variant"},
		{"another Go", func(w *wisdom) { w.Key.Go = "go1.2" }, "Go"},
		{"another zerocall", func(w *wisdom) { w.Key.Zerocall = "v0.0.0-old" }, "zerocall"},
		{"another kernel", func(w *wisdom) { w.Key.Kernel = "sum" }, "the kernel"},
		{"other paths", func(w *wisdom) { w.Key.Paths = []string{"b", "a"} }, "the paths"},
		{"another version", func(w *wisdom) { w.Version = 2 }, "version 2"},
		{"a missing path", func(w *wisdom) { w.Paths = w.Paths[:1] }, "1 paths"},
		{"sizes out of order", func(w *wisdom) { w.Paths[0].Sizes = []int{2, 1} }, "rising sizes"},
		// One apart as ints, the same as float64: a cost between them
		// would be 0/0.
		{"sizes no float64 tells apart", func(w *wisdom) { w.Paths[0].Sizes = []int{1 << 53, 1<<53 + 1} }, "rising sizes"},
		{"a negative time", func(w *wisdom) { w.Paths[1].NS = []float64{1, -1} }, "positive times"},
		{"no measurement", func(w *wisdom) { w.Paths[0].Sizes, w.Paths[0].NS, w.Paths[1].Sizes, w.Paths[1].NS = nil, nil, nil, nil }, "no measurement"},
		{"a path never measured", func(w *wisdom) { w.Paths[0].Sizes, w.Paths[0].NS = nil, nil }, "path a has no times, and no size it fails from"},
		{"a failure among the times", func(w *wisdom) { w.Paths[0].FailsFrom = 2 }, "path a says it fails from size 2, and has times up to size 2"},
	} {
		w := good
		w.Key.Paths = append([]string(nil), good.Key.Paths...)
		w.Paths = []pathWisdom{good.Paths[0], good.Paths[1]}
		c.change(&w)
		b, _ := json.Marshal(w)
		_, err := p.ReadFrom(bytes.NewReader(b))
		if !errors.Is(err, zerocall.ErrArgument) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want ErrArgument saying %q", c.name, err, c.want)
		}
	}
	valid, _ := json.Marshal(good)
	for _, b := range []string{"", "{", `{"zerocall_wisdom": 1, "extra": true}`, "[1, 2]", string(valid) + "garbage{", string(valid) + "{}"} {
		if _, err := p.ReadFrom(strings.NewReader(b)); !errors.Is(err, zerocall.ErrArgument) {
			t.Errorf("ReadFrom(%q): %v, want ErrArgument", b, err)
		}
	}
	if after := choices(t, p, []int{1, 2, 4}); strings.Join(after, " ") != strings.Join(before, " ") {
		t.Errorf("choices changed by refused wisdom: %v, then %v", before, after)
	}
}

// TestPastCapacity checks a call of a size past the largest the wisdom
// saw a path run, which the path refuses for its capacity (a calibration
// cut short by its budget, or by MaxSize, before a handle's capacity):
// the Go version runs it, where there is one, with no allocation but the
// path's error; with no Go version, the refusal is the call's error. The
// sizes the path was measured on call it directly.
func TestPastCapacity(t *testing.T) {
	over := fmt.Errorf("%w: over 16", zerocall.ErrCapacity) // made once: the plan's allocations are counted
	small := func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
		if bufs[0].Len() > 16 {
			return kernel.Return{}, over
		}
		return scaleCall(a, bufs...)
	}
	for _, withGo := range []bool{true, false} {
		p := planOf("small")
		p.Paths["small"] = small
		times := map[string][]float64{"small": {1, 1, 1, 1, 1}} // sizes 1 to 16
		if withGo {
			p.Go = scaleGo
			times["go"] = []float64{9, 9, 9, 9, 9, 9, 9, 9, 9}
		}
		inject(t, p, times, nil)
		for _, n := range []int{16, 17, 100} {
			if c, _ := p.Choice(n); c != "small" {
				t.Fatalf("Choice(%d) = %q, want small", n, c)
			}
			a, bufs := scaleInputs(n)
			r, err := p.Call(a, bufs...)
			switch {
			case n <= 16 || withGo:
				if err != nil || r.N != int64(n) {
					t.Errorf("go %v, n = %d: %v, %v", withGo, n, r, err)
				}
			case !errors.Is(err, zerocall.ErrCapacity):
				t.Errorf("no go, n = %d: err = %v, want ErrCapacity", n, err)
			}
			if allocs := testing.AllocsPerRun(100, func() { p.Call(a, bufs...) }); allocs != 0 && !kerneltest.InexactAllocs {
				t.Errorf("go %v, n = %d: %v allocations a call", withGo, n, allocs)
			}
		}
	}
}

// staleWisdom returns wisdom measured on sizes up to 256 for a plan of
// the Go version and a path named handle, and a plan of the same two
// whose handle refuses calls past 16 elements, as one made smaller since.
func staleWisdom(t *testing.T) ([]byte, *Plan) {
	small := planOf("go", "handle")
	small.Paths["handle"] = capped(16)
	return wisdomOf(t, planOf("go", "handle")), small
}

// wisdomOf returns the wisdom of p, calibrated on fakeClock's clock with
// linearCost.
func wisdomOf(t *testing.T, p *Plan) []byte {
	t.Helper()
	_, restore := fakeClock(p, linearCost)
	var buf bytes.Buffer
	_, err := p.WriteTo(&buf)
	restore()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestStaleCapacity gives ReadFrom wisdom that has a path run at sizes
// its handle no longer takes: it is refused, naming the path and the
// size, and the plan is left as it was.
func TestStaleCapacity(t *testing.T) {
	w, small := staleWisdom(t)
	_, err := small.ReadFrom(bytes.NewReader(w))
	if !errors.Is(err, zerocall.ErrArgument) || !strings.Contains(err.Error(), "path handle fails a call of size 256") {
		t.Errorf("ReadFrom of wisdom measured to 256 on a handle of 16: %v, want ErrArgument naming the path and the size", err)
	}
	if small.state.Load() != nil {
		t.Error("the refused wisdom was used")
	}
}

// TestStaleCapacityFile gives a plan a File of wisdom that has a path run
// at sizes its handle no longer takes: the plan says why it does not use
// it to Logf, calibrates again, and runs every size.
func TestStaleCapacityFile(t *testing.T) {
	w, small := staleWisdom(t)
	small.File = filepath.Join(t.TempDir(), "wisdom.json")
	if err := os.WriteFile(small.File, w, 0o644); err != nil {
		t.Fatal(err)
	}
	var logged []string
	small.Logf = func(format string, args ...any) { logged = append(logged, fmt.Sprintf(format, args...)) }
	for n := 1; n <= 256; n *= 2 {
		a, bufs := scaleInputs(n)
		if r, err := small.Call(a, bufs...); err != nil || r.N != int64(n) {
			t.Errorf("n = %d: %v, %v", n, r, err)
		}
	}
	if !slices.ContainsFunc(logged, func(s string) bool {
		return strings.Contains(s, "not used: ") && strings.Contains(s, "path handle fails")
	}) {
		t.Errorf("Logf was not told why the file's wisdom was not used: %q", logged)
	}
}

// TestProbePanics gives a plan wisdom of a path that panics on the call
// ReadFrom checks it with: the wisdom is refused with the panic's value,
// as calibration records a path's panic, and no panic leaves ReadFrom or,
// with the wisdom as File, the plan's calls, which calibrate instead.
func TestProbePanics(t *testing.T) {
	boom := func(*kernel.Args, ...kernel.Slice) (kernel.Return, error) { panic("boom") }
	p := planOf("go", "p")
	w := wisdomOf(t, planOf("go", "p"))
	p.Paths["p"] = boom
	_, err := p.ReadFrom(bytes.NewReader(w))
	if !errors.Is(err, zerocall.ErrArgument) || !strings.Contains(err.Error(), "path p fails a call") || !strings.Contains(err.Error(), "panicked: boom") {
		t.Errorf("ReadFrom of wisdom whose path panics: %v, want ErrArgument naming the path and the panic", err)
	}
	if p.state.Load() != nil {
		t.Error("the refused wisdom was used")
	}
	q := planOf("go", "p")
	q.Paths["p"] = boom
	q.File = filepath.Join(t.TempDir(), "wisdom.json")
	if err := os.WriteFile(q.File, w, 0o644); err != nil {
		t.Fatal(err)
	}
	var logged []string
	q.Logf = func(format string, args ...any) { logged = append(logged, fmt.Sprintf(format, args...)) }
	for _, n := range []int{1, 100} {
		a, bufs := scaleInputs(n)
		if r, err := q.Call(a, bufs...); err != nil || r.N != int64(n) {
			t.Errorf("n = %d: %v, %v", n, r, err)
		}
	}
	if !slices.ContainsFunc(logged, func(s string) bool { return strings.Contains(s, "panicked: boom") }) {
		t.Errorf("Logf was not told why the file's wisdom was not used: %q", logged)
	}
}

// TestWisdomPastMaxSize checks wisdom that has a path run past the
// plan's MaxSize: refused when the plan has no Inputs, or when Inputs
// does not reach that size at MaxSize, for the Go version as for any
// path; and taken when it does, as the plan's own wisdom is when its
// Inputs rounds sizes up past MaxSize.
func TestWisdomPastMaxSize(t *testing.T) {
	p := planOf("go", "a")
	past := wisdom{Version: wisdomVersion, Key: p.key(names(t, p)), Paths: []pathWisdom{
		{Name: "go", Sizes: []int{1, 1 << 40}, NS: []float64{3, 3}}, {Name: "a", Sizes: []int{1}, NS: []float64{1}}}}
	b, _ := json.Marshal(past)
	for _, inputs := range []bool{false, true} {
		p := planOf("go", "a")
		if !inputs {
			p.Inputs = nil
		}
		_, err := p.ReadFrom(bytes.NewReader(b))
		if !errors.Is(err, zerocall.ErrArgument) || !strings.Contains(err.Error(), "path go at size 1099511627776, past the plan's MaxSize of 256") {
			t.Errorf("Inputs %v: ReadFrom of the Go version measured to 2⁴⁰: %v, want ErrArgument naming the path, the size and MaxSize", inputs, err)
		}
	}
	// Inputs rounds up to a multiple of 100: calibration measures 300
	// for MaxSize 256, and a plan of the same Inputs takes that wisdom.
	up := func(n int) (*kernel.Args, []kernel.Slice) { return scaleInputs((n + 99) / 100 * 100) }
	measured := planOf("go", "a")
	measured.Inputs = up
	w := wisdomOf(t, measured)
	next := planOf("go", "a")
	next.Inputs = up
	if _, err := next.ReadFrom(bytes.NewReader(w)); err != nil {
		t.Fatalf("the plan's own wisdom, measured past MaxSize by its Inputs, was refused: %v", err)
	}
	if sizes := next.state.Load().w.Paths[0].Sizes; sizes[len(sizes)-1] != 300 {
		t.Errorf("the Go version measured up to %d, not 300", sizes[len(sizes)-1])
	}
}

// TestCalibrate calibrates a plan on the clock of fakeClock, so that the
// times and the choices are known: every path measured at each size up to
// MaxSize, at the times its calls cost, a path that fails past its
// capacity recorded as failing just past it, each size given the cheaper path,
// and the wisdom written, read back into another plan and giving it the
// same choices.
func TestCalibrate(t *testing.T) {
	p := planOf("go", "call", "small")
	p.Paths["small"] = capped(16)
	_, restore := fakeClock(p, linearCost)
	defer restore()
	var logged []string
	p.Logf = func(format string, args ...any) { logged = append(logged, format) }
	if err := p.Calibrate(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := p.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	var w wisdom
	if err := json.Unmarshal(buf.Bytes(), &w); err != nil {
		t.Fatal(err)
	}
	if len(w.Paths) != 3 || len(w.Paths[0].Sizes) != 9 || len(w.Paths[1].Sizes) != 9 {
		t.Errorf("measured sizes %v and %v, want 1 to 256", w.Paths[0].Sizes, w.Paths[1].Sizes)
	}
	if s := w.Paths[2]; s.FailsFrom != 17 || len(s.Sizes) != 5 || !strings.Contains(s.Error, "capacity") {
		t.Errorf("the path of capacity 16: %+v", s)
	}
	if len(logged) != 1 || !strings.Contains(logged[0], "calibrated") {
		t.Errorf("logged %q", logged)
	}
	q := planOf("go", "call", "small")
	q.Paths["small"] = p.Paths["small"]
	q.Inputs = nil // it must not calibrate
	if _, err := q.ReadFrom(&buf); err != nil {
		t.Fatal(err)
	}
	for c := range classes {
		if p.state.Load().choice[c] != q.state.Load().choice[c] {
			t.Fatalf("class %d: %d before the round trip, %d after", c, p.state.Load().choice[c], q.state.Load().choice[c])
		}
	}
	// The costs of the fake clock cross at 37.5 elements, and a call of
	// 1000 cannot go to the path of capacity 16.
	for n, want := range map[int]string{1: "go", 32: "go", 64: "call", 1000: "call"} {
		if c, _ := p.Choice(n); c != want {
			t.Errorf("a call of %d goes to %s, not %s", n, c, want)
		}
	}
	if ns := w.Paths[0].NS; ns[0] != 110 || ns[8] != 2660 {
		t.Errorf("the Go version measured %v ns, not 110 at n = 1 to 2660 at 256", ns)
	}
}

// fakeClock makes calibrate read a clock of its own, whose tick is a
// nanosecond and which moves only when a call of one of p's paths moves
// it, by cost(path, size), or when the test calls advance: calibrations
// then time the same rounds on every machine, however loaded, paused or
// coarse its clock (Wine's steps by milliseconds at times), until restore
// puts time.Now back. It wraps p's paths, so set them first.
func fakeClock(p *Plan, cost func(path string, n int) time.Duration) (advance func(time.Duration), restore func()) {
	var t time.Time
	advance = func(d time.Duration) { t = t.Add(d) }
	now, resolution = func() time.Time { return t }, func() time.Duration { return time.Nanosecond }
	if g := p.Go; g != nil {
		p.Go = func(a *kernel.Args, bufs []kernel.Slice) kernel.Return {
			advance(cost("go", size(bufs)))
			return g(a, bufs)
		}
	}
	for name, call := range p.Paths {
		p.Paths[name] = func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
			advance(cost(name, size(bufs)))
			return call(a, bufs...)
		}
	}
	return advance, func() { now, resolution = time.Now, tick }
}

// capped returns scaleCall as a handle of capacity c makes it: calls of
// more elements fail with ErrCapacity.
func capped(c int) func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
	return func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
		if bufs[0].Len() > c {
			return kernel.Return{}, zerocall.ErrCapacity
		}
		return scaleCall(a, bufs...)
	}
}

// calibrateOn calibrates p on fakeClock's clock, path at cost(n) a call
// and the others at linearCost, and fails t if the calibration does.
func calibrateOn(t *testing.T, p *Plan, path string, cost func(n int) time.Duration) {
	t.Helper()
	_, restore := fakeClock(p, func(name string, n int) time.Duration {
		if name == path {
			return cost(n)
		}
		return linearCost(name, n)
	})
	err := p.Calibrate()
	restore()
	if err != nil {
		t.Fatal(err)
	}
}

// linearCost is a cost for fakeClock: the Go version 100 ns a call and
// 10 ns an element, every other path 400 ns and 2 ns, so that they cross
// at 37.5 elements.
func linearCost(path string, n int) time.Duration {
	if path == "go" {
		return time.Duration(100 + 10*n)
	}
	return time.Duration(400 + 2*n)
}

// TestCalibrateCapacity calibrates a plan with a path whose capacity, 40,
// is no power of two: the calibration finds it between the ladder's 32,
// which the path ran, and 64, which it refused, and measures the path at
// 40, so that the sizes up to 40 go to it, the cheapest path, and those
// past it to the next cheapest.
func TestCalibrateCapacity(t *testing.T) {
	p := planOf("go", "call", "small")
	p.Paths["small"] = capped(40)
	calibrateOn(t, p, "small", func(n int) time.Duration { return time.Duration(200 + n) })
	w := p.state.Load().w
	if s := w.Paths[2]; s.FailsFrom != 41 || !slices.Equal(s.Sizes, []int{1, 2, 4, 8, 16, 32, 40}) {
		t.Errorf("the path of capacity 40: sizes %v, fails from %d; want 1 to 32 and 40, and 41", s.Sizes, s.FailsFrom)
	}
	for _, c := range []struct {
		n    int
		want string
	}{{33, "small"}, {40, "small"}, {41, "call"}, {100, "call"}} {
		if got, err := p.Choice(c.n); got != c.want || err != nil {
			t.Errorf("Choice(%d) = %q, %v; want %q", c.n, got, err, c.want)
		}
		a, bufs := scaleInputs(c.n)
		if r, err := p.Call(a, bufs...); err != nil || r.N != int64(c.n) {
			t.Errorf("Call at n = %d: %v, %v", c.n, r, err)
		}
	}
}

// TestCalibrateBroken calibrates a plan with a path, the cheapest, that
// breaks at size 64 and fails every call after, as a handle that a trap
// or a time limit broke does: it must not be chosen at any size, though
// it ran the sizes below 64.
func TestCalibrateBroken(t *testing.T) {
	p := planOf("go", "call", "brk")
	broken := false
	p.Paths["brk"] = func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
		if broken = broken || bufs[0].Len() >= 64; broken {
			return kernel.Return{}, fmt.Errorf("%w: a trap", zerocall.ErrBroken)
		}
		return scaleCall(a, bufs...)
	}
	calibrateOn(t, p, "brk", func(n int) time.Duration { return time.Duration(100 + n) })
	w := p.state.Load().w
	i := slices.IndexFunc(w.Paths, func(pw pathWisdom) bool { return pw.Name == "brk" })
	if s := w.Paths[i]; len(s.Sizes) != 0 || s.FailsFrom != 1 || !strings.Contains(s.Error, "a trap") {
		t.Errorf("the broken path: sizes %v, fails from %d, error %q; want none, 1 and its error", s.Sizes, s.FailsFrom, s.Error)
	}
	for _, n := range []int{1, 8, 63, 64, 1000} {
		if got, err := p.Choice(n); got == "brk" || err != nil {
			t.Errorf("Choice(%d) = %q, %v; want a path that is not broken", n, got, err)
		}
		a, bufs := scaleInputs(n)
		if r, err := p.Call(a, bufs...); err != nil || r.N != int64(n) {
			t.Errorf("Call at n = %d: %v, %v", n, r, err)
		}
	}
}

// TestCalibratePause checks that a pause of the machine while a path is
// timed, as a shared machine's host makes, does not cut the ladder of
// sizes short when the clock stays under four budgets (a pause of one
// budget cut it before), and stops it once the clock passes them,
// dropping the size it paused in. Without the pause, the calibration
// takes 19 ms of its 20 on the fake clock.
func TestCalibratePause(t *testing.T) {
	for _, c := range []struct {
		pause time.Duration // in budgets
		sizes int
	}{{0, 9}, {2, 9}, {5, 4}} {
		p := planOf("go", "call")
		paused := false
		_, restore := fakeClock(p, func(path string, n int) time.Duration {
			if n == 16 && !paused { // the machine stops in the fifth size's first call
				paused = true
				return c.pause*p.Budget + linearCost(path, n)
			}
			return linearCost(path, n)
		})
		err := p.Calibrate()
		restore()
		if err != nil {
			t.Fatal(err)
		}
		for _, pw := range p.state.Load().w.Paths {
			if len(pw.Sizes) != c.sizes {
				t.Errorf("a pause of %d budgets: path %s measured sizes %v, want %d of them", c.pause, pw.Name, pw.Sizes, c.sizes)
			}
		}
	}
}

// TestCalibrateInputs checks that Inputs' time counts against the
// budget: with inputs that take 2 ms to make, a calibration that takes
// 19 ms of its 20 without them measures fewer sizes, and ends within its
// budget on the clock.
func TestCalibrateInputs(t *testing.T) {
	p := planOf("go", "call")
	advance, restore := fakeClock(p, linearCost)
	defer restore()
	inputs := p.Inputs
	p.Inputs = func(n int) (*kernel.Args, []kernel.Slice) {
		advance(2 * time.Millisecond)
		return inputs(n)
	}
	start := now()
	if err := p.Calibrate(); err != nil {
		t.Fatal(err)
	}
	if d := now().Sub(start); d > p.Budget {
		t.Errorf("the calibration took %v of a budget of %v", d, p.Budget)
	}
	for _, pw := range p.state.Load().w.Paths {
		if len(pw.Sizes) < 2 || len(pw.Sizes) >= 9 {
			t.Errorf("path %s measured sizes %v, want more than one and fewer than all nine", pw.Name, pw.Sizes)
		}
	}
}

// TestCalibrateTinyBudget checks that a calibration measures its first
// size whatever that costs against the budget, as it must where a round
// of four clock ticks is longer than the budget (Windows' clock under
// Wine), and stops there.
func TestCalibrateTinyBudget(t *testing.T) {
	p := planOf("go", "call")
	_, restore := fakeClock(p, linearCost)
	defer restore()
	p.Budget = time.Nanosecond
	if err := p.Calibrate(); err != nil {
		t.Fatal(err)
	}
	for _, pw := range p.state.Load().w.Paths {
		if len(pw.Sizes) != 1 || pw.Sizes[0] != 1 {
			t.Errorf("path %s measured sizes %v, want [1]", pw.Name, pw.Sizes)
		}
	}
}

// TestCalibrateBounds checks calibrations at the ends of the fields'
// ranges: a MaxSize of math.MaxInt (no limit) ends, a Budget of the
// longest Duration measures every size (four of it overflowed), and a path whose cost leaps at
// one size (a second a call from 4096 on) stops the ladder there, one
// call past four budgets, rather than timing that size in full.
func TestCalibrateBounds(t *testing.T) {
	t.Run("MaxSize", func(t *testing.T) {
		p := planOf("go", "call")
		_, restore := fakeClock(p, linearCost)
		defer restore()
		p.MaxSize = math.MaxInt
		done := make(chan error, 1)
		go func() { done <- p.Calibrate() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(time.Minute):
			t.Fatal("a calibration to MaxSize math.MaxInt did not end")
		}
	})
	t.Run("Budget", func(t *testing.T) {
		p := planOf("go", "call")
		_, restore := fakeClock(p, linearCost)
		defer restore()
		p.Budget, p.MaxSize = math.MaxInt64, 2 // rounds of 2²⁰ calls: two sizes
		if err := p.Calibrate(); err != nil {
			t.Fatal(err)
		}
		for _, pw := range p.state.Load().w.Paths {
			if len(pw.Sizes) != 2 {
				t.Errorf("path %s measured sizes %v, want [1 2]", pw.Name, pw.Sizes)
			}
		}
	})
	t.Run("leap", func(t *testing.T) {
		p := planOf("go", "call")
		_, restore := fakeClock(p, func(path string, n int) time.Duration {
			if n >= 4096 {
				return time.Second
			}
			return linearCost(path, n)
		})
		defer restore()
		p.MaxSize = 1 << 20
		start := now()
		if err := p.Calibrate(); err != nil {
			t.Fatal(err)
		}
		if took := now().Sub(start); took > 4*p.Budget+time.Second {
			t.Errorf("the calibration took %v on the clock, past four budgets of %v and one call", took, p.Budget)
		}
		for _, pw := range p.state.Load().w.Paths {
			if last := pw.Sizes[len(pw.Sizes)-1]; last >= 4096 {
				t.Errorf("path %s measured sizes %v, past the leap", pw.Name, pw.Sizes)
			}
		}
	})
}

// TestFiles checks wisdom in File and in the cache: written by the plan
// that calibrates, used by the next without calibrating, and a stale file
// measured again with the reason logged.
func TestFiles(t *testing.T) {
	dir := t.TempDir()
	for _, v := range []string{"XDG_CACHE_HOME", "HOME", "LocalAppData"} {
		t.Setenv(v, dir)
	}
	for _, c := range []struct {
		name string
		set  func(p *Plan)
	}{
		{"file", func(p *Plan) { p.File = filepath.Join(dir, "sub", "scale.json") }},
		{"cache", func(p *Plan) { p.Cache = true }},
		{"environment", func(*Plan) { t.Setenv("ZEROCALL_WISDOM", filepath.Join(dir, "env")) }},
	} {
		p := planOf("a", "b")
		c.set(p)
		if _, err := p.Choice(1); err != nil {
			t.Fatal(err)
		}
		files := p.files()
		if len(files) != 1 {
			t.Fatalf("%s: files %v", c.name, files)
		}
		q := planOf("a", "b")
		c.set(q)
		q.Inputs = nil // so that it fails if it calibrates
		if _, err := q.Choice(1); err != nil {
			t.Errorf("%s: the second plan did not use the wisdom: %v", c.name, err)
		}
		b, err := os.ReadFile(files[0])
		if err != nil {
			t.Fatal(err)
		}
		stale := strings.Replace(string(b), `"go": "`, `"go": "go1.0-`, 1)
		if err := os.WriteFile(files[0], []byte(stale), 0o644); err != nil {
			t.Fatal(err)
		}
		r := planOf("a", "b")
		c.set(r)
		var logged []string
		r.Logf = func(format string, args ...any) { logged = append(logged, format) }
		if _, err := r.Choice(1); err != nil {
			t.Fatal(err)
		}
		if len(logged) != 2 || !strings.Contains(logged[0], "not used") || !strings.Contains(logged[1], "calibrated") {
			t.Errorf("%s: a stale file logged %q", c.name, logged)
		}
		if b2, _ := os.ReadFile(files[0]); bytes.Contains(b2, []byte("go1.0-")) {
			t.Errorf("%s: the stale file was not replaced", c.name)
		}
	}
}

// TestLongFailure has a path fail past a size with an error of 2 MiB,
// which its wisdom records: the wisdom stays small enough to be read, and
// the next plan of the File uses it rather than calibrate again.
func TestLongFailure(t *testing.T) {
	file := filepath.Join(t.TempDir(), "wisdom.json")
	var calibrated int
	for range 2 {
		p := planOf("a", "b")
		p.File = file
		p.Paths["b"] = func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
			if size(bufs) >= 64 {
				return kernel.Return{}, fmt.Errorf("%w: %s", zerocall.ErrCapacity, strings.Repeat("ω", 1<<20))
			}
			return scaleCall(a, bufs...)
		}
		p.Logf = func(format string, args ...any) {
			if strings.Contains(fmt.Sprintf(format, args...), "calibrated") {
				calibrated++
			}
		}
		if _, err := p.Choice(1); err != nil {
			t.Fatal(err)
		}
	}
	fi, err := os.Stat(file)
	if err != nil || fi.Size() > maxWisdom || calibrated != 1 {
		t.Fatalf("wisdom: %v, calibrated %d times; want a file of at most %d bytes, read back, calibrated once", err, calibrated, maxWisdom)
	}
}

// TestFileIsDirectory gives a plan a File that is a directory: the plan
// calibrates, runs, and says why it saved no wisdom, leaving nothing
// beside the directory.
func TestFileIsDirectory(t *testing.T) {
	parent := t.TempDir()
	p := planOf("a", "b")
	p.File = filepath.Join(parent, "wisdom")
	if err := os.Mkdir(p.File, 0o755); err != nil {
		t.Fatal(err)
	}
	var logged []string
	p.Logf = func(format string, args ...any) { logged = append(logged, fmt.Sprintf(format, args...)) }
	if _, err := p.Choice(1); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(logged, func(s string) bool { return strings.Contains(s, "is a directory, not a wisdom file") }) {
		t.Errorf("logged %q, want the reason the wisdom was not saved", logged)
	}
	if es, _ := os.ReadDir(parent); len(es) != 1 {
		t.Errorf("%d files beside the directory, want none", len(es)-1)
	}
}

// TestCacheLongName checks the cache's file of a kernel whose name is
// longer than a file's name may be: the plan saves its wisdom there and
// the next plan uses it, as for any other name.
func TestCacheLongName(t *testing.T) {
	dir := t.TempDir()
	for _, v := range []string{"XDG_CACHE_HOME", "HOME", "LocalAppData"} {
		t.Setenv(v, dir)
	}
	long := *scale
	long.Name = strings.Repeat("scale-", 60)
	plan := func() *Plan {
		p := planOf("a", "b")
		p.Kernel, p.Cache = &long, true
		return p
	}
	p := plan()
	var logged []string
	p.Logf = func(format string, args ...any) { logged = append(logged, fmt.Sprintf(format, args...)) }
	if _, err := p.Choice(1); err != nil {
		t.Fatal(err)
	}
	files := p.files()
	if len(files) != 1 {
		t.Fatalf("files %v", files)
	}
	if _, err := os.Stat(files[0]); err != nil {
		t.Fatalf("the wisdom was not saved: %v (logged %q)", err, logged)
	}
	q := plan()
	q.Inputs = nil // so that it fails if it calibrates
	if _, err := q.Choice(1); err != nil {
		t.Errorf("the second plan did not use the wisdom: %v", err)
	}
}

// TestCall checks planned calls: the chosen path's result and checks,
// and no allocation on either kind of path.
func TestCall(t *testing.T) {
	p := planOf("go", "call")
	inject(t, p, map[string][]float64{"go": {1, 2, 4, 8}, "call": {5, 5, 5, 5}}, nil)
	for _, n := range []int{1, 3, 100} {
		a, bufs := scaleInputs(n)
		r, err := p.Call(a, bufs...)
		out := kernel.Elems[float32](bufs[1])
		if err != nil || r.N != int64(n) || out[n-1] != 1.5 {
			t.Errorf("n = %d: %+v, %v, out ends with %v", n, r, err, out[n-1])
		}
		x, o := bufs[0], bufs[1]
		if n := testing.AllocsPerRun(100, func() {
			a := testkernel.ClampArgs // on the stack, as the slices' array
			p.Call(&a, x, o)
		}); n != 0 && !kerneltest.InexactAllocs {
			t.Errorf("a planned call allocates %v times", n)
		}
	}
	for _, n := range []int{2, 100} { // on the go path, then on the call path
		a, bufs := scaleInputs(n)
		for _, c := range []struct {
			name string
			bufs []kernel.Slice
			want error
		}{
			{"a short output", []kernel.Slice{bufs[0], kernel.SliceOf(make([]float32, n-1))}, zerocall.ErrLength},
			{"an output over its input", []kernel.Slice{bufs[0], kernel.SliceOf(kernel.Elems[float32](bufs[0])[1:])}, zerocall.ErrOverlap},
			{"a missing slice", bufs[:1], kernel.ErrKernel},
			{"a slice of the wrong type", []kernel.Slice{bufs[0], kernel.SliceOf(make([]float64, n))}, zerocall.ErrType},
			{"more slices than a kernel may have", slices.Repeat(bufs, 5), kernel.ErrKernel},
		} {
			if _, err := p.Call(a, c.bufs...); !errors.Is(err, c.want) {
				t.Errorf("n = %d, %s: %v, want %v", n, c.name, err, c.want)
			}
		}
	}
}

// paths is the type of Plan.Paths.
type paths = map[string]func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error)

// TestBadPlans checks that a plan that cannot run says why on every call.
func TestBadPlans(t *testing.T) {
	for _, c := range []struct {
		name string
		p    *Plan
		want error
	}{
		{"no kernel", &Plan{Go: scaleGo}, kernel.ErrKernel},
		{"no paths", &Plan{Kernel: scale, Inputs: scaleInputs}, zerocall.ErrArgument},
		{"a path with no call", &Plan{Kernel: scale, Inputs: scaleInputs, Paths: paths{"asm": nil}}, zerocall.ErrArgument},
		{"a path of no name", &Plan{Kernel: scale, Inputs: scaleInputs, Paths: paths{"": scaleCall}}, zerocall.ErrArgument},
		{"two paths named go", &Plan{Kernel: scale, Inputs: scaleInputs, Go: scaleGo, Paths: paths{"go": scaleCall}}, zerocall.ErrArgument},
		{"no inputs", &Plan{Kernel: scale, Go: scaleGo}, zerocall.ErrArgument},
		{"every path failing", &Plan{Kernel: scale, Inputs: scaleInputs, Paths: paths{"broken": func(*kernel.Args, ...kernel.Slice) (kernel.Return, error) {
			return kernel.Return{}, zerocall.ErrBroken
		}}}, zerocall.ErrArgument},
	} {
		a, bufs := scaleInputs(4)
		for range 2 {
			if _, err := c.p.Call(a, bufs...); !errors.Is(err, c.want) {
				t.Errorf("%s: %v, want %v", c.name, err, c.want)
			}
		}
		// More slices than a kernel may have take another way, which
		// must not need a kernel.
		if _, err := c.p.Call(a, slices.Repeat(bufs, 5)...); err == nil {
			t.Errorf("%s: a call of %d slices succeeded", c.name, 5*len(bufs))
		}
		if _, err := c.p.Choice(4); !errors.Is(err, c.want) {
			t.Errorf("%s: Choice: %v, want %v", c.name, err, c.want)
		}
	}
}

// TestConcurrentFirstUse checks that goroutines that call a new plan at
// once calibrate it once and all get results.
func TestConcurrentFirstUse(t *testing.T) {
	p := planOf("a", "b")
	var inputs atomic.Int32
	p.Inputs = func(n int) (*kernel.Args, []kernel.Slice) {
		if n == 1 {
			inputs.Add(1)
		}
		return scaleInputs(n)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			a, bufs := scaleInputs(10)
			if r, err := p.Call(a, bufs...); err != nil || r.N != 10 {
				t.Errorf("%+v, %v", r, err)
			}
		})
	}
	wg.Wait()
	if n := inputs.Load(); n != 1 {
		t.Errorf("calibrated %d times", n)
	}
}

// TestNilArgs calls a plan with a nil *kernel.Args, which stands for
// scalars that are all zero, on the Go version and on a path: clamped to
// [0, 0], every output is 0.
func TestNilArgs(t *testing.T) {
	for _, name := range []string{"go", "a"} {
		p := planOf(name)
		inject(t, p, map[string][]float64{name: {1, 1}}, nil)
		x, out := []float32{1, 2, 3}, []float32{7, 7, 7}
		r, err := p.Call(nil, kernel.SliceOf(x), kernel.SliceOf(out))
		if err != nil || r.N != 3 || out[0] != 0 || out[1] != 0 || out[2] != 0 {
			t.Errorf("path %s with nil Args: %v, %v, out = %v; want 3 outputs of 0", name, r, err, out)
		}
	}
}

// TestCalibrateCutKeepsFailure calibrates a path that fails from 4096 (a
// handle of 2048 elements) beside one whose cost leaps there, so that
// the ladder is cut at 4096: the failure seen there is kept, and the
// failing path is not chosen at 4096.
func TestCalibrateCutKeepsFailure(t *testing.T) {
	p := planOf("a", "b")
	p.Budget, p.MaxSize = 100*time.Millisecond, 1<<14
	p.Paths["a"] = capped(4095)
	_, restore := fakeClock(p, func(path string, n int) time.Duration {
		if path == "b" {
			if n >= 4096 {
				return time.Hour
			}
			return time.Duration(100 + 10*n)
		}
		return time.Duration(400 + 2*n)
	})
	defer restore()
	if err := p.Calibrate(); err != nil {
		t.Fatal(err)
	}
	if c, err := p.Choice(4096); c == "a" || err != nil {
		t.Errorf("Choice(4096) = %s, %v; path a was seen failing at 4096", c, err)
	}
	a, bufs := scaleInputs(4096)
	if _, err := p.Call(a, bufs...); err != nil {
		t.Errorf("Call at 4096: %v", err)
	}
}

// TestCalibrateAllFailed calibrates a plan whose one path fails past 16
// elements, up to a MaxSize of 2⁴⁰: once every path has failed, Inputs is
// asked for no larger size (a real one would allocate it).
func TestCalibrateAllFailed(t *testing.T) {
	p := planOf("handle")
	p.MaxSize = 1 << 40
	p.Paths["handle"] = capped(16)
	largest := 0
	p.Inputs = func(n int) (*kernel.Args, []kernel.Slice) {
		largest = max(largest, n)
		return scaleInputs(min(n, 64))
	}
	if err := p.Calibrate(); err != nil {
		t.Fatal(err)
	}
	if largest > 32 {
		t.Errorf("every path failed at 32, yet Inputs was asked for size %d", largest)
	}
}

// TestCacheNames gives kernels whose names a file name makes alike
// (conv/3x3, conv:3x3) files of their own, so that each keeps its wisdom.
func TestCacheNames(t *testing.T) {
	t.Setenv("ZEROCALL_WISDOM", t.TempDir())
	k1, k2 := *scale, *scale
	k1.Name, k2.Name = "conv/3x3", "conv:3x3"
	mk := func(k *kernel.Kernel) *Plan {
		p := planOf("a", "b")
		p.Kernel = k
		return p
	}
	p1, p2 := mk(&k1), mk(&k2)
	if p1.files()[0] == p2.files()[0] {
		t.Errorf("kernels %q and %q share the wisdom file %s", k1.Name, k2.Name, p1.files()[0])
	}
	for _, p := range []*Plan{p1, p2} {
		if _, err := p.Choice(1); err != nil { // calibrates, saves
			t.Fatal(err)
		}
	}
	q := mk(&k1)
	q.Inputs = nil // cannot calibrate: must read k1's wisdom
	if _, err := q.Choice(1); err != nil {
		t.Errorf("k1's saved wisdom lost: %v", err)
	}
}

// TestNamesNotUTF8 refuses names that JSON would change, and with them
// wisdom that would never match the plan again.
func TestNamesNotUTF8(t *testing.T) {
	p := planOf("go", "\xff")
	if _, err := p.Choice(1); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("a path named \\xff: %v, want an error saying UTF-8", err)
	}
	k := *scale
	k.Name = "clamp\xff"
	p = planOf("go", "a")
	p.Kernel = &k
	if _, err := p.ReadFrom(bytes.NewReader(nil)); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("a kernel named clamp\\xff: %v, want an error saying UTF-8", err)
	}
}

// TestNoSlices plans a kernel of scalars alone, whose calls have size 0
// (the length of their longest slice, of which they have none), and
// Inputs whose first call has no elements: the calibration measures that
// call, as Inputs' doc allows a call smaller than asked.
func TestNoSlices(t *testing.T) {
	k := &kernel.Kernel{Name: "test-mul", Floats: []string{"x", "y"}, Result: kernel.Float}
	mul := func(a *kernel.Args, bufs []kernel.Slice) kernel.Return { return kernel.Return{F: a.F[0] * a.F[1]} }
	p := &Plan{
		Kernel: k,
		Go:     mul,
		Paths:  paths{"call": funcs.Checked(k, mul)},
		Inputs: func(int) (*kernel.Args, []kernel.Slice) {
			return &kernel.Args{F: [kernel.MaxScalars]float64{2, 3}}, nil
		},
		MaxSize: 256,
		Budget:  20 * time.Millisecond,
	}
	_, restore := fakeClock(p, linearCost)
	defer restore()
	if err := p.Calibrate(); err != nil {
		t.Fatalf("Calibrate: %v", err)
	}
	if c, err := p.Choice(0); c != "go" || err != nil {
		t.Errorf("Choice(0) = %q, %v; want go, the cheaper", c, err)
	}
	r, err := p.Call(&kernel.Args{F: [kernel.MaxScalars]float64{2, 3}})
	if err != nil || r.F != 6 {
		t.Errorf("Call: %+v, %v; want 6", r, err)
	}
	var buf bytes.Buffer
	if _, err := p.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	q := &Plan{Kernel: k, Go: mul, Paths: p.Paths} // no Inputs: it must not calibrate
	if _, err := q.ReadFrom(&buf); err != nil {
		t.Errorf("its own wisdom refused: %v", err)
	}
}

// TestFilesFilledIn checks that wisdom found in a plan's cache is written
// to its other file, which held none: ZEROCALL_WISDOM's directory, which
// a run of the program with it set must fill with its plans' wisdom
// (the zerocall command's wisdom verb reads it there), or File.
func TestFilesFilledIn(t *testing.T) {
	dir := t.TempDir()
	for _, v := range []string{"XDG_CACHE_HOME", "HOME", "LocalAppData"} {
		t.Setenv(v, dir)
	}
	p := planOf("a", "b")
	p.Cache = true
	if _, err := p.Choice(1); err != nil { // calibrates, saves to the cache
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		set  func(p *Plan)
	}{
		{"environment", func(*Plan) { t.Setenv("ZEROCALL_WISDOM", filepath.Join(dir, "env")) }},
		{"file", func(p *Plan) { p.File = filepath.Join(dir, "file.json") }},
	} {
		q := planOf("a", "b")
		q.Cache = true
		c.set(q)
		q.Inputs = nil // it must use the cache's wisdom
		if _, err := q.Choice(1); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		files := q.files()
		if len(files) != 2 {
			t.Fatalf("%s: files %v", c.name, files)
		}
		got, err := os.ReadFile(files[0])
		if err != nil {
			t.Errorf("%s: the wisdom used was not written to the plan's file: %v", c.name, err)
			continue
		}
		if want, _ := os.ReadFile(files[1]); !bytes.Equal(got, want) {
			t.Errorf("%s: the plan's file holds\n%s\nnot the cache's\n%s", c.name, got, want)
		}
	}
}

// squareInputs rounds n down to a square, as a matmul's Inputs must.
func squareInputs(n int) (*kernel.Args, []kernel.Slice) {
	m := 1
	for (m+1)*(m+1) <= n {
		m++
	}
	return scaleInputs(m * m)
}

// TestCapacityRounded calibrates with Inputs that round sizes down to
// squares, as a matmul's must, and a path of a capacity between two of
// them, so that the search for the capacity meets sizes Inputs rounds
// back to ones it ran; and paths that break, or refuse for another
// reason, during that search. Each path's sizes and the size it fails
// from are as measured, the choice at 36 follows, the wisdom reads back,
// and no call of sizes 1 to 256 fails but where the path breaks.
func TestCapacityRounded(t *testing.T) {
	for _, c := range []struct {
		name   string
		cap    int
		at36   error // the error of the path at 36 elements
		sizes  int   // the last size measured, 0 for none
		fails  int
		chosen bool // whether the path is chosen at 36 elements
	}{
		{"capacity", 40, nil, 36, 49, true},
		{"capacity 30", 30, nil, 25, 36, false},
		{"broken", 40, fmt.Errorf("%w: a trap", zerocall.ErrBroken), 0, 1, false},
		{"refused", 40, fmt.Errorf("%w: odd", zerocall.ErrArgument), 25, 64, false},
	} {
		p := planOf("go", "call", "small")
		p.Inputs = squareInputs
		p.Paths["small"] = func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
			switch n := bufs[0].Len(); {
			case n > c.cap:
				return kernel.Return{}, zerocall.ErrCapacity
			case n == 36 && c.at36 != nil:
				return kernel.Return{}, c.at36
			}
			return scaleCall(a, bufs...)
		}
		calibrateOn(t, p, "small", func(n int) time.Duration { return time.Duration(200 + n) })
		w := p.state.Load().w
		s := w.Paths[2]
		last := 0
		if len(s.Sizes) > 0 {
			last = s.Sizes[len(s.Sizes)-1]
		}
		if last != c.sizes || s.FailsFrom != c.fails {
			t.Errorf("%s: sizes %v, fails from %d; want the last %d, and %d", c.name, s.Sizes, s.FailsFrom, c.sizes, c.fails)
		}
		if got, _ := p.Choice(36); (got == "small") != c.chosen {
			t.Errorf("%s: Choice(36) = %s", c.name, got)
		}
		var buf bytes.Buffer
		if _, err := p.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		q := planOf("go", "call", "small")
		q.Paths["small"] = p.Paths["small"]
		if _, err := q.ReadFrom(&buf); err != nil {
			t.Errorf("%s: the wisdom does not read back: %v", c.name, err)
		}
		for n := 1; n <= 256; n++ {
			a, bufs := scaleInputs(n)
			if _, err := p.Call(a, bufs...); err != nil && !(errors.Is(err, zerocall.ErrBroken) && c.at36 != nil) {
				t.Errorf("%s: Call at n = %d: %v", c.name, n, err)
				break
			}
		}
	}
}
