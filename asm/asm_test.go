package asm_test

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/asm"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/asmkernel"
	"github.com/zerocall/zerocall/kernel"
)

// variants are the variants this machine runs, and Auto.
func variants(t *testing.T) []zerocall.Variant {
	vs := asm.Variants()
	if len(vs) == 0 {
		t.Skip("no variant on this architecture")
	}
	return append(vs, zerocall.Auto)
}

// TestKernels runs the shared table on every variant.
func TestKernels(t *testing.T) {
	for _, v := range variants(t) {
		t.Run(v.String(), func(t *testing.T) {
			kerneltest.Run(t, kerneltest.Target{New: func() (measure.Kernels, error) { return measure.Asm(v) }})
		})
	}
}

// TestSplit checks the calls split to bound their work (asm.Work): sizes
// past one call, every remainder of a block, odd rows and columns, and
// sub-slices that start one element past an aligned address.
func TestSplit(t *testing.T) {
	for _, v := range variants(t) {
		k, err := measure.Asm(v)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{asm.Work - 1, asm.Work, asm.Work + 1, 3*asm.Work + 17} {
			x, y := kerneltest.Data(n+1, 1)[1:], kerneltest.Data(n+1, 2)[1:]
			s, _ := k.Sum(x)
			if err := kerneltest.CheckSum(x, s); err != nil {
				t.Errorf("%s sum n=%d: %v", v, n, err)
			}
			d, _ := k.Dot(x, y)
			if err := kerneltest.CheckDot(x, y, d); err != nil {
				t.Errorf("%s dot n=%d: %v", v, n, err)
			}
			out := make([]float64, n+1)
			out[n] = 42
			if err := k.Axpy(-0.5, x, y, out[:n]); err != nil || out[n] != 42 {
				t.Fatalf("%s axpy n=%d: %v, canary %v", v, n, err, out[n])
			}
			if err := kerneltest.CheckAxpy(-0.5, x, y, out[:n]); err != nil {
				t.Errorf("%s axpy n=%d: %v", v, n, err)
			}
			for _, nk := range []int{1, 16, 33, 1000} {
				taps := kerneltest.Data(nk, 3)
				outs := n - nk + 1
				out[outs] = 42
				got, err := k.FIR(x, taps, out[:outs])
				if err != nil || got != outs || out[outs] != 42 {
					t.Fatalf("%s fir n=%d k=%d: %d, %v, canary %v", v, n, nk, got, err, out[outs])
				}
				if err := kerneltest.CheckFIR(x, taps, out[:outs]); err != nil {
					t.Errorf("%s fir n=%d k=%d: %v", v, n, nk, err)
				}
			}
		}
		for _, m := range orders() {
			a, b := kerneltest.Data(m*m+1, 4)[1:], kerneltest.Data(m*m, 5)
			c := make([]float64, m*m+1)
			c[m*m] = 42
			if err := k.MatMul(a, b, c[:m*m], m); err != nil || c[m*m] != 42 {
				t.Fatalf("%s matmul m=%d: %v, canary %v", v, m, err, c[m*m])
			}
			if err := kerneltest.CheckMatMul(a, b, c[:m*m], m); err != nil {
				t.Errorf("%s matmul m=%d: %v", v, m, err)
			}
		}
	}
}

// TestSplitWhole checks that a split matmul leaves in c what one whole
// call does, to the last bit, on every variant: each part after the first
// of an output goes on with its sum where the part before stopped. The
// terms of an output are split too from m = 342 at the real bound, and
// with a small one, unpacked (below matmulPackFrom) and packed; each
// product is also checked against the reference, and nothing past c is
// written.
func TestSplitWhole(t *testing.T) {
	cases := []struct{ work, m int }{
		{asm.Work, 41}, {asm.Work, 100}, {2000, 20}, {2000, 33}, {4096, 130},
		{asm.Work, 130}, {asm.Work, 300}, {asm.Work, 342}, {asm.Work, 401}, {2000, 64}, {4096, 131},
	}
	if testing.Short() {
		cases = cases[:5]
	}
	for _, v := range variants(t) {
		k, err := measure.Asm(v)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			m := c.m
			a, b := kerneltest.Data(m*m+1, 4)[1:], kerneltest.Data(m*m, 5) // a misaligned
			split, whole := make([]float64, m*m+1), make([]float64, m*m)
			split[m*m] = 42
			restore := asm.SetWork(c.work)
			err := k.MatMul(a, b, split[:m*m], m)
			restore()
			if err != nil || split[m*m] != 42 {
				t.Fatalf("%s matmul m=%d in parts of %d: %v, and %v past c", v, m, c.work, err, split[m*m])
			}
			if err := kerneltest.CheckMatMul(a, b, split[:m*m], m); err != nil {
				t.Errorf("%s matmul m=%d in parts of %d: %v", v, m, c.work, err)
			}
			restore = asm.SetWork(1 << 40)
			err = k.MatMul(a, b, whole, m)
			restore()
			if err != nil {
				t.Fatal(err)
			}
			for i := range whole {
				if math.Float64bits(split[i]) != math.Float64bits(whole[i]) {
					t.Errorf("%s matmul m=%d in parts of %d: c[%d] = %v split, %v whole", v, m, c.work, i, split[i], whole[i])
					break
				}
			}
		}
	}
}

// TestScalarExact checks that the translated scalar C gives naive Go's
// bits, as the cgo scalar variant does: clang compiled it without
// contracting a·b + c. Sums and dots longer than asm.Work are split,
// which changes their order, so they are checked up to it.
func TestScalarExact(t *testing.T) {
	k, err := measure.Asm(zerocall.Scalar)
	if err != nil {
		t.Skip(err)
	}
	sizes := append(kerneltest.Sizes[:len(kerneltest.Sizes)-1:len(kerneltest.Sizes)-1], asm.Work, 3*asm.Work+1)
	testkernel.CheckExact(t, k, sizes, asm.Work, []int{1, 3, 8, 17, 33, 100})
}

// TestUnsupported checks that a variant this machine lacks is refused.
func TestUnsupported(t *testing.T) {
	have := map[zerocall.Variant]bool{}
	for _, v := range asm.Variants() {
		have[v] = true
	}
	for _, v := range []zerocall.Variant{zerocall.Scalar, zerocall.AVX2, zerocall.AVX512, zerocall.NEON, 4, 99, -1} {
		k, err := measure.Asm(v)
		if have[v] {
			if err != nil || k.(interface{ Variant() zerocall.Variant }).Variant() != v {
				t.Errorf("New(%v) = %v, %v", v, k, err)
			}
			continue
		}
		if !errors.Is(err, zerocall.ErrUnsupported) {
			t.Errorf("New(%v): err = %v, want ErrUnsupported", v, err)
		}
	}
	if k, err := measure.Asm(zerocall.Auto); len(asm.Variants()) > 0 && (err != nil || k.(interface{ Variant() zerocall.Variant }).Variant() != asm.Variants()[0]) {
		t.Errorf("New(Auto) = %v, %v; Variants()[0] is %v", k, err, asm.Variants()[0])
	}
}

// orders are the matmul orders TestSplit checks: one call's worth and
// past it, with remainders of rows and of 64-column panels; under -short
// (and emulation) the largest is left out.
func orders() []int {
	if testing.Short() {
		return []int{40, 41, 65, 100, 130}
	}
	return []int{40, 41, 64, 65, 100, 127, 130, 256}
}

// TestEnvCap checks that ZEROCALL_VARIANT caps Auto, as it does native's
// dispatcher: this test binary, run again with each variant named,
// reports that variant as the best; a name this machine cannot run
// leaves the best one.
func TestEnvCap(t *testing.T) {
	if os.Getenv("ZEROCALL_ASM_REPORT") == "1" {
		best := zerocall.Auto
		if vs := asm.Variants(); len(vs) > 0 {
			best = vs[0]
		}
		fmt.Printf("best=%v\n", best)
		os.Exit(0)
	}
	// A name this machine cannot run leaves the best it can, uncapped:
	// the child's ZEROCALL_VARIANT replaces this process's own.
	vs := variants(t)
	top := vs[0]
	for _, v := range vs {
		if v != zerocall.Auto && v > top {
			top = v
		}
	}
	for _, name := range []string{"scalar", "avx2", "avx512", "neon", "bogus"} {
		want := top.String()
		for _, v := range vs {
			if v.String() == name && v != zerocall.Auto {
				want = name
			}
		}
		cmd := kerneltest.Reexec("-test.run=^TestEnvCap$")
		cmd.Env = append(os.Environ(), "ZEROCALL_ASM_REPORT=1", "ZEROCALL_VARIANT="+name)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "best="+want+"\n") {
			t.Errorf("ZEROCALL_VARIANT=%s: want best=%s, got %v:\n%s", name, want, err, out)
		}
	}
}

// TestNewVariant checks NewVariant's choice on a table of made-up
// addresses (NewVariant never calls them): Auto takes the variant the
// built-ins run, ZEROCALL_VARIANT caps it, a forced variant is taken as
// it is, and one that this machine or the table lacks is refused.
func TestNewVariant(t *testing.T) {
	vs := asm.Variants()
	if len(vs) == 0 {
		t.Skip("no translation on this architecture")
	}
	codes := make([]uintptr, 8)
	for _, v := range vs {
		codes[v] = 0x1000 * uintptr(v)
	}
	pick := func(codes []uintptr, v zerocall.Variant) (uintptr, error) {
		f, err := asm.NewVariant(testkernel.Saxpy, codes, v)
		if err != nil {
			return 0, err
		}
		return asm.CodeOf(f), nil
	}
	if got, err := pick(codes, zerocall.Auto); err != nil || got != codes[vs[0]] {
		t.Errorf("Auto: %#x, %v; want %#x, variant %v", got, err, codes[vs[0]], vs[0])
	}
	for _, v := range vs {
		if got, err := pick(codes, v); err != nil || got != codes[v] {
			t.Errorf("%v: %#x, %v; want %#x", v, got, err, codes[v])
		}
		t.Setenv("ZEROCALL_VARIANT", v.String())
		if got, err := pick(codes, zerocall.Auto); err != nil || got != codes[v] {
			t.Errorf("Auto with ZEROCALL_VARIANT=%v: %#x, %v", v, got, err)
		}
	}
	t.Setenv("ZEROCALL_VARIANT", "")
	// The table lacks the best variant: Auto takes the next.
	if len(vs) > 1 {
		less := append([]uintptr(nil), codes...)
		less[vs[0]] = 0
		if got, err := pick(less, zerocall.Auto); err != nil || got == 0 || got == codes[vs[0]] {
			t.Errorf("Auto without %v: %#x, %v", vs[0], got, err)
		}
		if _, err := pick(less, vs[0]); !errors.Is(err, zerocall.ErrUnsupported) {
			t.Errorf("%v, which the table lacks: err = %v, want ErrUnsupported", vs[0], err)
		}
	}
	for _, c := range []struct {
		codes []uintptr
		v     zerocall.Variant
	}{{codes, zerocall.SIMD128}, {codes, 99}, {codes, -1}, {nil, zerocall.Auto}, {codes[:1], zerocall.Scalar}} {
		if _, err := pick(c.codes, c.v); !errors.Is(err, zerocall.ErrUnsupported) {
			t.Errorf("%v of %d codes: err = %v, want ErrUnsupported", c.v, len(c.codes), err)
		}
	}
}

// TestNilArgs calls a translated kernel with scalars with a nil
// *kernel.Args, which stands for scalars that are all zero: saxpy with
// a = 0 gives out = y.
func TestNilArgs(t *testing.T) {
	f, err := asm.NewVariant(testkernel.Saxpy, asmkernel.ZcTestSaxpyVariants(), zerocall.Auto)
	if err != nil {
		t.Skip(err)
	}
	x, y, out := []float32{1, 2, 3}, []float32{4, 5, 6}, make([]float32, 3)
	r, err := f.Call(nil, kernel.SliceOf(x), kernel.SliceOf(y), kernel.SliceOf(out))
	if err != nil || r.N != 3 || out[0] != 4 || out[1] != 5 || out[2] != 6 {
		t.Errorf("Call with nil Args: %v, %v, out = %v; want 3 outputs, out = y", r, err, out)
	}
}

// TestVariantOfNil checks that a nil Func, which a failed constructor
// returns, runs no variant of its own, rather than panic.
func TestVariantOfNil(t *testing.T) {
	if v := zerocall.VariantOf((*asm.Func)(nil)); v != zerocall.Auto {
		t.Errorf("VariantOf(nil *asm.Func) = %v, want auto", v)
	}
}

// TestVariantCapGaps checks ZEROCALL_VARIANT against tables of codes
// with empty slots (kerneltest.CapGaps).
func TestVariantCapGaps(t *testing.T) {
	full := asmkernel.ZcTestSaxpyVariants()
	kerneltest.CapGaps(t, asm.Variants(), func(slots []zerocall.Variant) (zerocall.Variant, error) {
		codes := make([]uintptr, len(full))
		for _, v := range slots {
			codes[v] = full[v]
		}
		f, err := asm.NewVariant(testkernel.Saxpy, codes, zerocall.Auto)
		return zerocall.VariantOf(f), err
	})
}

// TestUnmade calls a nil Func, what a failed constructor returns, and a
// zero one: each says so with ErrArgument rather than panic.
func TestUnmade(t *testing.T) {
	for name, f := range map[string]*asm.Func{"nil": nil, "zero": new(asm.Func)} {
		kerneltest.Unmade(t, name, f, zerocall.Pinned)
	}
}
