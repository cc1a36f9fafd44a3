package kernel

import (
	"fmt"
	"math/bits"
	"strings"
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
		return k.checkErr(err, a)
	}
	for i := range bufs {
		if a.Len[i] != bufs[i].n {
			return k.changedErr(a, bufs)
		}
	}
	return nil
}

// checkErr is the error of a call the kernel's Check refused with err,
// which it wraps, naming the kernel and the lengths of a, the call's, by
// buffer.
//
//go:noinline
func (k *Kernel) checkErr(err error, a *Args) error {
	var lens []string
	for i, b := range k.Buffers {
		if i < len(a.Len) {
			lens = append(lens, fmt.Sprintf("%s %d", b.Name, a.Len[i]))
		}
	}
	return fmt.Errorf("%w (the Check of kernel %s, on lengths %s)", err, k.Name, strings.Join(lens, ", "))
}

// changedErr is the error of a Check that changed a length of a from its
// slice's in bufs: it names the first buffer whose length changed.
//
//go:noinline
func (k *Kernel) changedErr(a *Args, bufs []Slice) error {
	i := 0
	for i < len(bufs)-1 && a.Len[i] == bufs[i].n {
		i++
	}
	return fmt.Errorf("%w: the Check of kernel %s changed the length of buffer %s", ErrKernel, k.Name, k.Buffers[i].Name)
}

// CheckSlices checks a caller's slices against the kernel's buffers:
// their number and types, and that a buffer the kernel writes overlaps no
// other buffer unless it is exactly the same slice as one it only reads
// (an update in place, which NoAlias forbids). It sets a.Len from the
// slices (a is the call's own Args: nil fails with zerocall.ErrArgument),
// then runs the kernel's Check. It allocates nothing on success.
//
// It is every one-shot call's work, so it is written for speed: one pass
// over the slices checks their types, and only the buffers the kernel
// writes are then compared with the others, the end of each computed only
// where its start is not past the written one's. Any doubt goes to
// slices, which names what is wrong.
func (k *Kernel) CheckSlices(a *Args, bufs []Slice) error {
	if k == nil || a == nil {
		return k.nilError()
	}
	bs := k.Buffers
	if len(bufs) != len(bs) || len(bufs) > maxBuffers {
		return k.countError(len(bufs))
	}
	var writes uint
	for i := range bufs {
		s, b := &bufs[i], &bs[i]
		if s.t != b.Type {
			return k.typeError(i, s.t)
		}
		a.Len[i] = s.n
		if b.Role != In && s.n > 0 {
			writes |= 1 << i
		}
	}
	// Whether any slice touches a written one. An empty slice overlaps
	// nothing, but its address may lie inside a written one: slices,
	// which checks every pair, tells the two apart. It is called out of
	// the loop, so that the loop keeps its values in registers.
	touch := false
	for writes != 0 && !touch {
		i := bits.TrailingZeros(writes) & (maxBuffers - 1)
		writes &= writes - 1
		lo := uintptr(bufs[i].p)
		hi := bufs[i].end()
		for j := range bufs {
			if p := uintptr(bufs[j].p); j != i && p < hi && lo < bufs[j].end() {
				touch = true
			}
		}
	}
	if touch {
		if err := k.slices(bufs); err != nil {
			return err
		}
	}
	return k.checkArgs(a, bufs)
}

// end returns the address just past s's last byte, for a Type that
// CheckSlices has checked.
func (s *Slice) end() uintptr {
	return uintptr(s.p) + uintptr(s.n)<<(typeShifts[s.t&7]&63)
}

// slices is the overlap rule of CheckSlices, pair by pair, for calls
// whose slices touch: nil if each pair that shares a byte is an update
// in place that the kernel allows, and otherwise the error that names
// the pair.
//
//go:noinline
func (k *Kernel) slices(bufs []Slice) error {
	bs := k.Buffers
	for i, s := range bufs {
		if !bs[i].Role.writes() || s.n == 0 {
			continue
		}
		for j, o := range bufs {
			if j == i || !s.overlaps(o) {
				continue
			}
			if bs[j].Role.writes() || o != s || k.NoAlias {
				return k.overlapError(i, j)
			}
		}
	}
	return nil
}

// errNilKernel is the error of a method called on a nil *Kernel.
var errNilKernel = fmt.Errorf("%w: a nil *kernel.Kernel", ErrKernel)

// nilError is CheckSlices' error for a nil k or a nil Args.
func (k *Kernel) nilError() error {
	if k == nil {
		return errNilKernel
	}
	return fmt.Errorf("%w: kernel %s: CheckSlices needs the call's own Args, not nil", errs.Argument, k.Name)
}

// countError is the error of a call given n slices for k's buffers.
func (k *Kernel) countError(n int) error {
	if len(k.Buffers) > maxBuffers { // a description no constructor took
		return fmt.Errorf("%w: kernel %s has %d buffers, more than the %d a kernel may have", ErrKernel, k.Name, len(k.Buffers), maxBuffers)
	}
	return fmt.Errorf("%w: kernel %s takes %d buffers, one slice each, not %d", ErrKernel, k.Name, len(k.Buffers), n)
}

// typeError is CheckSlices' error for a slice of element type t given
// for buffer i: it names the kernel, the buffer, the type the buffer
// holds and t.
func (k *Kernel) typeError(i int, t Type) error {
	b := k.Buffers[i]
	if t == 0 {
		return fmt.Errorf("%w: buffer %s of kernel %s holds %v, and its Slice is the zero Slice (SliceOf makes one)", errs.Type, b.Name, k.Name, b.Type)
	}
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
// count must lie within the counted buffer's length of the call (a.Len),
// or the kernel broke its contract, an error wrapping zerocall.ErrBroken.
// A count with no Args to check it by fails with zerocall.ErrArgument.
func (k *Kernel) Returned(ret int64, res float64, a *Args) (Return, error) {
	if k == nil || ret < 0 || k.Result == Count && (a == nil || ret > int64(a.Len[k.CountOf&(maxBuffers-1)])) {
		return Return{}, k.failed(ret, a)
	}
	return Return{N: ret, F: res}, nil
}

// failed is Returned's error for a nil k, a negative ret, or a count past
// its buffer or with no a to check it by.
//
//go:noinline
func (k *Kernel) failed(ret int64, a *Args) error {
	switch {
	case k == nil:
		return errNilKernel
	case ret < 0:
		return status(k, ret)
	case a == nil:
		return fmt.Errorf("%w: kernel %s returned a count of %d, and no Args to check it by", errs.Argument, k.Name, ret)
	}
	return fmt.Errorf("%w: kernel %s reported %d elements written to %s, which has %d",
		errs.Broken, k.Name, ret, k.Buffers[k.CountOf].Name, a.Len[k.CountOf])
}

// Elems returns s as the []T it is, for a Go version of a kernel or any
// code handed Slices: nil if T is not s's element type, and nil too for
// an empty s (test s.Type() for the type, not the result for nil).
func Elems[T Elem](s Slice) []T {
	if typeOf[T]() != s.t || s.n == 0 {
		return nil
	}
	return unsafe.Slice((*T)(s.p), s.n)
}
