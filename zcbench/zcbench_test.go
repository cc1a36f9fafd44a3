//go:build cgo

package zcbench_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/asmkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/ckernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/zcbench"
	"github.com/zerocall/zerocall/zctest"
)

// saxpySpec is the test kernel, a user-style float32 scale-and-add,
// through cgo: the same Spec its tests run.
func saxpySpec(t *testing.T) zctest.Spec {
	return testkernel.Spec(mustFunc(t))
}

func mustFunc(t *testing.T) *native.Func {
	t.Helper()
	f, err := native.NewFunc(testkernel.Saxpy, ckernel.Pointer())
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// wasmFunc is the same kernel's wasm module on wazero.
func wasmFunc(t *testing.T) *wasm.Func {
	t.Helper()
	return testkernel.LoadFunc(t, wasm.Load, testkernel.Module(), zerocall.Config{}, testkernel.Saxpy, testkernel.Export)
}

// names returns the rows' names.
func names(impls []zcbench.Impl) string {
	var ns []string
	for _, im := range impls {
		ns = append(ns, im.Name)
	}
	return strings.Join(ns, " ")
}

// TestImpls finds the rows of each Func by what it has, under the names
// of zctest's paths, whatever the order of the Funcs.
func TestImpls(t *testing.T) {
	s := saxpySpec(t)
	s.Also = []zctest.Func{wasmFunc(t)}
	want := "go cgo-straight cgo-direct cgo-prealloc cgo-owned cgo-batch cgo-cowned-copy cgo-cowned cgo-cowned-batch" +
		" wazero-copy wazero-inplace wazero-batch"
	if af, err := asmkernel.Func(); err == nil {
		s.Also = append(s.Also, af)
		want += " asm"
	}
	if got := names(zcbench.Impls(s, zcbench.Options{})); got != want {
		t.Errorf("Impls:\n got %s\nwant %s", got, want)
	}
	// A second Func of one host has rows of its own, none of whose names
	// ends in a dash and a number (a benchmark line's GOMAXPROCS).
	s.Also = []zctest.Func{mustFunc(t)}
	if got := names(zcbench.Impls(s, zcbench.Options{})); !strings.Contains(got, " cgo-2-straight cgo-2-direct cgo-2-prealloc") {
		t.Errorf("Impls with two native Funcs: %s", got)
	}
	a1, err1 := asmkernel.Func()
	a2, err2 := asmkernel.Func()
	if err1 == nil && err2 == nil {
		s.Also = []zctest.Func{a1, a2}
		got := names(zcbench.Impls(s, zcbench.Options{}))
		if !strings.Contains(got, " asm asm-2-straight") || regexp.MustCompile(`-\d+( |$)`).MatchString(got) {
			t.Errorf("Impls with two asm Funcs: %s", got)
		}
	}
}

// TestBench measures a user kernel on every path and checks the table: a
// row for each, no allocations, a machine line, and JSON and benchmark
// lines that parse.
func TestBench(t *testing.T) {
	s := saxpySpec(t)
	impls := zcbench.Impls(s, zcbench.Options{})
	var progress bytes.Buffer
	tab, err := zcbench.Bench(s, zcbench.Options{Name: "Saxpy", N: 1000, Count: 2, Time: 2 * time.Millisecond, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Curves) != len(impls) {
		t.Fatalf("%d rows, want %d", len(tab.Curves), len(impls))
	}
	for _, c := range tab.Curves {
		// Allocation counts are not exact under the race detector.
		if p := c.Points[0]; len(c.Points) != 1 || p.N != 1000 || (p.Allocs != 0 && !raceEnabled) || p.Ns <= 0 || !(p.VsGo > 0) {
			t.Errorf("%s: %+v", c.Impl, c.Points)
		}
	}
	if !strings.Contains(progress.String(), "Saxpy n=1000") {
		t.Errorf("progress: %q", progress.String())
	}
	// The header says the kernel runs its one build, not the dispatcher's
	// variant.
	md := []string{"cpu: ", "for the built-ins, the one build of test-saxpy", "| Pure Go ", "| cgo straight ", "| cgo pinned in-place ", "| cgo C-owned in-place ", "| cgo pinned batched ", "Saxpy of 1000 elements"}
	if n := checkRendered(t, tab, new(zcbench.Result), md, "Saxpy/n=1000/impl="); n != 2*len(impls) {
		t.Errorf("%d benchmark lines, want %d", n, 2*len(impls))
	}
}

// TestSweep sweeps a user kernel, fits it and plots it.
func TestSweep(t *testing.T) {
	s := saxpySpec(t)
	o := zcbench.Options{Name: "Saxpy", Sizes: []int{16, 2048}, Count: 1, Time: time.Millisecond}
	res, err := zcbench.Sweep(s, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Curves {
		// Timings this short say nothing of speed (a fit may even slope
		// down): only the shape of the result is checked.
		if len(c.Points) != 2 || c.Points[0].Ns <= 0 || c.Points[1].Ns <= 0 || c.Crossover == "" {
			t.Errorf("%s: %+v", c.Impl, c)
		}
	}
	var md bytes.Buffer
	res.Markdown(&md)
	if !strings.Contains(md.String(), "Beats the best pure Go at") {
		t.Errorf("sweep table:\n%s", md.String())
	}
	if res.XLabel != "n" {
		t.Errorf("XLabel %q, want n", res.XLabel)
	}
	for _, c := range res.Curves {
		if c.CrossAt.N != 0 && (!c.Beats || c.CrossAt.N < 16 || c.CrossAt.N > 2048 || c.CrossAt.Ns <= 0) {
			t.Errorf("%s crosses below Go at %+v, beats it %v: want a crossing within the sizes only if it does", c.Impl, c.CrossAt, c.Beats)
		}
		if c.Go && c.Beats {
			t.Errorf("%s, pure Go, beats pure Go", c.Impl)
		}
	}
}

// TestReport prints the table and the sweep, and writes the sweep's JSON,
// which reads back as the Result it was.
func TestReport(t *testing.T) {
	var out, progress bytes.Buffer
	dir := t.TempDir()
	o := zcbench.Options{N: 64, SizeUnit: "floats", Sizes: []int{16, 64}, Count: 1, Time: time.Millisecond, Progress: &progress, Out: dir}
	if err := zcbench.Report(&out, saxpySpec(t), o); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"test-saxpy of 64 floats", "| cgo pin per call ", "Beats the best pure Go at"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in:\n%s", want, out.String())
		}
	}
	file := filepath.Join(dir, "test-saxpy.json")
	if !strings.Contains(progress.String(), "wrote "+file) {
		t.Errorf("progress: %s", progress.String())
	}
	js, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var res zcbench.Result
	if err := json.Unmarshal(js, &res); err != nil {
		t.Fatal(err)
	}
	if res.Kernel != "test-saxpy" || len(res.Curves) < 4 || len(res.Curves[0].Points) != 2 {
		t.Errorf("the sweep's JSON reads back as %+v", res)
	}
}

// TestImplsOfYourOwn measures rows given in Options.Impls, in place of
// the Spec's: here the Spec's, some dropped and one renamed.
func TestImplsOfYourOwn(t *testing.T) {
	s := saxpySpec(t)
	var impls []zcbench.Impl
	for _, im := range zcbench.Impls(s, zcbench.Options{}) {
		switch im.Name {
		case "go", "cgo-owned":
			impls = append(impls, im)
		case "cgo-straight":
			im.Name, im.Label = "cgo-mine", "my straight"
			impls = append(impls, im)
		}
	}
	tab, err := zcbench.Bench(zctest.Spec{}, zcbench.Options{Name: "Mine", N: 100, Count: 1, Time: time.Millisecond, Impls: impls})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(tab.Machine, "one build") {
		t.Errorf("rows with no Spec (the built-ins' case) say a kernel of one build: %q", tab.Machine)
	}
	var got []string
	for _, c := range tab.Curves {
		got = append(got, c.Impl+"="+c.Label)
	}
	if want := "go=Pure Go cgo-mine=my straight cgo-owned=cgo pinned in-place"; strings.Join(got, " ") != want {
		t.Errorf("rows %q, want %q", strings.Join(got, " "), want)
	}
	if _, err := zcbench.Bench(zctest.Spec{}, zcbench.Options{N: 100, Impls: impls}); err == nil {
		t.Error("rows of your own with no Name: no error")
	}
	if _, err := zcbench.Bench(zctest.Spec{}, zcbench.Options{Name: "Mine", N: 100, Impls: impls[1:]}); err == nil {
		t.Error("no pure-Go row: no error")
	}
	// A row with no Prepare, or whose Prepare gives no call, is an error,
	// not a panic; so is one that says a call makes no calls of the kernel.
	for name, row := range map[string]zcbench.Impl{
		"no Prepare": {Name: "cgo-none"},
		"no call":    {Name: "cgo-nil", Prepare: func(int) (func() error, func(), error) { return nil, nil, nil }},
		"no calls":   {Name: "cgo-zero", Prepare: impls[1].Prepare, Calls: func(int) int { return 0 }},
		// Two rows of one name, or a name a benchmark line's reader takes
		// for a name and GOMAXPROCS, would read as one row in benchstat.
		"a second go":     {Name: "go", Prepare: impls[0].Prepare, Go: true},
		"a digits suffix": {Name: "cgo-2", Prepare: impls[1].Prepare},
	} {
		o := zcbench.Options{Name: "Mine", N: 16, Count: 1, Time: time.Millisecond, Impls: []zcbench.Impl{impls[0], row}}
		if _, err := zcbench.Bench(zctest.Spec{}, o); err == nil || !strings.Contains(err.Error(), row.Name) {
			t.Errorf("%s: %v, want an error naming row %s", name, err, row.Name)
		}
	}
	// Names with white space still make benchmark lines, with underscores
	// for it, as go test writes the names of subtests.
	spaced := []zcbench.Impl{impls[0], impls[1]}
	spaced[1].Name = "cgo mine"
	tab, err = zcbench.Bench(zctest.Spec{}, zcbench.Options{Name: "My kernel", N: 16, Count: 1, Time: time.Millisecond, Impls: spaced})
	if err != nil {
		t.Fatal(err)
	}
	var lines bytes.Buffer
	tab.Benchfmt(&lines)
	text := lines.String()
	if n := benchLines(t, &lines, "My_kernel/n=16/impl="); n != 2 || !strings.Contains(text, "impl=cgo_mine\t") {
		t.Errorf("%d benchmark lines of names with spaces, want 2 and impl=cgo_mine:\n%s", n, text)
	}
}

// TestBatchAllocs: a row that allocates once a crossing of ten calls of
// the kernel shows the tenth of an allocation a call, not none.
func TestBatchAllocs(t *testing.T) {
	var sink []byte
	row := func(name string, calls int, alloc bool) zcbench.Impl {
		return zcbench.Impl{Name: name, Label: name, Go: !alloc, Calls: func(int) int { return calls },
			Prepare: func(int) (func() error, func(), error) {
				return func() error {
					if alloc {
						sink = make([]byte, 64+len(sink)%2)
					}
					return nil
				}, nil, nil
			}}
	}
	tab, err := zcbench.Bench(zctest.Spec{}, zcbench.Options{Name: "K", N: 8, Count: 1, Time: time.Millisecond,
		Impls: []zcbench.Impl{row("go", 1, false), row("cgo-batch", 10, true)}})
	if err != nil {
		t.Fatal(err)
	}
	if got := tab.Curves[1].Points[0].Allocs; got != 0.1 {
		t.Errorf("allocations per call of a crossing of 10 that allocates once: %v, want 0.1", got)
	}
	var md bytes.Buffer
	tab.Markdown(&md)
	if !regexp.MustCompile(`\| cgo-batch +\|[^|]+\|[^|]+\| 0\.1 +\|`).MatchString(md.String()) {
		t.Errorf("the table does not show 0.1 allocations for the batch:\n%s", md.String())
	}
}

// TestLensPastCheck: a negative length at a size past those the Spec's
// check looks at is an error of the kit, not a panic.
func TestLensPastCheck(t *testing.T) {
	s := saxpySpec(t)
	s.Lens = func(n int) []int {
		if n > 5000 {
			return []int{-1, -1, -1}
		}
		return []int{n, n, n}
	}
	_, err := zcbench.Sweep(s, zcbench.Options{Sizes: []int{8, 6000}, Count: 1, Time: time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "a length of -1 for buffer x") {
		t.Errorf("Lens negative at n = 6000: %v, want an error naming the length and the buffer", err)
	}
}

// TestReportRefusesFirst: Report refuses options its sweep cannot use
// before it measures the table: no sizes, and an Out it cannot make.
func TestReportRefusesFirst(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		o    zcbench.Options
		want string
	}{
		{"no sizes", zcbench.Options{N: 16}, "no Options.Sizes"},
		{"an Out under a file", zcbench.Options{N: 16, Sizes: []int{8, 16}, Out: filepath.Join(file, "out")}, "zcbench: Options.Out"},
	} {
		c.o.Count, c.o.Time = 1, time.Millisecond
		var out bytes.Buffer
		err := zcbench.Report(&out, saxpySpec(t), c.o)
		if err == nil || !strings.Contains(err.Error(), c.want) || out.Len() != 0 {
			t.Errorf("%s: %v, having printed %d bytes; want an error saying %q before any table", c.name, err, out.Len(), c.want)
		}
	}
}

// TestInputs measures on data of your own: each row's first call is
// checked on it, and a wrong count of buffers is an error.
func TestInputs(t *testing.T) {
	s := saxpySpec(t)
	calls := 0
	o := zcbench.Options{N: 10, Count: 1, Time: time.Millisecond, Inputs: func(n int) []kernel.Slice {
		calls++
		x, y := make([]float32, n), make([]float32, n)
		for i := range x {
			x[i], y[i] = float32(i%7)-3, float32(calls) // not the same twice
		}
		return []kernel.Slice{kernel.SliceOf(x), kernel.SliceOf(y), kernel.SliceOf(make([]float32, n))}
	}}
	if _, err := zcbench.Bench(s, o); err != nil || calls == 0 {
		t.Errorf("Bench on Inputs: %v, %d calls of Inputs", err, calls)
	}
	o.Inputs = func(n int) []kernel.Slice { return []kernel.Slice{kernel.SliceOf(make([]float32, n))} }
	if _, err := zcbench.Bench(s, o); err == nil || !strings.Contains(err.Error(), "returned 1 buffers") {
		t.Errorf("Inputs with one buffer: err = %v", err)
	}
}

// TestCheckCatches gives the kit a Go version that disagrees with the C
// kernel: preparing any foreign path must fail, not time a wrong answer;
// within the Tolerance, or by a Compare that allows it, it passes.
func TestCheckCatches(t *testing.T) {
	s := saxpySpec(t)
	ref := s.Ref
	s.Ref = func(a *kernel.Args, b []kernel.Slice) kernel.Return {
		r := ref(a, b)
		out := kernel.Elems[float32](b[2])
		for i := range out {
			out[i] *= 1 + 1e-6
		}
		return r
	}
	o := zcbench.Options{N: 100, Count: 1, Time: time.Millisecond}
	if _, err := zcbench.Bench(s, o); err == nil || !strings.Contains(err.Error(), "the Go version (Ref)") {
		t.Errorf("Bench with a wrong Go version: err = %v, want a check failure", err)
	}
	s.Tolerance = 1e-5
	if _, err := zcbench.Bench(s, o); err != nil {
		t.Errorf("Bench within the Tolerance: %v", err)
	}
	s.Tolerance = 0
	wrong := errors.New("wrong")
	s.Compare = func(a *kernel.Args, in []kernel.Slice, got, want zctest.Result) error { return wrong }
	if _, err := zcbench.Bench(s, o); !errors.Is(err, wrong) {
		t.Errorf("Bench with a Compare that fails: err = %v", err)
	}
}

// rendered is a table of results in the forms the tools read.
type rendered interface {
	Markdown(w io.Writer)
	Benchfmt(w io.Writer)
}

// checkRendered checks tab's renderings: its Markdown says each of md, its
// JSON decodes into back, a new table of its type, and encodes again to
// the same, and its benchmark lines parse, each named from prefix on. It
// returns their number.
func checkRendered(t *testing.T, tab, back rendered, md []string, prefix string) int {
	t.Helper()
	var buf bytes.Buffer
	tab.Markdown(&buf)
	for _, want := range md {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("no %q in:\n%s", want, buf.String())
		}
	}
	js, err := json.Marshal(tab)
	if err != nil {
		t.Fatal(err)
	}
	var again []byte
	if err = json.Unmarshal(js, back); err == nil {
		again, err = json.Marshal(back)
	}
	if err != nil || !bytes.Equal(again, js) {
		t.Errorf("JSON round trip: %v\n%s\nbecame\n%s", err, js, again)
	}
	buf.Reset()
	tab.Benchfmt(&buf)
	return benchLines(t, &buf, prefix)
}

// benchLine is a Go benchmark line as the kit prints one: the name, the
// iterations, the time and the allocations per call. (The command's tests
// read the same lines with the reader benchstat uses.)
var benchLine = regexp.MustCompile(`^Benchmark(\S+)\t\d+\t\S+ ns/op\t\S+ allocs/op$`)

// benchLines checks the Go benchmark lines in r, and that every name
// starts with prefix, and returns their number.
func benchLines(t *testing.T, r io.Reader, prefix string) int {
	t.Helper()
	n := 0
	for line := range strings.Lines(readAll(t, r)) {
		line = strings.TrimSuffix(line, "\n")
		if !strings.HasPrefix(line, "Benchmark") {
			continue
		}
		m := benchLine.FindStringSubmatch(line)
		switch {
		case m == nil:
			t.Errorf("not a benchmark line: %q", line)
		case !strings.HasPrefix(m[1], prefix):
			t.Errorf("benchmark name %s, want %s...", m[1], prefix)
		default:
			n++
		}
	}
	return n
}

// readAll returns what r holds.
func readAll(t *testing.T, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestVariantHeader: the header names the variants a kernel of the
// user's runs, when its Funcs were chosen from a table of variants, and
// says where one of them is its one build.
func TestVariantHeader(t *testing.T) {
	best := native.Variants()[0]
	f, err := native.NewVariant(testkernel.Saxpy, ckernel.Variants(), zerocall.Auto)
	if err != nil {
		t.Fatal(err)
	}
	scalar, err := native.NewVariant(testkernel.Saxpy, ckernel.Variants(), zerocall.Scalar)
	if err != nil {
		t.Fatal(err)
	}
	o := zcbench.Options{Name: "Saxpy", N: 16, Count: 1, Time: time.Millisecond}
	for _, c := range []struct {
		also []zctest.Func
		want string
	}{
		{nil, "for the built-ins, " + best.String() + " for test-saxpy"},
		{[]zctest.Func{scalar}, "for the built-ins, " + strings.Join(uniq(best.String(), "scalar"), ", ") + " for test-saxpy"},
		{[]zctest.Func{mustFunc(t)}, "for the built-ins, " + best.String() + " and the one build of test-saxpy"},
		{[]zctest.Func{wasmFunc(t)}, "for the built-ins, " + best.String() + " for test-saxpy"},
		{nil, "for the built-ins, a wasm module of test-saxpy"}, // a Spec of wasm alone
	} {
		s := testkernel.Spec(f)
		if c.also == nil && strings.Contains(c.want, "wasm") {
			s = testkernel.Spec(wasmFunc(t))
		}
		s.Also = c.also
		tab, err := zcbench.Bench(s, o)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(tab.Machine, c.want) {
			t.Errorf("header %q, want %q in it", tab.Machine, c.want)
		}
		// The benchmark lines' header, which benchstat groups by, says
		// the same.
		var lines bytes.Buffer
		tab.Benchfmt(&lines)
		if !strings.Contains(lines.String(), "\nvariant: "+native.Variants()[0].String()+" "+c.want+"\n") {
			t.Errorf("benchmark header:\n%s\nwant the variant line to say %q", lines.String(), c.want)
		}
	}
}

// uniq returns its arguments without repeats, in order.
func uniq(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// TestOptionsRefused checks the options a sweep cannot use: Work without
// Size (or Size without Work), which would fit per element what was
// asked per unit of work, and sizes or counts of goroutines below 1.
func TestOptionsRefused(t *testing.T) {
	s := saxpySpec(t)
	cube := func(n float64) float64 { return n * n * n }
	for _, c := range []struct {
		name string
		o    zcbench.Options
		want string
	}{
		{"work alone", zcbench.Options{Sizes: []int{16, 64}, Work: cube}, "Work and Size go together"},
		{"size alone", zcbench.Options{Sizes: []int{16, 64}, Size: math.Cbrt}, "Work and Size go together"},
		{"negative size", zcbench.Options{Sizes: []int{-1, 8}}, "a size of -1"},
		{"zero size", zcbench.Options{Sizes: []int{0, 8}}, "a size of 0"},
		{"zero goroutines", zcbench.Options{Sizes: []int{8, 16}, Threads: []int{0, 2}}, "0 goroutines"},
		{"too many goroutines", zcbench.Options{Sizes: []int{8, 16}, Threads: []int{2, 4097}}, "4097 goroutines; the counts must be from 1 to 4096"},
		{"no sizes", zcbench.Options{}, "no Options.Sizes to sweep"},
	} {
		c.o.Name, c.o.Count, c.o.Time = "Saxpy", 1, time.Millisecond
		if _, err := zcbench.Sweep(s, c.o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", c.name, err, c.want)
		}
	}
}

// TestSpecRefused checks that Bench, Sweep and Parallel refuse a Spec as
// zctest.Run does, rather than crash on it, and a Name that would put the
// sweep's file outside Options.Out.
func TestSpecRefused(t *testing.T) {
	good := saxpySpec(t)
	alsoNil, negLen, tol := good, good, good
	alsoNil.Also = []zctest.Func{nil}
	negLen.Lens = func(n int) []int { return []int{n, n, -1} }
	tol.Tolerance = -1
	o := zcbench.Options{Sizes: []int{8, 16}, Count: 1, Time: time.Millisecond, Threads: []int{1}}
	for _, c := range []struct {
		name string
		s    zctest.Spec
		o    zcbench.Options
		want string
	}{
		{"a nil Also", alsoNil, o, "Spec.Also[0] is nil"},
		{"a negative length", negLen, o, "returns a length of -1"},
		{"a negative tolerance", tol, o, "Spec.Tolerance is -1"},
		{"a name with a path", good, zcbench.Options{Name: "../up", Sizes: o.Sizes, Count: 1, Time: o.Time}, "has a path in it"},
		{"a name with a dot first", good, zcbench.Options{Name: ".", Sizes: o.Sizes, Count: 1, Time: o.Time}, "starts with a dot"},
	} {
		if _, err := zcbench.Sweep(c.s, c.o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Sweep, %s: %v, want an error saying %q", c.name, err, c.want)
		}
		if _, err := zcbench.Bench(c.s, c.o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Bench, %s: %v, want an error saying %q", c.name, err, c.want)
		}
		if strings.HasPrefix(c.name, "a name with") {
			continue // Parallel writes no file
		}
		if _, err := zcbench.Parallel(c.s, c.o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parallel, %s: %v, want an error saying %q", c.name, err, c.want)
		}
	}
}
