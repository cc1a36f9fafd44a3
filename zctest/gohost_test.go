package zctest_test

import (
	"fmt"
	"math"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/internal/regionset"
	"github.com/zerocall/zerocall/kernel"
)

// body is a kernel's code in Go, run by the Go host below on the
// slices of a call: correct, or breaking its contract as a test needs.
type body func(a *kernel.Args, bufs []kernel.Slice) kernel.Return

// goFunc is a Func of a host written in Go, for the tests of the kit
// itself: handles, and batches if batches is set, in pinned memory of
// its own, and no one-shot call, as a wasm module's Func has. (oneShot
// adds one.)
type goFunc struct {
	k       *kernel.Kernel
	run     body
	batches bool
}

func (f *goFunc) Kernel() *kernel.Kernel { return f.k }

func (f *goFunc) Handle(mem zerocall.Memory, caps ...int) (*kernel.Handle, error) {
	h, err := f.host(mem, caps)
	if err != nil {
		return nil, err
	}
	return regionset.NewHandle(f.k, caps, h.views, h), nil
}

func (f *goFunc) Batch(mem zerocall.Memory, items int, caps ...int) (*kernel.Batch, error) {
	if mem != zerocall.Pinned { // the kind first, as every host
		return nil, fmt.Errorf("%w: kernel %s: %v memory", zerocall.ErrUnsupported, f.k.Name, mem)
	}
	if !f.batches {
		return nil, fmt.Errorf("%w: no batches of %s", zerocall.ErrLoad, f.k.Name)
	}
	if err := regionset.CheckItems(f.k, items); err != nil {
		return nil, err
	}
	h, err := f.host(mem, caps)
	if err != nil {
		return nil, err
	}
	h.desc = make([]uint64, regionset.BatchHeader+items*regionset.ItemWords(f.k))
	// The descriptor holds each slice's byte offset into its region, as a
	// wasm module's holds offsets into its memory.
	base := make([]uint64, len(caps))
	return regionset.NewBatch(f.k, caps, h.views, h, unsafe.Pointer(&h.desc[0]), items, base), nil
}

// host allocates regions of caps elements, 64-byte aligned, each with
// room past its end, in mem, which must be zerocall.Pinned.
func (f *goFunc) host(mem zerocall.Memory, caps []int) (*goHost, error) {
	if mem != zerocall.Pinned {
		return nil, fmt.Errorf("%w: kernel %s: %v memory", zerocall.ErrUnsupported, f.k.Name, mem)
	}
	if len(caps) != len(f.k.Buffers) {
		return nil, fmt.Errorf("%w: %d capacities", kernel.ErrKernel, len(caps))
	}
	h := &goHost{k: f.k, run: f.run, bufs: make([]kernel.Slice, len(caps))}
	for i, c := range caps {
		if c < 1 {
			return nil, fmt.Errorf("%w: a capacity of %d", zerocall.ErrArgument, c)
		}
		raw := make([]byte, c*f.k.Buffers[i].Type.Size()+192)
		h.mem = append(h.mem, raw)
		h.views = append(h.views, unsafe.Pointer(&raw[64-uintptr(unsafe.Pointer(&raw[0]))%64]))
	}
	return h, nil
}

// goHost runs a goFunc's calls and batches.
type goHost struct {
	k     *kernel.Kernel
	run   body
	mem   [][]byte
	views []unsafe.Pointer
	desc  []uint64
	// A call's, here so that nothing escapes per call.
	args kernel.Args
	bufs []kernel.Slice
}

func (h *goHost) Run(a *kernel.Args) (kernel.Return, error) {
	for i, b := range h.k.Buffers {
		h.bufs[i] = funcs.SliceAt(h.views[i], a.Len[i], b.Type)
	}
	return h.run(a, h.bufs), nil
}

func (h *goHost) RunBatch(n int) error {
	k := h.k
	nb, nf, words := len(k.Buffers), len(k.Floats), regionset.ItemWords(k)
	for j := range n {
		it := h.desc[regionset.BatchHeader+j*words:][:words]
		h.args = kernel.Args{}
		for i, b := range k.Buffers {
			h.args.Len[i] = int(it[nb+i])
			h.bufs[i] = funcs.SliceAt(unsafe.Add(h.views[i], it[i]), h.args.Len[i], b.Type)
		}
		for i := range nf {
			h.args.F[i] = math.Float64frombits(it[2*nb+i])
		}
		for i := range len(k.Ints) {
			h.args.I[i] = int64(it[2*nb+nf+i])
		}
		r := h.run(&h.args, h.bufs)
		it[words-2], it[words-1] = uint64(r.N), math.Float64bits(r.F)
	}
	return nil
}

func (h *goHost) Close() error { return nil }

// oneShot is a goFunc with a one-shot call on the caller's slices too,
// checked as the hosts check theirs, as a native Func has.
type oneShot struct {
	*goFunc
	call func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error)
}

func (f oneShot) Call(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
	return f.call(a, bufs...)
}

// newOneShot returns f with a one-shot call.
func newOneShot(f *goFunc) oneShot {
	return oneShot{f, funcs.Checked(f.k, f.run)}
}

// Kernels of three float32 buffers, x and y read and out written.
var (
	xyOut = []kernel.Buffer{
		{Name: "x", Type: kernel.Float32, Role: kernel.In},
		{Name: "y", Type: kernel.Float32, Role: kernel.In},
		{Name: "out", Type: kernel.Float32, Role: kernel.Out},
	}
	// addKernel: out = x + y.
	addKernel = &kernel.Kernel{Name: "go-add", Buffers: xyOut, Check: xyOutLens}
	// maxKernel: out = the larger of x and y.
	maxKernel = &kernel.Kernel{Name: "go-max", Buffers: xyOut, Check: xyOutLens}
	// halfKernel: out = x + y on the first half of x, which it
	// returns the length of.
	halfKernel = &kernel.Kernel{Name: "go-half", Buffers: xyOut, Result: kernel.Count, CountOf: 2, Check: xyOutLens}
)

// xyOutLens is the Check of the kernels of xyOut, which run over x: y as
// long, out at least as long.
func xyOutLens(a *kernel.Args) error {
	if a.Len[1] != a.Len[0] || a.Len[2] < a.Len[0] {
		return zerocall.ErrLength
	}
	return nil
}

// f32s returns the call's slices as []float32.
func f32s(bufs []kernel.Slice) (x, y, out []float32) {
	return kernel.Elems[float32](bufs[0]), kernel.Elems[float32](bufs[1]), kernel.Elems[float32](bufs[2])
}

// add is addKernel's body, and its reference.
func add(_ *kernel.Args, bufs []kernel.Slice) kernel.Return {
	x, y, out := f32s(bufs)
	for i := range x {
		out[i] = x[i] + y[i]
	}
	return kernel.Return{}
}

// fmax is maxKernel's body as C's fmaxf is: NaN only if both are, the
// other operand if one is.
func fmax(_ *kernel.Args, bufs []kernel.Slice) kernel.Return {
	x, y, out := f32s(bufs)
	for i := range x {
		out[i] = float32(cmax(float64(x[i]), float64(y[i])))
	}
	return kernel.Return{}
}

func cmax(x, y float64) float64 {
	switch {
	case math.IsNaN(x):
		return y
	case math.IsNaN(y):
		return x
	}
	return math.Max(x, y)
}

// goMax is a reference for maxKernel as Go's math.Max is: NaN if either
// is.
func goMax(_ *kernel.Args, bufs []kernel.Slice) kernel.Return {
	x, y, out := f32s(bufs)
	for i := range x {
		out[i] = float32(math.Max(float64(x[i]), float64(y[i])))
	}
	return kernel.Return{}
}

// half is halfKernel's body, and its reference.
func half(_ *kernel.Args, bufs []kernel.Slice) kernel.Return {
	x, y, out := f32s(bufs)
	n := len(x) / 2
	for i := range n {
		out[i] = x[i] + y[i]
	}
	return kernel.Return{N: int64(n)}
}

// halfPastCount is half writing all of x's length, past the count it
// returns.
func halfPastCount(a *kernel.Args, bufs []kernel.Slice) kernel.Return {
	add(a, bufs)
	return kernel.Return{N: int64(bufs[0].Len() / 2)}
}

// addWritesX is add that also writes x, which it only reads.
func addWritesX(a *kernel.Args, bufs []kernel.Slice) kernel.Return {
	add(a, bufs)
	if x := kernel.Elems[float32](bufs[0]); len(x) > 0 {
		x[len(x)-1] = 42
	}
	return kernel.Return{}
}

// addPastEnd is add that also stores one element past the end of out,
// as a vector tail store might.
func addPastEnd(a *kernel.Args, bufs []kernel.Slice) kernel.Return {
	add(a, bufs)
	if out := bufs[2]; out.Len() > 0 {
		kernel.Elems[float32](funcs.SliceAt(out.Pointer(), out.Len()+1, out.Type()))[out.Len()] = 99
	}
	return kernel.Return{}
}

// addAtZero is add that also writes out's first element when out is
// empty but has an address, as a C loop written do-while does: the
// caller's x[:0] has its array's address, which the kit's empty slices
// keep too, between guards.
func addAtZero(a *kernel.Args, bufs []kernel.Slice) kernel.Return {
	add(a, bufs)
	if out := bufs[2]; out.Len() == 0 && out.Pointer() != nil {
		kernel.Elems[float32](funcs.SliceIn(out.Pointer(), 1, out.Type()))[0] = 99
	}
	return kernel.Return{}
}

// addAlignedApart is add that goes wrong when x and out lie at different
// offsets from a cache line, as a kernel that aligns its pointer to out
// and then loads x as if aligned too does.
func addAlignedApart(a *kernel.Args, bufs []kernel.Slice) kernel.Return {
	add(a, bufs)
	x, out := bufs[0], bufs[2]
	if out.Len() > 0 && uintptr(x.Pointer())%64 != uintptr(out.Pointer())%64 {
		kernel.Elems[float32](out)[0] = 99
	}
	return kernel.Return{}
}

// addReadPast is add that also adds x's element past its end to out's
// last: a read past the slice, which the first guards' bytes, close to
// zero as a float, leave unseen.
func addReadPast(a *kernel.Args, bufs []kernel.Slice) kernel.Return {
	add(a, bufs)
	x, out := bufs[0], bufs[2]
	if n := x.Len(); n > 0 && out.Len() >= n {
		kernel.Elems[float32](out)[n-1] += kernel.Elems[float32](funcs.SliceIn(x.Pointer(), n+1, x.Type()))[n]
	}
	return kernel.Return{}
}

// trustKernel is addKernel with no Check, whose body addTrusting takes
// every length from x's, as a C loop over len[0] alone does: right on the
// lengths Lens gives, past the end of a shorter out on others.
var trustKernel = &kernel.Kernel{Name: "go-trust", Buffers: xyOut}

func addTrusting(_ *kernel.Args, bufs []kernel.Slice) kernel.Return {
	n := bufs[0].Len()
	at := func(i int) []float32 {
		if n == 0 {
			return nil
		}
		return kernel.Elems[float32](funcs.SliceIn(bufs[i].Pointer(), n, kernel.Float32))
	}
	x, y, out := at(0), at(1), at(2)
	for i := range x {
		out[i] = x[i] + y[i]
	}
	return kernel.Return{}
}

// addTwoPass is add in two passes over out, x then y: right on slices of
// their own, wrong when out is y's slice, an update in place that the
// hosts allow a kernel with no NoAlias.
func addTwoPass(_ *kernel.Args, bufs []kernel.Slice) kernel.Return {
	x, y, out := f32s(bufs)
	copy(out, x)
	for i := range x {
		out[i] += y[i]
	}
	return kernel.Return{}
}
