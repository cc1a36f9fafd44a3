package zcbench

import (
	"testing"
)

func TestCrossover(t *testing.T) {
	id := func(w float64) float64 { return w }
	goNaive := model{PerCall: 2, PerUnit: 1}
	goFast := model{PerCall: 3, PerUnit: 0.25}
	for _, tc := range []struct {
		name string
		f    model
		want string
	}{
		// 40 + 0.125w < 3 + 0.25w from w > 296 (a tie at 296); < 2 + w
		// from w > 43.4.
		{"cgo-like", model{PerCall: 40, PerUnit: 0.125}, "n ≥ 297"},
		{"slower per element", model{PerCall: 40, PerUnit: 0.5}, "never in range"},
		{"cheaper everywhere", model{PerCall: 1, PerUnit: 0.1}, "always in range"},
		{"same slope, dearer call", model{PerCall: 5, PerUnit: 0.25}, "never in range"},
		// 0.5 + 0.375w < 3 + 0.25w below w = 20 (a tie at 20; and < 2 + w
		// always).
		{"cheap call, dear element", model{PerCall: 0.5, PerUnit: 0.375}, "n ≤ 19 only"},
		{"crosses past the range", model{PerCall: 1e6, PerUnit: 0.01}, "never in range"},
		// 2.6 + 0.5w < 2 + w from w > 1.2, < 3 + 0.25w below w = 1.6: no
		// whole size between.
		{"faster between two sizes", model{PerCall: 2.6, PerUnit: 0.5}, "never in range"},
	} {
		got, beats := crossoverOf(tc.f, []model{goNaive, goFast}).within(1, 1e6, id)
		if got != tc.want || beats != (tc.want != "never in range") {
			t.Errorf("%s: %s (beats %v), want %s", tc.name, got, beats, tc.want)
		}
	}
}

// TestSummarise checks that one spoiled run moves neither the median nor
// the spread much.
func TestSummarise(t *testing.T) {
	var ss []sample
	for _, ns := range []float64{100, 102, 98, 101, 99, 2000, 100} {
		ss = append(ss, sample{iters: 1, ns: ns})
	}
	st := summarise(ss)
	if st.median != 100 || st.spread > 0.02 {
		t.Errorf("summarise = %+v, want median 100 and spread ≤ 2%%", st)
	}
	// The runtime's own allocation in a run of one call is not the
	// call's; one in every run is.
	if st := summarise([]sample{{iters: 1, ns: 1, allocs: 1}, {iters: 283, ns: 1}}); st.allocs != 0 {
		t.Errorf("an allocation in one run of one call: %v per call, want 0", st.allocs)
	}
	if st := summarise([]sample{{iters: 1, ns: 1, allocs: 1}, {iters: 283, ns: 1, allocs: 1}}); st.allocs != 1 {
		t.Errorf("an allocation in every run: %v per call, want 1", st.allocs)
	}
}

// TestFamilyOf groups the rows into the plot's families: the pure-Go
// ones whatever their names, the others by name.
func TestFamilyOf(t *testing.T) {
	for name, want := range map[string]string{
		"cgo-simd": familyCgo, "straight": familyCgo, "cgo-pinned-inplace": familyCgo, "go-fast-c": familyCgo,
		"wasm-inplace": familyWazero, "wazero-module-copy": familyWazero, "wasmtime-simd": familyWasmtime,
		"cgo-batch": familyBatched, "wasmtime-batch": familyBatched, "wazero-module-batch": familyBatched,
		"asm": familyAsm, "asm-scalar": familyAsm, "asm-2": familyAsm,
	} {
		if got := familyOf(Impl{Name: name}); got != want {
			t.Errorf("familyOf(%q) = %q, want %q", name, got, want)
		}
	}
	for _, name := range []string{"go", "go-unrolled", "naive", "asm-in-go"} {
		if got := familyOf(Impl{Name: name, Go: true}); got != familyGo {
			t.Errorf("familyOf(%q, pure Go) = %q, want %q", name, got, familyGo)
		}
	}
}

// TestFitRange checks that the crossovers of a sweep do not depend on
// the order of its points: the measured range is their least and most
// work, wherever they lie (Options.Sizes may come in any order).
func TestFitRange(t *testing.T) {
	line := func(perCall, perUnit float64, ns []int) []Point {
		ps := make([]Point, len(ns))
		for i, n := range ns {
			ps[i] = Point{N: n, Ns: perCall + perUnit*float64(n)}
		}
		return ps
	}
	var want string
	for _, ns := range [][]int{{100, 1000, 10000}, {10000, 100, 1000}, {10000, 1000, 100}, {1000, 10000, 100}} {
		r := &Result{o: Options{}.defaults(), Curves: []Curve{
			{Impl: "go", Go: true, Points: line(2000, 20, ns)},
			{Impl: "cgo", Points: line(20500, 2, ns)}, // cheaper from n = 1027.8
		}}
		r.fit()
		got := r.Curves[1].Crossover
		if want == "" {
			want = got
		}
		if got != want || !r.Curves[1].Beats {
			t.Errorf("sizes %v: crossover %q (beats %v), want %q as for rising sizes", ns, got, r.Curves[1].Beats, want)
		}
	}
	if want != "n ≥ 1028" {
		t.Errorf("crossover %q, want n ≥ 1028", want)
	}
}
