package kernel

import (
	"github.com/zerocall/zerocall/internal/args"
	"github.com/zerocall/zerocall/internal/errs"
)

// The built-in kernels, on float64, as the C library implements them in
// every variant (native/zerocall.h). Their Check functions hold the rules
// the typed methods of zerocall.Kernels document.
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

// Builtins are the built-in kernels, in the order of the C library's
// frame functions (zcg_frame_fn in native/zc_go.h).
var Builtins = []*Kernel{Sum, Dot, Axpy, FIR, MatMul}

func init() {
	for _, k := range Builtins {
		if err := Register(k); err != nil {
			panic(err)
		}
	}
}

func checkDot(a Args) error {
	if a.Len[0] != a.Len[1] {
		return errs.Length
	}
	return nil
}

func checkAxpy(a Args) error {
	if a.Len[1] != a.Len[0] || a.Len[2] < a.Len[0] {
		return errs.Length
	}
	return nil
}

func checkFIR(a Args) error {
	n, k := a.Len[0], a.Len[1]
	if k < 1 || k > n {
		return errs.Argument
	}
	if a.Len[2] < n-k+1 {
		return errs.Length
	}
	return nil
}

func checkMatMul(a Args) error {
	if a.I[0] > int64(^uint(0)>>1) {
		return errs.Argument
	}
	mm, err := args.Square(int(a.I[0]))
	if err != nil {
		return err
	}
	if a.Len[0] < mm || a.Len[1] < mm || a.Len[2] < mm {
		return errs.Length
	}
	return nil
}
