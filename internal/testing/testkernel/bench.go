package testkernel

import (
	"fmt"
	"slices"
	"testing"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/kernel"
)

// Case is the data of one size of the benchmarks of the test kernel
// (BenchmarkUserKernel, in every module that has one): inputs, the
// reference's output and the call's arguments.
type Case struct {
	N          int
	Alpha      float32
	X, Y, Want []float32
	A          kernel.Args
}

// NewCase returns the case of size n.
func NewCase(n int) *Case {
	c := &Case{N: n, Alpha: 1.5, X: float32s(n, 1), Y: float32s(n, 2), Want: make([]float32, n)}
	Go(c.Alpha, c.X, c.Y, c.Want)
	c.A = kernel.Args{Len: [8]int{n, n, n}, F: [kernel.MaxScalars]float64{float64(c.Alpha)}}
	return c
}

// float32s returns n values in [-2, 2) from seed.
func float32s(n int, seed uint64) []float32 {
	out := make([]float32, n)
	for i, v := range kerneltest.Data(n, seed) {
		out[i] = float32(v)
	}
	return out
}

// Check returns a check of a call that wrote out.
func (c *Case) Check(out []float32) func(kernel.Return) error {
	return func(r kernel.Return) error {
		if r.N != int64(c.N) || !slices.Equal(out[:c.N], c.Want) {
			return fmt.Errorf("saxpy n=%d: wrong result", c.N)
		}
		return nil
	}
}

// BenchCall times h.Call in place, on views of its regions of a.Len[i]
// elements, after checking one result.
func BenchCall(b *testing.B, h *kernel.Handle, a *kernel.Args, check func(kernel.Return) error) {
	benchCall(b, h, a, Views(h, a), check)
}

// BenchCopy times h.Call of the case's own slices, copied in and out,
// after checking one result.
func BenchCopy(b *testing.B, h *kernel.Handle, c *Case) {
	out := make([]float32, c.N)
	benchCall(b, h, &c.A, []kernel.Slice{kernel.SliceOf(c.X), kernel.SliceOf(c.Y), kernel.SliceOf(out)}, c.Check(out))
}

// benchCall times h.Call on bufs after checking one result. It calls the
// method itself, not a func value, so that ns/op is the call's alone.
func benchCall(b *testing.B, h *kernel.Handle, a *kernel.Args, bufs []kernel.Slice, check func(kernel.Return) error) {
	r, err := h.Call(a, bufs...)
	if err == nil {
		err = check(r)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Call(a, bufs...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchHandle times a handle of the case's size: copying the case's
// slices through its regions, or, inPlace, with the inputs written into
// the regions once and the kernel called on them.
func BenchHandle(b *testing.B, h *kernel.Handle, c *Case, inPlace bool) {
	if !inPlace {
		BenchCopy(b, h, c)
		return
	}
	copy(f32(h.Region(0)), c.X)
	copy(f32(h.Region(1)), c.Y)
	BenchCall(b, h, &c.A, c.Check(f32(h.Region(2))))
}

// BatchItems is the number of calls in a batch of BenchmarkBatch.
const BatchItems = 1000

// BatchSizes are the sizes of the calls of BenchmarkBatch.
var BatchSizes = []int{1, 8, 64}

// BatchMode is how BenchBatch queues its calls.
type BatchMode int

const (
	// Queue queues each call with Add.
	Queue BatchMode = iota
	// Series queues each batch's calls with one AddSeries.
	Series
	// Rerun queues the calls once and runs them again with Rerun.
	Rerun
)

// suffix is the mode's suffix of BenchmarkBatch's impl names.
func (m BatchMode) suffix() string {
	return [...]string{"", "-series", "-rerun"}[m]
}

// BenchBatch times sums of n elements through a batch of the built-in
// sum, of BatchItems calls, made by nb, one op per call. Every BatchItems
// calls run in one crossing (Run) and each result is read (Result); each
// call is queued with its own offset into the region as mode says: by
// Add (Queue), by one AddSeries per batch (Series), or once, the same
// batch then running again on the region's data (Rerun). So ns/op is the
// whole cost of one call of a batch. The results are checked before
// timing.
func BenchBatch(b *testing.B, nb func(items, c int) (*kernel.Batch, error), n int, mode BatchMode) {
	bt, err := nb(BatchItems, BatchItems*n)
	if err != nil {
		b.Fatal(err)
	}
	defer bt.Close()
	x := unsafe.Slice((*float64)(bt.Region(0).Pointer()), BatchItems*n)
	copy(x, kerneltest.Data(len(x), 1))
	a := kernel.Args{}
	step := []int{n}
	// Each call's slice, made once: x[j*n:(j+1)*n].
	calls := make([][]kernel.Slice, BatchItems)
	for j := range calls {
		calls[j] = []kernel.Slice{kernel.SliceOf(x[j*n : (j+1)*n])}
	}
	if _, err := bt.AddSeries(BatchItems, &a, step, calls[0]...); err != nil {
		b.Fatal(err)
	}
	if _, err := bt.Run(); err != nil {
		b.Fatal(err)
	}
	for j := range BatchItems {
		r, err := bt.Result(j)
		if err == nil {
			err = kerneltest.CheckSum(x[j*n:(j+1)*n], r.F)
		}
		if err != nil {
			b.Fatalf("call %d: %v", j, err)
		}
	}
	b.ReportAllocs()
	j := 0
	for b.Loop() {
		if mode == Queue {
			if _, err := bt.Add(&a, calls[j]...); err != nil {
				b.Fatal(err)
			}
		}
		if j++; j < BatchItems {
			continue
		}
		j = 0
		var err error
		switch mode {
		case Queue:
			_, err = bt.Run()
		case Series:
			if _, err = bt.AddSeries(BatchItems, &a, step, calls[0]...); err == nil {
				_, err = bt.Run()
			}
		case Rerun:
			_, err = bt.Rerun()
		}
		if err != nil {
			b.Fatal(err)
		}
		for k := range BatchItems {
			if _, err := bt.Result(k); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BatchRow is a row of BenchmarkBatch: a host's batches of the built-in
// sum.
type BatchRow struct {
	Name string
	New  func(items, c int) (*kernel.Batch, error)
}

// BenchBatches runs BenchmarkBatch's rows at each of BatchSizes:
// n=<N>/impl=<name>, which queues each call with Add, then
// impl=<name>-series (AddSeries) and impl=<name>-rerun (Rerun).
func BenchBatches(b *testing.B, rows []BatchRow) {
	for _, n := range BatchSizes {
		for _, mode := range []BatchMode{Queue, Series, Rerun} {
			for _, r := range rows {
				b.Run(fmt.Sprintf("n=%d/impl=%s%s", n, r.Name, mode.suffix()), func(b *testing.B) { BenchBatch(b, r.New, n, mode) })
			}
		}
	}
}

// Views returns h's regions cut to a.Len[i] elements, for a call in
// place; a length past a region's capacity is kept, so that the call
// fails as it should.
func Views(h *kernel.Handle, a *kernel.Args) []kernel.Slice { return At(h, 0, a) }

// At returns a.Len[i] elements of each of h's regions from element off
// on, for a call of a batch.
func At(h *kernel.Handle, off int, a *kernel.Args) []kernel.Slice {
	views := make([]kernel.Slice, funcs.Regions(h))
	for i := range views {
		r := h.Region(i)
		views[i] = funcs.Sub(r, off, a.Len[i])
	}
	return views
}

// BatchRowOf returns the row impl=<name> of BenchmarkBatch: batches of f,
// the built-in sum's code, in memory of kind mem.
func BatchRowOf(name string, f Func, mem zerocall.Memory) BatchRow {
	return BatchRow{Name: name, New: func(items, c int) (*kernel.Batch, error) { return f.Batch(mem, items, c) }}
}

// BenchUserKernel runs the rows of BenchmarkUserKernel at each of its
// sizes: those of native, if not nil; impl=go, the pure-Go reference;
// then, on the wasm host name, the test kernel's module loaded through
// load: impl=<name>, which copies the caller's slices through the
// regions, impl=<name>-inplace, which fills them in place, and
// impl=<name>-inplace-limit, which does so under a time limit.
func BenchUserKernel[L Lib[F], F Func](b *testing.B, name string, load func([]byte, zerocall.Config) (L, error), native func(*testing.B, *Case)) {
	f := LoadFunc(b, load, Module(), zerocall.Config{}, Saxpy, Export)
	limited := LoadFunc(b, load, Module(), zerocall.Config{TimeLimit: AmpleLimit}, Saxpy, Export)
	for _, n := range []int{1, 1000, 100000} {
		u := NewCase(n)
		if native != nil {
			native(b, u)
		}
		b.Run(fmt.Sprintf("n=%d/impl=go", n), func(b *testing.B) {
			out := make([]float32, n)
			b.ReportAllocs()
			for b.Loop() {
				Go(u.Alpha, u.X, u.Y, out)
			}
			if !slices.Equal(out, u.Want) {
				b.Fatal("wrong result")
			}
		})
		BenchRow(b, name, f, zerocall.Module, u, false)
		BenchRow(b, name+"-inplace", f, zerocall.Module, u, true)
		BenchRow(b, name+"-inplace-limit", limited, zerocall.Module, u, true)
	}
}

// BenchRow runs the row n=<N>/impl=<name> of BenchmarkUserKernel: a
// handle of f's in memory of kind mem, of the case's size, timed by
// BenchHandle.
func BenchRow(b *testing.B, name string, f Func, mem zerocall.Memory, u *Case, inPlace bool) {
	b.Run(fmt.Sprintf("n=%d/impl=%s", u.N, name), func(b *testing.B) {
		h, err := f.Handle(mem, u.N, u.N, u.N)
		if err != nil {
			b.Fatal(err)
		}
		defer h.Close()
		BenchHandle(b, h, u, inPlace)
	})
}

// BenchStraight runs the row n=<N>/impl=<name> of BenchmarkUserKernel
// for a one-shot call (a native Func's Call, the Go assembly's): the
// caller's slices passed for each call, the output checked first. call
// calls the concrete Func: through an interface, Call's variadic slice
// would escape, and cost an allocation per call.
func BenchStraight(b *testing.B, name string, call func(a *kernel.Args, x, y, out kernel.Slice) (kernel.Return, error), u *Case) {
	b.Run(fmt.Sprintf("n=%d/impl=%s", u.N, name), func(b *testing.B) {
		out := make([]float32, u.N)
		sx, sy, so := kernel.SliceOf(u.X), kernel.SliceOf(u.Y), kernel.SliceOf(out)
		r, err := call(&u.A, sx, sy, so)
		if err == nil {
			err = u.Check(out)(r)
		}
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := call(&u.A, sx, sy, so); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchTyped runs the row impl=<name> of BenchmarkUserKernel for a
// typed call of the kernel, such as zerocall bind writes: the caller's
// slices, the scalar a, the count returned. It takes the typed call's
// value, not a method value, so that each op is one call of its Call, as
// in the caller's code, and not also a call of the method value's wrapper.
func BenchTyped(b *testing.B, name string, typed interface {
	Call(x, y, out []float32, a float64) (int, error)
}, u *Case) {
	b.Run(fmt.Sprintf("n=%d/impl=%s", u.N, name), func(b *testing.B) {
		out := make([]float32, u.N)
		n, err := typed.Call(u.X, u.Y, out, u.A.F[0])
		if err == nil {
			err = u.Check(out)(kernel.Return{N: int64(n)})
		}
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := typed.Call(u.X, u.Y, out, u.A.F[0]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchNoop runs the row impl=<name> of BenchmarkCall: noop's call of the
// SIMD module's empty export, the floor of a call into wasm.
func BenchNoop(b *testing.B, name string, noop measure.Noop) {
	b.Run("impl="+name, func(b *testing.B) {
		call, done, err := noop(zerocall.SIMD128)
		if err != nil {
			b.Fatal(err)
		}
		defer done()
		b.ReportAllocs()
		for b.Loop() {
			if err := call(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
