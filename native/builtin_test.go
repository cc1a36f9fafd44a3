//go:build cgo

package native_test

import (
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/zctest"
)

// TestBuiltinFuncs runs the built-in kernels of every variant through the
// test kit, as any user kernel: the generic paths prove themselves on the
// kernels the shared table knows best.
func TestBuiltinFuncs(t *testing.T) {
	for _, v := range variants(t) {
		testkernel.RunBuiltins(t, v.String(), func(k *kernel.Kernel) (zctest.Func, error) { return native.Builtin(k, v) })
	}
}

// TestBuiltinOrder ties the C library's numbering of its built-in
// kernels (zc_builtin) to testkernel.Builtins: the frame function of each
// number must compute that kernel.
func TestBuiltinOrder(t *testing.T) {
	if n := native.BuiltinCount(); n != len(testkernel.Builtins) {
		t.Fatalf("the C library has %d built-in kernels, the tests %d", n, len(testkernel.Builtins))
	}
	x := []float64{1, 2, 3}
	for _, k := range testkernel.Builtins {
		f, err := native.Builtin(k, zerocall.Scalar)
		if err != nil {
			t.Fatal(err)
		}
		if f.Kernel() != k {
			t.Errorf("Builtin(%s) implements %s", k.Name, f.Kernel().Name)
		}
	}
	sum, _ := native.Builtin(kernel.Sum, zerocall.Scalar)
	if r, err := sum.Call(&kernel.Args{}, kernel.SliceOf(x)); err != nil || r.F != 6 {
		t.Errorf("the frame function numbered sum: %v, %v", r, err)
	}
	if _, err := native.Builtin(&kernel.Kernel{Name: "not-built-in"}, zerocall.Scalar); err == nil {
		t.Error("Builtin of a kernel that is not one: no error")
	}
}
