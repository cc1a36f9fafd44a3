package main

import (
	"fmt"
	"io"

	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasmtime"
	"github.com/zerocall/zerocall/zcbench"
	"github.com/zerocall/zerocall/zctest"
)

// builtins are the kernels the command measures, cheapest first.
var builtins = []*kernel.Kernel{kernel.Sum, kernel.Dot, kernel.Axpy, kernel.FIR, kernel.MatMul}

// benchmark returns the benchmark kit's benchmark of built-in kernel k
// (zcbench.Builtin), with Wasmtime's rows beside wazero's. A host that
// fails to load is left out, and its error returned with the rest, after
// a line on stderr that says so: a table must not lose rows unseen.
// release unloads the modules.
func benchmark(k *kernel.Kernel, stderr io.Writer) (s zctest.Spec, o zcbench.Options, release func(), err error) {
	s, o, release, err = zcbench.Builtin(k, wasmtime.Engine)
	if err != nil {
		fmt.Fprintf(stderr, "zcbench: %v; its rows are left out\n", err)
	}
	return s, o, release, err
}
