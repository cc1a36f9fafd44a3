package zcbench

import (
	"fmt"
	"math"
	"unsafe"

	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
)

// bestVariant names the C variant the dispatcher chose on this machine.
func bestVariant() string { return native.Best().String() }

// Inputs makes the arguments of a call of size n of a kernel of your
// own: one slice per buffer in declared order (the inputs filled, the
// outputs of the lengths the call writes) and the scalars.
type Inputs func(n int) (bufs []kernel.Slice, args kernel.Args)

// FuncImpls returns the implementations of a kernel of your own: its C
// function f on every native path, and goFn, its pure-Go version, which
// the others are compared with. goFn runs the kernel on the slices in
// bufs, as the C function would. check, if not nil, compares one call's
// outputs (bufs) with goFn's (want) before any is timed. The in-place
// paths write the inputs into the regions once and then time the kernel
// alone; the copying paths copy in and out on every call.
func FuncImpls(f *native.Func, goFn func(a *kernel.Args, bufs []kernel.Slice) kernel.Return, in Inputs, check func(got, want []kernel.Slice) error) []Impl {
	goImpl := Impl{Name: "go", Label: "Pure Go", Notes: "your Go version", Go: true,
		Prepare: func(n int) (func() error, func(), error) {
			bufs, a := in(n)
			return func() error { goFn(&a, bufs); return nil }, nil, nil
		}}
	// verified makes one call and checks it against the Go version before
	// handing the call over.
	verified := func(n int, call func(bufs []kernel.Slice) error, got []kernel.Slice) error {
		if err := call(got); err != nil {
			return err
		}
		want, a := in(n)
		goFn(&a, want)
		if check != nil {
			return check(got, want)
		}
		return nil
	}
	perCall := func(name, label, notes string, path func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error)) Impl {
		return Impl{Name: name, Label: label, Notes: notes, Prepare: func(n int) (func() error, func(), error) {
			bufs, a := in(n)
			call := func(b []kernel.Slice) error { _, err := path(&a, b...); return err }
			if err := verified(n, call, bufs); err != nil {
				return nil, nil, err
			}
			return func() error { return call(bufs) }, nil, nil
		}}
	}
	owned := func(name, label, notes string, mem native.Memory, inPlace bool) Impl {
		return Impl{Name: name, Label: label, Notes: notes, Prepare: func(n int) (func() error, func(), error) {
			bufs, a := in(n)
			caps := make([]int, len(bufs))
			for i, b := range bufs {
				caps[i] = max(b.Len(), 1)
			}
			h, err := native.NewOwned(f, mem, caps...)
			if err != nil {
				return nil, nil, err
			}
			call := func(b []kernel.Slice) error { _, err := h.Copy(&a, b...); return err }
			if err := verified(n, call, bufs); err != nil {
				h.Close()
				return nil, nil, err
			}
			if !inPlace {
				return func() error { return call(bufs) }, func() { h.Close() }, nil
			}
			// The inputs are in the regions now: the call runs the kernel
			// on them, in place.
			for i, b := range bufs {
				a.Len[i] = b.Len()
			}
			return func() error { _, err := h.Call(&a); return err }, func() { h.Close() }, nil
		}}
	}
	return []Impl{
		goImpl,
		perCall("cgo-straight", "cgo straight", "Go slices passed straight to C", f.Straight),
		perCall("cgo-direct", "cgo Direct", "per-call Pin/Unpin", f.Direct),
		owned("cgo-prealloc", "cgo Pre-alloc", "copy into pinned regions", native.Pinned, false),
		owned("cgo-owned", "cgo in-place", "caller fills pinned regions, owned handle", native.Pinned, true),
		owned("cgo-cowned", "C-owned in-place", "caller fills C-owned regions", native.COwned, true),
	}
}

// CheckFloat returns a check for FuncImpls that wants every written
// float element within rel of the Go version's (rel 0: the same bits).
func CheckFloat(k *kernel.Kernel, rel float64) func(got, want []kernel.Slice) error {
	return func(got, want []kernel.Slice) error {
		for i, b := range k.Buffers {
			if !b.Role.Writes() {
				continue
			}
			g, w := got[i].Bytes(), want[i].Bytes()
			if rel == 0 {
				if string(g) != string(w) {
					return fmt.Errorf("%s: %s differs from the Go version", k.Name, b.Name)
				}
				continue
			}
			for j := range want[i].Len() {
				gv, wv := elem(got[i], j), elem(want[i], j)
				if d := gv - wv; d > rel*abs(wv) || -d > rel*abs(wv) {
					return fmt.Errorf("%s: %s[%d] = %v, the Go version %v", k.Name, b.Name, j, gv, wv)
				}
			}
		}
		return nil
	}
}

// elem returns element j of s as a float64.
func elem(s kernel.Slice, j int) float64 {
	p := unsafe.Add(s.Pointer(), j*s.Type().Size())
	switch s.Type() {
	case kernel.Float64:
		return *(*float64)(p)
	case kernel.Float32:
		return float64(*(*float32)(p))
	case kernel.Int64:
		return float64(*(*int64)(p))
	case kernel.Int32:
		return float64(*(*int32)(p))
	}
	return float64(*(*uint8)(p))
}

func abs(x float64) float64 { return math.Abs(x) }
