package main

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/suite"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/wasm/embed"
	"github.com/zerocall/zerocall/wasmtime"
	"github.com/zerocall/zerocall/zcbench"
)

// parallelImpls returns the thread-safety options for built-in kernel k:
// pure Go, then through cgo the straight pass, one shared handle, a
// pool and a handle per goroutine, then the last three on wazero and on
// Wasmtime (the SIMD module). close releases the modules.
func parallelImpls(k suite.Kernel) (impls []zcbench.ParallelImpl, close func(), err error) {
	desc := k.Description()
	f, err := native.Builtin(desc, zerocall.Auto)
	if err != nil {
		return nil, nil, err
	}
	wz, err := wasm.Load(embed.Bytes(zerocall.SIMD128), wasm.LoadConfig{})
	if err != nil {
		return nil, nil, err
	}
	wt, err := wasmtime.Load(embed.Bytes(zerocall.SIMD128), wasm.LoadConfig{})
	if err != nil {
		wz.Close()
		return nil, nil, err
	}
	close = func() { wz.Close(); wt.Close() }
	wf, err := wz.Func(desc, desc.Name)
	if err == nil {
		var tf *wasmtime.Func
		if tf, err = wt.Func(desc, desc.Name); err == nil {
			in := func(n int) ([]kernel.Slice, kernel.Args) { return suite.NewInputs(k, n).Slices() }
			return zcbench.FuncParallel(f, suite.GoFunc(k), in,
				zcbench.ParallelHost{Name: "wasm-", Label: "wazero", New: func(caps []int) (zcbench.Handle, error) {
					return wf.Handle(zerocall.Module, caps...)
				}},
				zcbench.ParallelHost{Name: "wasmtime-", Label: "wasmtime", New: func(caps []int) (zcbench.Handle, error) {
					return tf.Handle(zerocall.Module, caps...)
				}},
			), close, nil
		}
	}
	close()
	return nil, nil, err
}

// defaultThreads returns 1, 2, 4, ... up to GOMAXPROCS, and GOMAXPROCS.
func defaultThreads() []int {
	p := runtime.GOMAXPROCS(0)
	var ts []int
	for g := 1; g < p; g *= 2 {
		ts = append(ts, g)
	}
	return append(ts, p)
}

// parseThreads parses -threads.
func parseThreads(s string) ([]int, error) {
	if s == "" {
		return defaultThreads(), nil
	}
	var ts []int
	for _, f := range strings.Split(s, ",") {
		g, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || g < 1 {
			return nil, fmt.Errorf("%w: -threads: %q is not a count of goroutines", errUsage, f)
		}
		ts = append(ts, g)
	}
	return ts, nil
}
