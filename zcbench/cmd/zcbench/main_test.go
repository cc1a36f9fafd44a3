package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
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
		{"sweep", "-kernel", "nope"},
		{"sweep", "-sizes", "1,x"},
		{"sweep", "-sizes", "100"},
		{"sweep", "-kernel", "fir", "-sizes", "1,100"},
		{"plot"},
		{"plot", "-bogus", "x.json"},
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
}

// TestBench runs a short real bench and checks that every implementation
// has its row.
func TestBench(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"bench", "-n", "1000", "-count", "1", "-time", "2ms"}, &out, &errb); code != 0 {
		t.Fatalf("bench exited %d: %s", code, errb.String())
	}
	_, o, release, _ := benchmark(kernel.Sum)
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
	if code := run([]string{"bench", "-parallel", "-kernel", "matmul", "-n", "8", "-threads", "1,2", "-count", "1", "-time", "2ms"}, &out, &errb); code != 0 {
		t.Fatalf("bench -parallel exited %d: %s", code, errb.String())
	}
	for _, want := range []string{"MatMul of 8, goroutines sharing it", "| Pure Go ", "| cgo straight ", "| cgo shared ", "| cgo pool ",
		"| cgo owned ", "| wazero shared ", "| wazero pool ", "| wazero owned ", "| wasmtime shared ", "| wasmtime pool ",
		"| wasmtime owned ", "2 goroutines", "Scaling 1→2", "cpu: "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in:\n%s", want, out.String())
		}
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
	_, o, release, _ := benchmark(kernel.Dot)
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
