//go:build cgo

package zerocall_test

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/asm"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/asmkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/ckernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/plan"
	"github.com/zerocall/zerocall/wasm"
)

// hostileArgs make the arguments of one call of a method, by parameter
// type: zero values (nil pointers, functions and interfaces, empty
// slices), then negative and NaN ones with fresh zero pointees, then the
// largest ones with an Args whose lengths and scalars are out of range.
var hostileArgs = []func(reflect.Type) reflect.Value{
	reflect.Zero,
	func(t reflect.Type) reflect.Value {
		switch t.Kind() {
		case reflect.Int, reflect.Int64:
			return reflect.ValueOf(-1).Convert(t)
		case reflect.Float64:
			return reflect.ValueOf(math.NaN())
		case reflect.Pointer:
			return reflect.New(t.Elem())
		}
		return reflect.Zero(t)
	},
	func(t reflect.Type) reflect.Value {
		switch {
		case t.Kind() == reflect.Int || t.Kind() == reflect.Int64:
			return reflect.ValueOf(math.MaxInt64).Convert(t)
		case t.Kind() == reflect.Float64:
			return reflect.ValueOf(math.Inf(1))
		case t == reflect.TypeFor[*kernel.Args]():
			return reflect.ValueOf(&kernel.Args{Len: [8]int{-5, math.MaxInt, 1 << 40, -1, 7, 7, 7, 7}, I: [4]int64{-1, math.MaxInt64}})
		case t.Kind() == reflect.Pointer:
			return reflect.New(t.Elem())
		}
		return reflect.Zero(t)
	},
}

// callAll calls every exported method of v but Close with each set of
// hostileArgs (variadic parameters left empty), and fails the test for a
// method that panics.
func callAll(t *testing.T, what string, v any) {
	t.Helper()
	rv := reflect.ValueOf(v)
	for i := range rv.NumMethod() {
		name := rv.Type().Method(i).Name
		if name == "Close" {
			continue
		}
		m := rv.Method(i)
		mt := m.Type()
		for g, arg := range hostileArgs {
			var in []reflect.Value
			for j := range mt.NumIn() {
				if mt.IsVariadic() && j == mt.NumIn()-1 {
					break
				}
				in = append(in, arg(mt.In(j)))
			}
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s: %T.%s with arguments %d panicked: %v", what, v, name, g, r)
					}
				}()
				m.Call(in)
			}()
		}
	}
}

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
	lib, err := wasm.Load(testkernel.Module(), zerocall.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	wf, err := lib.Func(testkernel.Saxpy, testkernel.Export)
	if err != nil {
		t.Fatal(err)
	}
	type fn interface {
		Handle(zerocall.Memory, ...int) (*kernel.Handle, error)
		Batch(zerocall.Memory, int, ...int) (*kernel.Batch, error)
	}
	for _, c := range []struct {
		name string
		f    fn
		mem  []zerocall.Memory
	}{
		{"native", nf, []zerocall.Memory{zerocall.Pinned, zerocall.COwned}},
		{"wasm", wf, []zerocall.Memory{zerocall.Module}},
	} {
		callAll(t, c.name, c.f)
		for _, mem := range c.mem {
			what := fmt.Sprintf("%s in %v memory", c.name, mem)
			h, err := c.f.Handle(mem, 8, 8, 8)
			if err != nil {
				t.Fatal(err)
			}
			b, err := c.f.Batch(mem, 4, 8, 8, 8)
			if err != nil {
				t.Fatal(err)
			}
			callAll(t, what, h)
			callAll(t, what, b)
			h.Close()
			b.Close()
			callAll(t, what+", closed", h)
			callAll(t, what+", closed", b)
		}
	}
	if af, err := asmkernel.Func(); err == nil {
		callAll(t, "asm", af)
	}
	callAll(t, "plan", &plan.Plan{Kernel: testkernel.Saxpy, Paths: map[string]func(*kernel.Args, ...kernel.Slice) (kernel.Return, error){"cgo": nf.Call}})
	for _, mem := range []zerocall.Memory{zerocall.Pinned, zerocall.COwned} {
		in, err := native.New(mem, zerocall.Config{})
		if err != nil {
			t.Fatal(err)
		}
		callAll(t, "instance", in)
		in.Close()
		callAll(t, "instance, closed", in)
	}
	callAll(t, "kernel", testkernel.Saxpy)
	callAll(t, "kernel", kernel.Sum)
	for _, v := range []any{
		(*zerocall.Instance)(nil), &zerocall.Instance{},
		(*zerocall.Pool[*kernel.Handle])(nil), &zerocall.Pool[*kernel.Handle]{},
		(*kernel.Handle)(nil), &kernel.Handle{}, &kernel.Batch{}, (*kernel.Kernel)(nil), &kernel.Kernel{},
		(*native.Func)(nil), &native.Func{}, (*native.Library)(nil), &native.Library{},
		(*wasm.Func)(nil), &wasm.Func{}, (*wasm.Library)(nil), &wasm.Library{},
		(*asm.Func)(nil), &asm.Func{}, (*plan.Plan)(nil), &plan.Plan{}, kernel.Slice{},
	} {
		callAll(t, "a zero value", v)
	}
	// A Pool with no New cannot make an instance: Do says so.
	var p zerocall.Pool[*kernel.Handle]
	if err := p.Do(func(*kernel.Handle) error { return nil }); !errors.Is(err, zerocall.ErrArgument) {
		t.Errorf("Do on a Pool with no New: %v, want ErrArgument", err)
	}
}
