package testkernel

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/errs"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/zctest"
)

// OneShot is a Func's one-shot call on the caller's slices.
type OneShot interface {
	zctest.Func
	Call(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error)
}

// SaxpyCall is a typed call of Saxpy, as zerocall bind writes one.
type SaxpyCall func(x, y, out []float32, a float64) (int, error)

// ClampCall is a typed call of Clamp, as zerocall bind writes one.
type ClampCall func(x, out []float32, lo, hi, s float64) (int, error)

// typed is a typed call as a Func of the test kit, so that the kit runs
// it as it runs every one-shot call: it hands the typed call the slices
// of a call, and a call a typed API cannot express (slices of another
// number or type) to the generic Func.
type typed struct {
	OneShot
	call func(a *kernel.Args, bufs []kernel.Slice) (kernel.Return, error)
}

func (t typed) Call(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
	for i, b := range t.Kernel().Buffers {
		if len(bufs) != len(t.Kernel().Buffers) || bufs[i].Type() != b.Type {
			return t.OneShot.Call(a, bufs...)
		}
	}
	return t.call(a, bufs)
}

// TypedSaxpy returns call, a typed call of Saxpy, as a Func of the test
// kit, with generic, the Func it runs, for the calls it cannot express.
func TypedSaxpy(generic OneShot, call SaxpyCall) OneShot {
	return typed{generic, func(a *kernel.Args, b []kernel.Slice) (kernel.Return, error) {
		n, err := call(f32(b[0]), f32(b[1]), f32(b[2]), a.F[0])
		return kernel.Return{N: int64(n)}, err
	}}
}

// TypedClamp is TypedSaxpy for Clamp.
func TypedClamp(generic OneShot, call ClampCall) OneShot {
	return typed{generic, func(a *kernel.Args, b []kernel.Slice) (kernel.Return, error) {
		n, err := call(f32(b[0]), f32(b[1]), a.F[0], a.F[1], a.F[2])
		return kernel.Return{N: int64(n)}, err
	}}
}

// CheckTyped checks a typed call of Saxpy against the generic Func it
// was made from, case by case: the same outputs bit for bit on every
// SIMD remainder, on sub-slices, on NaN and ±Inf and in place, the same
// errors for overlaps and lengths the description refuses, and no
// allocation. Then it runs the test kit on it.
func CheckTyped(t *testing.T, generic OneShot, call SaxpyCall) {
	t.Helper()
	one := func(x, y, out []float32) (int, []float32, error) {
		n, err := call(x, y, out, -1.5)
		return n, slices.Clone(out), err
	}
	gen := func(x, y, out []float32) (int, []float32, error) {
		r, err := generic.Call(&kernel.Args{F: [kernel.MaxScalars]float64{-1.5}}, kernel.SliceOf(x), kernel.SliceOf(y), kernel.SliceOf(out))
		return int(r.N), slices.Clone(out), err
	}
	type input struct {
		name      string
		x, y, out func(mem []float32) []float32
		err       error // what both must fail with, or nil
	}
	span := func(lo, hi int) func([]float32) []float32 { return func(m []float32) []float32 { return m[lo:hi:hi] } }
	var cases []input
	for _, n := range []int{0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 1000} {
		// x, y and out side by side, each one element past its start:
		// misaligned for every vector width.
		cases = append(cases,
			input{fmt.Sprintf("n=%d", n), span(1, 1+n), span(2+n, 2+2*n), span(3+2*n, 3+3*n), nil},
			input{fmt.Sprintf("n=%d/out=x", n), span(1, 1+n), span(2+n, 2+2*n), span(1, 1+n), nil},
			input{fmt.Sprintf("n=%d/out=y", n), span(1, 1+n), span(2+n, 2+2*n), span(2+n, 2+2*n), nil},
			input{fmt.Sprintf("n=%d/out-longer", n), span(1, 1+n), span(2+n, 2+2*n), span(3+2*n, 5+3*n), nil})
		if n > 1 { // shifted by one element, the slices share n-1
			cases = append(cases,
				input{fmt.Sprintf("n=%d/out-overlaps-x", n), span(1, 1+n), span(2+n, 2+2*n), span(2, 2+n), errs.Overlap},
				input{fmt.Sprintf("n=%d/out-overlaps-y", n), span(1, 1+n), span(2+n, 2+2*n), span(3+n, 3+2*n), errs.Overlap})
		}
		if n > 0 {
			cases = append(cases,
				input{fmt.Sprintf("n=%d/y-short", n), span(1, 1+n), span(2+n, 1+2*n), span(3+2*n, 3+3*n), errs.Length},
				input{fmt.Sprintf("n=%d/out-short", n), span(1, 1+n), span(2+n, 2+2*n), span(3+2*n, 2+3*n), errs.Length},
				input{fmt.Sprintf("n=%d/x-empty-inside-out", n), span(3, 3), span(4, 4), span(1, 5+n), nil})
		}
	}
	for _, c := range cases {
		mem := func() []float32 {
			m := make([]float32, 3100)
			for i := range m {
				m[i] = float32(i%13) - 6.25
			}
			m[5], m[9], m[12] = float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))
			return m
		}
		m1, m2 := mem(), mem()
		n1, o1, err1 := one(c.x(m1), c.y(m1), c.out(m1))
		n2, o2, err2 := gen(c.x(m2), c.y(m2), c.out(m2))
		switch {
		case c.err != nil && !errors.Is(err1, c.err):
			t.Errorf("%s: typed call: err = %v, want %v", c.name, err1, c.err)
		case c.err == nil && err1 != nil:
			t.Errorf("%s: typed call: %v", c.name, err1)
		case fmt.Sprint(err1) != fmt.Sprint(err2):
			t.Errorf("%s: typed call: err = %v, the Func's %v", c.name, err1, err2)
		case n1 != n2 || !slices.EqualFunc(o1, o2, func(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) }) ||
			!slices.EqualFunc(m1, m2, func(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) }):
			t.Errorf("%s: typed call wrote %d elements, %v; the Func %d, %v", c.name, n1, o1, n2, o2)
		}
	}
	x, y, out := make([]float32, 64), make([]float32, 64), make([]float32, 64)
	if a := testing.AllocsPerRun(100, func() { _, _ = call(x, y, out, 2) }); a != 0 {
		t.Errorf("typed call: %v allocations per call, want 0", a)
	}
	zctest.Run(t, Spec(TypedSaxpy(generic, call)))
}

// Bind makes a typed call of a kernel in variant v, as the constructors
// zerocall bind writes do, and returns it with the Func it runs.
type Bind[C any] func(v zerocall.Variant) (OneShot, C, error)

// SaxpyBinding and ClampBinding are what the types zerocall bind writes
// for the test kernels have, with F the Func of their host.
type SaxpyBinding[F OneShot] interface {
	Func() F
	Call(x, y, out []float32, a float64) (int, error)
}

type ClampBinding[F OneShot] interface {
	Func() F
	Call(x, out []float32, lo, hi, s float64) (int, error)
}

// SaxpyBind and ClampBind turn a constructor that zerocall bind wrote
// into a Bind.
func SaxpyBind[F OneShot, B SaxpyBinding[F]](mk func(zerocall.Variant) (B, error)) Bind[SaxpyCall] {
	return bindOf(mk, func(b B) SaxpyCall { return b.Call })
}

func ClampBind[F OneShot, B ClampBinding[F]](mk func(zerocall.Variant) (B, error)) Bind[ClampCall] {
	return bindOf(mk, func(b B) ClampCall { return b.Call })
}

// bindOf is the Bind of a constructor mk whose bindings' typed call is
// call(b).
func bindOf[C any, B interface{ Func() F }, F OneShot](mk func(zerocall.Variant) (B, error), call func(B) C) Bind[C] {
	return func(v zerocall.Variant) (OneShot, C, error) {
		b, err := mk(v)
		if err != nil {
			var none C
			return nil, none, err
		}
		return b.Func(), call(b), nil
	}
}

// TestZeroCalls checks the typed calls of bindings that no constructor
// made (zero values, or nil pointers), by the name of their type: each
// refuses with ErrArgument naming the type, rather than call C at
// address 0, run without its Check or panic.
func TestZeroCalls(t *testing.T, calls map[string]SaxpyCall) {
	for name, call := range calls {
		x := []float32{1}
		n, err := call(x, x, make([]float32, 1), 2)
		if n != 0 || !errors.Is(err, zerocall.ErrArgument) || !strings.Contains(err.Error(), strings.TrimPrefix(name, "*")) {
			t.Errorf("a %s no constructor made: %d, %v; want ErrArgument naming it", name, n, err)
		}
	}
}

// TestBindings tests a host's typed calls of the test kernels in each
// variant of vs: Saxpy's case by case against its Func (CheckTyped),
// Clamp's with the test kit; then that the constructor refuses a
// description that changed since the file was written. A variant the
// host does not translate is skipped.
func TestBindings(t *testing.T, vs []zerocall.Variant, saxpy Bind[SaxpyCall], clamp Bind[ClampCall]) {
	for _, v := range vs {
		f, call, err := saxpy(v)
		if errors.Is(err, zerocall.ErrUnsupported) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Run("saxpy-"+v.String(), func(t *testing.T) {
			if got := zerocall.VariantOf(f); got != v {
				t.Errorf("VariantOf = %v, want %v", got, v)
			}
			CheckTyped(t, f, call)
		})
		cf, ccall, err := clamp(v)
		if err != nil {
			t.Fatal(err)
		}
		t.Run("clamp-"+v.String(), func(t *testing.T) {
			zctest.Run(t, ClampSpec(TypedClamp(cf, ccall)))
		})
	}
	if _, _, err := saxpy(zerocall.Auto); errors.Is(err, zerocall.ErrUnsupported) {
		return
	}
	k := Saxpy
	r := k.Result
	k.Result = kernel.None
	_, _, err := saxpy(zerocall.Auto)
	k.Result = r
	if !errors.Is(err, kernel.ErrKernel) {
		t.Errorf("a changed description: err = %v, want kernel.ErrKernel", err)
	}
	// The typed call calls CheckSaxpy by name: another Check is a change.
	k.Check = func(a *kernel.Args) error { return CheckSaxpy(a) }
	_, _, err = saxpy(zerocall.Auto)
	k.Check = CheckSaxpy
	if !errors.Is(err, kernel.ErrKernel) {
		t.Errorf("another Check: err = %v, want kernel.ErrKernel", err)
	}
}
