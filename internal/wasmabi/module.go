package wasmabi

import (
	"fmt"
	"math"
	"sync"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/errs"
	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/internal/regionset"
	"github.com/zerocall/zerocall/kernel"
)

// maxBuffers is the most buffers a kernel has: the length of Args.Len.
const maxBuffers = len(kernel.Args{}.Len)

// The zerocall module ABI, as wasm/module/zc_module.h defines it: the
// version, and the frame and regions a host reserves in a module's
// memory.
const (
	ABIVersion  = 1
	FrameSize   = 176
	FrameAlign  = 16
	RegionAlign = 64
)

// BatchSuffix names a kernel's batch export: <kernel>_batch(desc i32,
// n i32), which runs the kernel on the first n items of the batch
// descriptor at offset desc.
const BatchSuffix = "_batch"

// BatchParams and BatchResults are a batch export's signature.
var (
	BatchParams  = []Type{I32, I32}
	BatchResults = []Type(nil)
)

// Frame is struct zc_frame of native/zc_kernel.h as it lies in wasm32
// memory: buffer addresses are 32-bit offsets into the module's memory.
type Frame struct {
	Buf    [maxBuffers]uint32
	Len    [maxBuffers]int64
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

// CheckFunc is what Library.Func checks on every wasm host: that lib is
// open, that k is a valid description and that the module exports name as
// a kernel.
func CheckFunc(lib *Lib, k *kernel.Kernel, lookup Lookup, name string) error {
	if err := funcs.Validate(k); err != nil {
		return err
	}
	if lib.Closed() {
		return closedErr(k)
	}
	return checkExport(lookup, Export{name, KernelParams, KernelResults}, k)
}

// checkExport checks that the module exports want; the error names the
// kernel k that needs it, if not nil.
func checkExport(lookup Lookup, want Export, k ...*kernel.Kernel) error {
	who := ""
	if len(k) > 0 {
		who = "kernel " + k[0].Name + ": "
	}
	params, results, ok := lookup(want.Name)
	if !ok {
		return fmt.Errorf("%w: %sno exported function %q", ErrModule, who, want.Name)
	}
	if !equal(params, want.Params) || !equal(results, want.Results) {
		return fmt.Errorf("%w: %sexport %q has type %v -> %v, want %v -> %v",
			ErrModule, who, want.Name, params, results, want.Params, want.Results)
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

// Layout is where an instance's frame, regions and batch items lie in its
// memory.
type Layout struct {
	Frame  uint32
	Region [maxBuffers]uint32
	Items  uint32 // 0 without a batch
}

// Request is one reservation an instance asks of a module.
type Request struct {
	What  string // for errors: "frame", "region x", ...
	Bytes uint64
	Align uint32
}

// ReserveAll makes the reservations reqs, in order, through the module's
// zc_reserve (reserve), and checks what it gets: every reservation inside
// memory once all are made (size returns the memory's size then), aligned
// as asked, and overlapping no other. A module that fails these is an
// ErrModule; a reservation zc_reserve refuses, or one larger than wasm32
// memory, is an ErrNoMemory.
func ReserveAll(reqs []Request, reserve func(size, align uint32) (uint32, error), size func() uint64) ([]uint32, error) {
	offs := make([]uint32, len(reqs))
	for i, r := range reqs {
		if r.Bytes == 0 || r.Bytes > math.MaxUint32 {
			return nil, fmt.Errorf("%w: the %s (%d bytes) does not fit wasm32 memory", errs.NoMemory, r.What, r.Bytes)
		}
		off, err := reserve(uint32(r.Bytes), r.Align)
		if err != nil {
			return nil, fmt.Errorf("%w: zc_reserve for the %s: %v", ErrModule, r.What, err)
		}
		if off == 0 {
			return nil, fmt.Errorf("%w: zc_reserve(%d, %d) for the %s failed: the module's memory cannot hold it",
				errs.NoMemory, r.Bytes, r.Align, r.What)
		}
		offs[i] = off
	}
	mem := size()
	for i, r := range reqs {
		off := uint64(offs[i])
		if off%uint64(r.Align) != 0 {
			return nil, fmt.Errorf("%w: zc_reserve gave the %s offset %d, not aligned to %d", ErrModule, r.What, off, r.Align)
		}
		if off+r.Bytes > mem {
			return nil, fmt.Errorf("%w: zc_reserve gave the %s bytes [%d, %d), past the end of memory (%d bytes)",
				ErrModule, r.What, off, off+r.Bytes, mem)
		}
		for j, o := range reqs[:i] {
			if oo := uint64(offs[j]); off < oo+o.Bytes && oo < off+r.Bytes {
				return nil, fmt.Errorf("%w: zc_reserve gave the %s bytes [%d, %d), which overlap the %s's [%d, %d)",
					ErrModule, r.What, off, off+r.Bytes, o.What, oo, oo+o.Bytes)
			}
		}
	}
	return offs, nil
}

// Needs returns the bytes that Reserve asks zc_reserve for, with room to
// align each, or 0 for capacities Reserve refuses: about what an
// instance's memory grows by to hold them.
func Needs(k *kernel.Kernel, caps []int, items int) uint64 {
	reqs, err := requests(k, caps, items)
	if err != nil {
		return 0
	}
	return needs(reqs)
}

// needs returns the bytes of reqs, with room to align each.
func needs(reqs []Request) uint64 {
	var n uint64
	for _, r := range reqs {
		n += r.Bytes + uint64(r.Align)
	}
	return n
}

// Reserve reserves the frame, one region per buffer of k, of caps[i]
// elements each, and the descriptor of a batch of items items if items
// is positive, as ReserveAll does. Sizes are checked as CheckCaps does.
func Reserve(k *kernel.Kernel, caps []int, items int, reserve func(size, align uint32) (uint32, error), size func() uint64) (Layout, error) {
	reqs, err := requests(k, caps, items)
	if err != nil {
		return Layout{}, err
	}
	offs, err := ReserveAll(reqs, reserve, size)
	if err != nil {
		return Layout{}, err
	}
	l := Layout{Frame: offs[0]}
	copy(l.Region[:], offs[1:1+len(k.Buffers)])
	if items > 0 {
		l.Items = offs[len(offs)-1]
	}
	return l, nil
}

// requests returns the reservations of an instance of k: the frame, a
// region of caps[i] elements for each buffer, and the descriptor of a
// batch of items items unless items is 0. Every size comes from
// regionset, which refuses one that passes regionset.MaxBytes with
// ErrArgument, so that none overflows and neither does their sum.
func requests(k *kernel.Kernel, caps []int, items int) ([]Request, error) {
	if len(caps) != len(k.Buffers) {
		return nil, fmt.Errorf("%w: kernel %s has %d buffers, and %d capacities were given", kernel.ErrKernel, k.Name, len(k.Buffers), len(caps))
	}
	reqs := []Request{{"frame", FrameSize, FrameAlign}}
	for i, b := range k.Buffers {
		n, err := regionset.RegionBytes(k, i, caps[i])
		if err != nil {
			return nil, err
		}
		reqs = append(reqs, Request{"region " + b.Name, uint64(n), RegionAlign})
	}
	if items != 0 {
		n, err := regionset.DescriptorBytes(k, items)
		if err != nil {
			return nil, err
		}
		reqs = append(reqs, Request{"batch descriptor", uint64(n), 8})
	}
	return reqs, nil
}

// Bind writes the regions' offsets into the frame in mem and returns the
// frame and the regions' addresses, for the views of a host. mem is the
// module's whole memory, in which l was checked.
func Bind(mem []byte, l Layout, nbuf int) (*Frame, [maxBuffers]unsafe.Pointer) {
	fr := (*Frame)(unsafe.Pointer(&mem[l.Frame]))
	*fr = Frame{}
	var views [maxBuffers]unsafe.Pointer
	for i := range nbuf {
		fr.Buf[i] = l.Region[i]
		views[i] = unsafe.Pointer(&mem[l.Region[i]])
	}
	return fr, views
}

// Args returns the frame's lengths and scalars as the kernel.Args they
// are laid out as.
func (fr *Frame) Args() *kernel.Args { return (*kernel.Args)(unsafe.Pointer(&fr.Len)) }

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

// CheckCaps checks the capacities of a new instance of k before the
// module is instantiated: one per buffer, each at least 1 and of at most
// regionset.MaxBytes (ErrArgument, as on every host), a batch of items
// items unless items is 0, and all of them with the frame within max,
// the bytes the module's memory may reach (ErrNoMemory).
func CheckCaps(k *kernel.Kernel, caps []int, items int, max uint64) error {
	reqs, err := requests(k, caps, items)
	if err != nil {
		return err
	}
	// The regions are reserved in this order, each at its alignment, as
	// zc_reserve lays them out: the least the module's heap can take.
	need := uint64(0)
	for _, r := range reqs {
		a := uint64(r.Align)
		need = (need+a-1)&^(a-1) + r.Bytes
	}
	if need > max {
		return fmt.Errorf("%w: kernel %s's regions need %d bytes, and the module's memory holds at most %d (its maximum, or the memory limit)",
			errs.NoMemory, k.Name, need, max)
	}
	return nil
}

// CheckVersion checks what a module's zc_abi_version returned (v, or the
// call's failure err): ErrModule unless it is this host's ABIVersion.
func CheckVersion(v int32, err error) error {
	if err != nil {
		return fmt.Errorf("%w: zc_abi_version: %v", ErrModule, err)
	}
	if v != ABIVersion {
		return fmt.Errorf("%w: zc_abi_version is %d, and this host speaks version %d", ErrModule, v, ABIVersion)
	}
	return nil
}

// CheckBatch fails with ErrModule unless the module exports kernel's
// batch export, kernel + BatchSuffix, with its signature.
func CheckBatch(lookup Lookup, kernel string) error {
	return checkExport(lookup, Export{kernel + BatchSuffix, BatchParams, BatchResults})
}

// BatchAt returns where the batch descriptor of an instance lies, at l
// in the module's memory mem, and the offsets of its nbuf regions, which
// are their addresses as the module sees them.
func BatchAt(mem []byte, l Layout, nbuf int) (desc unsafe.Pointer, base []uint64) {
	base = make([]uint64, nbuf)
	for i := range base {
		base[i] = uint64(l.Region[i])
	}
	return unsafe.Pointer(&mem[l.Items]), base
}

// An Instance is one instance of a module bound for a handle, as a wasm
// host makes it: its host (how a call and a batch cross), the regions'
// addresses in the host's view of the module's memory mem, and where
// everything lies in it.
type Instance struct {
	Host   regionset.Host
	Views  []unsafe.Pointer
	Layout Layout
	Mem    []byte
}

// NewHandle returns the handle of kernel k over an instance of lib's
// module that inst makes with regions of caps and no batch (items 0),
// while lib is open. mem must be zerocall.Module: the same checks and the
// same errors on every wasm host.
func NewHandle(k *kernel.Kernel, mem zerocall.Memory, caps []int, lib *Lib, inst func(items int) (Instance, error)) (*kernel.Handle, error) {
	if err := CheckMemoryKind(k, mem); err != nil {
		return nil, err
	}
	if err := CheckCaps(k, caps, 0, lib.Max); err != nil {
		return nil, err
	}
	in, err := lib.instantiate(k, 0, inst)
	if err != nil {
		return nil, err
	}
	return regionset.NewHandle(k, caps, in.Views, in.Host), nil
}

// NewBatch returns the batch of kernel k, of items calls, over an instance
// that inst makes with regions of caps and a batch descriptor, as
// NewHandle does. mem must be
// zerocall.Module, and the module must export the kernel's batch export
// (lookup, export: ErrModule otherwise).
func NewBatch(k *kernel.Kernel, mem zerocall.Memory, items int, caps []int, lib *Lib, lookup Lookup, export string, inst func(items int) (Instance, error)) (*kernel.Batch, error) {
	if err := CheckMemoryKind(k, mem); err != nil {
		return nil, err
	}
	if err := regionset.CheckItems(k, items); err != nil {
		return nil, err
	}
	if err := CheckCaps(k, caps, items, lib.Max); err != nil {
		return nil, err
	}
	if err := CheckBatch(lookup, export); err != nil {
		return nil, err
	}
	in, err := lib.instantiate(k, items, inst)
	if err != nil {
		return nil, err
	}
	desc, base := BatchAt(in.Mem, in.Layout, len(in.Views))
	return regionset.NewBatch(k, caps, in.Views, in.Host, desc, items, base), nil
}

// Lib is what every wasm host's Library keeps beside its compiled module:
// the most bytes the module's memory may reach, and whether Close has run,
// under a lock that also keeps Close from releasing the module while an
// instance of it is being made.
type Lib struct {
	Max uint64

	mu     sync.Mutex
	closed bool
}

// Closed reports whether Close has run.
func (l *Lib) Closed() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.closed
}

// Close runs release the first time only; later calls return nil.
func (l *Lib) Close(release func() error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	return release()
}

// instantiate runs inst(items), which makes an instance of the module
// for kernel k, unless Close has run (ErrClosed), holding the lock
// meanwhile.
func (l *Lib) instantiate(k *kernel.Kernel, items int, inst func(items int) (Instance, error)) (Instance, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return Instance{}, closedErr(k)
	}
	return inst(items)
}

// closedErr is the error of a Library closed before a Func of kernel k,
// or an instance of one, was made.
func closedErr(k *kernel.Kernel) error {
	return fmt.Errorf("%w: kernel %s: its Library was closed", errs.Closed, k.Name)
}

// CheckMemoryKind fails with ErrUnsupported, naming kernel k, unless mem
// is zerocall.Module: a wasm handle's regions are the module's memory.
func CheckMemoryKind(k *kernel.Kernel, mem zerocall.Memory) error {
	if mem != zerocall.Module {
		return funcs.Unsupported(k, mem, "a wasm handle's regions are in the module's memory, zerocall.Module")
	}
	return nil
}
