// Package kernel describes kernels as data: a kernel is a name, its
// buffers (each with an element type and a role), its scalar arguments
// and its result, declared once. Every zerocall host calls any kernel so
// described through one calling convention (native/zc_kernel.h), so a
// kernel of your own needs no code of its own on the Go side: describe
// it, hand a host its C function, and call it through every path.
//
// The five built-in kernels are described here too (Sum, Dot, Axpy, FIR,
// MatMul), and the hosts run them through the same machinery.
//
// # Allocation
//
// No call allocates: not a Func's Call, nor a Handle's, nor a Batch's
// Add, Run or Stream, when they are called on the concrete types. Called
// through an interface of your own, the compiler can no longer see that
// the callee keeps neither the Args nor the slices, so it moves what the
// call takes onto the heap: an Args declared per call, and the list it
// builds for slices passed one by one (h.Call(&a, x, y, out)). Keep both
// where they outlive the calls, an Args and a []Slice made once and
// passed whole (h.Call(&a, bufs...)), and the call allocates nothing
// through an interface either.
package kernel

import (
	"errors"
	"fmt"
	"math/bits"
	"unsafe"

	"github.com/zerocall/zerocall/internal/errs"
)

// MaxScalars is the most scalars of each kind a kernel may declare, and
// maxBuffers the most buffers: the frame of the calling convention has
// room for these (ZC_MAX_SCALARS and ZC_MAX_BUFFERS in
// native/zc_kernel.h).
const (
	MaxScalars = 4
	maxBuffers = 8
)

// Type is the element type of a buffer.
type Type uint8

// The element types a buffer may have.
const (
	Float64 Type = iota + 1
	Float32
	Int64
	Int32
	Uint8
)

// Size returns the size of one element in bytes, or 0 for an unknown type.
func (t Type) Size() int {
	if int(t) < len(typeSizes) {
		return int(typeSizes[t])
	}
	return 0
}

// typeSizes are the element sizes by Type: a table, since Size is on
// every call's path.
var typeSizes = [...]uint8{Float64: 8, Float32: 4, Int64: 8, Int32: 4, Uint8: 1}

// typeShifts are the sizes' base-2 logarithms, made from typeSizes, with
// room to eight types so that a Type masked to three bits indexes it with
// no bounds check.
var typeShifts = func() (s [8]uint8) {
	for t, size := range typeSizes {
		s[t] = uint8(bits.TrailingZeros8(size))
	}
	return s
}()

// typeNames are the types' Go names.
var typeNames = [...]string{Float64: "float64", Float32: "float32", Int64: "int64", Int32: "int32", Uint8: "uint8"}

// String returns the type's Go name.
func (t Type) String() string { return name(typeNames[:], t, "Type") }

// Elem is the set of Go element types a buffer may have.
type Elem interface {
	~float64 | ~float32 | ~int64 | ~int32 | ~uint8
}

// typeOf returns the Type of the element type T, from its size and
// whether it divides as a float does: both known when the function is
// compiled for T's underlying type, so that a call folds to a constant
// and Elems stays small enough to be inlined (a type switch on any(T) is
// a run-time lookup in a generic function, and kept Elems out of line).
func typeOf[T Elem]() Type {
	var zero T
	switch unsafe.Sizeof(zero) {
	case 8:
		if T(1)/T(2) != 0 {
			return Float64
		}
		return Int64
	case 4:
		if T(1)/T(2) != 0 {
			return Float32
		}
		return Int32
	}
	return Uint8
}

// Role says what a kernel does with a buffer.
type Role uint8

// The roles of a buffer.
const (
	In    Role = iota + 1 // the kernel reads it
	Out                   // the kernel writes it
	InOut                 // the kernel reads and writes it
)

// roleNames are the roles' names.
var roleNames = [...]string{In: "in", Out: "out", InOut: "inout"}

// String returns the role's name.
func (r Role) String() string { return name(roleNames[:], r, "Role") }

// name returns names[v], or what, with v's number, for a v that has none.
func name[T ~uint8](names []string, v T, what string) string {
	if int(v) < len(names) && names[v] != "" {
		return names[v]
	}
	return fmt.Sprintf("%s(%d)", what, uint8(v))
}

// reads reports whether the kernel reads the buffer.
func (r Role) reads() bool { return r == In || r == InOut }

// writes reports whether the kernel writes the buffer.
func (r Role) writes() bool { return r == Out || r == InOut }

// Buffer is one buffer argument of a kernel.
type Buffer struct {
	Name string
	Type Type
	Role Role
}

// Result is what a kernel returns.
type Result uint8

// The results a kernel may have.
const (
	// None: the kernel returns 0 on success (any value from 0 up is
	// success, passed on as Return.N unchecked).
	None Result = iota
	// Float: the kernel stores one float64 in the frame's result.
	Float
	// Count: the kernel returns how many elements it wrote to the buffer
	// CountOf names; a host checks it against that buffer's length.
	Count
)

// Kernel describes a kernel: its buffers, in the order the frame passes
// them, its scalars and its result. A Kernel is immutable once handed
// to a host.
type Kernel struct {
	// Name identifies the kernel in errors and benchmarks.
	Name string
	// Buffers are the kernel's buffer arguments, at most 8.
	Buffers []Buffer
	// Floats and Ints name the float and integer scalar arguments, at
	// most MaxScalars of each, in the order the frame passes them.
	Floats, Ints []string
	// Result is what the kernel returns.
	Result Result
	// CountOf is the index of the buffer a Count result counts.
	CountOf int
	// NoAlias, if set, says that the kernel cannot update in place: a
	// buffer it writes may share no byte with another buffer, not even by
	// being the very same slice as one it only reads, which the hosts
	// otherwise allow (out = a·x + y with out and y one slice). Set it for
	// a kernel that reads an input after writing its output, as a matrix
	// product does.
	NoAlias bool
	// Check, if not nil, validates a call's lengths and scalars before it
	// runs and returns an error wrapping one of zerocall's errors
	// (ErrLength, ErrArgument, ...), which the call returns wrapped in
	// turn, with the kernel's name. Hosts check that each length fits
	// its buffer; Check states how the lengths relate to each other and to
	// the scalars. a is the call's own copy, with a.Len set from its
	// slices: Check reads it, and must neither change it (a changed length
	// fails the call with ErrKernel; a changed scalar is not detected, and
	// whether the kernel gets it or the caller's differs by path) nor keep
	// it past its return. It must not
	// allocate on success. Its verdict must depend on a alone: a Handle
	// skips it for a call in place whose lengths and scalars are those of
	// the last such call it passed. A panic in Check reaches the caller of
	// the call, as a panic in any function of yours does; the Func, Handle
	// or Batch stays usable.
	Check func(a *Args) error
}

// ErrKernel reports a kernel description that breaks the rules of Kernel,
// or a use that does not follow it: a function that does not match it, a
// call with another number of slices than it has buffers, a handle with
// another number of capacities, a Check that changes a length.
var ErrKernel = errors.New("zerocall: kernel description not valid, or not followed")

// validate checks the description.
func (k *Kernel) validate() error {
	switch {
	case k == nil:
		return fmt.Errorf("%w: nil", ErrKernel)
	case k.Name == "":
		return fmt.Errorf("%w: no name", ErrKernel)
	case len(k.Buffers) > maxBuffers:
		return fmt.Errorf("%w: %s has %d buffers, at most %d", ErrKernel, k.Name, len(k.Buffers), maxBuffers)
	case len(k.Floats) > MaxScalars || len(k.Ints) > MaxScalars:
		return fmt.Errorf("%w: %s has %d float and %d integer scalars, at most %d of each",
			ErrKernel, k.Name, len(k.Floats), len(k.Ints), MaxScalars)
	case k.Result > Count:
		return fmt.Errorf("%w: %s has an unknown result kind %d", ErrKernel, k.Name, k.Result)
	case k.Result == Count && (k.CountOf < 0 || k.CountOf >= len(k.Buffers) || !k.Buffers[k.CountOf].Role.writes()):
		return fmt.Errorf("%w: %s counts buffer %d, which is not one it writes", ErrKernel, k.Name, k.CountOf)
	}
	for i, b := range k.Buffers {
		if b.Type.Size() == 0 || b.Role < In || b.Role > InOut {
			return fmt.Errorf("%w: %s buffer %d (%q) has type %v and role %v", ErrKernel, k.Name, i, b.Name, b.Type, b.Role)
		}
	}
	return nil
}

// Args are the arguments of one call that are not buffers: how many
// elements of each buffer the call uses, and the scalars. The caller sets
// the scalars; a host sets the lengths from the caller's slices. Args is
// a plain value, so calls that take one allocate nothing. A nil *Args is
// a call whose scalars are all zero, as for a kernel that has none.
type Args struct {
	// Len[i] is the number of elements of buffer i the call uses, set
	// from its slice before the kernel's Check reads it (a kernel has at
	// most 8 buffers).
	Len [maxBuffers]int
	// F and I are the float and integer scalars, in declared order.
	F [MaxScalars]float64
	I [MaxScalars]int64
}

// noScalars is the Args a nil *Args stands for. Nothing writes it.
var noScalars Args

// status returns the error a kernel's negative return value stands for:
// the negated status codes of zerocall.h, in a message that names the
// kernel and what it returned. It allocates only for a negative ret.
func status(k *Kernel, ret int64) error {
	if ret >= 0 {
		return nil
	}
	if ret < -1<<20 {
		return fmt.Errorf("%w: kernel %s returned %d", errs.Broken, k.Name, ret)
	}
	err := errs.Status("kernel "+k.Name, int(-ret))
	if errors.Is(err, errs.Broken) {
		return err // a code the ABI does not define, named already
	}
	return fmt.Errorf("%w: kernel %s returned %d", err, k.Name, ret)
}
