package zerocall

import "github.com/zerocall/zerocall/internal/errs"

// The errors every backend returns. They are values, compared with
// errors.Is, and returning them never allocates.
var (
	// ErrCapacity reports an input that cannot be streamed and does not fit
	// the instance's fixed buffers: a matmul with m·m over capacity, an fir
	// with more taps than the taps buffer, or an in-place n over capacity.
	ErrCapacity = errs.Capacity

	// ErrLength reports operands whose lengths do not match, or an output
	// too short for the result.
	ErrLength = errs.Length

	// ErrArgument reports a size out of its range: a negative length or
	// order, or an fir with no taps or with more taps than inputs.
	ErrArgument = errs.Argument

	// ErrOverlap reports an output that overlaps an input in a way the
	// kernel does not allow, or a copy-in call given a slice that overlaps
	// the instance's own Regions (the in-place methods are for data
	// already there).
	ErrOverlap = errs.Overlap

	// ErrClosed reports a call on an instance after its Close.
	ErrClosed = errs.Closed

	// ErrUnsupported reports a kernel variant this machine cannot run.
	ErrUnsupported = errs.Unsupported

	// ErrBroken reports an instance that failed in a way that left its
	// state unknown, such as a trap in foreign code; it must be closed.
	ErrBroken = errs.Broken

	// ErrNoMemory reports buffers that cannot be allocated: more than the
	// machine (or its memory limits) can provide, or an allocation that
	// failed.
	ErrNoMemory = errs.NoMemory

	// ErrType reports a slice or a view whose element type is not the one
	// a kernel's description gives its buffer.
	ErrType = errs.Type
)
