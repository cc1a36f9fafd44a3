//go:build cgo

package zerocall_test

import (
	"errors"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/asm"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/asmkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/ckernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/plan"
	"github.com/zerocall/zerocall/wasm"
)

// TestNoPanics calls every method of every type a user meets with zero,
// negative, NaN, infinite and out-of-range arguments, on values made by
// the constructors, closed ones, zero values and nil pointers: each
// returns or reports an error, and none panics. (A nil *kernel.Batch is
// left out: its Handle's methods are promoted through the nil pointer.)
func TestNoPanics(t *testing.T) {
	nf, err := native.NewFunc(testkernel.Saxpy, ckernel.Pointer())
	if err != nil {
		t.Fatal(err)
	}
	kerneltest.NoPanics(t, "native", nf, zerocall.Pinned, zerocall.COwned)
	testkernel.NoPanicsWasm(t, wasm.Load)
	if af, err := asmkernel.Func(); err == nil {
		kerneltest.CallAll(t, "asm", af)
	}
	kerneltest.CallAll(t, "plan", &plan.Plan{Kernel: testkernel.Saxpy, Paths: map[string]func(*kernel.Args, ...kernel.Slice) (kernel.Return, error){"cgo": nf.Call}})
	for name, make := range map[string]func() (*zerocall.Instance, error){
		"pinned":  func() (*zerocall.Instance, error) { return native.New(zerocall.Pinned, zerocall.Config{}) },
		"C-owned": func() (*zerocall.Instance, error) { return native.New(zerocall.COwned, zerocall.Config{}) },
		"wasm":    func() (*zerocall.Instance, error) { return wasm.New(zerocall.Config{}) },
	} {
		in, err := make()
		if err != nil {
			t.Fatal(err)
		}
		kerneltest.CallAll(t, name+" instance", in)
		in.Close()
		kerneltest.CallAll(t, name+" instance, closed", in)
	}
	kerneltest.CallAll(t, "kernel", testkernel.Saxpy)
	kerneltest.CallAll(t, "kernel", kernel.Sum)
	for _, v := range []any{
		(*zerocall.Instance)(nil), &zerocall.Instance{},
		(*zerocall.Pool[*kernel.Handle])(nil), &zerocall.Pool[*kernel.Handle]{},
		(*kernel.Handle)(nil), &kernel.Handle{}, &kernel.Batch{}, (*kernel.Kernel)(nil), &kernel.Kernel{},
		(*native.Func)(nil), &native.Func{}, (*native.Library)(nil), &native.Library{},
		(*wasm.Func)(nil), &wasm.Func{}, (*wasm.Library)(nil), &wasm.Library{},
		(*asm.Func)(nil), &asm.Func{}, (*plan.Plan)(nil), &plan.Plan{}, kernel.Slice{},
	} {
		kerneltest.CallAll(t, "a zero value", v)
	}
	// A Pool with no New cannot make an instance: Do says so.
	var p zerocall.Pool[*kernel.Handle]
	if err := p.Do(func(*kernel.Handle) error { return nil }); !errors.Is(err, zerocall.ErrArgument) {
		t.Errorf("Do on a Pool with no New: %v, want ErrArgument", err)
	}
}
