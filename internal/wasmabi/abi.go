// Package wasmabi is the zerocall module ABI (wasm/module/zc_module.h) as
// the Go hosts see it, written once for every engine: the checks of a
// module's exports, the reservation of its frames and regions, the frame
// as it lies in memory, and the built-in kernels of the embedded modules
// on top of them. Package wasm, its one user, is built on it for every
// runtime (package wasm/engine).
package wasmabi

import (
	"fmt"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/backend"
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

// The built-in kernels come first, in backend.Kernels' order: these fail
// to compile otherwise.
var (
	_ [backend.N - Noop]struct{}
	_ [Noop - backend.N]struct{}
)

// BuiltinNames are the built-in kernels' export names, by index.
var BuiltinNames = [NBuiltins]string{"sum", "dot", "axpy", "fir", "matmul", "noop"}

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

// Builtins is where an instance of the built-ins lies in its module's
// memory: a frame per built-in export, each at its offset in Offs and
// filled with the offsets of the regions its kernel uses, and the four
// regions.
type Builtins struct {
	Frames  [NBuiltins]*Frame
	Offs    [NBuiltins]uint32
	Regions zerocall.Regions
}

// builtinRequests are the reservations of an instance of the built-ins
// (one frame per kernel, then the regions), and each region's elements.
func builtinRequests(capacity, taps int) ([]Request, [backend.NRegions]int) {
	reqs := make([]Request, 0, NBuiltins+backend.NRegions)
	for _, name := range BuiltinNames {
		reqs = append(reqs, Request{"frame of " + name, FrameSize, FrameAlign})
	}
	n := [backend.NRegions]int{backend.X: capacity, backend.Y: capacity, backend.Taps: taps, backend.Out: capacity}
	for i, name := range [backend.NRegions]string{backend.X: "X", backend.Y: "Y", backend.Taps: "Taps", backend.Out: "Out"} {
		reqs = append(reqs, Request{"region " + name, uint64(n[i]) * 8, RegionAlign})
	}
	return reqs, n
}

// BuiltinNeeds is Needs for an instance of the built-ins.
func BuiltinNeeds(capacity, taps int) uint64 {
	reqs, _ := builtinRequests(capacity, taps)
	return needs(reqs)
}

// ReserveBuiltins reserves a frame per built-in export and the four
// regions of an instance of the given sizes through the module's
// zc_reserve, checks them as Reserve does, and binds each kernel's frame
// to its regions (backend.Buffers), in mem, the module's memory, which
// size and mem return once the reservations are made.
func ReserveBuiltins(capacity, taps int, reserve func(size, align uint32) (uint32, error),
	size func() uint64, mem func() []byte) (Builtins, error) {
	reqs, n := builtinRequests(capacity, taps)
	offs, err := ReserveAll(reqs, reserve, size)
	if err != nil {
		return Builtins{}, err
	}
	buf := mem()
	reg := offs[NBuiltins:]
	view := func(i int) []float64 { return unsafe.Slice((*float64)(unsafe.Pointer(&buf[reg[i]])), n[i]) }
	b := Builtins{Regions: zerocall.Regions{X: view(backend.X), Y: view(backend.Y), Taps: view(backend.Taps), Out: view(backend.Out)}}
	for i := range NBuiltins {
		b.Offs[i] = offs[i]
		b.Frames[i] = (*Frame)(unsafe.Pointer(&buf[offs[i]]))
		*b.Frames[i] = Frame{}
		if i < backend.N {
			for j, r := range backend.Buffers[i] {
				b.Frames[i].Buf[j] = reg[r]
			}
		}
	}
	return b, nil
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
