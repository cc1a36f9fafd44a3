// Package asm runs C kernels with no crossing at all: C compiled by
// clang and carried into Go assembly byte for byte by "zerocall gen". A
// call costs what a Go function call costs, it needs no cgo (the package
// builds with CGO_ENABLED=0 and cross-compiles), and the caller's slices
// are passed as they are: Go memory is not moved while assembly runs, so
// nothing is pinned or copied.
//
// Func runs a kernel of your own, written in C to zc_kernel.h's calling
// convention and translated by zerocall gen -code, through the same
// description (package kernel) the other hosts use. Its Call is the
// one-shot call on the caller's slices that a native.Func has too; there
// are no handles or batches, since there is no crossing to save. On an
// architecture with no translation (any but amd64 and arm64) NewFunc
// fails with zerocall.ErrUnsupported.
//
// # The built-in kernels
//
// The package also holds the built-in kernels, from the same C source as
// package native (kernels_amd64.s, kernels_arm64.s), in native's
// variants: Scalar, AVX2 and AVX512 on amd64, Scalar and NEON on arm64,
// chosen at init from what golang.org/x/sys/cpu reports, capped by the
// ZEROCALL_VARIANT environment variable as native's dispatcher is.
// Variants lists those this machine runs, the one Auto stands for
// first; other architectures have none. The built-ins are there to be
// measured against the other paths (the benchmarks' row "asm", "Go asm
// (C)"), which reach them through internal/measure; they are not part of
// the API.
//
// # Bounded calls
//
// Go cannot preempt a goroutine inside assembly, so one long call would
// hold up every stop-the-world of the garbage collector for its whole
// length. The built-ins therefore split large work into calls of at most
// about 2¹⁶ (65536) multiply-adds (or elements): a sum of 10⁸ values is 1526
// calls, a 512×512 matmul 2752 parts of 6 rows, 32 columns and 256
// terms of each sum, each about a microsecond, with Go code between them where
// the scheduler can stop the goroutine. An fir is split by outputs, each
// of k multiply-adds for k taps, so with more than 2¹⁶ taps a call is one
// output, of k. Splitting changes the order of a reduction's additions
// the way the vector variants already do, within the bound of the ABI
// header's "Results of different variants". A kernel of your own is
// yours to bound: call its Func on pieces of the work.
//
// The race detector does not see what assembly reads and writes, as it
// does not see C's: a data race on a slice while a kernel runs on it goes
// unreported. The CPU profiler attributes samples inside a kernel to its
// C function's name (avx512_sum, …), but the callers it records above
// such a sample may be missing or wrong: Go's unwinder knows the C code
// as a function with no frame, and reads its return address where the C
// keeps other data.
package asm

import (
	"fmt"
	"slices"
	"sync/atomic"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/args"
	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/sealed"
)

// table is one variant's kernels: the generated Go declarations of its C
// functions.
type table struct {
	variant zerocall.Variant
	sum     func(x *float64, n uintptr) float64
	dot     func(x, y *float64, n uintptr) float64
	axpy    func(a float64, x, y, out *float64, n uintptr)
	fir     func(x *float64, n uintptr, taps *float64, k uintptr, out *float64) uintptr
}

// Variants returns the variants this machine can run: first the one
// zerocall.Auto runs (the best golang.org/x/sys/cpu reports, capped by
// ZEROCALL_VARIANT), then the others from Scalar up; none on an
// architecture with no translation.
func Variants() []zerocall.Variant {
	if best == nil {
		return nil
	}
	vs := []zerocall.Variant{best.variant}
	for _, t := range tables {
		if t != nil && t != best {
			vs = append(vs, t.variant)
		}
	}
	return vs
}

// best is the variant Auto resolves to, decided once.
var best = decide()

func decide() *table { return choose(func(zerocall.Variant) bool { return true }) }

// choose returns the best variant this machine runs for which has holds,
// of those at most the one ZEROCALL_VARIANT names, if it names one this
// machine runs (avx2 on arm64 is no cap): the tables run from the least
// variant to the best, and a table of codes may lack any of them. nil
// when there is none.
func choose(has func(zerocall.Variant) bool) *table {
	limit := funcs.EnvCap()
	if !slices.ContainsFunc(tables, func(t *table) bool { return t != nil && t.variant == limit }) {
		limit = zerocall.Auto
	}
	var b *table
	for _, t := range tables {
		if t != nil && has(t.variant) && (limit == zerocall.Auto || t.variant <= limit) {
			b = t
		}
	}
	return b
}

func lookup(v zerocall.Variant) *table {
	if v == zerocall.Auto {
		return best
	}
	for _, t := range tables {
		if t != nil && t.variant == v {
			return t
		}
	}
	return nil
}

// maxWork is the most multiply-adds (or, for sum and axpy, elements)
// that one call into assembly does; larger calls are split (see "Bounded
// calls").
const maxWork = 1 << 16

// work is maxWork, but for the tests that measure unbounded calls.
var work = maxWork

// kernels runs the built-in kernels of one variant on the caller's
// slices. It holds nothing and takes no lock: any number of goroutines
// may call one at once.
type kernels struct {
	sealed.Type
	t      *table
	closed atomic.Bool
}

var _ measure.Kernels = (*kernels)(nil)

// newKernels returns the kernels of variant v, or zerocall.ErrUnsupported
// when this machine cannot run it.
func newKernels(v zerocall.Variant) (*kernels, error) {
	t := lookup(v)
	if t == nil {
		return nil, fmt.Errorf("%w: no Go assembly of the built-in kernels in variant %v that this machine runs", zerocall.ErrUnsupported, v)
	}
	return &kernels{t: t}, nil
}

// Variant returns the variant k runs.
func (k *kernels) Variant() zerocall.Variant { return k.t.variant }

// at returns the address of s[i], which may be one past the end when s
// is empty: the kernels read nothing at a length of 0.
func at(s []float64, i int) *float64 {
	return (*float64)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(s)), i*8))
}

// Sum returns the sum of x.
func (k *kernels) Sum(x []float64) (float64, error) {
	if k.closed.Load() {
		return 0, zerocall.ErrClosed
	}
	if len(x) <= work {
		return k.t.sum(at(x, 0), uintptr(len(x))), nil
	}
	s := 0.0
	for i := 0; i < len(x); i += work {
		s += k.t.sum(at(x, i), uintptr(min(work, len(x)-i)))
	}
	return s, nil
}

// Dot returns the inner product of x and y.
func (k *kernels) Dot(x, y []float64) (float64, error) {
	if k.closed.Load() {
		return 0, zerocall.ErrClosed
	}
	if err := args.Dot(x, y); err != nil {
		return 0, err
	}
	s := 0.0
	for i := 0; i < len(x); i += work {
		s += k.t.dot(at(x, i), at(y, i), uintptr(min(work, len(x)-i)))
	}
	return s, nil
}

// Axpy sets out = a·x + y.
func (k *kernels) Axpy(a float64, x, y, out []float64) error {
	if k.closed.Load() {
		return zerocall.ErrClosed
	}
	if err := args.Axpy(x, y, out); err != nil {
		return err
	}
	for i := 0; i < len(x); i += work {
		k.t.axpy(a, at(x, i), at(y, i), at(out, i), uintptr(min(work, len(x)-i)))
	}
	return nil
}

// FIR filters x with taps into out.
func (k *kernels) FIR(x, taps, out []float64) (int, error) {
	if k.closed.Load() {
		return 0, zerocall.ErrClosed
	}
	outs, err := args.FIR(x, taps, out)
	if err != nil {
		return 0, err
	}
	nk := len(taps)
	step := max(work/nk, 1) // outputs per call
	for i := 0; i < outs; i += step {
		c := min(step, outs-i)
		k.t.fir(at(x, i), uintptr(c+nk-1), at(taps, 0), uintptr(nk), at(out, i))
	}
	return outs, nil
}

// A split matmul is a grid of parts, each zc_matmul_part of
// native/internal.h: panels of matmulCols columns, the width of the
// widest variant's panel (AVX-512's, a multiple of the others'), so that
// each part runs the vector code the whole product would; rows in whole
// tiles of those panels (matmulTile, 6 rows on AVX2 and AVX-512), so that
// a part cuts none short; and as many terms of each output's sum as keep
// the part within work multiply-adds. Where the whole sum fits, a part
// takes as many rows as fit, in multiples of matmulRows. Where it does
// not, a part is one tile of rows, so that it takes as many terms as it
// can: each split of the terms is one more pass that reads and writes all
// of c, from memory at m = 1024. One tile leaves 341 terms where 12 rows
// left 170 and 24 rows 85: on Zen 5 with AVX2 the Go assembly took 1.19
// times cgo's time at m = 1024 with 12 rows and 0.99 with one tile (24
// rows were 1.13 times the whole product on a Xeon with AVX-512, 12 rows
// 1.03). A part after the first of an output adds to what c holds, going
// on with the sum where the part before it stopped, in the same order: the
// split product is the whole one to the last bit.
const (
	matmulCols = 32
	matmulRows = 12
	matmulTile = 6
)

// part is zc_matmul_part of native/internal.h, field for field.
type part struct {
	a, b, c              *float64
	m, rows, cols, depth uintptr
	add, ldb             uintptr
}

// matmulShape returns the rows, columns and terms of the parts of an m×m
// product that is split to do at most work multiply-adds a call: all m
// terms when m³ fits, or when matmulRows rows of matmulCols columns do
// (then as many rows as fit, in multiples of matmulRows); else one tile
// of rows, and the terms split into as few even parts as fit.
func matmulShape(m, work int) (rows, cols, depth int) {
	if m <= 0 || m*m <= work/m {
		return m, m, m
	}
	cols, rows = min(matmulCols, m), min(matmulRows, m)
	if work/(rows*cols) >= m {
		return min(m, work/(m*cols)/matmulRows*matmulRows), cols, m
	}
	rows = min(matmulTile, m)
	fit := max(work/(rows*cols), 1)
	parts := (m + fit - 1) / fit
	return rows, cols, (m + parts - 1) / parts
}

// MatMul sets c = a·b.
func (k *kernels) MatMul(a, b, c []float64, m int) error {
	if k.closed.Load() {
		return zerocall.ErrClosed
	}
	if _, err := args.MatMul(a, b, c, m); err != nil {
		return err
	}
	if m == 0 {
		return nil
	}
	rows, cols, depth := matmulShape(m, work)
	if m >= matmulPackFrom && depth*matmulCols <= matmulPackLen {
		var pack [matmulPackLen]float64
		k.matmulParts(a, b, c, m, rows, matmulCols, depth, pack[:])
		return nil
	}
	k.matmulParts(a, b, c, m, rows, cols, depth, nil)
	return nil
}

// From matmulPackFrom on, as the C's whole products do (ZC_MATMUL_PACK_FROM
// of native/internal.h), the parts read a packed copy of their rows of b:
// matmulCols values a row, the columns past m zero, in an array on the
// goroutine's stack of matmulPackLen values, as many as a part's terms
// can need (see matmulShape). It is declared only where it is used: Go
// clears it on every call.
const (
	matmulPackFrom = 128
	matmulPackLen  = maxWork / (matmulTile * matmulCols) * matmulCols
	matmulBlock    = 192 // rows of a block, as the C's (a multiple of matmulRows)
)

// matmulParts sets c = a·b in parts of rows×cols×depth, in the order of
// the C's packed products (zc_matmul_packed of native/internal.h): for
// each range of terms, each block of matmulBlock rows, each column panel,
// the parts of the block's rows, so that each output's parts come in order
// of their terms, and the block's terms of a stay in L2 while the panels
// pass under them. With pack, cols must be matmulCols, and each panel's
// terms are copied into pack for the block's parts; the copy is exact, and
// the result is the unpacked parts', to the last bit.
func (k *kernels) matmulParts(a, b, c []float64, m, rows, cols, depth int, pack []float64) {
	p := part{m: uintptr(m), ldb: uintptr(m)}
	block := m // without a copy of b, there is none to share between blocks
	if pack != nil {
		p.b, p.ldb = &pack[0], matmulCols
		block = max(rows, matmulBlock/rows*rows)
	}
	for d := 0; d < m; d += depth {
		n := min(depth, m-d)
		p.depth, p.add = uintptr(n), 0
		if d > 0 {
			p.add = 1
		}
		for i0 := 0; i0 < m; i0 += block {
			for j := 0; j < m; j += cols {
				w := min(cols, m-j)
				if pack != nil {
					for t := range n {
						row := pack[t*matmulCols : (t+1)*matmulCols]
						clear(row[copy(row, b[(d+t)*m+j:(d+t)*m+j+w]):])
					}
				} else {
					p.b = at(b, d*m+j)
				}
				p.cols = uintptr(w)
				for i := i0; i < min(i0+block, m); i += rows {
					p.a, p.c = at(a, i*m+d), at(c, i*m+j)
					p.rows = uintptr(min(rows, m-i))
					matmulPart(k.t.variant, &p)
				}
			}
		}
	}
}

// Close marks k closed; later calls return ErrClosed. k holds nothing to
// release.
func (k *kernels) Close() error {
	k.closed.Store(true)
	return nil
}
