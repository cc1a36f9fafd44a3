// Package engine is what a WebAssembly runtime supplies to run modules
// of the zerocall module ABI (wasm/module/zc_module.h), in the manner of
// database/sql/driver: package wasm does everything else once, for every
// runtime (the ABI's checks, the reservations, the frames, handles,
// batches, the built-in kernels' Instance, the errors), and asks a
// runtime only to compile, instantiate and call.
//
// Package wasm runs on wazero by itself; package wasmtime (a module of
// its own) is Wasmtime through this interface. A program needs this
// package only to add a runtime: it names its Engine in
// zerocall.Config.Engine, which wasm.New and wasm.Load take.
//
// Value types are numbered as in the binary format: 0x7f i32, 0x7e i64,
// 0x7d f32, 0x7c f64.
package engine

import "time"

// Engine compiles modules. It must be comparable (a pointer, say): package
// wasm compiles the embedded modules of the built-in kernels once per
// Engine.
type Engine interface {
	// Name names the runtime in errors: "wazero", "wasmtime".
	Name() string

	// Compile compiles the module bin, which package wasm has read
	// through once and found within its bytes. With timeLimit positive,
	// every call into an instance of the module (its start function, a
	// set-up call and a kernel call) must stop once it has run for about
	// timeLimit, and fail with an error that wraps
	// context.DeadlineExceeded. With memoryLimit positive (a whole number
	// of pages, which the module's memory starts within), an instance's
	// memory must not grow past memoryLimit bytes: memory.grow past it
	// fails, returning -1, as it does at the memory's declared maximum.
	Compile(bin []byte, timeLimit time.Duration, memoryLimit uint64) (Module, error)
}

// Module is a compiled module.
type Module interface {
	// Func returns the signature of the exported function name, or ok
	// false if there is none.
	Func(name string) (params, results []byte, ok bool)

	// Memory describes the export named "memory": ok is false unless it
	// is a memory, max is its maximum in pages of 64 KiB, and hasMax says
	// whether it declares one.
	Memory() (max uint64, hasMax, ok bool)

	// Imports lists the module's imports as "module.name".
	Imports() []string

	// Instantiate makes an instance of the module, running its start
	// function. A module of the ABI imports nothing.
	Instantiate() (Instance, error)

	// Close releases the compiled module. Instances made before stay
	// usable until they are closed.
	Close() error
}

// Instance is an instance of a Module, with its memory.
type Instance interface {
	// Call calls the export name, whose parameters and one result are
	// i32, during set-up (zc_abi_version, zc_reserve). It may allocate.
	Call(name string, args ...uint32) (uint32, error)

	// Memory returns the instance's memory, exported as "memory", all of
	// it. Package wasm keeps views of it for the life of the instance:
	// its address must not change as long as its size does not.
	Memory() []byte

	// Export returns the call of the export name, taking nargs i32
	// arguments (1 or 2; call ignores b when nargs is 1) and returning an
	// i64 (as ret) or nothing (a batch export: ret is then any value, and
	// package wasm ignores it); package wasm has checked the signature.
	// Package wasm calls Export once the regions are reserved and makes
	// every kernel call through what it returns, so that call must not
	// allocate. It fails if the export trapped, if it was stopped by the
	// time limit (wrapping context.DeadlineExceeded), or if the memory's
	// size is no longer what it was when Export was called; package wasm
	// then breaks the handle for good.
	Export(name string, nargs int) (call func(a, b uint32) (ret int64, err error), err error)

	// Close releases the instance and its memory. Package wasm calls it
	// once, and makes no call of the instance after.
	Close() error

	// Abandon is called instead of Close when the instance became
	// unreachable without a Close. Views of its memory may still be held:
	// Abandon must leave the memory valid for as long as any is (memory
	// the garbage collector manages may be released; other memory is
	// kept for the rest of the process).
	Abandon()
}
