package kernel

import (
	"fmt"
	"unsafe"

	"github.com/zerocall/zerocall/internal/errs"
	"github.com/zerocall/zerocall/internal/escape"
)

// Slice is a caller's slice of any element type, as hosts pass it: its
// address, length and type. SliceOf makes one without allocating.
type Slice struct {
	p unsafe.Pointer
	n int
	t Type
}

// SliceOf returns s as a Slice.
func SliceOf[T Elem](s []T) Slice {
	return Slice{p: unsafe.Pointer(unsafe.SliceData(s)), n: len(s), t: typeOf[T]()}
}

// Len returns the number of elements.
func (s Slice) Len() int { return s.n }

// Type returns the element type.
func (s Slice) Type() Type { return s.t }

// Pointer returns the address of the first element (nil for a nil slice).
func (s Slice) Pointer() unsafe.Pointer { return s.p }

// bytes returns the slice's memory as bytes.
func (s Slice) bytes() []byte {
	if s.n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(s.p), s.n*s.t.Size())
}

// overlaps reports whether s and o share any byte.
func (s Slice) overlaps(o Slice) bool {
	if s.n == 0 || o.n == 0 {
		return false
	}
	a, b := uintptr(s.p), uintptr(o.p)
	return a < b+uintptr(o.n*o.t.Size()) && b < a+uintptr(s.n*s.t.Size())
}

// Return is what a call returns: the kernel's return value (for a Count
// kernel, the elements it wrote) and its float result (for a Float
// kernel).
type Return struct {
	N int64
	F float64
}

// checkArgs runs the kernel's own Check of a call's lengths and scalars,
// if it has one, on a, whose lengths are those of bufs. Hosts call it
// after checking each length against its buffer, and pass on the lengths
// they checked, so a Check that changes one fails the call rather than
// reaching memory. Check takes a pointer: a copy of Args straight after
// the narrow stores of its lengths waits for them to reach the cache. The
// pointer is hidden from escape analysis (Check must not keep it), so a
// one-shot call's Args stays on its stack.
func (k *Kernel) checkArgs(a *Args, bufs []Slice) error {
	if k.Check == nil {
		return nil
	}
	if err := k.Check((*Args)(escape.Pointer(unsafe.Pointer(a)))); err != nil {
		return err
	}
	for i := range bufs {
		if a.Len[i] != bufs[i].n {
			return fmt.Errorf("%w: the Check of kernel %s changed the length of buffer %s", ErrKernel, k.Name, k.Buffers[i].Name)
		}
	}
	return nil
}

// CheckSlices checks a caller's slices against the kernel's buffers:
// their number and types, and that a buffer the kernel writes overlaps no
// other buffer unless it is exactly the same slice as one the kernel only
// reads (an update in place). It sets a.Len from the slices, then runs
// checkArgs. It allocates nothing on success.
func (k *Kernel) CheckSlices(a *Args, bufs []Slice) error {
	bs := k.Buffers
	if len(bufs) != len(bs) {
		return k.countError(len(bufs))
	}
	for i, s := range bufs {
		if s.t != bs[i].Type {
			return k.typeError(i, s.t)
		}
		a.Len[i] = s.n
	}
	for i, s := range bufs {
		if !bs[i].Role.writes() || s.n == 0 {
			continue
		}
		lo := uintptr(s.p)
		hi := lo + uintptr(s.n*s.t.Size())
		for j, o := range bufs {
			if j == i || o.n == 0 || uintptr(o.p) >= hi || lo >= uintptr(o.p)+uintptr(o.n*o.t.Size()) {
				continue
			}
			if bs[j].Role.writes() || o.p != s.p || o.n != s.n {
				return k.overlapError(i, j)
			}
		}
	}
	return k.checkArgs(a, bufs)
}

// countError is the error of a call given n slices for k's buffers.
func (k *Kernel) countError(n int) error {
	return fmt.Errorf("%w: kernel %s takes %d buffers, one slice each, not %d", ErrKernel, k.Name, len(k.Buffers), n)
}

// typeError is CheckSlices' error for a slice of element type t given
// for buffer i: it names the kernel, the buffer, the type the buffer
// holds and t.
func (k *Kernel) typeError(i int, t Type) error {
	b := k.Buffers[i]
	return fmt.Errorf("%w: buffer %s of kernel %s holds %v, not %v", errs.Type, b.Name, k.Name, b.Type, t)
}

// overlapError is CheckSlices' error for the slice of buffer i, which the
// kernel writes, overlapping that of buffer j.
func (k *Kernel) overlapError(i, j int) error {
	return fmt.Errorf("%w: kernel %s writes buffer %s, whose slice overlaps that of buffer %s",
		errs.Overlap, k.Name, k.Buffers[i].Name, k.Buffers[j].Name)
}

// Returned turns what the kernel returned (ret) and stored (res) into the
// call's Return: a negative value is the kernel's error, and a
// count must lie within the counted buffer's length of the call, or the
// kernel broke its contract, an error wrapping zerocall.ErrBroken.
func (k *Kernel) Returned(ret int64, res float64, a *Args) (Return, error) {
	if ret < 0 {
		return Return{}, status(k, ret)
	}
	if k.Result == Count && ret > int64(a.Len[k.CountOf]) {
		return Return{}, fmt.Errorf("%w: kernel %s reported %d elements written to %s, which has %d",
			errs.Broken, k.Name, ret, k.Buffers[k.CountOf].Name, a.Len[k.CountOf])
	}
	return Return{N: ret, F: res}, nil
}

// Elems returns s as the []T it is, for a Go version of a kernel or any
// code handed Slices: nil if T is not s's element type.
func Elems[T Elem](s Slice) []T {
	if typeOf[T]() != s.t || s.n == 0 {
		return nil
	}
	return unsafe.Slice((*T)(s.p), s.n)
}
