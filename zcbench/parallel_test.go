package zcbench_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zerocall/zerocall/internal/testkernel"
	"github.com/zerocall/zerocall/internal/testkernel/ckernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/zcbench"
)

// TestFuncParallel measures the thread-safety options of a user kernel,
// through cgo and on wazero as another host, at 1 and 2 goroutines, and
// checks the table: every option, calls counted, no allocations, and
// JSON and benchmark lines that parse.
func TestFuncParallel(t *testing.T) {
	s := saxpySpec(t)
	f, err := native.NewFunc(testkernel.Saxpy, ckernel.Pointer())
	if err != nil {
		t.Fatal(err)
	}
	lib, err := wasm.Load(testkernel.Module(), wasm.LoadConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	wf, err := lib.Func(testkernel.Saxpy, testkernel.Export)
	if err != nil {
		t.Fatal(err)
	}
	impls := zcbench.FuncParallel(f, saxpyGo, saxpyInputs, zcbench.ParallelHost{Name: "wasm-", Label: "wazero",
		New: func(caps []int) (zcbench.Handle, error) { return wf.Handle(zerocall.Module, caps...) }})
	want := []string{"go", "straight", "shared", "pool", "owned", "wasm-shared", "wasm-pool", "wasm-owned"}
	var names []string
	for _, im := range impls {
		names = append(names, im.Name)
	}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Fatalf("options %v, want %v", names, want)
	}
	tab, err := zcbench.Parallel(s.Kernel, impls, 100, []int{1, 2}, 2, 5*time.Millisecond, new(bytes.Buffer))
	if err != nil {
		t.Fatal(err)
	}
	// Allocations are counted for the whole process over 100 calls, so
	// the runtime's own (a GC's, under -race or emulation) may show as a
	// fraction; an allocation per call shows as 1.
	for _, r := range tab.Rows {
		if len(r.Ns) != 2 || r.Ns[0] <= 0 || r.CallsPerSec[1] <= 0 || r.Scaling <= 0 || (r.Allocs >= 0.5 && !raceEnabled) {
			t.Errorf("%s: %+v", r.Impl, r)
		}
	}
	var md bytes.Buffer
	tab.Markdown(&md)
	for _, want := range []string{"cpu: ", "| cgo shared ", "| wazero owned ", "2 goroutines", "Scaling 1→2"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("no %q in:\n%s", want, md.String())
		}
	}
	var js bytes.Buffer
	if err := json.NewEncoder(&js).Encode(tab); err != nil {
		t.Fatal(err)
	}
	var back zcbench.ParallelTable
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back.Rows) != len(tab.Rows) {
		t.Errorf("JSON round trip: %v", err)
	}
	var bf bytes.Buffer
	tab.Benchfmt(&bf)
	if lines := benchLines(t, &bf, "Parallel/Saxpy/n=100/impl="); lines != 2*2*len(impls) {
		t.Errorf("%d benchmark lines, want %d", lines, 2*2*len(impls))
	}
}

// TestParallelFails reports an option whose call fails, and refuses
// nonsense.
func TestParallelFails(t *testing.T) {
	bad := errors.New("bad call")
	impls := []zcbench.ParallelImpl{{Name: "bad", Prepare: func(int) (func() (func() error, func(), error), func(), error) {
		return func() (func() error, func(), error) { return func() error { return bad }, nil, nil }, nil, nil
	}}}
	if _, err := zcbench.Parallel("K", impls, 1, []int{1}, 1, time.Millisecond, new(bytes.Buffer)); !errors.Is(err, bad) {
		t.Errorf("a failing call: %v", err)
	}
	if _, err := zcbench.Parallel("K", impls, 1, []int{0}, 1, time.Millisecond, new(bytes.Buffer)); err == nil {
		t.Error("0 goroutines: no error")
	}
}
