package zerocall

import "github.com/zerocall/zerocall/internal/sealed"

// Kernels is the interface every backend implements, over the caller's own
// slices. The methods validate their arguments and return one of the
// package's errors instead of panicking.
//
// # Notes
//
//   - This interface is sealed: only zerocall's own types implement it,
//     so that methods can be added to it. To run kernels of your own, see
//     package kernel; to write a backend, package backend.
type Kernels interface {
	sealed.Interface

	// Sum returns x[0] + ... + x[len(x)-1], or 0 for an empty x.
	Sum(x []float64) (float64, error)

	// Dot returns the inner product of x and y, which must have the same
	// length.
	Dot(x, y []float64) (float64, error)

	// Axpy sets out[i] = a·x[i] + y[i] for i < len(x). x and y must have the
	// same length, out at least that length; out may be x or y itself but
	// may not overlap them otherwise.
	Axpy(a float64, x, y, out []float64) error

	// FIR filters x with the k = len(taps) taps in valid mode,
	// out[i] = Σ_{j<k} taps[j]·x[i+j] for i ≤ len(x)-k, and returns the
	// number of outputs, len(x)-k+1. It needs 1 ≤ k ≤ len(x), and out must
	// hold the outputs without overlapping x or taps.
	FIR(x, taps, out []float64) (int, error)

	// MatMul sets c = a·b for square row-major m×m matrices held in the
	// first m·m elements of each slice. c may not overlap a or b.
	MatMul(a, b, c []float64, m int) error

	// Close releases what the instance holds. Calls after Close return
	// ErrClosed; a second Close does nothing and returns nil.
	Close() error
}

// Regions are the stable buffers of an instance, as Go slices. They stay
// valid, at the same addresses, from construction until Close, and must
// not be used after it. An instance dropped without Close never frees
// memory its Regions point at (see Leaked). They are for the in-place
// methods: passing them to the copy-in methods is an ErrOverlap.
//
// Each kernel reads and writes fixed regions: sum reads X; dot reads X and
// Y; axpy reads X and Y and writes Out; fir reads X and Taps and writes
// Out; matmul reads a from X and b from Y and writes c to Out.
type Regions struct {
	X, Y, Taps, Out []float64
}

// InPlace is implemented by backends with stable buffers. Instead of
// handing over slices to copy, the caller writes the inputs into Regions
// and calls a kernel on the first n values: nothing is copied.
//
// Filling the regions and calling the kernel are two steps that the
// instance's mutex cannot join, so the caller must own the instance while
// using these methods (one instance per goroutine, or one from a Pool).
//
// # Notes
//
//   - This interface is sealed, as Kernels is.
type InPlace interface {
	Kernels

	// Regions returns the instance's buffers, or empty slices after Close.
	Regions() Regions

	// SumN returns the sum of X[:n].
	SumN(n int) (float64, error)

	// DotN returns the inner product of X[:n] and Y[:n].
	DotN(n int) (float64, error)

	// AxpyN sets Out[i] = a·X[i] + Y[i] for i < n.
	AxpyN(a float64, n int) error

	// FIRN filters X[:n] with Taps[:k] into Out and returns n-k+1.
	FIRN(n, k int) (int, error)

	// MatMulN sets Out = X·Y for m×m matrices.
	MatMulN(m int) error
}
