package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"

	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/zcbench"
)

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"frobnicate"},
		{"bench", "-kernel", "nope"},
		{"bench", "-n", "0"},
		{"bench", "-kernel", "fir", "-n", "3"},
		{"bench", "-kernel", "matmul", "-n", "5000"},
		{"bench", "-n", "99999999"},
		{"bench", "-count", "0"},
		{"bench", "-bogus"},
		{"bench", "extra"},
		{"bench", "-json", "-benchfmt"},
		{"bench", "-threads", "2"},
		{"bench", "-parallel", "-threads", "0"},
		{"bench", "-parallel", "-threads", "1,x"},
		{"bench", "-parallel", "-threads", "1,100000"},
		{"sweep", "-kernel", "nope"},
		{"sweep", "-sizes", "1,x"},
		{"sweep", "-sizes", "100"},
		{"sweep", "-sizes", "0"},
		{"sweep", "-sizes", "-5,100"},
		{"sweep", "-sizes", "16,16"},
		{"sweep", "-sizes", "16,32", "-count", "1", "-time", "1ms", "-out", ""},
		{"sweep", "-kernel", "fir", "-sizes", "1,100"},
		{"plot"},
		{"plot", "-bogus", "x.json"},
		{"plot", "-out", "", "x.json"},
	} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 2 {
			t.Errorf("run(%q) = %d, want 2 (stderr: %s)", args, code, errb.String())
		}
	}
	var out, errb bytes.Buffer
	run([]string{"bench", "-kernel", "nope"}, &out, &errb)
	if !strings.Contains(errb.String(), "sum, dot, axpy, fir, matmul") {
		t.Errorf("unknown kernel error does not name the valid ones: %s", errb.String())
	}
	// A size out of range is named as such, though too few are given too.
	errb.Reset()
	run([]string{"sweep", "-sizes", "0"}, &out, &errb)
	if !strings.Contains(errb.String(), "at least 1") {
		t.Errorf("-sizes 0: %s", errb.String())
	}
}

// TestBench runs a short real bench and checks that every implementation
// has its row.
func TestBench(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"bench", "-n", "1000", "-count", "1", "-time", "2ms"}, &out, &errb); code != 0 {
		t.Fatalf("bench exited %d: %s", code, errb.String())
	}
	_, o, release, _ := benchmark(kernel.Sum, io.Discard)
	defer release()
	for _, impl := range o.Impls {
		if !strings.Contains(out.String(), "| "+impl.Label+" ") {
			t.Errorf("no row for %s in:\n%s", impl.Label, out.String())
		}
	}
	if !strings.Contains(out.String(), "cpu: ") {
		t.Errorf("no machine line in:\n%s", out.String())
	}
}

// TestBenchParallel runs a short -parallel bench of matmul and checks
// that every option has its row, at each goroutine count asked for.
func TestBenchParallel(t *testing.T) {
	var out, errb bytes.Buffer
	// The counts out of order and one twice: measured rising, once each.
	if code := run([]string{"bench", "-parallel", "-kernel", "matmul", "-n", "8", "-threads", "2,1,2", "-count", "1", "-time", "2ms"}, &out, &errb); code != 0 {
		t.Fatalf("bench -parallel exited %d: %s", code, errb.String())
	}
	for _, want := range []string{"MatMul of 8, goroutines sharing it", "| Pure Go ", "| cgo straight ", "| cgo shared ", "| cgo pool ",
		"| cgo owned ", "| wazero shared ", "| wazero pool ", "| wazero owned ", "| wasmtime shared ", "| wasmtime pool ",
		"| wasmtime owned ", "| 1 goroutine | 2 goroutines |", "Scaling 1→2", "cpu: "} {
		if !strings.Contains(strings.Join(strings.Fields(out.String()), " "), want) {
			t.Errorf("no %q in:\n%s", want, out.String())
		}
	}
	if n := strings.Count(out.String(), "2 goroutines"); n != 1 {
		t.Errorf("%d columns of 2 goroutines, want 1:\n%s", n, out.String())
	}
}

// TestOutputsParse runs a tiny sweep in each machine-readable format and
// parses what it printed: JSON with encoding/json, benchmark lines with
// the benchfmt reader that benchstat uses.
func TestOutputsParse(t *testing.T) {
	base := []string{"sweep", "-kernel", "dot", "-sizes", "16,1000", "-count", "2", "-time", "1ms", "-out", t.TempDir()}
	var out, errb bytes.Buffer
	if code := run(append(base, "-json"), &out, &errb); code != 0 {
		t.Fatalf("sweep -json exited %d: %s", code, errb.String())
	}
	var res zcbench.Result
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("sweep -json: %v\n%s", err, out.String())
	}
	_, o, release, _ := benchmark(kernel.Dot, io.Discard)
	defer release()
	if len(res.Curves) != len(o.Impls) || len(res.Curves[0].Points) != 2 || res.Curves[0].Fit.PerUnit <= 0 {
		t.Errorf("sweep -json: unexpected result %+v", res)
	}
	out.Reset()
	if code := run(append(base, "-benchfmt", "-noplot"), &out, &errb); code != 0 {
		t.Fatalf("sweep -benchfmt exited %d: %s", code, errb.String())
	}
	names := map[string]int{}
	r := benchfmt.NewReader(&out, "sweep")
	for r.Scan() {
		switch rec := r.Result(); rec := rec.(type) {
		case *benchfmt.Result:
			if _, ok := rec.Value("sec/op"); !ok {
				t.Errorf("%s: no sec/op", rec.Name)
			}
			names[string(rec.Name.Full())]++
		case *benchfmt.SyntaxError:
			t.Errorf("benchfmt: %v", rec)
		}
	}
	want := len(o.Impls) * 2 // implementations × sizes
	if len(names) != want {
		t.Errorf("%d distinct benchmarks, want %d: %v", len(names), want, names)
	}
	for name, runs := range names {
		if runs != 2 || !strings.HasPrefix(name, "Dot/n=") || !strings.Contains(name, "/impl=") {
			t.Errorf("benchmark %s: %d runs, want 2 under Dot/n=<N>/impl=<name>", name, runs)
		}
	}
}

func TestSweepPlot(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	if code := run([]string{"sweep", "-kernel", "matmul", "-sizes", "2,8", "-count", "1", "-time", "1ms", "-out", dir}, &out, &errb); code != 0 {
		t.Fatalf("sweep exited %d: %s", code, errb.String())
	}
	for _, f := range []string{"matmul.svg", "matmul.png"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if !strings.Contains(out.String(), "| cgo SIMD ") {
		t.Errorf("no cgo SIMD row in:\n%s", out.String())
	}
	// The families' legend entries, all of them.
	svg, err := os.ReadFile(filepath.Join(dir, "matmul.svg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"pure Go: Pure Go", "cgo: cgo SIMD", "wazero: WASM SIMD", "wasmtime: wasmtime SIMD", "batched: cgo batched"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("the plot's legend has no %q", want)
		}
	}
}

// TestPlot draws a sweep saved as JSON, as the benchmark kit's Report
// writes one, all its rows and then the best of each family.
func TestPlot(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	if code := run([]string{"sweep", "-kernel", "sum", "-sizes", "16,1000", "-count", "1", "-time", "1ms", "-json", "-noplot"}, &out, &errb); code != 0 {
		t.Fatalf("sweep exited %d: %s", code, errb.String())
	}
	var res zcbench.Result
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	families := map[string]bool{}
	for _, c := range res.Curves {
		families[c.Family] = true
	}
	file := filepath.Join(dir, "sum.json")
	if err := os.WriteFile(file, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, best := range []bool{false, true} {
		args := []string{"plot", "-out", dir, file}
		if best {
			args = []string{"plot", "-best", "-out", dir, file}
		}
		errb.Reset()
		if code := run(args, &out, &errb); code != 0 {
			t.Fatalf("%q exited %d: %s", args, code, errb.String())
		}
		svg, err := os.ReadFile(filepath.Join(dir, "sum.svg"))
		if err != nil {
			t.Fatal(err)
		}
		n := strings.Count(string(svg), ">best ")
		if best && n != len(families) || !best && n != 0 {
			t.Errorf("best %v: %d legend entries of a best of family, want one per family of %v, or none", best, n, families)
		}
	}
	if code := run([]string{"plot", filepath.Join(dir, "none.json")}, &out, &errb); code != 1 {
		t.Errorf("plot of a missing file exited %d, want 1", code)
	}
}

// TestSweepOutFile refuses an -out that cannot be a directory before it
// measures anything.
func TestSweepOutFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "afile")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run([]string{"sweep", "-kernel", "sum", "-sizes", "16,32", "-count", "1", "-time", "1ms", "-out", file}, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "-out: ") || strings.Contains(errb.String(), "elapsed") || out.Len() > 0 {
		t.Errorf("sweep -out <a file> exited %d, want 1, naming -out before measuring; stdout %q, stderr %q", code, out.String(), errb.String())
	}
}

// TestPlotInputs draws sweeps saved as JSON whose contents the plot must
// not trust: rows without points, and kernels' names that are no file
// names. The inputs are written beside -out, and nothing but the plots
// may appear, in -out.
func TestPlotInputs(t *testing.T) {
	const points = `[{"n":16,"ns_per_call":10},{"n":1000,"ns_per_call":300}]`
	sweep := func(kernel, goPoints string) string {
		return fmt.Sprintf(`{"kernel":%q,"machine":"m","curves":[`+
			`{"impl":"go","label":"Pure Go","pure_go":true,"family":"pure Go","points":%s},`+
			`{"impl":"cgo","label":"cgo","family":"cgo","points":[]}]}`, kernel, goPoints)
	}
	for _, c := range []struct {
		name   string
		flags  []string    // before the inputs
		inputs [][2]string // file, contents
		code   int
		plots  []string // the files in -out after it
	}{
		{"no points", nil, [][2]string{{"s.json", sweep("Sum", "[]")}}, 1, nil},
		{"no points, best", []string{"-best"}, [][2]string{{"s.json", sweep("Sum", "[]")}}, 1, nil},
		{"a row without points", nil, [][2]string{{"s.json", sweep("Sum", points)}}, 0, []string{"sum.png", "sum.svg"}},
		// One size, at 1 ns: log axes with nothing to span.
		{"one point", nil, [][2]string{{"s.json", sweep("Sum", `[{"n":1,"ns_per_call":1}]`)}}, 0, []string{"sum.png", "sum.svg"}},
		{"a row without points, best", []string{"-best"}, [][2]string{{"s.json", sweep("Sum", points)}}, 0, []string{"sum.png", "sum.svg"}},
		{"a path", nil, [][2]string{{"esc.json", sweep("../escaped", points)}}, 0, []string{"esc.png", "esc.svg"}},
		{"a path down", nil, [][2]string{{"sub.json", sweep("a/b", points)}}, 0, []string{"sub.png", "sub.svg"}},
		{"no name", nil, [][2]string{{"anon.json", sweep("", points)}}, 0, []string{"anon.png", "anon.svg"}},
		{"hidden", nil, [][2]string{{"h.json", sweep(".x", points)}}, 0, []string{"h.png", "h.svg"}},
		{"dot dot", nil, [][2]string{{"up.json", sweep("..", points)}}, 0, []string{"up.png", "up.svg"}},
		{"two kernels", nil, [][2]string{{"a.json", sweep("Sum", points)}, {"b.json", sweep("Dot", points)}}, 0,
			[]string{"dot.png", "dot.svg", "sum.png", "sum.svg"}},
		{"the same kernel twice", nil, [][2]string{{"a.json", sweep("Sum", points)}, {"b.json", sweep("sum", points)}}, 2, nil},
		{"a kernel and a file of its name", nil, [][2]string{{"sum.json", sweep("", points)}, {"b.json", sweep("Sum", points)}}, 2, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			out := filepath.Join(root, "out")
			args := append([]string{"plot", "-out", out}, c.flags...)
			var made []string
			for _, in := range c.inputs {
				file := filepath.Join(root, in[0])
				if err := os.WriteFile(file, []byte(in[1]), 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, file)
				made = append(made, in[0])
			}
			var stdout, stderr bytes.Buffer
			if code := run(args, &stdout, &stderr); code != c.code {
				t.Errorf("exited %d, want %d: %s", code, c.code, stderr.String())
			}
			if got, want := names(t, root), slices.Sorted(slices.Values(append(made, "out"))); !slices.Equal(got, want) {
				t.Errorf("files beside -out: %v, want %v", got, want)
			}
			if got := names(t, out); !slices.Equal(got, c.plots) {
				t.Errorf("files in -out: %v, want %v", got, c.plots)
			}
		})
	}
}

// names returns the names of the files in dir, sorted.
func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ns []string
	for _, e := range es {
		ns = append(ns, e.Name())
	}
	return ns
}

// TestSweepPlotFails keeps the measurements of a sweep whose plot cannot
// be written: the table is printed, and the exit status says the plot
// failed.
func TestSweepPlotFails(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "sum.svg"), 0o755); err != nil { // in the plot's way
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run([]string{"sweep", "-kernel", "sum", "-sizes", "16,32", "-count", "1", "-time", "1ms", "-out", dir}, &out, &errb)
	if code != 1 || !strings.Contains(out.String(), "| Pure Go ") || !strings.Contains(errb.String(), "sum.svg") {
		t.Errorf("sweep with its plot's file a directory exited %d, want 1 with the table printed; stdout %q, stderr %q", code, out.String(), errb.String())
	}
}
