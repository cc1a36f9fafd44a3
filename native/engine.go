package native

// #include "zc_go.h"
import "C"

import (
	"unsafe"

	"github.com/zerocall/zerocall"
)

// Config sizes the stable buffers of a pattern-1 or pattern-3 instance.
type Config struct {
	// Capacity is the number of elements in each of X, Y and Out: the
	// longest input a call handles in one piece, and the largest m·m of a
	// matmul. 0 means DefaultCapacity.
	Capacity int
	// Taps is the number of elements in Taps, the most taps an fir can
	// have; at most Capacity. 0 means DefaultTaps, or Capacity if smaller.
	Taps int
	// Variant is the kernel variant to run.
	Variant Variant
}

// The sizes a zero Config stands for.
const (
	DefaultCapacity = 1 << 16
	DefaultTaps     = 256
)

// align is the alignment of every region, in elements: one 64-byte cache
// line, as C's ZC_ALIGN.
const align = C.ZC_ALIGN / 8

// layout returns the kernels of cfg's variant, its checked sizes, and the
// number of elements one allocation needs to hold all four regions, each
// starting on a cache line.
func (cfg Config) layout() (k C.uintptr_t, capacity, taps, total int, err error) {
	if k, err = kernels(cfg.Variant); err != nil {
		return 0, 0, 0, 0, err
	}
	capacity, taps = cfg.Capacity, cfg.Taps
	if capacity == 0 {
		capacity = DefaultCapacity
	}
	if taps == 0 {
		taps = min(DefaultTaps, capacity)
	}
	const most = 1 << 40 / 8 // a terabyte: past any real buffer, far from overflow
	if capacity < 1 || taps < 1 || taps > capacity || capacity > most {
		return 0, 0, 0, 0, zerocall.ErrArgument
	}
	return k, capacity, taps, 3*roundUp(capacity) + roundUp(taps), nil
}

func roundUp(n int) int { return (n + align - 1) &^ (align - 1) }

// regions carves one allocation, whose first element is cache-line
// aligned, into the four regions.
func regions(mem []float64, capacity, taps int) zerocall.Regions {
	next := func(n int) []float64 {
		r := mem[:n:n]
		mem = mem[roundUp(n):]
		return r
	}
	return zerocall.Regions{X: next(capacity), Y: next(capacity), Out: next(capacity), Taps: next(taps)}
}

// engine runs one variant's kernels on regions whose addresses never
// change: pinned Go memory or C memory. It keeps the addresses as integers,
// so cgo has nothing to check per call. Patterns 1 and 3 differ only in who
// owns the memory, not in how it is called.
type engine struct {
	k, x, y, taps, out C.uintptr_t // the table, then the regions
}

func newEngine(k C.uintptr_t, r zerocall.Regions) *engine {
	addr := func(s []float64) C.uintptr_t { return C.uintptr_t(uintptr(unsafe.Pointer(&s[0]))) }
	return &engine{k: k, x: addr(r.X), y: addr(r.Y), taps: addr(r.Taps), out: addr(r.Out)}
}

func (e *engine) Sum(n int) (float64, error) {
	return float64(C.zcg_sum_at(e.k, e.x, C.size_t(n))), nil
}

func (e *engine) Dot(n int) (float64, error) {
	return float64(C.zcg_dot_at(e.k, e.x, e.y, C.size_t(n))), nil
}

func (e *engine) Axpy(a float64, n int) error {
	C.zcg_axpy_at(e.k, C.double(a), e.x, e.y, e.out, C.size_t(n))
	return nil
}

func (e *engine) FIR(n, k int) (int, error) {
	return int(C.zcg_fir_at(e.k, e.x, C.size_t(n), e.taps, C.size_t(k), e.out)), nil
}

func (e *engine) MatMul(m int) error {
	C.zcg_matmul_at(e.k, e.x, e.y, e.out, C.size_t(m))
	return nil
}
