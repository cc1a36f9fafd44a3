//go:build cgo

package zcbench_test

import (
	"fmt"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/zcbench"
	"github.com/zerocall/zerocall/zctest"
)

// axpyGo is the Go version of the built-in axpy: out = a·x + y.
func axpyGo(a *kernel.Args, b []kernel.Slice) kernel.Return {
	f64 := kernel.Elems[float64]
	x, y, out := f64(b[0]), f64(b[1]), f64(b[2])
	for i := range x {
		out[i] = a.F[0]*x[i] + y[i]
	}
	return kernel.Return{}
}

// A kernel's Func (here the built-in axpy through cgo, as any C function
// of yours in the calling convention would be) and its Go version,
// described as for zctest, measured on every path its host has. Each
// row's first call is checked against the Go version before it is timed.
func Example() {
	f, err := native.Builtin(kernel.Axpy, zerocall.Auto)
	if err != nil {
		fmt.Println(err)
		return
	}
	s := zctest.Spec{
		Func: f,
		Ref:  axpyGo,
		// a = 2: a·x is exact, so C and Go agree to the bit.
		Args: func(int) kernel.Args { return kernel.Args{F: [kernel.MaxScalars]float64{2}} },
	}
	t, err := zcbench.Bench(s, zcbench.Options{Name: "Axpy", N: 1000, Count: 1, Time: time.Millisecond})
	if err != nil {
		fmt.Println(err)
		return
	}
	// t.Markdown(os.Stdout) prints the table, for people; the rows:
	for _, c := range t.Curves {
		fmt.Printf("%-22s %s\n", c.Impl, c.Label)
	}
	// Output:
	// go                     Pure Go
	// cgo-straight           cgo straight
	// cgo-direct             cgo pin per call
	// cgo-prealloc           cgo pinned copy
	// cgo-owned              cgo pinned in-place
	// cgo-batch              cgo pinned batched
	// cgo-cowned-copy        cgo C-owned copy
	// cgo-cowned             cgo C-owned in-place
	// cgo-cowned-batch       cgo C-owned batched
}
