package kerneltest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/measure"
)

// FuzzTarget is one backend and path under differential fuzzing.
type FuzzTarget struct {
	Name     string
	Path     Path
	Capacity int // 0: no buffers
	Taps     int // the most taps, where Capacity is not 0
}

// FuzzTargets returns a target for each path of k.
func FuzzTargets(name string, k measure.Kernels, capacity, taps int) []FuzzTarget {
	var ts []FuzzTarget
	for _, p := range Paths(k) {
		ts = append(ts, FuzzTarget{Name: name + "/" + p.Name, Path: p, Capacity: capacity, Taps: taps})
	}
	return ts
}

// FuzzSeeds adds the seed inputs of a FuzzKernels target: raw float64
// bits, a misalignment, fir taps and a matmul order, as Fuzz takes them.
func FuzzSeeds(f *testing.F) {
	le := func(vs ...float64) []byte {
		var b []byte
		for _, v := range vs {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
		return b
	}
	f.Add(le(1, 2, 3, 4, 5, 6, 7, 8, 9), uint8(0), uint8(3), uint8(3))
	f.Add(le(math.NaN(), 1, math.Inf(1), 2, 3, -1, 4, 5e-324, 1e300, -1e300), uint8(1), uint8(2), uint8(2))
	f.Add(le(Data(200, 1)...), uint8(3), uint8(8), uint8(9))
	f.Add(le(Data(130, 2)...), uint8(2), uint8(9), uint8(8))
}

// Fuzz runs every kernel through every target on the inputs one fuzzing
// step gives and compares each result with the naive pure-Go reference
// under the documented error bound. raw gives the values, off a
// misalignment into them, and k and m the fir taps and matmul order.
func Fuzz(t *testing.T, targets []FuzzTarget, raw []byte, off, k, m uint8) {
	all := fuzzFloats(raw)
	x := all[min(int(off%4), len(all)):]
	n := len(x)
	y := make([]float64, n)
	for i := range y {
		y[i] = all[len(all)-1-i] // the same values, reversed and aligned differently
	}
	taps := y[:min(int(k%12)+1, n)]
	for _, tg := range targets {
		fuzzOne(t, tg, x, y, taps, int(m%10))
	}
}

// fuzzFloats reads raw as float64 bit patterns: every NaN, infinity,
// subnormal and magnitude can turn up.
func fuzzFloats(raw []byte) []float64 {
	x := make([]float64, len(raw)/8)
	for i := range x {
		x[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
	}
	return x
}

// comparable reports whether a reduction over terms has one right answer
// within the documented bound: no partial sum of finite terms can
// overflow, whatever the order of addition. NaN propagates regardless.
// nil terms (see products) are not comparable.
func comparable(terms []float64) bool {
	if terms == nil {
		return false
	}
	var abs float64
	for _, v := range terms {
		if math.IsNaN(v) {
			return true
		}
		if !math.IsInf(v, 0) {
			abs += math.Abs(v)
		}
	}
	return abs <= math.MaxFloat64/2
}

// fuzzOne runs the five kernels through one target. A kernel may refuse
// an input only with ErrCapacity, and only where the input does not fit
// the target's buffers; whatever it accepts must be right.
func fuzzOne(t *testing.T, tg FuzzTarget, x, y, taps []float64, m int) {
	n, k := len(x), len(taps)
	// refused reports whether err is the one refusal allowed for an input
	// of size elements (m·m for matmul): over capacity, where it streams
	// only on the copy path.
	refused := func(err error, size int, streams bool) bool {
		over := tg.Capacity > 0 && size > tg.Capacity && (tg.Path.InPlace || !streams)
		return over && errors.Is(err, zerocall.ErrCapacity)
	}
	fail := func(what string, err error) {
		t.Helper()
		t.Fatalf("%s: %s (n=%d k=%d m=%d): %v", tg.Name, what, n, k, m, err)
	}
	if got, err := tg.Path.Sum(x); err != nil {
		if !refused(err, n, true) {
			fail("Sum", err)
		}
	} else if comparable(x) {
		if err := CheckSum(x, got); err != nil {
			fail("Sum", err)
		}
	}
	if got, err := tg.Path.Dot(x, y); err != nil {
		if !refused(err, n, true) {
			fail("Dot", err)
		}
	} else if comparable(products(x, y)) {
		if err := CheckDot(x, y, got); err != nil {
			fail("Dot", err)
		}
	}
	out := make([]float64, n)
	if err := tg.Path.Axpy(-0.5, x, y, out); err != nil {
		if !refused(err, n, true) {
			fail("Axpy", err)
		}
	} else if err := CheckAxpy(-0.5, x, y, out); err != nil {
		fail("Axpy", err)
	}
	if k > 0 && k <= n {
		fout := make([]float64, n-k+1)
		if _, err := tg.Path.FIR(x, taps, fout); err != nil {
			if !refused(err, n, true) && !(tg.Capacity > 0 && k > tg.Taps && errors.Is(err, zerocall.ErrCapacity)) {
				fail("FIR", err)
			}
		} else {
			for i := range fout {
				if comparable(products(x[i:i+k], taps)) {
					if err := CheckFIR(x[i:i+k], taps, fout[i:i+1]); err != nil {
						fail(fmt.Sprintf("FIR output %d", i), err)
					}
				}
			}
		}
	}
	if m*m <= n {
		a, b := x[:m*m], y[:m*m]
		c := make([]float64, m*m)
		if err := tg.Path.MatMul(a, b, c, m); err != nil {
			if !refused(err, m*m, false) {
				fail("MatMul", err)
			}
		} else if matmulComparable(a, b, m) {
			if err := CheckMatMul(a, b, c, m); err != nil {
				fail("MatMul", err)
			}
		}
	}
}

// products returns x[i]·y[i], the terms of their dot product, or nil
// when a product of two finite factors overflows: a fused multiply-add
// keeps such a product exact, so it need not behave as the infinity the
// reference sees. NaN in a factor propagates either way.
func products(x, y []float64) []float64 {
	t := make([]float64, len(x))
	for i := range x {
		t[i] = x[i] * y[i]
		if math.IsInf(t[i], 0) && !math.IsInf(x[i], 0) && !math.IsInf(y[i], 0) && !hasNaN(x) && !hasNaN(y) {
			return nil
		}
	}
	return t
}

func hasNaN(x []float64) bool {
	for _, v := range x {
		if math.IsNaN(v) {
			return true
		}
	}
	return false
}

// matmulComparable reports whether every element of a·b is comparable.
func matmulComparable(a, b []float64, m int) bool {
	col := make([]float64, m)
	for i := range m {
		for j := range m {
			for p := range m {
				col[p] = b[p*m+j]
			}
			if !comparable(products(a[i*m:i*m+m], col)) {
				return false
			}
		}
	}
	return true
}
