package kernel

import (
	"fmt"

	"github.com/zerocall/zerocall/internal/args"
)

// The built-in kernels, on float64, as the C library implements them in
// every variant (native/zerocall.h). Their Check functions hold the rules
// the methods of zerocall.Instance document.
var (
	// Sum: result = x[0] + ... + x[n-1].
	Sum = &Kernel{
		Name:    "sum",
		Buffers: []Buffer{{"x", Float64, In}},
		Result:  Float,
	}
	// Dot: result = Σ x[i]·y[i]; x and y of one length.
	Dot = &Kernel{
		Name:    "dot",
		Buffers: []Buffer{{"x", Float64, In}, {"y", Float64, In}},
		Result:  Float,
		Check:   checkDot,
	}
	// Axpy: out[i] = a·x[i] + y[i] for i < len(x).
	Axpy = &Kernel{
		Name:    "axpy",
		Buffers: []Buffer{{"x", Float64, In}, {"y", Float64, In}, {"out", Float64, Out}},
		Floats:  []string{"a"},
		Check:   checkAxpy,
	}
	// FIR: out[i] = Σ_{j<k} taps[j]·x[i+j], k = len(taps), returning the
	// n-k+1 outputs it writes.
	FIR = &Kernel{
		Name:    "fir",
		Buffers: []Buffer{{"x", Float64, In}, {"taps", Float64, In}, {"out", Float64, Out}},
		Result:  Count,
		CountOf: 2,
		NoAlias: true, // as the typed calls have it
		Check:   checkFIR,
	}
	// MatMul: c = a·b for m×m row-major matrices.
	MatMul = &Kernel{
		Name:    "matmul",
		Buffers: []Buffer{{"a", Float64, In}, {"b", Float64, In}, {"c", Float64, Out}},
		Ints:    []string{"m"},
		NoAlias: true, // c is written while a and b are still read
		Check:   checkMatMul,
	}
)

// The built-ins' Check functions run the length rules of internal/args,
// the ones every typed call of the built-ins runs, and add the numbers of
// the call to the error; they build it only when a call fails.

func checkDot(a *Args) error {
	if err := args.DotLens(a.Len[0], a.Len[1]); err != nil {
		return fmt.Errorf("%w (x has %d elements, y %d)", err, a.Len[0], a.Len[1])
	}
	return nil
}

func checkAxpy(a *Args) error {
	if err := args.AxpyLens(a.Len[0], a.Len[1], a.Len[2]); err != nil {
		return fmt.Errorf("%w (x has %d elements, y %d, out %d)", err, a.Len[0], a.Len[1], a.Len[2])
	}
	return nil
}

func checkFIR(a *Args) error {
	if _, err := args.FIRLens(a.Len[0], a.Len[1], a.Len[2]); err != nil {
		return fmt.Errorf("%w (%d inputs, %d taps, out has %d elements)", err, a.Len[0], a.Len[1], a.Len[2])
	}
	return nil
}

func checkMatMul(a *Args) error {
	m := a.I[0]
	if m != int64(int(m)) {
		m = -1 // past an int: refused as a negative order is
	}
	if _, err := args.MatMulLens(int(m), a.Len[0], a.Len[1], a.Len[2]); err != nil {
		return fmt.Errorf("%w (order %d; a, b and c have %d, %d and %d elements)", err, a.I[0], a.Len[0], a.Len[1], a.Len[2])
	}
	return nil
}
