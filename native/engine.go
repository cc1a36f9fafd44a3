package native

// #include "zc_go.h"
import "C"

import (
	"runtime"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/backend"
	"github.com/zerocall/zerocall/internal/regionset"
	"github.com/zerocall/zerocall/kernel"
)

// align is the alignment of every region, in elements: one 64-byte cache
// line, as C's ZC_ALIGN.
const align = C.ZC_ALIGN / 8

// layout returns the kernels of cfg's variant and its checked sizes.
func layout(cfg zerocall.Config) (k C.uintptr_t, capacity, taps int, err error) {
	if k, err = kernels(cfg.Variant); err != nil {
		return 0, 0, 0, err
	}
	// A terabyte, as for any region.
	capacity, taps, err = backend.Sizes(cfg, regionset.MaxBytes/8)
	return k, capacity, taps, err
}

// engine runs one variant's built-in kernels on regions whose addresses
// never change, pinned Go memory or C memory, through the calling
// convention every kernel uses (zc_kernel.h): one frame per kernel,
// filled with the regions' addresses once, so that a call writes only
// its lengths and scalars and calls the kernel's frame function. Patterns
// 1 and 3 differ only in who owns the regions, not in how they are
// called.
type engine struct {
	fr   *engineFrames
	addr [nBuiltins]C.uintptr_t // each frame's address
	fn   [nBuiltins]C.uintptr_t // each kernel's frame function
	pin  runtime.Pinner         // pins fr
}

// The built-in kernels' numbers, zc_builtin in zerocall.h, which are
// their indexes in builtins (TestBuiltinOrder holds them together).
const (
	kSum      = C.ZC_BUILTIN_SUM
	kDot      = C.ZC_BUILTIN_DOT
	kAxpy     = C.ZC_BUILTIN_AXPY
	kFIR      = C.ZC_BUILTIN_FIR
	kMatMul   = C.ZC_BUILTIN_MATMUL
	nBuiltins = C.ZC_BUILTIN_COUNT
)

// builtins are the built-in kernels, indexed by their numbers.
var builtins = [nBuiltins]*kernel.Kernel{kSum: kernel.Sum, kDot: kernel.Dot, kAxpy: kernel.Axpy, kFIR: kernel.FIR, kMatMul: kernel.MatMul}

// builtinNumber returns the number zerocall.h gives built-in kernel k,
// or -1 if k is not one.
func builtinNumber(k *kernel.Kernel) int {
	for i, b := range builtins {
		if b == k {
			return i
		}
	}
	return -1
}

// engineFrames holds the frames in Go memory of their own, pinned once.
type engineFrames struct{ fr [nBuiltins]C.zc_frame }

// newEngine binds the variant whose table is t to the regions r. Its pin
// must be released with unpin.
func newEngine(t C.uintptr_t, r zerocall.Regions) *engine {
	e := &engine{fr: new(engineFrames)}
	e.pin.Pin(e.fr)
	x, y, taps, out := unsafe.Pointer(&r.X[0]), unsafe.Pointer(&r.Y[0]), unsafe.Pointer(&r.Taps[0]), unsafe.Pointer(&r.Out[0])
	bufs := [nBuiltins][]unsafe.Pointer{
		kSum: {x}, kDot: {x, y}, kAxpy: {x, y, out}, kFIR: {x, taps, out}, kMatMul: {x, y, out},
	}
	for k := range nBuiltins {
		fr := &e.fr.fr[k]
		copy(fr.buf[:], bufs[k])
		e.addr[k] = C.uintptr_t(uintptr(unsafe.Pointer(fr)))
		e.fn[k] = C.zcg_frame_fn(C.int(k))
		C.zcg_set_ctx(e.addr[k], t)
	}
	return e
}

// unpin releases the frames' pin.
func (e *engine) unpin() { e.pin.Unpin() }

// call runs kernel k on its frame, whose lengths and scalars are set,
// and returns what it returned. Instance has checked every size, so a
// kernel's refusal is a failure of the engine.
func (e *engine) call(k int) (int64, error) {
	ret := int64(C.zcg_call(e.fn[k], e.addr[k]))
	if ret < 0 {
		_, err := builtins[k].Returned(ret, 0, nil)
		return 0, err
	}
	return ret, nil
}

func (e *engine) Sum(n int) (float64, error) {
	fr := &e.fr.fr[kSum]
	fr.len[0] = C.int64_t(n)
	_, err := e.call(kSum)
	return float64(fr.result), err
}

func (e *engine) Dot(n int) (float64, error) {
	fr := &e.fr.fr[kDot]
	fr.len[0], fr.len[1] = C.int64_t(n), C.int64_t(n)
	_, err := e.call(kDot)
	return float64(fr.result), err
}

func (e *engine) Axpy(a float64, n int) error {
	fr := &e.fr.fr[kAxpy]
	fr.len[0], fr.len[1], fr.len[2] = C.int64_t(n), C.int64_t(n), C.int64_t(n)
	fr.f[0] = C.double(a)
	_, err := e.call(kAxpy)
	return err
}

func (e *engine) FIR(n, k int) (int, error) {
	fr := &e.fr.fr[kFIR]
	fr.len[0], fr.len[1], fr.len[2] = C.int64_t(n), C.int64_t(k), C.int64_t(n-k+1)
	got, err := e.call(kFIR)
	return int(got), err
}

func (e *engine) MatMul(m int) error {
	fr := &e.fr.fr[kMatMul]
	mm := C.int64_t(m * m)
	fr.len[0], fr.len[1], fr.len[2] = mm, mm, mm
	fr.i[0] = C.int64_t(m)
	_, err := e.call(kMatMul)
	return err
}
