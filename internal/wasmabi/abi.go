// Package wasmabi is the zerocall module ABI (wasm/module/zc_module.h) as
// the Go hosts see it, written once for every engine: the checks of a
// module's exports, the reservation of its frames and regions, the frame
// as it lies in memory, and the built-in kernels of the embedded modules
// on top of them. The engines (package wasm on wazero, package wasmtime)
// supply only how to call an export.
package wasmabi

import (
	"fmt"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/errs"
)

// Type is a wasm value type, numbered as in the binary format.
type Type byte

// The value types the exports use.
const (
	I32 Type = 0x7f
	I64 Type = 0x7e
	F64 Type = 0x7c
)

// typeNames are the types' names in the text format.
var typeNames = map[Type]string{I32: "i32", I64: "i64", F64: "f64"}

// String returns the type's name in the text format.
func (t Type) String() string {
	if s, ok := typeNames[t]; ok {
		return s
	}
	return fmt.Sprintf("type(%#x)", byte(t))
}

// Export is a function a module must export, with its signature.
type Export struct {
	Name            string
	Params, Results []Type
}

// ErrModule reports a module that breaks the zerocall module ABI: a
// missing export or one of the wrong type, an import, no memory, or
// reservations that do not hold. It is zerocall.ErrLoad.
var ErrModule = errs.Load

// MaxCapacity keeps the four regions, X, Y and Out of capacity doubles
// and Taps of at most as many, inside the module's 2 GiB of memory, with
// 1 MiB left below them for the stack, the static data and the frames.
const MaxCapacity = (1<<31 - 1<<20) / 8 / 4

// LittleEndian reports whether this host stores numbers as wasm memory
// does; the views of the regions depend on it.
func LittleEndian() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}

// The built-in kernels' exports, by index, and their names in
// embed.Exports.
const (
	Sum = iota
	Dot
	Axpy
	FIR
	MatMul
	Noop
	NBuiltins
)

// BuiltinNames are the built-in kernels' export names, by index.
var BuiltinNames = [NBuiltins]string{"sum", "dot", "axpy", "fir", "matmul", "noop"}

// The regions of an instance of the built-ins.
const (
	regX = iota
	regY
	regOut
	regTaps
)

// builtinBufs are the regions each built-in's frame passes, in order.
var builtinBufs = [NBuiltins][]int{
	Sum:    {regX},
	Dot:    {regX, regY},
	Axpy:   {regX, regY, regOut},
	FIR:    {regX, regTaps, regOut},
	MatMul: {regX, regY, regOut},
}

// CheckBuiltins fails with ErrModule unless a module has the ABI's
// exports, no imports, its memory, and every built-in kernel.
func CheckBuiltins(lookup Lookup, memory bool, imports []string) error {
	if err := CheckModule(lookup, memory, imports); err != nil {
		return err
	}
	for _, name := range BuiltinNames {
		if err := CheckKernel(lookup, name); err != nil {
			return err
		}
	}
	return nil
}

// Caller calls built-in export i with the frame at offset frame and
// returns what it returned. An error is a trap or the engine's failure.
type Caller interface {
	CallFrame(i int, frame uint32) (int64, error)
}

// Builtins runs the built-in kernels of one instance through a Caller:
// it is the instance's backend.Engine. Each kernel has a frame of its own
// whose buffers are fixed at construction; a call writes only the
// lengths and scalars.
type Builtins struct {
	c      Caller
	frames [NBuiltins]*Frame
	offs   [NBuiltins]uint32
}

// ReserveBuiltins reserves a frame per built-in export and the four
// regions of an instance of the given sizes through the module's
// zc_reserve, checks them as Reserve does, and returns the instance's
// engine over c and its regions as views of mem, which size and mem
// return once the reservations are made.
func ReserveBuiltins(c Caller, capacity, taps int, reserve func(size, align uint32) (uint32, error),
	size func() uint64, mem func() []byte) (*Builtins, zerocall.Regions, error) {
	reqs := make([]Request, 0, NBuiltins+4)
	for _, name := range BuiltinNames {
		reqs = append(reqs, Request{"frame of " + name, FrameSize, FrameAlign})
	}
	for _, r := range []struct {
		name string
		n    int
	}{{"X", capacity}, {"Y", capacity}, {"Out", capacity}, {"Taps", taps}} {
		reqs = append(reqs, Request{"region " + r.name, uint64(r.n) * 8, RegionAlign})
	}
	offs, err := ReserveAll(reqs, reserve, size)
	if err != nil {
		return nil, zerocall.Regions{}, err
	}
	buf := mem()
	view := func(i, n int) []float64 {
		return unsafe.Slice((*float64)(unsafe.Pointer(&buf[offs[NBuiltins+i]])), n)
	}
	b := &Builtins{c: c}
	for i := range NBuiltins {
		b.offs[i] = offs[i]
		b.frames[i] = (*Frame)(unsafe.Pointer(&buf[offs[i]]))
		*b.frames[i] = Frame{}
		for j, r := range builtinBufs[i] {
			b.frames[i].Buf[j] = offs[NBuiltins+r]
		}
	}
	return b, zerocall.Regions{X: view(regX, capacity), Y: view(regY, capacity), Out: view(regOut, capacity), Taps: view(regTaps, taps)}, nil
}

// call runs built-in i, whose frame is filled, and checks its return: the
// host checked every size, so a negative value is a broken contract.
func (b *Builtins) call(i int) (int64, error) {
	r, err := b.c.CallFrame(i, b.offs[i])
	if err == nil && r < 0 {
		err = fmt.Errorf("%w: wasm %s returned %d", errs.Broken, BuiltinNames[i], r)
	}
	return r, err
}

func (b *Builtins) Sum(n int) (float64, error) {
	fr := b.frames[Sum]
	fr.Len[0] = int64(n)
	_, err := b.call(Sum)
	return fr.Result, err
}

func (b *Builtins) Dot(n int) (float64, error) {
	fr := b.frames[Dot]
	fr.Len[0], fr.Len[1] = int64(n), int64(n)
	_, err := b.call(Dot)
	return fr.Result, err
}

func (b *Builtins) Axpy(a float64, n int) error {
	fr := b.frames[Axpy]
	fr.Len[0], fr.Len[1], fr.Len[2], fr.F[0] = int64(n), int64(n), int64(n), a
	_, err := b.call(Axpy)
	return err
}

func (b *Builtins) FIR(n, k int) (int, error) {
	fr := b.frames[FIR]
	fr.Len[0], fr.Len[1], fr.Len[2] = int64(n), int64(k), int64(n-k+1)
	r, err := b.call(FIR)
	return int(r), err
}

func (b *Builtins) MatMul(m int) error {
	fr := b.frames[MatMul]
	mm := int64(m) * int64(m)
	fr.Len[0], fr.Len[1], fr.Len[2], fr.I[0] = mm, mm, mm, int64(m)
	_, err := b.call(MatMul)
	return err
}

// Noop calls the empty export: the floor of a call into the module.
func (b *Builtins) Noop() error {
	_, err := b.call(Noop)
	return err
}

// ModuleIndex returns the index of v's built-in module in a host's cache
// of compiled modules: 0 for SIMD128 (and Auto), 1 for Scalar. Bytes of
// package embed says which variants have a module.
func ModuleIndex(v zerocall.Variant) int {
	if v == zerocall.Scalar {
		return 1
	}
	return 0
}

// CheckMemoryKind fails with ErrUnsupported unless mem is
// zerocall.Module: a wasm handle's regions are the module's memory.
func CheckMemoryKind(mem zerocall.Memory) error {
	if mem != zerocall.Module {
		return fmt.Errorf("%w: a wasm handle's regions are in the module's memory (zerocall.Module), not %v", errs.Unsupported, mem)
	}
	return nil
}
