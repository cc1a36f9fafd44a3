package zctest

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/internal/verify"
	"github.com/zerocall/zerocall/kernel"
)

// newBatch makes a batch of items calls with a region of c elements per
// buffer.
type newBatch func(items, c int) (*kernel.Batch, error)

// batchItems is how many calls each batch under test holds.
const batchItems = 40

// batchSizes are the sizes of a batch's calls, in turn: every SIMD
// remainder, small, as batches are for small calls.
var batchSizes = []int{0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 33}

// batchGuard is how many elements of guard each call of a batch under
// test has after its own range of each region, at the least: set to
// guardByte before the calls run, they must hold it after.
const batchGuard = 64

// runBatches tests the batches of s.Func, and of each of s.Also, in every
// kind of memory its host has, against s.Ref: calls of every size in one
// batch, each at offsets of its own (one element past an aligned address
// for odd calls), with the rest of the regions set to guardByte, which
// the calls must leave as it is; Add's refusals, which queue nothing;
// Stream over more calls than the batch holds, reusing the regions, each
// call's slot past its elements guarded the same way; zero allocations
// per call and per batch; and Close. A Func with no batches (an *asm.Func, a
// wasm module with no batch export for the kernel) has no runs.
func (s Spec) runBatches(t *testing.T) {
	for _, f := range s.funcs() {
		b, ok := f.(funcs.Binder)
		if !ok {
			continue
		}
		kinds := funcs.Kinds(b, f.Kernel())
		// A kind the host has not is refused as such, whatever else is
		// wrong: no capacities, no items.
		for _, mem := range funcs.Memories {
			if slices.Contains(kinds, mem) {
				continue
			}
			if _, err := b.Handle(mem); !s.refused(err, zerocall.ErrUnsupported) {
				t.Errorf("%s: a handle in %v memory, with no capacities: %v, want ErrUnsupported naming the kernel", funcs.Host(f), mem, err)
			}
			if _, err := b.Batch(mem, 0); !s.refused(err, zerocall.ErrUnsupported) {
				t.Errorf("%s: a batch of 0 items in %v memory: %v, want ErrUnsupported naming the kernel", funcs.Host(f), mem, err)
			}
		}
		for _, mem := range kinds {
			nb := func(items, c int) (*kernel.Batch, error) { return b.Batch(mem, items, caps(f, c)...) }
			if one, err := nb(1, 1); errors.Is(err, zerocall.ErrLoad) {
				t.Logf("zctest: no batch of %s in %s memory: %v", funcs.Host(f), mem, err)
				continue
			} else if err == nil {
				_ = one.Close()
			}
			t.Run("batch-"+funcs.Host(f)+"-"+mem.String(), func(t *testing.T) { s.runBatch(t, nb) })
		}
	}
}

// runBatch tests the batches nb makes.
func (s Spec) runBatch(t *testing.T, nb newBatch) {
	t.Helper()
	const items = batchItems
	// Each call has its own range of each region: room for the largest
	// size plus one element of misalignment, and a guard after it.
	most := 0
	for _, n := range batchSizes {
		most = max(most, maxLen(s.lens(n)))
	}
	stride := most + 1 + batchGuard
	c := items * stride
	b, err := nb(items, c)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	t.Run("items", func(t *testing.T) {
		want := make([]Result, items)
		ins := make([][]kernel.Slice, items)
		args := make([]kernel.Args, items)
		// place sets the regions to guardByte, then writes each call's
		// inputs, from seed, at its offsets, and its expected outputs into
		// want.
		at := func(j, i int) (int, int) { return j*stride + j%2, args[j].Len[i] }
		place := func(seed uint64) {
			guardAll(b)
			for j := range items {
				n := batchSizes[j%len(batchSizes)]
				in := s.inputs(n, j%2, seed+uint64(j*31), seed == 7 && j%5 == 4)
				ins[j] = in
				args[j] = s.args(n)
				for i, sl := range in {
					copy(funcs.Bytes(sub(b.Region(i), j*stride+j%2, sl.Len())), funcs.Bytes(sl))
					args[j].Len[i] = sl.Len()
				}
				want[j] = Result{Bufs: clone(in)}
				want[j].Return = s.Ref(&args[j], want[j].Bufs)
			}
		}
		// compareAll compares each call's outputs and result with want,
		// and checks the regions outside the calls.
		compareAll := func(what string) {
			if err := gapsGuarded(b, s.Func.Kernel(), items, at); err != nil {
				t.Errorf("%s: %v", what, err)
			}
			for j := range items {
				r, err := b.Result(j)
				if err != nil {
					t.Fatalf("%s, call %d: %v", what, j, err)
				}
				got := Result{Return: r, Bufs: make([]kernel.Slice, len(want[j].Bufs))}
				for i, w := range want[j].Bufs {
					got.Bufs[i] = sub(b.Region(i), j*stride+j%2, w.Len())
				}
				if err := s.compare(&args[j], ins[j], got, want[j]); err != nil {
					t.Errorf("%s, call %d (n=%d): %v", what, j, batchSizes[j%len(batchSizes)], err)
				}
			}
		}
		place(7)
		for j := range items {
			if got, err := b.Add(&args[j], views(b, j*stride+j%2, &args[j])...); err != nil || got != j {
				t.Fatalf("Add of call %d = %d, %v", j, got, err)
			}
		}
		if b.Len() != items {
			t.Fatalf("Len() = %d after %d calls, want %d", b.Len(), items, items)
		}
		if ran, err := s.runFP("Run", b.Run); ran != items || err != nil {
			t.Fatalf("Run() = %d, %v, want %d, nil", ran, err, items)
		}
		compareAll("Run")
		if b.Len() != 0 {
			t.Errorf("Len() = %d after Run, want 0", b.Len())
		}
		// Rerun: the same calls on new inputs in the same places.
		place(1000)
		if ran, err := s.runFP("Rerun", b.Rerun); ran != items || err != nil {
			t.Fatalf("Rerun() = %d, %v, want %d, nil", ran, err, items)
		}
		compareAll("Rerun")
		// The results stay those of the Run while the next calls are
		// queued, in the same items, of other lengths (none, here).
		a0 := s.args(0)
		for i, l := range s.lens(0) {
			a0.Len[i] = l
		}
		for range items {
			if _, err := b.Add(&a0, views(b, 0, &a0)...); err != nil {
				t.Fatal(err)
			}
		}
		compareAll("Result with calls queued since the Run")
		b.Reset()
		if ran, err := s.runFP("Run", b.Run); ran != 0 || err != nil {
			t.Errorf("Run() of nothing = %d, %v", ran, err)
		}
	})
	t.Run("series", func(t *testing.T) { s.testSeries(t, b, stride, c) })
	t.Run("refused", func(t *testing.T) { s.testBatchRefused(t, b, c) })
	t.Run("stream", func(t *testing.T) { s.testStream(t, b, stride) })
	t.Run("allocs", func(t *testing.T) { s.testBatchAllocs(t, b) })
	t.Run("close", func(t *testing.T) {
		b, err := nb(4, max(64, maxLen(s.lens(1))))
		if err != nil {
			t.Fatal(err)
		}
		a := s.args(1)
		fill1(s, &a)
		if _, err := b.Rerun(); !s.refused(err, zerocall.ErrArgument) {
			t.Errorf("Rerun before a Run: %v, want ErrArgument naming the kernel", err)
		}
		if _, err := b.Add(&a, views(b, 0, &a)...); err != nil {
			t.Fatal(err)
		}
		if _, err := s.runFP("Run", b.Run); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Add(&a, views(b, 0, &a)...); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Rerun(); !errors.Is(err, zerocall.ErrArgument) {
			t.Errorf("Rerun with a call queued since the Run: %v, want ErrArgument", err)
		}
		if _, err := s.runFP("Run", b.Run); err != nil {
			t.Fatal(err)
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		// Each names the kernel.
		closed := func(err error) bool {
			return errors.Is(err, zerocall.ErrClosed) && strings.Contains(err.Error(), "kernel "+s.Func.Kernel().Name)
		}
		if _, err := b.Add(&a, views(b, 0, &a)...); !closed(err) {
			t.Errorf("Add after Close: %v, want ErrClosed naming the kernel", err)
		}
		if _, err := b.AddSeries(-1, &a, nil, views(b, 0, &a)...); !closed(err) {
			t.Errorf("AddSeries of -1 calls after Close: %v, want ErrClosed naming the kernel", err)
		}
		if _, err := b.Run(); !closed(err) {
			t.Errorf("Run after Close: %v, want ErrClosed naming the kernel", err)
		}
		if _, err := b.Rerun(); !closed(err) {
			t.Errorf("Rerun after Close: %v, want ErrClosed naming the kernel", err)
		}
		if _, err := b.Result(0); !closed(err) {
			t.Errorf("Result after Close: %v, want ErrClosed naming the kernel", err)
		}
		puts := 0
		err = b.Stream(3, func(int, *kernel.Args, []kernel.Slice) error { puts++; return nil },
			func(int, kernel.Return, error) error { return nil })
		if !closed(err) || puts != 0 {
			t.Errorf("Stream after Close: %v after %d puts, want ErrClosed naming the kernel before any", err, puts)
		}
	})
}

// testSeries queues one series of calls of size 7 (or the kernel's
// shortest lengths for that size), one per slot of stride elements from
// element 1 on, checks each against the reference, then the series a
// batch or a region cannot hold.
func (s Spec) testSeries(t *testing.T, b *kernel.Batch, stride, c int) {
	b.Reset()
	const n = 7
	items := batchItems
	ins := make([][]kernel.Slice, items)
	want := make([]Result, items)
	a := s.args(n)
	guardAll(b)
	for j := range items {
		in := s.inputs(n, 0, uint64(j)+500, false)
		ins[j] = in
		for i, sl := range in {
			copy(funcs.Bytes(sub(b.Region(i), 1+j*stride, sl.Len())), funcs.Bytes(sl))
			a.Len[i] = sl.Len()
		}
		want[j] = Result{Bufs: clone(in)}
		aj := a
		want[j].Return = s.Ref(&aj, want[j].Bufs)
	}
	nb := len(ins[0])
	step := make([]int, nb)
	for i := range step {
		step[i] = stride
	}
	first := views(b, 1, &a)
	if first, err := b.AddSeries(items, &a, step, first...); first != 0 || err != nil {
		t.Fatalf("AddSeries(%d) = %d, %v", items, first, err)
	}
	if ran, err := s.runFP("Run of a series", b.Run); ran != items || err != nil {
		t.Fatalf("Run() = %d, %v", ran, err)
	}
	if err := gapsGuarded(b, s.Func.Kernel(), items, func(j, i int) (int, int) { return 1 + j*stride, a.Len[i] }); err != nil {
		t.Errorf("the series: %v", err)
	}
	for j := range items {
		r, err := b.Result(j)
		if err != nil {
			t.Fatalf("call %d of the series: %v", j, err)
		}
		got := Result{Return: r, Bufs: make([]kernel.Slice, nb)}
		for i, w := range want[j].Bufs {
			got.Bufs[i] = sub(b.Region(i), 1+j*stride, w.Len())
		}
		if err := s.compare(&a, ins[j], got, want[j]); err != nil {
			t.Errorf("call %d of the series: %v", j, err)
		}
	}
	for _, tc := range []struct {
		name  string
		count int
		step  int
		is    error
	}{
		{"longer than the batch", items + 1, 0, zerocall.ErrCapacity},
		{"past the region", 3, c, zerocall.ErrCapacity},
		{"a negative count", -1, 0, zerocall.ErrArgument},
		{"overflowing steps", 3, math.MaxInt / 2, zerocall.ErrCapacity},
	} {
		st := []int{tc.step}
		if _, err := b.AddSeries(tc.count, &a, st, views(b, 0, &a)...); !errors.Is(err, tc.is) {
			t.Errorf("a series %s: err = %v, want %v", tc.name, err, tc.is)
		}
		if b.Len() != 0 {
			t.Fatalf("a series %s was queued", tc.name)
		}
	}
	if allocsInexact {
		return
	}
	if allocs := testing.AllocsPerRun(20, func() {
		b.Reset()
		_, _ = b.AddSeries(items, &a, step, first...)
	}); allocs != 0 {
		t.Errorf("%v allocations per AddSeries, want 0", allocs)
	}
	b.Reset()
}

// runFP calls run, a Batch's Run or Rerun, and fails if the calls it
// makes changed the floating-point control state (checkFP); what names
// the run.
func (s Spec) runFP(what string, run func() (int, error)) (int, error) {
	var ran int
	var err error
	if fpErr := checkFP(s.Func.Kernel().Name, "batch "+what, func() { ran, err = run() }); fpErr != nil {
		return ran, fpErr
	}
	return ran, err
}

// fill1 sets a's lengths to those of a call of size 1.
func fill1(s Spec, a *kernel.Args) {
	for i, l := range s.lens(1) {
		a.Len[i] = l
	}
}

func (s Spec) testBatchRefused(t *testing.T, b *kernel.Batch, c int) {
	b.Reset()
	a := s.args(1)
	fill1(s, &a)
	ok := views(b, 0, &a)
	past := slices.Clone(ok)
	past[0] = sub(b.Region(0), c-a.Len[0]+1, a.Len[0])
	// One element from the region's end starts there: outside it.
	pastIs := zerocall.ErrCapacity
	if a.Len[0] == 1 {
		pastIs = zerocall.ErrArgument
	}
	outside := slices.Clone(ok)
	outside[0] = fill(ok[0].Type(), a.Len[0], 0, 1, false, 0)
	other := kernel.Float64
	if ok[0].Type() == kernel.Float64 {
		other = kernel.Float32
	}
	typed := slices.Clone(ok)
	typed[0] = funcs.SliceAt(ok[0].Pointer(), ok[0].Len(), other)
	for _, tc := range []struct {
		name string
		bufs []kernel.Slice
		is   error
	}{
		{"past the region", past, pastIs},
		{"a slice outside the region", outside, zerocall.ErrArgument},
		{"a slice of the wrong type", typed, zerocall.ErrType},
		{"one slice too many", append(slices.Clone(ok), ok[0]), kernel.ErrKernel},
	} {
		if (tc.name == "past the region" || tc.name == "a slice outside the region") && a.Len[0] == 0 {
			continue // an empty slice is anywhere
		}
		if _, err := b.Add(&a, tc.bufs...); !errors.Is(err, tc.is) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.is)
		}
		if b.Len() != 0 {
			t.Fatalf("%s: the refused call was queued", tc.name)
		}
	}
	for j := range batchItems {
		if _, err := b.Add(&a, ok...); err != nil {
			t.Fatalf("call %d: %v", j, err)
		}
	}
	if _, err := b.Add(&a, ok...); !s.refused(err, zerocall.ErrCapacity) {
		t.Errorf("a call past the batch's %d: err = %v, want ErrCapacity naming the kernel", batchItems, err)
	}
	if ran, err := s.runFP("Run of a full batch", b.Run); ran != batchItems || err != nil {
		t.Errorf("Run of a full batch = %d, %v", ran, err)
	}
	if _, err := b.Result(batchItems); !s.refused(err, zerocall.ErrArgument) {
		t.Errorf("Result past the last run: err = %v, want ErrArgument naming the kernel", err)
	}
	// A call added since the Run, even one Add refused or Reset dropped,
	// may have written an item of it: Rerun runs only what Run ran.
	if _, err := b.Add(&a, typed...); !errors.Is(err, zerocall.ErrType) {
		t.Fatalf("a slice of the wrong type: err = %v, want ErrType", err)
	}
	if _, err := b.Rerun(); !errors.Is(err, zerocall.ErrArgument) {
		t.Errorf("Rerun after a refused Add: err = %v, want ErrArgument", err)
	}
	if _, err := b.Add(&a, ok...); err != nil {
		t.Fatal(err)
	}
	if ran, err := s.runFP("Run", b.Run); ran != 1 || err != nil {
		t.Fatalf("Run() = %d, %v, want 1, nil", ran, err)
	}
	if _, err := b.Add(&a, ok...); err != nil {
		t.Fatal(err)
	}
	b.Reset()
	if _, err := b.Rerun(); !errors.Is(err, zerocall.ErrArgument) {
		t.Errorf("Rerun after an Add that Reset dropped: err = %v, want ErrArgument", err)
	}
}

// testStream streams 3½ batches of calls, call i of size
// batchSizes[i mod len], with the regions reused by each batch.
func (s Spec) testStream(t *testing.T, b *kernel.Batch, stride int) {
	items := batchItems
	n := 3*items + items/2
	want := make([]Result, n)
	ins := make([][]kernel.Slice, n)
	args := make([]kernel.Args, n)
	next := 0
	put := func(i int, a *kernel.Args, bufs []kernel.Slice) error {
		sz := batchSizes[i%len(batchSizes)]
		in := s.inputs(sz, 0, uint64(i), false)
		ins[i] = in
		*a = s.args(sz)
		args[i] = *a
		want[i] = Result{Bufs: clone(in)}
		want[i].Return = s.Ref(&args[i], want[i].Bufs)
		for k, sl := range in {
			bufs[k] = sub(b.Region(k), (i%items)*stride, sl.Len())
			copy(funcs.Bytes(bufs[k]), funcs.Bytes(sl))
			setGuard(funcs.Bytes(slotRest(b, k, i%items, stride, sl.Len())), guardByte)
			args[i].Len[k] = sl.Len()
		}
		return nil
	}
	got := func(i int, r kernel.Return, err error) error {
		if i != next {
			return fmt.Errorf("got call %d, want %d: out of order", i, next)
		}
		next++
		if err != nil {
			return fmt.Errorf("call %d: %v", i, err)
		}
		res := Result{Return: r, Bufs: make([]kernel.Slice, len(want[i].Bufs))}
		for k, w := range want[i].Bufs {
			res.Bufs[k] = sub(b.Region(k), (i%items)*stride, w.Len())
			if j := unguarded(funcs.Bytes(slotRest(b, k, i%items, stride, w.Len())), guardByte); j >= 0 {
				return fmt.Errorf("call %d (n=%d): wrote past its %d elements of region %s: element %d after them changed",
					i, batchSizes[i%len(batchSizes)], w.Len(), s.Func.Kernel().Buffers[k].Name, j/w.Type().Size())
			}
		}
		if err := s.compare(&args[i], ins[i], res, want[i]); err != nil {
			return fmt.Errorf("call %d: %v", i, err)
		}
		return nil
	}
	var err error
	if fpErr := checkFP(s.Func.Kernel().Name, "batch Stream", func() { err = b.Stream(n, put, got) }); fpErr != nil {
		t.Fatal(fpErr)
	}
	if err != nil {
		t.Fatal(err)
	}
	if next != n {
		t.Fatalf("got saw %d calls of %d", next, n)
	}
	stop := errors.New("stop")
	if fpErr := checkFP(s.Func.Kernel().Name, "batch Stream", func() {
		err = b.Stream(n, func(i int, a *kernel.Args, bufs []kernel.Slice) error {
			if i == items+3 {
				return stop
			}
			*a = s.args(1)
			fill1(s, a)
			copy(bufs, views(b, 0, a))
			return nil
		}, func(int, kernel.Return, error) error { return nil })
	}); fpErr != nil {
		t.Fatal(fpErr)
	}
	if err != stop {
		t.Errorf("a put that fails: Stream = %v, want its error", err)
	}
	seen := 0
	if fpErr := checkFP(s.Func.Kernel().Name, "batch Stream", func() {
		err = b.Stream(5, func(i int, a *kernel.Args, bufs []kernel.Slice) error {
			*a = s.args(1)
			fill1(s, a)
			copy(bufs, views(b, 0, a))
			if i == 2 {
				bufs[0] = funcs.SliceAt(b.Region(0).Pointer(), b.Region(0).Len()+1, bufs[0].Type())
			}
			return nil
		}, func(i int, _ kernel.Return, err error) error {
			seen++
			if (i == 2) != (err != nil) {
				return fmt.Errorf("call %d: err = %v", i, err)
			}
			return nil
		})
	}); fpErr != nil {
		t.Fatal(fpErr)
	}
	if err != nil || seen != 5 {
		t.Errorf("a refused call in a stream: %v, %d calls seen, want 5", err, seen)
	}
	// Calls queued before a stream would run unseen: refused.
	a := s.args(1)
	fill1(s, &a)
	if _, err := b.Add(&a, views(b, 0, &a)...); err != nil {
		t.Fatal(err)
	}
	puts := 0
	err = b.Stream(1, func(int, *kernel.Args, []kernel.Slice) error { puts++; return nil },
		func(int, kernel.Return, error) error { return nil })
	if !errors.Is(err, zerocall.ErrArgument) || puts != 0 || b.Len() != 1 {
		t.Errorf("Stream with a call queued: %v after %d puts, %d queued; want ErrArgument, none, 1", err, puts, b.Len())
	}
	b.Reset()
}

func (s Spec) testBatchAllocs(t *testing.T, b *kernel.Batch) {
	if allocsInexact {
		t.Skip("allocation counts are not exact under the race detector or the address sanitizer")
	}
	b.Reset()
	a := s.args(1)
	fill1(s, &a)
	items := batchItems
	ok := views(b, 0, &a) // made here: a slice made per call would escape
	put := func(i int, p *kernel.Args, bufs []kernel.Slice) error { *p = a; copy(bufs, ok); return nil }
	got := func(int, kernel.Return, error) error { return nil }
	// The state is read around the measurements, not in them.
	if err := checkFP(s.Func.Kernel().Name, "batch, counting allocations", func() {
		if allocs := testing.AllocsPerRun(20, func() {
			for range items {
				_, _ = b.Add(&a, ok...)
			}
			_, _ = b.Run()
			for j := range items {
				_, _ = b.Result(j)
			}
		}); allocs != 0 {
			t.Errorf("%v allocations per batch of %d calls, want 0", allocs, items)
		}
		if allocs := testing.AllocsPerRun(20, func() { _, _ = b.Rerun() }); allocs != 0 {
			t.Errorf("%v allocations per Rerun, want 0", allocs)
		}
		if allocs := testing.AllocsPerRun(20, func() { _ = b.Stream(3*items, put, got) }); allocs != 0 {
			t.Errorf("%v allocations per Stream of %d calls, want 0", allocs, 3*items)
		}
	}); err != nil {
		t.Error(err)
	}
}

// compare compares the outputs and return of a call on in with the
// reference's.
func (s Spec) compare(a *kernel.Args, in []kernel.Slice, got, want Result) error {
	k := s.Func.Kernel()
	if err := verify.Untouched(k, in, got.Bufs, got.Return); err != nil {
		return err
	}
	if s.Compare != nil {
		return s.Compare(a, in, got, want)
	}
	return verify.Outputs(k, s.Tolerance, got.Bufs, got.Return, want.Bufs, want.Return)
}

// guardAll sets every byte of b's regions to guardByte.
func guardAll(b *kernel.Batch) {
	for i := range funcs.Regions(b.Handle) {
		setGuard(funcs.Bytes(b.Region(i)), guardByte)
	}
}

// gapsGuarded returns an error if a byte of b's regions outside the
// ranges of its calls (of a batch of k), which guardAll set to guardByte
// before them, changed; at(j, i) returns the offset and length of call
// j's range of region i, calls in order of their offsets.
func gapsGuarded(b *kernel.Batch, k *kernel.Kernel, calls int, at func(j, i int) (off, n int)) error {
	for i := range funcs.Regions(b.Handle) {
		r := b.Region(i)
		size := r.Type().Size()
		bs := funcs.Bytes(r)
		end := 0 // of the previous call's range, in elements
		for j := 0; j <= calls; j++ {
			next, n := r.Len(), 0
			if j < calls {
				next, n = at(j, i)
			}
			if next > end {
				if e := unguarded(bs[end*size:next*size], guardByte); e >= 0 {
					e = end + e/size
					if j == 0 {
						return fmt.Errorf("element %d of region %s, before the first call's, changed", e, k.Buffers[i].Name)
					}
					return fmt.Errorf("element %d of region %s, %d past the end of call %d's, changed", e, k.Buffers[i].Name, e-end, j-1)
				}
			}
			end = max(end, next+n)
		}
	}
	return nil
}

// slotRest returns the elements of region i of b in slot j, of stride
// elements, past the first n: what a call of n elements there must not
// write.
func slotRest(b *kernel.Batch, i, j, stride, n int) kernel.Slice {
	return sub(b.Region(i), j*stride+n, stride-n)
}

// views returns a slice of each of b's regions from element off on, of
// the lengths of a.
func views(b *kernel.Batch, off int, a *kernel.Args) []kernel.Slice {
	vs := make([]kernel.Slice, funcs.Regions(b.Handle))
	for i := range vs {
		vs[i] = sub(b.Region(i), off, a.Len[i])
	}
	return vs
}

// sub returns n elements of s from element off on.
func sub(s kernel.Slice, off, n int) kernel.Slice {
	return funcs.Sub(s, off, n)
}

// maxLen returns the largest of ls, or 0.
func maxLen(ls []int) int {
	m := 0
	for _, l := range ls {
		m = max(m, l)
	}
	return m
}

// refused reports whether err is a refusal of kind is that names the
// kernel, as every error of a call, handle or batch does.
func (s Spec) refused(err, is error) bool {
	return errors.Is(err, is) && strings.Contains(err.Error(), "kernel "+s.Func.Kernel().Name)
}
