package kernel_test

import (
	"errors"
	"strings"
	"testing"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/kernel"
)

func TestValidate(t *testing.T) {
	buf := func(ty kernel.Type, r kernel.Role) kernel.Buffer { return kernel.Buffer{Name: "b", Type: ty, Role: r} }
	nine := make([]kernel.Buffer, 9)
	for i := range nine {
		nine[i] = buf(kernel.Uint8, kernel.In)
	}
	for name, k := range map[string]*kernel.Kernel{
		"nil":                 nil,
		"no name":             {Buffers: []kernel.Buffer{buf(kernel.Float64, kernel.In)}},
		"too many buffers":    {Name: "k", Buffers: nine},
		"too many scalars":    {Name: "k", Floats: []string{"a", "b", "c", "d", "e"}},
		"unknown type":        {Name: "k", Buffers: []kernel.Buffer{buf(0, kernel.In)}},
		"unknown role":        {Name: "k", Buffers: []kernel.Buffer{buf(kernel.Int32, 9)}},
		"count of an input":   {Name: "k", Buffers: []kernel.Buffer{buf(kernel.Int32, kernel.In)}, Result: kernel.Count},
		"count out of range":  {Name: "k", Buffers: []kernel.Buffer{buf(kernel.Int32, kernel.Out)}, Result: kernel.Count, CountOf: 1},
		"unknown result kind": {Name: "k", Result: 7},
	} {
		if err := kernel.Validate(k); !errors.Is(err, kernel.ErrKernel) {
			t.Errorf("%s: Validate = %v, want ErrKernel", name, err)
		}
	}
	for _, k := range []*kernel.Kernel{kernel.Sum, kernel.Dot, kernel.Axpy, kernel.FIR, kernel.MatMul} {
		if err := kernel.Validate(k); err != nil {
			t.Errorf("built-in %s: %v", k.Name, err)
		}
	}
}

// Named element types, one of each underlying type.
type (
	celsius float32
	meters  float64
	ticks   int64
	id      int32
	pixel   uint8
)

func TestTypes(t *testing.T) {
	for _, c := range []struct {
		got  kernel.Type
		want kernel.Type
		size int
	}{
		{kernel.SliceOf([]float64{}).Type(), kernel.Float64, 8},
		{kernel.SliceOf([]float32{}).Type(), kernel.Float32, 4},
		{kernel.SliceOf([]int64{}).Type(), kernel.Int64, 8},
		{kernel.SliceOf([]int32{}).Type(), kernel.Int32, 4},
		{kernel.SliceOf([]uint8{}).Type(), kernel.Uint8, 1},
		{kernel.SliceOf([]celsius{}).Type(), kernel.Float32, 4},
		{kernel.SliceOf([]meters{}).Type(), kernel.Float64, 8},
		{kernel.SliceOf([]ticks{}).Type(), kernel.Int64, 8},
		{kernel.SliceOf([]id{}).Type(), kernel.Int32, 4},
		{kernel.SliceOf([]pixel{}).Type(), kernel.Uint8, 1},
	} {
		if c.got != c.want || c.got.Size() != c.size {
			t.Errorf("SliceOf's type = %v (size %d), want %v (size %d)", c.got, c.got.Size(), c.want, c.size)
		}
	}
	x := []float32{1, 2, 3, 4}
	s := kernel.SliceOf(x[1:])
	if s.Len() != 3 || s.Type() != kernel.Float32 || s.Pointer() != unsafe.Pointer(&x[1]) {
		t.Errorf("SliceOf(x[1:]) = %d elements of %v at %p", s.Len(), s.Type(), s.Pointer())
	}
	if e := kernel.Elems[float32](s); len(e) != 3 || &e[0] != &x[1] {
		t.Errorf("Elems[float32](SliceOf(x[1:])) = %v", e)
	}
	if e := kernel.Elems[int32](s); e != nil {
		t.Errorf("Elems[int32] of float32 = %v, want nil", e)
	}
	if e := kernel.Elems[celsius](s); len(e) != 3 || &e[0] != (*celsius)(&x[1]) {
		t.Errorf("Elems[celsius] of float32 = %v, want x[1:] itself", e)
	}
	// Each element type takes the Slices of its own Type, and no other.
	slices := []kernel.Slice{
		kernel.SliceOf([]float64{1}), kernel.SliceOf([]float32{1}), kernel.SliceOf([]int64{1}),
		kernel.SliceOf([]int32{1}), kernel.SliceOf([]uint8{1}),
	}
	for _, c := range []struct {
		name string
		n    func(kernel.Slice) int
		want kernel.Type
	}{
		{"float64", func(s kernel.Slice) int { return len(kernel.Elems[float64](s)) }, kernel.Float64},
		{"meters", func(s kernel.Slice) int { return len(kernel.Elems[meters](s)) }, kernel.Float64},
		{"float32", func(s kernel.Slice) int { return len(kernel.Elems[float32](s)) }, kernel.Float32},
		{"int64", func(s kernel.Slice) int { return len(kernel.Elems[int64](s)) }, kernel.Int64},
		{"ticks", func(s kernel.Slice) int { return len(kernel.Elems[ticks](s)) }, kernel.Int64},
		{"int32", func(s kernel.Slice) int { return len(kernel.Elems[int32](s)) }, kernel.Int32},
		{"id", func(s kernel.Slice) int { return len(kernel.Elems[id](s)) }, kernel.Int32},
		{"uint8", func(s kernel.Slice) int { return len(kernel.Elems[uint8](s)) }, kernel.Uint8},
		{"pixel", func(s kernel.Slice) int { return len(kernel.Elems[pixel](s)) }, kernel.Uint8},
	} {
		for _, s := range slices {
			if got, want := c.n(s), b2i(s.Type() == c.want); got != want {
				t.Errorf("Elems[%s] of a %v Slice has %d elements, want %d", c.name, s.Type(), got, want)
			}
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestStatus(t *testing.T) {
	k := kernel.Sum
	for ret, want := range map[int64]error{
		0: nil, 5: nil, -1: zerocall.ErrArgument, -3: zerocall.ErrNoMemory, -4: zerocall.ErrCapacity,
		-9: zerocall.ErrBroken, -1 << 40: zerocall.ErrBroken,
	} {
		if _, err := k.Returned(ret, 0, nil); !errors.Is(err, want) || (want == nil) != (err == nil) {
			t.Errorf("Returned(%d) = %v, want %v", ret, err, want)
		}
	}
}

// TestChecks runs the built-ins' length rules.
func TestChecks(t *testing.T) {
	for name, c := range map[string]struct {
		k    *kernel.Kernel
		a    *kernel.Args
		want error
	}{
		"dot":               {kernel.Dot, args(3, 3), nil},
		"dot lengths":       {kernel.Dot, args(3, 4), zerocall.ErrLength},
		"axpy":              {kernel.Axpy, args(3, 3, 5), nil},
		"axpy short out":    {kernel.Axpy, args(3, 3, 2), zerocall.ErrLength},
		"fir":               {kernel.FIR, args(10, 3, 8), nil},
		"fir no taps":       {kernel.FIR, args(10, 0, 8), zerocall.ErrArgument},
		"fir k > n":         {kernel.FIR, args(2, 3, 8), zerocall.ErrArgument},
		"fir short out":     {kernel.FIR, args(10, 3, 7), zerocall.ErrLength},
		"matmul":            {kernel.MatMul, matmul(2, 4, 4, 4), nil},
		"matmul short c":    {kernel.MatMul, matmul(2, 4, 4, 3), zerocall.ErrLength},
		"matmul negative m": {kernel.MatMul, matmul(-1, 0, 0, 0), zerocall.ErrArgument},
	} {
		if err := c.k.Check(c.a); !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
}

// TestMessages checks that the errors of package kernel name the kernel,
// the buffers, the types and the numbers, and that a kernel that reports
// too many outputs is not said to have broken an instance: Returned is
// also what the stateless calls (native's and asm's Func.Call) return.
func TestMessages(t *testing.T) {
	fir := &kernel.Kernel{Name: "my-fir", Buffers: []kernel.Buffer{{Name: "x", Type: kernel.Float32, Role: kernel.In},
		{Name: "out", Type: kernel.Float32, Role: kernel.Out}}, Result: kernel.Count, CountOf: 1}
	x := make([]float32, 8)
	a := args(8, 4)
	_, returned := fir.Returned(5, 0, a)
	var b kernel.Args
	m4 := make([]float64, 8)
	grow := &kernel.Kernel{Name: "grow", Buffers: fir.Buffers, Check: func(a *kernel.Args) error {
		a.Len[1] *= 2
		return nil
	}}
	for _, c := range []struct {
		name string
		err  error
		is   error
		want string
	}{
		{"status -1", status(fir, -1), zerocall.ErrArgument, "kernel my-fir returned -1"},
		{"status -3", status(fir, -3), zerocall.ErrNoMemory, "kernel my-fir returned -3"},
		{"status -9", status(fir, -9), zerocall.ErrBroken, "kernel my-fir returned status 9"},
		{"a count past its buffer", returned, zerocall.ErrBroken, "kernel my-fir reported 5 elements written to out, which has 4"},
		{"a slice of the wrong type", fir.CheckSlices(&b, []kernel.Slice{kernel.SliceOf(x), kernel.SliceOf(make([]int32, 4))}),
			zerocall.ErrType, "buffer out of kernel my-fir holds float32, not int32"},
		{"the zero Slice", fir.CheckSlices(&b, []kernel.Slice{kernel.SliceOf(x), {}}),
			zerocall.ErrType, "buffer out of kernel my-fir holds float32, and its Slice is the zero Slice"},
		{"an output overlapping an input", fir.CheckSlices(&b, []kernel.Slice{kernel.SliceOf(x[:4]), kernel.SliceOf(x[2:])}),
			zerocall.ErrOverlap, "kernel my-fir writes buffer out, whose slice overlaps that of buffer x"},
		{"matmul in place", kernel.MatMul.CheckSlices(&b, []kernel.Slice{kernel.SliceOf(m4), kernel.SliceOf(m4[4:]), kernel.SliceOf(m4)}),
			zerocall.ErrOverlap, "kernel matmul writes buffer c, whose slice overlaps that of buffer a"},
		{"a Check that changes a length", grow.CheckSlices(&b, []kernel.Slice{kernel.SliceOf(x[:4]), kernel.SliceOf(make([]float32, 4))}),
			kernel.ErrKernel, "the Check of kernel grow changed the length of buffer out"},
		{"dot lengths", kernel.Dot.Check(args(3, 4)), zerocall.ErrLength, "dot: x and y differ in length (x has 3 elements, y 4)"},
		{"axpy y", kernel.Axpy.Check(args(3, 4, 3)), zerocall.ErrLength, "axpy: x and y differ in length (x has 3 elements, y 4, out 3)"},
		{"axpy out", kernel.Axpy.Check(args(3, 3, 2)), zerocall.ErrLength, "axpy: out is shorter than x (x has 3 elements, y 3, out 2)"},
		{"fir taps", kernel.FIR.Check(args(2, 3, 8)), zerocall.ErrArgument, "fir: more taps than inputs (2 inputs, 3 taps"},
		{"fir out", kernel.FIR.Check(args(10, 3, 7)), zerocall.ErrLength, "(10 inputs, 3 taps, out has 7 elements)"},
		{"matmul order", kernel.MatMul.Check(matmul(-1, 0, 0, 0)), zerocall.ErrArgument, "matmul: the order m is negative, or m·m overflows an int (order -1;"},
		{"matmul lengths", kernel.MatMul.Check(matmul(2, 4, 4, 3)), zerocall.ErrLength, "matmul: a, b or c is shorter than m·m (order 2; a, b and c have 4, 4 and 3 elements)"},
	} {
		if !errors.Is(c.err, c.is) || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %v saying %q", c.name, c.err, c.is, c.want)
		}
		if c.is == zerocall.ErrBroken && strings.Contains(c.err.Error(), "instance") {
			t.Errorf("%s: err = %v speaks of an instance, which a stateless call does not have", c.name, c.err)
		}
	}
}

// args returns arguments of a call with the given lengths.
func args(lens ...int) *kernel.Args {
	a := new(kernel.Args)
	copy(a.Len[:], lens)
	return a
}

// matmul returns arguments of a matmul of order m with the given lengths.
func matmul(m int64, lens ...int) *kernel.Args {
	a := args(lens...)
	a.I[0] = m
	return a
}

// status is the error of kernel k returning ret, through Returned.
func status(k *kernel.Kernel, ret int64) error {
	_, err := k.Returned(ret, 0, nil)
	return err
}

// TestZeroHandle checks that a Handle no host made is closed: its calls
// fail with ErrClosed, rather than panic, and it has no regions.
func TestZeroHandle(t *testing.T) {
	var h kernel.Handle
	if _, err := h.Call(nil); !errors.Is(err, zerocall.ErrClosed) {
		t.Errorf("Call on the zero Handle: %v, want ErrClosed", err)
	}
	if err := h.Err(); !errors.Is(err, zerocall.ErrClosed) {
		t.Errorf("Err of the zero Handle: %v, want ErrClosed", err)
	}
	if r := h.Region(0); r.Len() != 0 {
		t.Errorf("Region(0) of the zero Handle has %d elements", r.Len())
	}
	if err := h.Close(); err != nil {
		t.Errorf("Close of the zero Handle: %v", err)
	}
}

// TestZeroBatch checks that a Batch no host made is closed, as the zero
// Handle is: its calls fail with ErrClosed, rather than panic.
func TestZeroBatch(t *testing.T) {
	var b kernel.Batch
	closed := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, zerocall.ErrClosed) {
			t.Errorf("%s on the zero Batch: %v, want ErrClosed", what, err)
		}
	}
	_, err := b.Add(nil)
	closed("Add", err)
	_, err = b.AddSeries(1, nil, nil)
	closed("AddSeries", err)
	_, err = b.Run()
	closed("Run", err)
	_, err = b.Rerun()
	closed("Rerun", err)
	_, err = b.Result(0)
	closed("Result", err)
	closed("Stream", b.Stream(1, func(int, *kernel.Args, []kernel.Slice) error { return nil },
		func(int, kernel.Return, error) error { return nil }))
	_, err = b.Call(nil)
	closed("Call", err)
	closed("Err", b.Err())
	if r := b.Region(0); r.Len() != 0 {
		t.Errorf("Region(0) of the zero Batch has %d elements", r.Len())
	}
	if err := b.Close(); err != nil {
		t.Errorf("Close of the zero Batch: %v", err)
	}
}

// TestNilKernelArgs checks the building blocks a host calls with a nil
// *Kernel, or a nil Args where they need one: an error, not a panic.
func TestNilKernelArgs(t *testing.T) {
	var nilK *kernel.Kernel
	x := kernel.SliceOf(make([]float64, 4))
	if err := nilK.CheckSlices(new(kernel.Args), []kernel.Slice{x}); !errors.Is(err, kernel.ErrKernel) {
		t.Errorf("CheckSlices of a nil *Kernel: %v, want ErrKernel", err)
	}
	if err := kernel.Sum.CheckSlices(nil, []kernel.Slice{x}); !errors.Is(err, zerocall.ErrArgument) || !strings.Contains(err.Error(), "sum") {
		t.Errorf("CheckSlices with nil Args: %v, want ErrArgument naming the kernel", err)
	}
	if _, err := nilK.Returned(0, 0, nil); !errors.Is(err, kernel.ErrKernel) {
		t.Errorf("Returned of a nil *Kernel: %v, want ErrKernel", err)
	}
	count := &kernel.Kernel{Name: "count", Buffers: []kernel.Buffer{{Name: "out", Type: kernel.Float64, Role: kernel.Out}}, Result: kernel.Count}
	if _, err := count.Returned(3, 0, nil); !errors.Is(err, zerocall.ErrArgument) {
		t.Errorf("Returned of a count with nil Args: %v, want ErrArgument", err)
	}
	if r, err := count.Returned(3, 0, &kernel.Args{Len: [8]int{4}}); err != nil || r.N != 3 {
		t.Errorf("Returned of a count within its buffer: %v, %v", r, err)
	}
	if r, err := kernel.Sum.Returned(0, 2.5, nil); err != nil || r.F != 2.5 {
		t.Errorf("Returned of a float result with nil Args: %v, %v", r, err)
	}
}
