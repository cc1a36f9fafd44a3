package kerneltest

import (
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/kernel"
)

// hostile make the arguments of one call of a method, by parameter type:
// zero values (nil pointers, functions and interfaces, empty slices),
// then negative and NaN ones with fresh zero pointees, then the largest
// ones, with an Args whose lengths and scalars are out of range.
var hostile = []func(reflect.Type) reflect.Value{
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

// CallAll calls every exported method of v but Close with each set of
// hostile arguments (zero; negative, NaN and fresh pointers; the largest,
// and an Args out of range), variadic parameters left empty, and fails
// the test for each call that panics. what names v in the failures.
func CallAll(t *testing.T, what string, v any) {
	t.Helper()
	rv := reflect.ValueOf(v)
	for i := range rv.NumMethod() {
		name := rv.Type().Method(i).Name
		if name == "Close" {
			continue
		}
		m := rv.Method(i)
		mt := m.Type()
		for g, arg := range hostile {
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

// HostFunc is a host's Func as NoPanics takes it.
type HostFunc interface {
	Handle(zerocall.Memory, ...int) (*kernel.Handle, error)
	Batch(zerocall.Memory, int, ...int) (*kernel.Batch, error)
}

// NoPanics runs CallAll on f, a Func of a kernel of three buffers
// (testkernel.Saxpy), and on a handle and a batch of it in each memory of
// mems, open and then closed.
func NoPanics(t *testing.T, what string, f HostFunc, mems ...zerocall.Memory) {
	t.Helper()
	CallAll(t, what, f)
	for _, mem := range mems {
		w := fmt.Sprintf("%s in %v memory", what, mem)
		h, err := f.Handle(mem, 8, 8, 8)
		if err != nil {
			t.Fatal(err)
		}
		b, err := f.Batch(mem, 4, 8, 8, 8)
		if err != nil {
			t.Fatal(err)
		}
		CallAll(t, w, h)
		CallAll(t, w, b)
		h.Close()
		b.Close()
		CallAll(t, w+", closed", h)
		CallAll(t, w+", closed", b)
	}
}
