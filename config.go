package zerocall

import (
	"time"

	"github.com/zerocall/zerocall/wasm/engine"
)

// Config sizes an Instance of the built-in kernels and picks its code,
// the same on every host (native.New, wasm.New), and picks the runtime
// and bounds the calls and the memory of a wasm module of your own
// (wasm.Load).
type Config struct {
	// Capacity is the number of elements in each of the regions X, Y and
	// Out: the longest input a call handles in one piece, and the largest
	// m·m of a matmul. 0 means 65536.
	Capacity int
	// Taps is the number of elements in the region Taps, the most taps
	// an fir can have; at most Capacity. 0 means 256, or Capacity if
	// smaller.
	Taps int
	// Variant is the code to run: for native, Auto (the best this CPU
	// runs), Scalar, AVX2, AVX512 or NEON; for wasm, the module built for
	// Scalar or SIMD128 (which Auto stands for).
	Variant Variant
	// TimeLimit, if positive, bounds every call into the instances of a
	// module of your own (wasm.Load; the other fields but Engine do not
	// apply there, and the built-in modules of wasm.New are not bounded).
	// A kernel call still running after about TimeLimit is stopped, fails
	// with an error wrapping ErrBroken, and its instance is broken. The
	// engines look four times per limit, at most once a millisecond: a
	// limit under 4 ms acts as about 4 ms. Each
	// call of an instance's set-up (the start function, zc_abi_version,
	// each zc_reserve) is bounded alike, the host's allocation of the
	// instance's memory aside: one still running after about
	// TimeLimit is stopped, and the constructor (Func.Handle, Func.Batch)
	// releases the instance and fails with an error wrapping ErrLoad that
	// says so. So is the compile: wasm.Load gives up on a module that
	// takes longer than TimeLimit, or a second and 10 ms a kilobyte if
	// that is longer, and fails with ErrLoad (wazero then stops at its
	// next function). The engines stop a call differently. On wazero,
	// wasm.Load writes checks into the module (at each function's start
	// and loop's head, a count of the code run, which looks at a stop
	// flag about every megabyte of it), which cost no allocation; a
	// module it cannot rewrite so (one with a start function, say) keeps
	// wazero's own checks, which watch each call with a goroutine of its
	// own, three or four allocations per call. Wasmtime uses epoch
	// interruption, which costs none. Growing memory is not interrupted:
	// on wazero it copies the memory, and a kernel that grows it by
	// gigabytes runs on until the copy ends (seconds), though once the
	// limit has stopped a call the memory grows no more; MemoryLimit
	// bounds it. (On wazero, an instance's memory is made with room for
	// its regions past its end, up to its maximum and MemoryLimit, so
	// that zc_reserve's growth copies nothing.) Zero means calls are not
	// bounded, set-up included, and a module that never returns holds
	// its goroutine.
	TimeLimit time.Duration
	// MemoryLimit, if positive, bounds the linear memory of each instance
	// of a module of your own (wasm.Load), in bytes,
	// rounded down to whole 64 KiB pages; it does not apply to the
	// built-in modules. A module whose memory starts larger fails to load
	// with an error wrapping ErrLoad. Growing past it fails as the module
	// sees it (memory.grow returns -1): a zc_reserve that needs more fails
	// with ErrNoMemory, as does a handle whose regions alone need more.
	// Zero means wasm32's own bound of 4 GiB per instance, which a module
	// may claim, and the host then allocates and clears, as soon as it is
	// instantiated (on wazero, where the machine cannot hold it,
	// instantiating fails with ErrNoMemory, and a grow fails): set both
	// limits for modules you do not trust.
	MemoryLimit int

	// Engine is the WebAssembly runtime that wasm.New and wasm.Load run
	// modules on: nil is wazero, wasmtime.Engine is Wasmtime (package
	// wasmtime, a module of its own), and a runtime of your own
	// implements package wasm/engine. The other hosts ignore it.
	Engine engine.Engine
}
