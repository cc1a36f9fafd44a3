// Package backend is how this module's hosts run the built-in kernels
// behind a *zerocall.Instance: over five kernel.Handles, one per
// built-in kernel, that share the instance's four regions (pinned Go
// memory, C memory, a wasm module's linear memory). A host supplies only
// the runner of each handle (how one call crosses, as for any handle of
// its own) and how the regions are released; NewInstance makes the
// handles and wraps them in a *zerocall.Instance, where argument checks,
// the mutex, calls in place or copying, streaming through the regions,
// the closed and broken states and the garbage-collection backstop are
// written once, for every host. Packages native and wasm (for every wasm
// runtime, Wasmtime's included) are built this way; being internal, the
// package is open to no other.
//
// Users of zerocall need none of this: they call the hosts'
// constructors (native.New, wasm.New).
package backend

import (
	"fmt"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/link"
	"github.com/zerocall/zerocall/internal/regionset"
	"github.com/zerocall/zerocall/kernel"
)

// Kernels are the built-in kernels in the order an instance's hosts are
// given: the order of zc_builtin in zerocall.h and of the built-in
// modules' exports.
var Kernels = [N]*kernel.Kernel{kernel.Sum, kernel.Dot, kernel.Axpy, kernel.FIR, kernel.MatMul}

// N is the number of built-in kernels.
const N = 5

// The regions of an instance, by index.
const (
	X = iota
	Y
	Taps
	Out
	NRegions
)

// Buffers lists, for each of Kernels, the region each of its buffers
// lies in, in the kernel's buffer order: sum reads X; dot X and Y; axpy X
// and Y into Out; fir X and Taps into Out; matmul X and Y into Out.
var Buffers = [N][]int{
	{X},
	{X, Y},
	{X, Y, Out},
	{X, Taps, Out},
	{X, Y, Out},
}

// Views returns the addresses of regions r, by index.
func Views(r zerocall.Regions) [NRegions]unsafe.Pointer {
	var v [NRegions]unsafe.Pointer
	for i, s := range [NRegions][]float64{X: r.X, Y: r.Y, Taps: r.Taps, Out: r.Out} {
		if len(s) > 0 {
			v[i] = unsafe.Pointer(&s[0])
		}
	}
	return v
}

// Release says how an instance's buffers are given back.
type Release struct {
	// Close releases the buffers. Instance.Close calls it once, after
	// closing the handles.
	Close func() error

	// Unreachable, if not nil, is called instead of Close by the
	// garbage-collection backstop, when the instance becomes unreachable
	// without a Close. Views of the Regions that the program still holds
	// may outlive the instance, so Unreachable must leave the regions'
	// memory valid: it may unpin Go memory, which the views keep alive,
	// or release what no view can reach, but it must not free memory that
	// the garbage collector does not manage (C memory, a foreign engine's
	// linear memory). Such memory is leaked instead, and zerocall.Leaked
	// counts it.
	Unreachable func()
}

// NewInstance makes the instance whose regions are r, run by hosts, one
// per kernel of Kernels, each over the regions Buffers gives it: the
// handle of kernel i over those regions calls hosts[i].Run, once the
// instance has checked every length, and the instance's Close closes the
// handles, then the regions with rel.Close.
//
// A host's Run returns an error only when the call failed in a way that
// leaves the state unknown (a trap in foreign code), or when the kernel
// refused lengths the instance had checked; either breaks the instance for
// good: it returns that error (wrapping zerocall.ErrBroken) from every
// later call, never calls a host again, and still releases the regions on
// Close. What a host returns is checked too: an fir that reports a number
// of outputs other than n-k+1 breaks the instance the same way.
//
// X, Y and Out must have the same length, the capacity, of at least one
// element; Taps must hold at least one element and at most the capacity;
// the regions must not overlap. rel's functions, and the hosts, must not
// refer to the Instance, or the backstop could never run. NewInstance
// fails with zerocall.ErrArgument when the regions break these rules, a
// host is nil or rel.Close is nil; it then releases the regions with
// rel.Close, so that a host's constructor can return what it returns.
func NewInstance(hosts [N]regionset.Host, r zerocall.Regions, rel Release) (in *zerocall.Instance, err error) {
	defer func() {
		if err != nil && rel.Close != nil {
			_ = rel.Close()
		}
	}()
	views := Views(r)
	caps := [NRegions]int{X: len(r.X), Y: len(r.Y), Taps: len(r.Taps), Out: len(r.Out)}
	var hs [N]any
	for i, h := range hosts {
		if h == nil {
			return nil, fmt.Errorf("%w: NewInstance needs a host for %s", zerocall.ErrArgument, Kernels[i].Name)
		}
		var c [len(kernel.Args{}.Len)]int
		var v [len(kernel.Args{}.Len)]unsafe.Pointer
		for j, reg := range Buffers[i] {
			c[j], v[j] = caps[reg], views[reg]
		}
		nb := len(Buffers[i])
		hs[i] = regionset.NewHandle(Kernels[i], c[:nb], v[:nb], h)
	}
	i, err := link.Instance(hs, r.X, r.Y, r.Taps, r.Out, rel.Close, rel.Unreachable)
	if err != nil {
		return nil, err
	}
	return i.(*zerocall.Instance), nil
}

// Sizes applies a zero Config's defaults to an instance's sizes, 65536
// elements of capacity and 256 taps (or the capacity if smaller), and
// checks them against most, the largest capacity the host can hold: the
// same rule, and the same error, on every host.
func Sizes(cfg zerocall.Config, most int) (capacity, taps int, err error) {
	capacity, taps = cfg.Capacity, cfg.Taps
	if capacity == 0 {
		capacity = 1 << 16
	}
	if taps == 0 {
		taps = min(256, capacity)
	}
	if capacity < 1 || capacity > most {
		return 0, 0, fmt.Errorf("%w: a capacity of %d; it holds 1 to %d elements", zerocall.ErrArgument, capacity, most)
	}
	if taps < 1 || taps > capacity {
		return 0, 0, fmt.Errorf("%w: %d taps with a capacity of %d; the taps are 1 to the capacity", zerocall.ErrArgument, taps, capacity)
	}
	return capacity, taps, nil
}
