// Package backend is how this module's hosts run the built-in kernels
// behind a *zerocall.Instance, over buffers that stay put (pinned Go
// memory, C memory, a wasm module's linear memory). A host implements
// Engine and hands it to NewInstance, which wraps it in a
// *zerocall.Instance: argument checks, the mutex, calls in place or
// copying, streaming through the buffers, the closed and broken states
// and the garbage-collection backstop are written once there, for every
// host. Packages native, wasm and wasmtime are built this way; being
// internal, the package is open to no other.
//
// Users of zerocall need none of this: they call the hosts'
// constructors (native.New, wasm.New, wasmtime.New).
package backend

import (
	"fmt"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/link"
)

// Engine runs the kernels of a backend with stable buffers over the first
// n values of its Regions. Its methods are called with the instance's
// mutex held and with sizes already checked against the regions'
// capacities.
//
// A method returns an error only when the engine failed in a way that
// leaves its state unknown, such as a trap in foreign code. The instance
// is then broken for good: it returns that error (which should wrap
// zerocall.ErrBroken) from every later call, never calls the engine
// again, and still releases it on Close. What an engine returns is
// checked too: an fir that reports a number of outputs other than n-k+1
// breaks the instance the same way.
type Engine interface {
	// Sum returns the sum of X[:n].
	Sum(n int) (float64, error)
	// Dot returns the inner product of X[:n] and Y[:n].
	Dot(n int) (float64, error)
	// Axpy sets Out[i] = a·X[i] + Y[i] for i < n.
	Axpy(a float64, n int) error
	// FIR filters X[:n] with Taps[:k] into Out and returns n-k+1.
	FIR(n, k int) (int, error)
	// MatMul sets Out = X·Y for m×m matrices.
	MatMul(m int) error
}

// Release says how an instance's buffers are given back.
type Release struct {
	// Close releases the buffers. Instance.Close calls it once.
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

// NewInstance wraps the engine e of a backend whose buffers are r. X, Y
// and Out must have the same length, the capacity, of at least one
// element; Taps must hold at least one element and at most the capacity;
// the regions must not overlap. rel says how to release the buffers; its
// functions must not refer to the Instance, or the backstop could never
// run. NewInstance fails with zerocall.ErrArgument when the regions break
// these rules, e is nil or rel.Close is nil.
func NewInstance(e Engine, r zerocall.Regions, rel Release) (*zerocall.Instance, error) {
	if e == nil {
		return nil, fmt.Errorf("%w: NewInstance needs an engine", zerocall.ErrArgument)
	}
	in, err := link.Instance(e, r.X, r.Y, r.Taps, r.Out, rel.Close, rel.Unreachable)
	if err != nil {
		return nil, err
	}
	return in.(*zerocall.Instance), nil
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
	if capacity < 1 || taps < 1 || taps > capacity || capacity > most {
		return 0, 0, fmt.Errorf("%w: a capacity of %d with %d taps; the capacity holds 1 to %d elements, and the taps 1 to the capacity",
			zerocall.ErrArgument, capacity, taps, most)
	}
	return capacity, taps, nil
}
