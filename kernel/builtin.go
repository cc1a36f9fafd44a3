package kernel

import (
	"fmt"

	"github.com/zerocall/zerocall/internal/args"
	"github.com/zerocall/zerocall/internal/errs"
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
		Check:   checkFIR,
	}
	// MatMul: c = a·b for m×m row-major matrices.
	MatMul = &Kernel{
		Name:    "matmul",
		Buffers: []Buffer{{"a", Float64, In}, {"b", Float64, In}, {"c", Float64, Out}},
		Ints:    []string{"m"},
		Check:   checkMatMul,
	}
)

// The built-ins' Check functions build an error only when a call fails;
// each names the kernel, the buffers and the numbers.

func checkDot(a Args) error {
	if a.Len[0] != a.Len[1] {
		return fmt.Errorf("%w: kernel dot: x has %d elements and y %d", errs.Length, a.Len[0], a.Len[1])
	}
	return nil
}

func checkAxpy(a Args) error {
	if a.Len[1] != a.Len[0] {
		return fmt.Errorf("%w: kernel axpy: x has %d elements and y %d", errs.Length, a.Len[0], a.Len[1])
	}
	if a.Len[2] < a.Len[0] {
		return fmt.Errorf("%w: kernel axpy: out has %d elements, fewer than the %d of x", errs.Length, a.Len[2], a.Len[0])
	}
	return nil
}

func checkFIR(a Args) error {
	n, k := a.Len[0], a.Len[1]
	if k < 1 || k > n {
		return fmt.Errorf("%w: kernel fir: %d taps for %d inputs; it takes 1 to the number of inputs", errs.Argument, k, n)
	}
	if a.Len[2] < n-k+1 {
		return fmt.Errorf("%w: kernel fir: out has %d elements, fewer than the %d outputs", errs.Length, a.Len[2], n-k+1)
	}
	return nil
}

func checkMatMul(a Args) error {
	m := a.I[0]
	mm, err := args.Square(int(m))
	if m > int64(^uint(0)>>1) || err != nil {
		return fmt.Errorf("%w: kernel matmul: order %d; it must be at least 0, with m·m an int", errs.Argument, m)
	}
	if a.Len[0] < mm || a.Len[1] < mm || a.Len[2] < mm {
		return fmt.Errorf("%w: kernel matmul: a, b and c have %d, %d and %d elements, and order %d needs %d",
			errs.Length, a.Len[0], a.Len[1], a.Len[2], m, mm)
	}
	return nil
}
