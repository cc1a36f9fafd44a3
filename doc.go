// Package zerocall calls C kernels from Go with no per-call allocation, no
// garbage-collector interaction and no pointer re-validation.
//
// The kernels (sum, dot, axpy, fir, matmul on float64) are written once in C
// against the ABI header native/zerocall.h. The hosts call them through
// one of three memory-ownership patterns, each paid for once at
// construction so that a call is only a function call with stable pointers:
//
//   - Go-owned, pinned once (package native, [Pinned] memory):
//     Go allocates the buffers and pins them with runtime.Pinner; C sees
//     cached pointers.
//   - Foreign-owned (packages wasm and wasmtime; [Module] memory): the
//     module owns fixed regions of its linear memory; Go copies into known
//     offsets.
//   - C-owned (package native, [COwned] memory): C allocates
//     aligned memory, Go sees it through slice views, and Close frees it
//     in C.
//
// Whoever allocated a buffer frees it. Package asm runs the same C,
// translated into Go assembly, on the caller's own slices with no
// crossing at all. What the patterns are judged against (a Go slice
// passed straight to C, a per-call Pin/Unpin, the pure-Go reference of
// every kernel) is measured by the benchmarks but is not part of the API.
//
// Kernels of your own go through the same patterns: package kernel
// describes them as data; the Func of each host (packages native, asm and
// wasm, on wazero or, with wasmtime.Engine, Wasmtime) calls your kernel
// once on the caller's slices (native, asm), or makes a kernel.Handle or
// kernel.Batch over regions in each kind of [Memory] the host has
// (native, wasm); package
// zctest tests them on every path and the benchmark kit, package zcbench,
// measures them.
//
// # In place or copying
//
// An [Instance] has one method per built-in kernel, taking the caller's
// slices. Views of its [Regions], each from the start of the region its
// operand uses (in.Sum(r.X[:n]), with r from in.Regions()), run in place:
// the caller fills the regions and nothing is copied at all. Any other
// slices are copied in, and inputs longer than the regions are streamed
// through them in blocks (fir keeps a k-1 overlap between blocks; a matmul
// that does not fit returns [ErrCapacity]). The two ways do not mix within
// a call: a slice that overlaps the regions without being its operand's
// view from the start returns [ErrOverlap], since copying it in would
// overwrite it. A kernel.Handle calls a kernel of your own the same way: a
// view of a region from its start runs in place, any other slice is copied
// in and out.
//
// # Many small calls
//
// A crossing into C or into a module costs tens of nanoseconds, more than
// a small kernel's work. A batch (a kernel.Batch, made by the Batch method
// of a native or wasm Func) is a handle that queues many calls
// of one kernel, each with its own scalars and its own slices of the
// handle's regions, as items of a descriptor that stays put, and runs them
// all in one crossing: a C loop, or one call of the module's batch export.
// Each call keeps its own result and error; Rerun runs the same calls
// again on new data written in place, and Stream feeds any number of
// calls through a batch of fixed size. Neither allocates.
//
// # Lifetime
//
// Close releases an instance's or a handle's buffers, and views of them
// must not be used after it. An instance or handle dropped without Close
// is caught by a backstop that [Leaked] counts; since views of its regions
// may outlive it, the backstop frees nothing a view could reach: it
// unpins Go memory, which the views keep alive, and leaks C memory and a
// foreign engine's memory rather than leave a view pointing at freed
// memory. An instance whose foreign code failed (a wasm trap) is broken:
// every call returns [ErrBroken] until it is closed, and [Instance.Err]
// says so; a handle likewise.
//
// # Concurrency
//
// An instance serialises its calls with a mutex of its own, so one instance
// may be shared, at the cost of callers waiting on each other. Calls in
// place are the exception: filling a region and calling the kernel on it
// are two steps, so a caller working in place must own the instance,
// either one instance per goroutine or one taken from a [Pool] for the
// duration. A kernel.Handle has no lock at all: it belongs to one
// goroutine at a time, so give each goroutine its own, or share handles
// through a [Pool].
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
// that underflow. The bound holds while neither order of the arithmetic
// overflows: a partial sum within a rounding of the largest float64 may
// round to Inf in one order and not in another (below). Each axpy output
// differs from a·x+y rounded twice by at most 4·u·(|a·x|+|y|) +
// 2·2⁻¹⁰⁷⁴. NaN in any term gives NaN, and +Inf with -Inf gives NaN, on
// every host; a single infinity comes out as itself unless finite inputs
// overflow, in a product or a partial sum, which different orders of
// addition do at different points and a fused multiply-add, which keeps
// its product exact, may not do at all.
package zerocall
