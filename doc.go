// Package zerocall calls C kernels from Go with no per-call allocation, no
// garbage-collector interaction and no pointer re-validation.
//
// The kernels (sum, dot, axpy, fir, matmul on float64) are written once in C
// against the ABI header native/zerocall.h. Backends call them through
// one of three memory-ownership patterns, each paid for once at
// construction so that a call is only a function call with stable pointers:
//
//   - Go-owned, pinned once (package native, NewPinned): Go allocates the
//     buffers and pins them with runtime.Pinner; C sees cached pointers.
//   - Foreign-owned (the wasm backend): the module owns fixed regions of its
//     linear memory; Go copies into known offsets.
//   - C-owned (package native, NewCOwned): C allocates aligned memory, Go
//     sees it through slice views, and Close frees it in C.
//
// Whoever allocated a buffer frees it. Besides the patterns, package native
// has the per-call baselines they are judged against (a Go slice passed
// straight to C, and a per-call Pin/Unpin), and package gokernels has the
// pure-Go reference of every kernel.
//
// Kernels of your own go through the same patterns: package kernel
// describes them as data, package native calls their C functions on
// every path, package zctest tests them and the zcbench module measures
// them. Package backend is for those who write a backend.
//
// # Interfaces
//
// Every backend implements [Kernels]: the caller's slices go in, results
// come out, and inputs longer than an instance's fixed buffers are streamed
// through them in chunks (fir keeps a k-1 overlap between chunks; a matmul
// that does not fit returns [ErrCapacity]). Backends with stable buffers also
// implement [InPlace]: the caller fills the [Regions] directly and calls a
// kernel on the first n values, so nothing is copied at all. The two paths
// do not mix: a copy-in call given a slice of the instance's own regions
// returns [ErrOverlap], since copying it in would overwrite it.
//
// # Many small calls
//
// A crossing into C or into a module costs tens of nanoseconds, more than
// a small kernel's work. A batch (native.NewBatch, wasm.NewBatch,
// wasmtime.NewBatch) is a handle that queues many calls of one kernel,
// each with its own lengths, scalars and offsets into the handle's
// regions, as items of a descriptor that stays put, and runs them all in
// one crossing: a C loop, or one call of the module's batch export. Each
// call keeps its own result and error; Rerun runs the same calls again on
// new data written in place, and Stream feeds any number of calls through
// a batch of fixed size. Neither allocates.
//
// # Lifetime
//
// Close releases an instance's buffers, and the Regions must not be used
// after it. An instance dropped without Close is caught by a backstop that
// [Leaked] counts; since views of its Regions may outlive it, the backstop
// frees nothing a view could reach: it unpins Go memory, which the views
// keep alive, and leaks C memory and a foreign engine's memory rather than
// leave a view pointing at freed memory. An instance whose foreign code
// failed (a wasm trap) is broken: every call returns [ErrBroken] until it
// is closed, and [Instance.Err] says so.
//
// # Concurrency
//
// An instance serialises its calls with a mutex of its own, so one instance
// may be shared, at the cost of callers waiting on each other. The in-place
// methods are the exception: filling a region and calling the kernel are
// two steps, so a caller using them must own the instance, either one
// instance per goroutine or one taken from a [Pool] for the duration.
//
// # Accuracy
//
// The scalar C kernels and the naive pure-Go kernels add in index order
// with one rounding per operation, so they agree to the last bit, with
// gcc or clang: no build of the C sources contracts a·b + c into a fused
// multiply-add (native/CFLAGS), and the Go reference converts each product
// to float64, which forbids the Go compiler to fuse it.
// Vector kernels, unrolled Go and chunked streaming keep several partial
// sums and may fuse multiply-adds, which reassociates the arithmetic. For a
// reduction of n terms t_i the result differs from the in-order sum by at
// most
//
//	2·n·u·Σ|t_i| + 2·n·2⁻¹⁰⁷⁴    (u = 2⁻⁵³, the unit roundoff)
//
// where the terms are x[i] for sum, x[i]·y[i] for dot, and the k (fir) or m
// (matmul) products of each output; the second term allows for products
// that underflow. Each axpy output differs from a·x+y rounded twice by at
// most 4·u·(|a·x|+|y|) + 2·2⁻¹⁰⁷⁴. NaN in any term gives NaN, and +Inf with
// -Inf gives NaN, on every backend; a single infinity comes out as itself
// unless finite inputs overflow, in a product or a partial sum, which
// different orders of addition do at different points and a fused
// multiply-add, which keeps its product exact, may not do at all.
package zerocall
