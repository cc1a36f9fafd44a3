package zcbench_test

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/perf/benchfmt"

	"github.com/zerocall/zerocall/internal/testkernel"
	"github.com/zerocall/zerocall/internal/testkernel/ckernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/zcbench"
)

// saxpyInputs are the test kernel's inputs of size n.
func saxpyInputs(n int) ([]kernel.Slice, kernel.Args) {
	x, y := make([]float32, n), make([]float32, n)
	for i := range x {
		x[i], y[i] = float32(i%7)-3, float32(i%5)/4
	}
	a := kernel.Args{F: [kernel.MaxScalars]float64{1.5}}
	return []kernel.Slice{kernel.SliceOf(x), kernel.SliceOf(y), kernel.SliceOf(make([]float32, n))}, a
}

// saxpyGo is the test kernel's Go version.
func saxpyGo(a *kernel.Args, b []kernel.Slice) kernel.Return {
	return kernel.Return{N: int64(testkernel.Go(float32(a.F[0]), unsafeF32(b[0]), unsafeF32(b[1]), unsafeF32(b[2])))}
}

// saxpySpec measures the test kernel, a user-style float32 scale-and-add,
// on every path FuncImpls gives it.
func saxpySpec(t *testing.T) zcbench.Spec {
	f, err := native.NewFunc(testkernel.Saxpy, ckernel.Pointer())
	if err != nil {
		t.Fatal(err)
	}
	return zcbench.Spec{Kernel: "Saxpy", Impls: zcbench.FuncImpls(f, saxpyGo, saxpyInputs, zcbench.CheckFloat(testkernel.Saxpy, 0))}
}

// TestFuncImplsBench measures a user kernel on every path and checks the
// table: a row for each, no allocations, a machine line, and JSON and
// benchmark lines that parse.
func TestFuncImplsBench(t *testing.T) {
	s := saxpySpec(t)
	var progress bytes.Buffer
	tab, err := zcbench.Bench(s, 1000, 2, 2*time.Millisecond, &progress)
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != len(s.Impls) {
		t.Fatalf("%d rows, want %d", len(tab.Rows), len(s.Impls))
	}
	for _, r := range tab.Rows {
		// Allocation counts are not exact under the race detector.
		if (r.Allocs != 0 && !raceEnabled) || r.Ns <= 0 {
			t.Errorf("%s: %v ns, %v allocs per call", r.Impl, r.Ns, r.Allocs)
		}
	}
	var md bytes.Buffer
	tab.Markdown(&md, "")
	for _, want := range []string{"cpu: ", "| Pure Go ", "| cgo in-place ", "| C-owned in-place ", "Saxpy of 1000 elements"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("no %q in:\n%s", want, md.String())
		}
	}
	var js bytes.Buffer
	if err := json.NewEncoder(&js).Encode(tab); err != nil {
		t.Fatal(err)
	}
	var back zcbench.Table
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back.Rows) != len(tab.Rows) {
		t.Errorf("JSON round trip: %v, %d rows", err, len(back.Rows))
	}
	var bf bytes.Buffer
	tab.Benchfmt(&bf)
	if n := benchLines(t, &bf, "Saxpy/n=1000/impl="); n != 2*len(s.Impls) {
		t.Errorf("%d benchmark lines, want %d", n, 2*len(s.Impls))
	}
}

// TestFuncImplsSweep sweeps a user kernel, fits it and plots it.
func TestFuncImplsSweep(t *testing.T) {
	s := saxpySpec(t)
	res, err := zcbench.Sweep(s, []int{16, 4096}, 1, time.Millisecond, new(bytes.Buffer))
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
	dir := t.TempDir()
	files, err := res.Plot(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"saxpy.svg", "saxpy.png"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v (wrote %v)", f, err, files)
		}
	}
	// The families' legend entries, all of them, then the best of each.
	svg, err := os.ReadFile(filepath.Join(dir, "saxpy.svg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"pure Go: Pure Go", "cgo: cgo straight", "cgo: C-owned in-place", "batched: cgo batched"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("the plot's legend has no %q", want)
		}
	}
	best := t.TempDir()
	if _, err := res.Plot(best, zcbench.PlotOptions{BestOfFamily: true}); err != nil {
		t.Fatal(err)
	}
	svg, err = os.ReadFile(filepath.Join(best, "saxpy.svg"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(svg), "best "); n != 3 {
		t.Errorf("%d legend entries of a best of family, want 3 (pure Go, cgo, batched)", n)
	}
}

// TestFamilyOf groups the implementations' names into the plot's
// families.
func TestFamilyOf(t *testing.T) {
	for name, want := range map[string]string{
		"go": zcbench.FamilyGo, "go-unrolled": zcbench.FamilyGo, "cgo-simd": zcbench.FamilyCgo, "straight": zcbench.FamilyCgo,
		"wasm-inplace": zcbench.FamilyWazero, "wazero-copy": zcbench.FamilyWazero, "wasmtime-simd": zcbench.FamilyWasmtime,
		"cgo-batch": zcbench.FamilyBatched, "wasmtime-batch": zcbench.FamilyBatched,
		"asm": zcbench.FamilyAsm, "asm-scalar": zcbench.FamilyAsm,
	} {
		if got := zcbench.FamilyOf(name); got != want {
			t.Errorf("FamilyOf(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestCheckCatches gives FuncImpls a Go version that disagrees with the C
// kernel: preparing any foreign path must fail, not time a wrong answer.
func TestCheckCatches(t *testing.T) {
	s := saxpySpec(t)
	bad := zcbench.FuncImpls(mustFunc(t), func(a *kernel.Args, b []kernel.Slice) kernel.Return {
		out := unsafeF32(b[2])
		for i := range out {
			out[i] = 42
		}
		return kernel.Return{N: int64(len(out))}
	}, func(n int) ([]kernel.Slice, kernel.Args) {
		return []kernel.Slice{kernel.SliceOf(make([]float32, n)), kernel.SliceOf(make([]float32, n)), kernel.SliceOf(make([]float32, n))}, kernel.Args{}
	}, zcbench.CheckFloat(testkernel.Saxpy, 0))
	s.Impls = bad
	if _, err := zcbench.Bench(s, 100, 1, time.Millisecond, new(bytes.Buffer)); err == nil || !strings.Contains(err.Error(), "differs") {
		t.Errorf("Bench with a wrong Go version: err = %v, want a check failure", err)
	}
}

func mustFunc(t *testing.T) *native.Func {
	f, err := native.NewFunc(testkernel.Saxpy, ckernel.Pointer())
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// benchLines parses Go benchmark lines with the reader benchstat uses,
// checks that every name starts with prefix, and returns their number.
func benchLines(t *testing.T, r io.Reader, prefix string) int {
	t.Helper()
	n := 0
	for br := benchfmt.NewReader(r, "bench"); br.Scan(); {
		switch rec := br.Result().(type) {
		case *benchfmt.Result:
			if !strings.HasPrefix(string(rec.Name.Full()), prefix) {
				t.Errorf("benchmark name %s, want %s...", rec.Name.Full(), prefix)
			}
			n++
		case *benchfmt.SyntaxError:
			t.Error(rec)
		}
	}
	return n
}
