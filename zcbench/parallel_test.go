//go:build cgo

package zcbench_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/zcbench"
	"github.com/zerocall/zerocall/zctest"
)

// TestParallel measures the thread-safety options of a user kernel,
// through cgo and on wazero, at 1 and 2 goroutines, asked for out of
// order and one twice, and checks the table: the counts rising and once
// each, every option, calls counted, no allocations, and JSON and
// benchmark lines that parse.
func TestParallel(t *testing.T) {
	s := saxpySpec(t)
	s.Also = []zctest.Func{wasmFunc(t)}
	threads := []int{2, 1, 2}
	tab, err := zcbench.Parallel(s, zcbench.Options{Name: "Saxpy", N: 100, Threads: threads, Count: 2, Time: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tab.Threads, []int{1, 2}) || !slices.Equal(threads, []int{2, 1, 2}) {
		t.Errorf("goroutines %v, want [1 2], from the caller's %v, unchanged", tab.Threads, threads)
	}
	want := []string{"go", "straight", "shared", "pool", "owned", "wasm-shared", "wasm-pool", "wasm-owned"}
	var names []string
	for _, r := range tab.Rows {
		names = append(names, r.Impl)
	}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Fatalf("options %v, want %v", names, want)
	}
	// Allocations are counted for the whole process over 100 calls, so
	// the runtime's own (a GC's, under -race or emulation) may show as a
	// fraction; an allocation per call shows as 1.
	for _, r := range tab.Rows {
		if len(r.Ns) != 2 || r.Ns[0] <= 0 || r.CallsPerSec[1] <= 0 || r.Scaling <= 0 || (r.Allocs >= 0.5 && !raceEnabled) {
			t.Errorf("%s: %+v", r.Impl, r)
		}
	}
	md := []string{"cpu: ", "| cgo straight ", "| cgo shared ", "| wazero owned ", "2 goroutines", "Scaling 1→2"}
	if n := checkRendered(t, tab, new(zcbench.ParallelTable), md, "Parallel/Saxpy/n=100/impl="); n != 2*2*len(want) {
		t.Errorf("%d benchmark lines, want %d", n, 2*2*len(want))
	}
}

// TestParallelFails refuses an option whose first call is wrong, and
// nonsense.
func TestParallelFails(t *testing.T) {
	s := saxpySpec(t)
	s.Ref = func(a *kernel.Args, b []kernel.Slice) kernel.Return {
		r := testkernel.Ref(a, b)
		kernel.Elems[float32](b[2])[0]++
		return r
	}
	o := zcbench.Options{N: 10, Threads: []int{1}, Count: 1, Time: time.Millisecond}
	if _, err := zcbench.Parallel(s, o); err == nil || !strings.Contains(err.Error(), "the Go version (Ref)") {
		t.Errorf("a wrong call: %v", err)
	}
	s = saxpySpec(t)
	o.Threads = []int{0}
	if _, err := zcbench.Parallel(s, o); err == nil {
		t.Error("0 goroutines: no error")
	}
	if _, err := zcbench.Parallel(zctest.Spec{}, o); err == nil {
		t.Error("no Func: no error")
	}
}
