//go:build cgo

package native_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/ckernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/zctest"
)

// sharedLib builds the test kernel into a shared library, once, in
// sharedDir, which TestMain removes when the tests are done.
var sharedLib = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "zerocall-test")
	if err != nil {
		return "", err
	}
	sharedDir = dir
	return testkernel.BuildShared(dir)
})

var sharedDir string

// loadShared loads the test kernel's shared library (sharedLib), failing
// t if it cannot, and returns it with its path.
func loadShared(t *testing.T) (*native.Library, string) {
	t.Helper()
	path, err := sharedLib()
	if err != nil {
		t.Fatal(err)
	}
	lib, err := native.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return lib, path
}

func removeSharedLib() {
	if sharedDir != "" {
		_ = os.RemoveAll(sharedDir)
	}
}

// TestUserKernel runs a kernel the project does not know, from its cgo
// function pointer and from a shared library loaded with dlopen, through
// every path of the test kit.
func TestUserKernel(t *testing.T) {
	t.Run("cgo", func(t *testing.T) {
		f, err := native.NewFunc(testkernel.Saxpy, ckernel.Pointer())
		if err != nil {
			t.Fatal(err)
		}
		zctest.Run(t, testkernel.Spec(f))
	})
	t.Run("dlopen", func(t *testing.T) {
		lib, _ := loadShared(t)
		f, err := lib.Func(testkernel.Saxpy, testkernel.Symbol)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := zerocall.VariantOf(f), native.Variants()[0]; got != want {
			t.Errorf("Library.Func ran variant %v of the library's table, want %v, the best here", got, want)
		}
		zctest.Run(t, testkernel.Spec(f))
	})
	// Every variant ZC_VARIANTS built of the one C body that this machine
	// runs: the test kit runs each on its own paths.
	t.Run("variants", func(t *testing.T) {
		f, err := native.NewVariant(testkernel.Saxpy, ckernel.Variants(), zerocall.Auto)
		if err != nil {
			t.Fatal(err)
		}
		zctest.Run(t, testkernel.Spec(f))
	})
}

// TestNewVariant checks NewVariant's choice: Auto runs the variant the
// built-ins run, ZEROCALL_VARIANT caps it, and a variant this machine or
// the table lacks is refused.
func TestNewVariant(t *testing.T) {
	vs := native.Variants()
	pick := func(v zerocall.Variant) (zerocall.Variant, error) {
		f, err := native.NewVariant(testkernel.Saxpy, ckernel.Variants(), v)
		if err != nil {
			return 0, err
		}
		return zerocall.VariantOf(f), nil
	}
	if got, err := pick(zerocall.Auto); err != nil || got != vs[0] {
		t.Errorf("Auto: %v, %v; want %v, the built-ins' choice", got, err, vs[0])
	}
	for _, v := range vs {
		if got, err := pick(v); err != nil || got != v {
			t.Errorf("%v, forced: %v, %v", v, got, err)
		}
		t.Setenv("ZEROCALL_VARIANT", v.String())
		if got, err := pick(zerocall.Auto); err != nil || got != v {
			t.Errorf("Auto with ZEROCALL_VARIANT=%v: %v, %v", v, got, err)
		}
	}
	t.Setenv("ZEROCALL_VARIANT", "")
	for _, v := range []zerocall.Variant{zerocall.SIMD128, 99, -1} {
		if _, err := pick(v); !errors.Is(err, zerocall.ErrUnsupported) {
			t.Errorf("variant %v: err = %v, want ErrUnsupported", v, err)
		}
	}
	if _, err := native.NewVariant(testkernel.Saxpy, nil, zerocall.Auto); !errors.Is(err, zerocall.ErrArgument) {
		t.Errorf("nil table: err = %v, want ErrArgument", err)
	}
	if _, err := native.NewVariant(&kernel.Kernel{Name: "bad", Buffers: []kernel.Buffer{{Name: "x", Type: 99, Role: kernel.In}}}, ckernel.Variants(), zerocall.Auto); !errors.Is(err, kernel.ErrKernel) {
		t.Errorf("invalid kernel: err = %v, want ErrKernel", err)
	}
}

// TestUserKernelErrors gives each way of binding and calling a user
// kernel a bad input: each fails with its sentinel error, and nothing
// crashes.
func TestUserKernelErrors(t *testing.T) {
	if _, err := native.NewFunc(testkernel.Saxpy, nil); !errors.Is(err, zerocall.ErrArgument) {
		t.Errorf("nil function: err = %v, want ErrArgument", err)
	}
	if _, err := native.NewFunc(&kernel.Kernel{Name: "bad", Buffers: []kernel.Buffer{{Name: "x", Type: 99, Role: kernel.In}}}, ckernel.Pointer()); !errors.Is(err, kernel.ErrKernel) {
		t.Errorf("a buffer of unknown type: err = %v, want ErrKernel", err)
	}
	if _, err := native.Load(filepath.Join(os.TempDir(), fmt.Sprintf("zerocall-missing-%d.so", os.Getpid()))); !errors.Is(err, zerocall.ErrLoad) {
		t.Errorf("a missing library: err = %v, want ErrLoad", err)
	}
	lib, _ := loadShared(t)
	if _, err := lib.Func(testkernel.Saxpy, "no_such_kernel"); !errors.Is(err, zerocall.ErrLoad) {
		t.Errorf("a missing symbol: err = %v, want ErrLoad", err)
	}
	f, err := native.NewFunc(testkernel.Saxpy, ckernel.Pointer())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Handle(zerocall.Pinned, 10, 10); !errors.Is(err, kernel.ErrKernel) {
		t.Errorf("two capacities for three buffers: err = %v, want ErrKernel", err)
	}
	if _, err := f.Handle(zerocall.COwned, 10, 0, 10); !errors.Is(err, zerocall.ErrArgument) {
		t.Errorf("a capacity of 0: err = %v, want ErrArgument", err)
	}
	if _, err := f.Handle(zerocall.Pinned, 1<<37, 1, 1); !errors.Is(err, zerocall.ErrNoMemory) {
		t.Errorf("512 GiB of regions: err = %v, want ErrNoMemory", err)
	}
	h, err := f.Handle(zerocall.Pinned, 16, 16, 8)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if x := kernel.Elems[float64](h.Region(0)); x != nil {
		t.Errorf("a float64 view of a float32 region has %d elements, want none", len(x))
	}
	for _, i := range []int{-1, 3, 8} {
		if r := h.Region(i); r.Len() != 0 || r.Pointer() != nil {
			t.Errorf("region %d of 3 = %d elements at %p, want none", i, r.Len(), r.Pointer())
		}
	}
	a := kernel.Args{Len: [8]int{16, 16, 16}}
	if _, err := h.Call(&a, testkernel.Views(h, &a)...); !errors.Is(err, zerocall.ErrCapacity) {
		t.Errorf("out past its region: err = %v, want ErrCapacity", err)
	}
	a.Len = [8]int{8, 7, 8}
	if _, err := h.Call(&a, testkernel.Views(h, &a)...); !errors.Is(err, zerocall.ErrLength) {
		t.Errorf("lengths the kernel's Check refuses: err = %v, want ErrLength", err)
	}
	a.Len = [8]int{8, 8, 8}
	if r, err := h.Call(&a, testkernel.Views(h, &a)...); err != nil || r.N != 8 {
		t.Errorf("a good call after the bad ones: %v, %v", r, err)
	}
	x := kernel.Elems[float32](h.Region(0))
	if _, err := h.Call(&a, kernel.SliceOf(x[1:5]), kernel.SliceOf(make([]float32, 4)), kernel.SliceOf(make([]float32, 4))); !errors.Is(err, zerocall.ErrOverlap) {
		t.Errorf("a slice inside the handle's own region, not at its start: err = %v, want ErrOverlap", err)
	}
	in := make([]float32, 8)
	if _, err := f.Call(&a, kernel.SliceOf(in), kernel.SliceOf(in), kernel.SliceOf(in[1:])); !errors.Is(err, zerocall.ErrOverlap) {
		t.Errorf("out overlapping an input: err = %v, want ErrOverlap", err)
	}
	h.Close()
	if _, err := h.Call(&a, testkernel.Views(h, &a)...); !errors.Is(err, zerocall.ErrClosed) {
		t.Errorf("Call after Close: err = %v, want ErrClosed", err)
	}
	if r := h.Region(0); r.Len() != 0 || r.Pointer() != nil {
		t.Errorf("region 0 after Close = %d elements at %p, want none", r.Len(), r.Pointer())
	}
}

// TestSizes asks for handles and batches whose sizes overflow, over
// pinned and C-owned memory: each fails with ErrArgument, as on every
// host, naming the kernel, the buffer and the count.
func TestSizes(t *testing.T) {
	for _, mem := range []zerocall.Memory{zerocall.Pinned, zerocall.COwned} {
		t.Run(mem.String(), func(t *testing.T) {
			testkernel.RunSizes(t, func(t *testing.T, k *kernel.Kernel) testkernel.Sized {
				f, err := native.Builtin(k, zerocall.Auto)
				if k == testkernel.Saxpy {
					f, err = native.NewFunc(k, ckernel.Pointer())
				}
				if err != nil {
					t.Fatal(err)
				}
				return testkernel.SizedOf(f, mem)
			})
		})
	}
}

// TestMessages checks that the errors of the straight pass and of the
// handles name the kernel, the buffer, the types and the numbers.
func TestMessages(t *testing.T) {
	newFunc := func(k *kernel.Kernel) (*native.Func, error) { return native.NewFunc(k, ckernel.Pointer()) }
	testkernel.RunMessages(t, testkernel.Callers{
		Straight: testkernel.StraightOf(newFunc),
		Owned:    testkernel.OwnedOf(newFunc, zerocall.Pinned),
	})
}

// TestOvercount calls a kernel that reports more outputs than its buffer
// has: the straight pass, which keeps nothing, fails that call alone
// with ErrBroken, and says what the kernel did, not that an instance is
// broken; a handle is broken for good.
//
// The kernel that raises out's length in its frame first, so that the
// frame agrees with its count, fails alike: the count is checked against
// the length the call had. A handle's copying call then copies nothing
// back, rather than past the caller's slice.
func TestOvercount(t *testing.T) {
	for _, c := range []struct {
		name string
		code unsafe.Pointer
		want string
	}{
		{"overcount", ckernel.Overcount(), "reported 9 elements written to out, which has 8"},
		{"overlen", ckernel.Overlen(), "reported 1008 elements written to out, which has 8"},
	} {
		f, err := native.NewFunc(testkernel.Saxpy, c.code)
		if err != nil {
			t.Fatal(err)
		}
		x := make([]float32, 8)
		a := kernel.Args{Len: [8]int{8, 8, 8}}
		for range 2 {
			_, err := f.Call(&a, kernel.SliceOf(x), kernel.SliceOf(x), kernel.SliceOf(make([]float32, 8)))
			if !errors.Is(err, zerocall.ErrBroken) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "instance") {
				t.Errorf("%s: Call: err = %v, want ErrBroken saying %q and nothing of an instance", c.name, err, c.want)
			}
		}
		for _, inPlace := range []bool{true, false} {
			h, err := f.Handle(zerocall.Pinned, 8, 8, 8)
			if err != nil {
				t.Fatal(err)
			}
			bufs := testkernel.Views(h, &a)
			if !inPlace {
				bufs = []kernel.Slice{kernel.SliceOf(x), kernel.SliceOf(x), kernel.SliceOf(make([]float32, 8))}
			}
			if _, err := h.Call(&a, bufs...); !errors.Is(err, zerocall.ErrBroken) || !strings.Contains(err.Error(), c.want) || !errors.Is(h.Err(), zerocall.ErrBroken) {
				t.Errorf("%s: handle (in place %v): err = %v, Err() = %v, want ErrBroken saying %q", c.name, inPlace, err, h.Err(), c.want)
			}
			h.Close()
		}
	}
}

// TestStatus has a kernel return a status the ABI defines and one it
// does not: the first fails the call alone, on a handle as in a batch's
// Result; the second breaks either for good, as a broken contract does.
func TestStatus(t *testing.T) {
	k := &kernel.Kernel{Name: "status", Buffers: []kernel.Buffer{{Name: "x", Type: kernel.Float32, Role: kernel.In}}, Ints: []string{"ret"}}
	f, err := native.NewFunc(k, ckernel.Status())
	if err != nil {
		t.Fatal(err)
	}
	arg, undefined := kernel.Args{I: [kernel.MaxScalars]int64{-1}}, kernel.Args{I: [kernel.MaxScalars]int64{-7}}
	h, err := f.Handle(zerocall.Pinned, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if _, err := h.Call(&arg, h.Region(0)); !errors.Is(err, zerocall.ErrArgument) || h.Err() != nil {
		t.Errorf("handle, status -1: err = %v, Err() = %v, want ErrArgument and a usable handle", err, h.Err())
	}
	if _, err := h.Call(&undefined, h.Region(0)); !errors.Is(err, zerocall.ErrBroken) || !errors.Is(h.Err(), zerocall.ErrBroken) {
		t.Errorf("handle, status -7: err = %v, Err() = %v, want ErrBroken", err, h.Err())
	}
	b, err := f.Batch(zerocall.Pinned, 2, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, a := range []*kernel.Args{&arg, &undefined} {
		if _, err := b.Add(a, b.Region(0)); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := b.Run(); n != 2 || err != nil {
		t.Fatalf("Run() = %d, %v", n, err)
	}
	if _, err := b.Result(0); !errors.Is(err, zerocall.ErrArgument) || b.Err() != nil {
		t.Errorf("batch, status -1: err = %v, Err() = %v, want ErrArgument and a usable batch", err, b.Err())
	}
	if _, err := b.Result(1); !errors.Is(err, zerocall.ErrBroken) || !errors.Is(b.Err(), zerocall.ErrBroken) {
		t.Errorf("batch, status -7: err = %v, Err() = %v, want ErrBroken", err, b.Err())
	}
	if _, err := b.Add(&arg, b.Region(0)); !errors.Is(err, zerocall.ErrBroken) {
		t.Errorf("Add on the broken batch: err = %v, want ErrBroken", err)
	}
}

// TestNoBuffers makes handles of a kernel of scalars only, whose regions
// hold nothing, in each kind of memory, and calls them.
func TestNoBuffers(t *testing.T) {
	f, err := native.NewFunc(&kernel.Kernel{Name: "scalars", Ints: []string{"ret"}}, ckernel.Status())
	if err != nil {
		t.Fatal(err)
	}
	for _, mem := range []zerocall.Memory{zerocall.Pinned, zerocall.COwned} {
		h, err := f.Handle(mem)
		if err != nil {
			t.Errorf("%v: %v", mem, err)
			continue
		}
		if r, err := h.Call(&kernel.Args{I: [kernel.MaxScalars]int64{3}}); r.N != 3 || err != nil {
			t.Errorf("%v: Call = %v, %v, want 3", mem, r, err)
		}
		h.Close()
	}
}

// TestLibraryNames gives Open and Func names C would read otherwise than
// Go: a NUL byte would cut them short, and an empty path would open the
// program itself. Each fails with ErrArgument naming it, as does the
// name of a table of variants given as a function's.
func TestLibraryNames(t *testing.T) {
	lib, path := loadShared(t)
	for _, p := range []string{path + "\x00/no/such", "\x00", ""} {
		if _, err := native.Load(p); !errors.Is(err, zerocall.ErrArgument) || !strings.Contains(err.Error(), "library path") {
			t.Errorf("Open(%q): err = %v, want ErrArgument naming the library path", p, err)
		}
	}
	for _, s := range []string{testkernel.Symbol + "\x00x", ""} {
		if _, err := lib.Func(testkernel.Saxpy, s); !errors.Is(err, zerocall.ErrArgument) || !strings.Contains(err.Error(), "symbol") {
			t.Errorf("Func(%q): err = %v, want ErrArgument naming the symbol", s, err)
		}
	}
	if _, err := lib.Func(testkernel.Saxpy, testkernel.Symbol); err != nil {
		t.Errorf("Func(%q): %v", testkernel.Symbol, err)
	}
	// The table of variants is data: called, it would run addresses.
	table := testkernel.Symbol + "_variants"
	if _, err := lib.Func(testkernel.Saxpy, table); !errors.Is(err, zerocall.ErrArgument) || !strings.Contains(err.Error(), "table of variants") {
		t.Errorf("Func(%q): err = %v, want ErrArgument naming the table", table, err)
	}
}

// TestLibraryDependencies loads a library that depends on the C math
// library: dlsym finds the symbols of a library's dependencies too, and
// libm's cos is no kernel of it, so Func refuses it, and finds the
// library's own.
func TestLibraryDependencies(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("builds a shared library with cc and -lm")
	}
	lib, err := testkernel.SharedOf(t.TempDir(), "cos", "#include <math.h>\ndouble use_cos(double x) { return cos(x); }\n",
		"-Wl,--no-as-needed", "-lm")
	if err != nil {
		t.Fatal(err)
	}
	l, err := native.Load(lib)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Func(kernel.Sum, "cos"); !errors.Is(err, zerocall.ErrLoad) || !strings.Contains(err.Error(), "depends on") {
		t.Errorf("Func(cos), libm's: err = %v, want ErrLoad saying a dependency defines it", err)
	}
	if _, err := l.Func(kernel.Sum, "use_cos"); err != nil {
		t.Errorf("Func(use_cos), the library's own: %v", err)
	}
}

// TestClamp runs the clamp-and-scale kernel, a plain C loop that
// ZC_VARIANTS builds for every instruction set, in every variant this
// machine runs: each must agree with the Go version bit for bit, NaN and
// the infinities included.
func TestClamp(t *testing.T) {
	f, err := native.NewVariant(testkernel.Clamp, ckernel.ClampVariants(), zerocall.Auto)
	if err != nil {
		t.Fatal(err)
	}
	zctest.Run(t, testkernel.ClampSpec(f))
}

// TestCallHeap checks that a one-shot call's buffers live on the heap:
// its frame holds their addresses as integers, which a move of the
// goroutine's stack would not update, so Call must move buffers the
// caller declared on its stack to the heap, as cgo's own pointer
// arguments are. Each of the three arrays is then one allocation; the
// Args and the list of slices stay on the stack.
func TestCallHeap(t *testing.T) {
	kerneltest.NeedExactAllocs(t)
	f, err := native.NewFunc(testkernel.Saxpy, ckernel.Pointer())
	if err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		var x, y, out [4]float32
		x[0], y[0] = 1, 2
		a := kernel.Args{F: [kernel.MaxScalars]float64{3}}
		r, err := f.Call(&a, kernel.SliceOf(x[:]), kernel.SliceOf(y[:]), kernel.SliceOf(out[:]))
		if r.N != 4 || err != nil || out[0] != 5 {
			t.Errorf("Call = %d, %v, out %v; want 4, nil, [5 0 0 0]", r.N, err, out)
		}
	})
	if allocs != 3 {
		t.Errorf("%v allocations per call on stack arrays, want 3 (each moved to the heap)", allocs)
	}
}

// TestVariantsHidden builds a library as one that exports only what it
// marks does (-fvisibility=hidden), with ZC_EXPORT defined to mark what
// ZC_VARIANTS defines: Func finds the kernel and its table of variants,
// and runs the best this machine has. Without the mark the symbol is not
// there at all.
func TestVariantsHidden(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("builds a shared library with cc")
	}
	const body = `#include "zc_kernel.h"
ZC_BODY int64_t twice_body(zc_frame *f)
{
    double *x = f->buf[0];
    for (int64_t i = 0; i < f->len[0]; i++)
        x[i] *= 2;
    return f->len[0];
}
ZC_VARIANTS(twice, twice_body);
`
	inc, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	twice := &kernel.Kernel{
		Name:    "twice",
		Buffers: []kernel.Buffer{{Name: "x", Type: kernel.Float64, Role: kernel.InOut}},
		Result:  kernel.Count,
	}
	dir := t.TempDir()
	for _, c := range []struct {
		name, prefix string
		found        bool
	}{
		{"marked", "#define ZC_EXPORT extern __attribute__((visibility(\"default\")))\n", true},
		{"hidden", "", false},
	} {
		lib, err := testkernel.SharedOf(dir, c.name, c.prefix+body, "-O3", "-fvisibility=hidden", "-I"+inc)
		if err != nil {
			t.Fatal(err)
		}
		l, err := native.Load(lib)
		if err != nil {
			t.Fatal(err)
		}
		f, err := l.Func(twice, "twice")
		if !c.found {
			if !errors.Is(err, zerocall.ErrLoad) {
				t.Errorf("%s: Func of a hidden symbol: %v, want ErrLoad", c.name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if v, best := zerocall.VariantOf(f), native.Variants()[0]; v != best {
			t.Errorf("%s: Func runs variant %v, not %v, the best this machine has: the table was not found", c.name, v, best)
		}
		x := []float64{1, 2, 3}
		if r, err := f.Call(nil, kernel.SliceOf(x)); err != nil || r.N != 3 || x[2] != 6 {
			t.Errorf("%s: %v, %v, x = %v", c.name, r, err, x)
		}
	}
}

// TestVariantsRound checks that ZC_VARIANTS keeps one rounding per
// operation in every variant of a kernel built as a user may build it,
// with the compiler's defaults (no -std, no -ffp-contract): a·x + y on
// float32 where a fused multiply-add gives another result, in each
// variant this machine runs, bit for bit against the Go version.
func TestVariantsRound(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("builds a shared library with cc")
	}
	const c = `#include "zc_kernel.h"
ZC_BODY int64_t fused_body(zc_frame *f)
{
    const float *x = f->buf[0], *y = f->buf[1];
    float *out = f->buf[2];
    float a = (float)f->f[0];
    for (int64_t i = 0; i < f->len[0]; i++)
        out[i] = a * x[i] + y[i];
    return f->len[0];
}
ZC_VARIANTS(fused, fused_body);
`
	inc, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	lib, err := testkernel.SharedOf(t.TempDir(), "fused", c, "-O3", "-I"+inc)
	if err != nil {
		t.Fatal(err)
	}
	l, err := native.Load(lib)
	if err != nil {
		t.Fatal(err)
	}
	// (1+2⁻¹²)² - 1 is 2⁻¹¹ + 2⁻²⁴ fused, and 2⁻¹¹ rounded twice.
	const n = 67 // a vector loop and its remainder
	e := float32(1 + 1.0/4096)
	x, y := make([]float32, n), make([]float32, n)
	for i := range x {
		x[i], y[i] = e, -1
	}
	a := kernel.Args{F: [kernel.MaxScalars]float64{float64(e)}}
	want := make([]float32, n)
	testkernel.Go(e, x, y, want)
	symbols := map[zerocall.Variant]string{zerocall.AVX2: "fused_avx2", zerocall.AVX512: "fused_avx512"}
	for _, v := range append([]zerocall.Variant{zerocall.Auto}, native.Variants()...) {
		sym, ok := symbols[v]
		if v == zerocall.Auto {
			sym, ok = "fused", true
		}
		if !ok {
			continue
		}
		f, err := l.Func(testkernel.Saxpy, sym)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]float32, n)
		if _, err := f.Call(&a, kernel.SliceOf(x), kernel.SliceOf(y), kernel.SliceOf(out)); err != nil {
			t.Fatalf("%s: %v", sym, err)
		}
		for i := range out {
			if out[i] != want[i] {
				t.Errorf("%s: out[%d] = %g, want %g, the Go version's: a multiply-add fused", sym, i, out[i], want[i])
				break
			}
		}
	}
}

// TestVariantCapGaps checks ZEROCALL_VARIANT against tables of yours with
// empty slots (kerneltest.CapGaps). A Variant past the known ones, or a
// nil kernel, is refused rather than cut or panicked on.
func TestVariantCapGaps(t *testing.T) {
	fn := uintptr(ckernel.Pointer())
	kerneltest.CapGaps(t, native.Variants(), func(slots []zerocall.Variant) (zerocall.Variant, error) {
		var tbl [8]uintptr
		for _, v := range slots {
			tbl[v] = fn
		}
		f, err := native.NewVariant(testkernel.Saxpy, unsafe.Pointer(&tbl), zerocall.Auto)
		return zerocall.VariantOf(f), err
	})
	t.Setenv("ZEROCALL_VARIANT", "")
	if _, err := native.NewVariant(testkernel.Saxpy, ckernel.Variants(), zerocall.Variant(1<<32|int(zerocall.AVX2))); !errors.Is(err, zerocall.ErrUnsupported) {
		t.Errorf("NewVariant of Variant(1<<32 | AVX2): %v, want ErrUnsupported", err)
	}
	if _, err := native.Builtin(nil, zerocall.Auto); !errors.Is(err, kernel.ErrKernel) {
		t.Errorf("Builtin(nil): %v, want ErrKernel", err)
	}
}

// TestResultFresh calls a kernel that stores its float result only when
// its integer scalar is not zero (ckernel.Cond): a call that stores none
// returns 0 on every path, not the result an earlier call left in a
// handle's frame.
func TestResultFresh(t *testing.T) {
	k := &kernel.Kernel{Name: "cond", Buffers: []kernel.Buffer{{Name: "x", Type: kernel.Float64, Role: kernel.In}},
		Ints: []string{"store"}, Result: kernel.Float}
	f, err := native.NewFunc(k, ckernel.Cond())
	if err != nil {
		t.Fatal(err)
	}
	calls := map[string]func(a *kernel.Args, x kernel.Slice) (kernel.Return, error){
		"one-shot": func(a *kernel.Args, x kernel.Slice) (kernel.Return, error) { return f.Call(a, x) },
	}
	for _, mem := range []zerocall.Memory{zerocall.Pinned, zerocall.COwned} {
		h, err := f.Handle(mem, 8)
		if err != nil {
			t.Fatal(err)
		}
		defer h.Close()
		calls[mem.String()+"-inplace"] = func(a *kernel.Args, _ kernel.Slice) (kernel.Return, error) {
			return h.Call(a, kernel.SliceOf(kernel.Elems[float64](h.Region(0))[:4]))
		}
		calls[mem.String()+"-copy"] = func(a *kernel.Args, x kernel.Slice) (kernel.Return, error) { return h.Call(a, x) }
	}
	x := kernel.SliceOf(make([]float64, 4))
	for name, call := range calls {
		for _, c := range []struct{ store, want int64 }{{1, 42}, {0, 0}, {1, 42}, {0, 0}} {
			r, err := call(&kernel.Args{I: [kernel.MaxScalars]int64{c.store}}, x)
			if err != nil || r.F != float64(c.want) {
				t.Errorf("%s, store %d: %v, %v; want a result of %d", name, c.store, r, err, c.want)
			}
		}
	}
}

// TestLoadVariantFunction asks a library for one variant's own function
// of the test kernel's table (ZC_VARIANTS' zc_test_saxpy_avx2 and
// _avx512): Func forces that variant, as NewVariant does, where the CPU
// runs it, and refuses it with ErrUnsupported where it does not, rather
// than return a Func that faults there.
func TestLoadVariantFunction(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("ZC_VARIANTS builds AVX2 and AVX-512 functions on amd64 alone")
	}
	lib, _ := loadShared(t)
	for _, v := range []zerocall.Variant{zerocall.AVX2, zerocall.AVX512} {
		f, err := lib.Func(testkernel.Saxpy, testkernel.Symbol+"_"+v.String())
		runs := slices.Contains(native.Variants(), v)
		switch {
		case runs && (err != nil || zerocall.VariantOf(f) != v):
			t.Errorf("%v: %v, variant %v; want a Func of that variant", v, err, zerocall.VariantOf(f))
		case !runs && !errors.Is(err, zerocall.ErrUnsupported):
			t.Errorf("%v, which this CPU does not run: %v, want ErrUnsupported", v, err)
		}
	}
}

// TestLibraryHost checks how the kits name a shared library's Funcs:
// dlopen, in every variant of its table, apart from cgo's Funcs of the
// same C, so that a Spec with both runs every variant of each.
func TestLibraryHost(t *testing.T) {
	lib, _ := loadShared(t)
	f, err := lib.Func(testkernel.Saxpy, testkernel.Symbol)
	if err != nil {
		t.Fatal(err)
	}
	c, err := native.NewVariant(testkernel.Saxpy, ckernel.Variants(), zerocall.Auto)
	if err != nil {
		t.Fatal(err)
	}
	if h, g := funcs.Host(f), funcs.Host(c); h != "dlopen" || g != "cgo" {
		t.Errorf("hosts %q and %q, want dlopen for the library's Func and cgo for cgo's", h, g)
	}
	_, others, ok := funcs.Variant(f)
	if !ok {
		t.Fatal("the library's Func has no variants")
	}
	for _, o := range others() {
		if h := funcs.Host(o); h != "dlopen" {
			t.Errorf("a variant of the library's Func has host %q, want dlopen", h)
		}
	}
}

// TestEightBuffers runs the test kit on a kernel of the most buffers, 8
// of mixed types, that reads none of them (ckernel.Cond): every path,
// the per-call pin baseline too, whose runtime.Pinner allocates to hold
// more than five pins, as pinning per call costs.
func TestEightBuffers(t *testing.T) {
	k := &kernel.Kernel{Name: "cond8", Ints: []string{"store"}, Result: kernel.Float}
	for i, typ := range []kernel.Type{kernel.Float64, kernel.Float32, kernel.Int64, kernel.Int32, kernel.Uint8, kernel.Float64, kernel.Int32, kernel.Uint8} {
		k.Buffers = append(k.Buffers, kernel.Buffer{Name: fmt.Sprint("b", i), Type: typ, Role: kernel.In})
	}
	f, err := native.NewFunc(k, ckernel.Cond())
	if err != nil {
		t.Fatal(err)
	}
	zctest.Run(t, zctest.Spec{
		Func: f,
		Ref: func(a *kernel.Args, _ []kernel.Slice) kernel.Return {
			if a.I[0] != 0 {
				return kernel.Return{F: 42}
			}
			return kernel.Return{}
		},
		Args:     func(n int) kernel.Args { return kernel.Args{I: [kernel.MaxScalars]int64{int64(n % 2)}} },
		Capacity: 200,
	})
}
