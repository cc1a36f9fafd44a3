package zcbench

import (
	"fmt"
	"math"
	"unsafe"

	"github.com/zerocall/zerocall/asm"
	hooks "github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/wasm"
)

// bestVariant names the C variant the dispatcher chose on this machine.
func bestVariant() string { return native.Best().String() }

// Inputs makes the arguments of a call of size n of a kernel of your
// own: one slice per buffer in declared order (the inputs filled, the
// outputs of the lengths the call writes) and the scalars.
type Inputs func(n int) (bufs []kernel.Slice, args kernel.Args)

// Func is a kernel of your own as a host implements it: a *native.Func
// (C through cgo), a *wasm.Func (a wasm module on wazero) or an
// *asm.Func (C translated into Go assembly).
type Func interface {
	Kernel() *kernel.Kernel
}

// Handle is a kernel bound to regions of its own, as every host has one
// (native.Owned, wasm.Owned, wasmtime.Owned).
type Handle interface {
	Call(a *kernel.Args) (kernel.Return, error)
	Copy(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error)
	Close() error
}

// Host makes handles of a kernel of your own on another host, for rows
// named Name+"-copy" and Name+"-inplace": for example wasmtime.NewOwned
// of the same module; and, if NewBatch is not nil, batches, for the row
// Name+"-batch" (BatchImpl): for example wasmtime.NewBatch.
//
// A host may instead (or also) call the kernel on the caller's slices:
// Call, if not nil, is timed as the row Name, as AsmHost does for the
// same C translated into Go assembly.
type Host struct {
	Name, Label string
	New         func(caps []int) (Handle, error)
	NewBatch    func(items int, caps []int) (Batch, error)
	Call        func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error)
}

// AsmHost is the host of a kernel translated into Go assembly (zerocall
// gen -code): its direct call, the row "asm".
func AsmHost(f *asm.Func) Host {
	return Host{Name: "asm", Label: "Go asm (C)", Call: f.Call}
}

// FuncImpls returns the implementations of a kernel of your own: f on
// every path its host has (for a *native.Func the straight pass, the
// per-call pin, handles over pinned and C-owned regions and a batch; for
// a *wasm.Func a wazero instance's regions, and a batch if the module has
// the kernel's batch export; for an *asm.Func its direct call), then each
// of hosts, and
// goFn, its pure-Go version, which the others are compared with. goFn
// runs the kernel on the slices in bufs, as the kernel would. check, if
// not nil, compares one call's outputs (bufs) with goFn's (want) before
// any is timed. The in-place paths write the inputs into the regions once
// and then time the kernel alone; the copying paths copy in and out on
// every call.
func FuncImpls(f Func, goFn func(a *kernel.Args, bufs []kernel.Slice) kernel.Return, in Inputs, check func(got, want []kernel.Slice) error, hosts ...Host) []Impl {
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
	owned := func(name, label, notes string, newHandle func(caps []int) (Handle, error), inPlace bool) Impl {
		return Impl{Name: name, Label: label, Notes: notes, Prepare: func(n int) (func() error, func(), error) {
			bufs, a := in(n)
			caps := make([]int, len(bufs))
			for i, b := range bufs {
				caps[i] = max(b.Len(), 1)
			}
			h, err := newHandle(caps)
			if err != nil {
				return nil, nil, err
			}
			call := func(b []kernel.Slice) error { _, err := h.Call(&a, b...); return err }
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
	// batched is a host's batch row, checked against the Go version.
	batched := func(name, label string, newBatch func(items int, caps []int) (Batch, error)) Impl {
		return BatchImpl(name, label, "calls queued, a thousand per crossing", newBatch, in,
			func(n int, r kernel.Return, got []kernel.Slice) error {
				want, a := in(n)
				w := goFn(&a, want)
				if f.Kernel().Result == kernel.Count && r.N != w.N {
					return fmt.Errorf("returned %d, want %d", r.N, w.N)
				}
				if check != nil {
					return check(got, want)
				}
				return nil
			})
	}
	impls := []Impl{goImpl}
	switch f := f.(type) {
	case *native.Func:
		mem := func(m zerocall.Memory) func(caps []int) (Handle, error) {
			return func(caps []int) (Handle, error) { return f.Handle(m, caps...) }
		}
		impls = append(impls,
			perCall("cgo-straight", "cgo straight", "Go slices passed straight to C", f.Call),
			perCall("cgo-direct", "cgo Direct", "per-call Pin/Unpin", hooks.PinPerCall(f)),
			owned("cgo-prealloc", "cgo Pre-alloc", "copy into pinned regions", mem(zerocall.Pinned), false),
			owned("cgo-owned", "cgo in-place", "caller fills pinned regions, owned handle", mem(zerocall.Pinned), true),
			owned("cgo-cowned", "C-owned in-place", "caller fills C-owned regions", mem(zerocall.COwned), true),
			batched("cgo-batch", "cgo batched", func(items int, caps []int) (Batch, error) {
				return f.Batch(zerocall.Pinned, items, caps...)
			}))
	case *wasm.Func:
		h := Host{Name: "wazero", Label: "wazero", New: func(caps []int) (Handle, error) { return f.Handle(zerocall.Module, caps...) }}
		if hasBatch(f) {
			h.NewBatch = func(items int, caps []int) (Batch, error) { return f.Batch(zerocall.Module, items, caps...) }
		}
		hosts = append([]Host{h}, hosts...)
	case *asm.Func:
		hosts = append([]Host{AsmHost(f)}, hosts...)
	}
	for _, h := range hosts {
		if h.Call != nil {
			impls = append(impls, perCall(h.Name, h.Label, "called directly, no crossing", h.Call))
		}
		if h.New == nil {
			continue
		}
		impls = append(impls,
			owned(h.Name+"-copy", h.Label+" copy", "copy into module memory", h.New, false),
			owned(h.Name+"-inplace", h.Label+" in-place", "caller fills module memory", h.New, true))
		if h.NewBatch != nil {
			impls = append(impls, batched(h.Name+"-batch", h.Label+" batched", h.NewBatch))
		}
	}
	return impls
}

// hasBatch reports whether f's module has f's batch export.
func hasBatch(f *wasm.Func) bool {
	caps := make([]int, len(f.Kernel().Buffers))
	for i := range caps {
		caps[i] = 1
	}
	b, err := f.Batch(zerocall.Module, 1, caps...)
	if err != nil {
		return false
	}
	b.Close()
	return true
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
