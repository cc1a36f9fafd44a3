package wasmabi

import (
	"fmt"
	"math"
	"unsafe"

	"github.com/zerocall/zerocall/internal/errs"
	"github.com/zerocall/zerocall/kernel"
)

// The zerocall module ABI, as wasm/module/zc_module.h defines it: the
// version, and the frame and regions a host reserves in a module's
// memory.
const (
	ABIVersion  = 1
	FrameSize   = 176
	FrameAlign  = 16
	RegionAlign = 64
)

// I64 is the wasm value type of a kernel's return value.
const I64 Type = 0x7e

// Frame is struct zc_frame of native/zc_kernel.h as it lies in wasm32
// memory: buffer addresses are 32-bit offsets into the module's memory.
type Frame struct {
	Buf    [kernel.MaxBuffers]uint32
	Len    [kernel.MaxBuffers]int64
	F      [kernel.MaxScalars]float64
	I      [kernel.MaxScalars]int64
	Ctx    uint32
	_      uint32
	Result float64
}

// Frame must have the ABI's size: these fail to compile otherwise.
var (
	_ [FrameSize - unsafe.Sizeof(Frame{})]byte
	_ [unsafe.Sizeof(Frame{}) - FrameSize]byte
)

// ModuleExports are the functions every module of the ABI exports besides
// its kernels; KernelParams and KernelResults are every kernel export's
// signature, (frame i32) -> i64.
var (
	ModuleExports = []Export{
		{"zc_abi_version", nil, []Type{I32}},
		{"zc_reserve", []Type{I32, I32}, []Type{I32}},
	}
	KernelParams  = []Type{I32}
	KernelResults = []Type{I64}
)

// Lookup finds an exported function's signature.
type Lookup func(name string) (params, results []Type, ok bool)

// CheckModule fails with ErrModule unless a module has the ABI's exports,
// one memory named "memory", and no imports (the hosts provide none):
// imports lists them as "module.name".
func CheckModule(lookup Lookup, memory bool, imports []string) error {
	if len(imports) > 0 {
		return fmt.Errorf("%w: it imports %s, and zerocall provides no imports", ErrModule, imports[0])
	}
	if !memory {
		return fmt.Errorf("%w: it exports no memory named %q", ErrModule, "memory")
	}
	for _, e := range ModuleExports {
		if err := checkExport(lookup, e); err != nil {
			return err
		}
	}
	return nil
}

// CheckKernel fails with ErrModule unless the module exports name with a
// kernel's signature.
func CheckKernel(lookup Lookup, name string) error {
	return checkExport(lookup, Export{name, KernelParams, KernelResults})
}

func checkExport(lookup Lookup, want Export) error {
	params, results, ok := lookup(want.Name)
	if !ok {
		return fmt.Errorf("%w: no exported function %q", ErrModule, want.Name)
	}
	if !equal(params, want.Params) || !equal(results, want.Results) {
		return fmt.Errorf("%w: export %q has type %v -> %v, want %v -> %v",
			ErrModule, want.Name, params, results, want.Params, want.Results)
	}
	return nil
}

func equal(a, b []Type) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Layout is where an instance's frame and regions lie in its memory.
type Layout struct {
	Frame  uint32
	Region [kernel.MaxBuffers]uint32
	Bytes  [kernel.MaxBuffers]uint64
}

// Reserve reserves the frame and one region per buffer of k, of caps[i]
// elements each, through the module's zc_reserve (reserve), and checks
// what it gets: every reservation inside memory once all are made (size
// returns the memory's size then), aligned as asked, and overlapping no
// other. A module that fails these is an ErrModule; regions larger than
// wasm32 memory fail with ErrNoMemory before the module is asked.
func Reserve(k *kernel.Kernel, caps []int, reserve func(size, align uint32) (uint32, error), size func() uint64) (Layout, error) {
	var l Layout
	type span struct {
		what       string
		off, bytes uint64
		align      uint32
	}
	spans := make([]span, 0, 1+len(k.Buffers))
	ask := func(what string, bytes uint64, align uint32) (uint32, error) {
		off, err := reserve(uint32(bytes), align)
		if err != nil {
			return 0, fmt.Errorf("zerocall: wasm zc_reserve for the %s: %w", what, err)
		}
		if off == 0 {
			return 0, fmt.Errorf("%w: zc_reserve(%d, %d) for the %s failed: the module's memory cannot hold it",
				errs.NoMemory, bytes, align, what)
		}
		spans = append(spans, span{what, uint64(off), bytes, align})
		return off, nil
	}
	var err error
	if l.Frame, err = ask("frame", FrameSize, FrameAlign); err != nil {
		return Layout{}, err
	}
	for i, b := range k.Buffers {
		bytes := uint64(caps[i]) * uint64(b.Type.Size())
		if caps[i] < 1 || bytes > math.MaxUint32 {
			return Layout{}, fmt.Errorf("%w: region %s of %d elements does not fit wasm32 memory", errs.NoMemory, b.Name, caps[i])
		}
		if l.Region[i], err = ask("region "+b.Name, bytes, RegionAlign); err != nil {
			return Layout{}, err
		}
		l.Bytes[i] = bytes
	}
	mem := size()
	for i, s := range spans {
		if s.off%uint64(s.align) != 0 {
			return Layout{}, fmt.Errorf("%w: zc_reserve gave the %s offset %d, not aligned to %d", ErrModule, s.what, s.off, s.align)
		}
		if s.off+s.bytes > mem {
			return Layout{}, fmt.Errorf("%w: zc_reserve gave the %s bytes [%d, %d), past the end of memory (%d bytes)",
				ErrModule, s.what, s.off, s.off+s.bytes, mem)
		}
		for _, o := range spans[:i] {
			if s.off < o.off+o.bytes && o.off < s.off+s.bytes {
				return Layout{}, fmt.Errorf("%w: zc_reserve gave the %s bytes that overlap the %s", ErrModule, s.what, o.what)
			}
		}
	}
	return l, nil
}

// Bind writes the regions' offsets into the frame in mem and returns the
// frame and the regions' addresses, for the views of a host. mem is the
// module's whole memory, in which l was checked.
func Bind(mem []byte, l Layout, nbuf int) (*Frame, [kernel.MaxBuffers]unsafe.Pointer) {
	fr := (*Frame)(unsafe.Pointer(&mem[l.Frame]))
	*fr = Frame{}
	var views [kernel.MaxBuffers]unsafe.Pointer
	for i := range nbuf {
		fr.Buf[i] = l.Region[i]
		views[i] = unsafe.Pointer(&mem[l.Region[i]])
	}
	return fr, views
}

// Write writes a call's lengths and scalars into the frame.
func (fr *Frame) Write(k *kernel.Kernel, a *kernel.Args) {
	for i := range len(k.Buffers) {
		fr.Len[i] = int64(a.Len[i])
	}
	for i := range len(k.Floats) {
		fr.F[i] = a.F[i]
	}
	for i := range len(k.Ints) {
		fr.I[i] = a.I[i]
	}
}
