package zerocall

import "github.com/zerocall/zerocall/internal/errs"

// The errors every backend returns. They are values, compared with
// errors.Is, and come wrapped in a message that says what is wrong. The
// typed methods of Kernels and InPlace refuse bad arguments without
// allocating, with fixed messages that name the kernel and its operands;
// the paths of a kernel description (package kernel) also give the
// buffer's name, the types and the sizes, in a message built only when a
// call fails.
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

	// ErrBroken reports foreign code that failed in a way that leaves its
	// state unknown, such as a trap, or that broke its contract, such as
	// a kernel that reports more outputs than its buffer has. An instance
	// or handle that gets it stays broken, every later call failing with
	// the same error, and must be closed; a call that keeps no state
	// between calls (a straight pass of the caller's slices) fails alone.
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
