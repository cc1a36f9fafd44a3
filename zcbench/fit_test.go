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
		// 40 + 0.125w < 3 + 0.25w from w > 296; < 2 + w from w > 43.4.
		{"cgo-like", model{PerCall: 40, PerUnit: 0.125}, "n ≥ 296"},
		{"slower per element", model{PerCall: 40, PerUnit: 0.5}, "never in range"},
		{"cheaper everywhere", model{PerCall: 1, PerUnit: 0.1}, "always in range"},
		{"same slope, dearer call", model{PerCall: 5, PerUnit: 0.25}, "never in range"},
		// 0.5 + 0.3w < 3 + 0.25w below w = 50 (and < 2 + w always).
		{"cheap call, dear element", model{PerCall: 0.5, PerUnit: 0.3}, "n ≤ 50 only"},
		{"crosses past the range", model{PerCall: 1e6, PerUnit: 0.01}, "never in range"},
	} {
		got, _ := crossoverOf(tc.f, []model{goNaive, goFast}).within(1, 1e6, id)
		if got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
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
}

// TestFamilyOf groups the rows' names into the plot's families.
func TestFamilyOf(t *testing.T) {
	for name, want := range map[string]string{
		"go": familyGo, "go-unrolled": familyGo, "cgo-simd": familyCgo, "straight": familyCgo, "cgo-pinned-inplace": familyCgo,
		"wasm-inplace": familyWazero, "wazero-module-copy": familyWazero, "wasmtime-simd": familyWasmtime,
		"cgo-batch": familyBatched, "wasmtime-batch": familyBatched, "wazero-module-batch": familyBatched,
		"asm": familyAsm, "asm-scalar": familyAsm, "asm-2": familyAsm,
	} {
		if got := familyOf(name); got != want {
			t.Errorf("familyOf(%q) = %q, want %q", name, got, want)
		}
	}
}
