package zerocall

import "github.com/zerocall/zerocall/internal/errs"

// The errors every host returns. They are values, compared with
// errors.Is, and come wrapped in a message that says what is wrong. The
// methods of Instance refuse bad arguments without allocating, with fixed
// messages that name the kernel and its operands; the calls of a kernel
// description (package kernel: a Func's Call, a Handle, a Batch) also give
// the buffer's name, the types and the sizes, in a message built only when
// a call fails.
var (
	// ErrCapacity reports an input that cannot be streamed and does not fit
	// the fixed buffers of an instance or a handle: a matmul with m·m over
	// capacity, an fir with more taps than the taps buffer, a slice longer
	// than its region in a handle's Call, or a batch call that starts in
	// its region and runs past its end, or past the batch's items.
	ErrCapacity = errs.Capacity

	// ErrLength reports operands whose lengths do not match, or an output
	// too short for the result.
	ErrLength = errs.Length

	// ErrArgument reports a size out of its range: a negative length or
	// order, or an fir with no taps or with more taps than inputs; or an
	// argument a call cannot take, such as a batch call's slice that does
	// not start inside its region, or a nil function.
	ErrArgument = errs.Argument

	// ErrOverlap reports an output that overlaps an input in a way the
	// kernel does not allow, or a slice that overlaps the regions of the
	// instance or handle it is given to without being the view of its own
	// region from its start, which runs in place: copying it in would
	// overwrite the region.
	ErrOverlap = errs.Overlap

	// ErrClosed reports a call on an instance or a handle after its Close,
	// or a wasm Library used after its Close (Library.Func, and a Func's
	// Handle and Batch).
	ErrClosed = errs.Closed

	// ErrUnsupported reports what this machine or host cannot do: a
	// kernel variant the CPU cannot run, a kind of Memory the host does
	// not have, or Go assembly on an architecture with no translation.
	ErrUnsupported = errs.Unsupported

	// ErrBroken reports foreign code that failed in a way that leaves its
	// state unknown, such as a trap, or that broke its contract, such as
	// a kernel that reports more outputs than its buffer has. An instance
	// or handle that gets it stays broken, every later call failing with
	// the same error, and must be closed; a call that keeps no state
	// between calls (the Call of a native or asm Func, on the caller's
	// slices) fails alone.
	ErrBroken = errs.Broken

	// ErrNoMemory reports buffers that cannot be allocated: more than the
	// machine (or its memory limits) can provide, or an allocation that
	// failed.
	ErrNoMemory = errs.NoMemory

	// ErrType reports a slice or a view whose element type is not the one
	// a kernel's description gives its buffer.
	ErrType = errs.Type

	// ErrLoad reports kernel code that cannot be used: a shared library
	// that does not load or lacks a symbol, a wasm module that breaks the
	// module ABI (zc_module.h) or does not compile, a start function or
	// set-up call that traps or runs past its time limit. The error says
	// which and why.
	ErrLoad = errs.Load
)
