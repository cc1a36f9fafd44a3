// Package regionset is the host side of a kernel.Handle: the one place
// where every host checks the sizes of a handle's regions and batch
// (size.go), and makes its Handle or Batch over the regions it allocated.
// A host supplies only a Host: how one call and one batch cross, and how
// its memory is released.
package regionset

import (
	"fmt"
	"unsafe"

	"github.com/zerocall/zerocall/internal/errs"
	"github.com/zerocall/zerocall/internal/hostapi"
	"github.com/zerocall/zerocall/kernel"
)

// Host is what a host supplies for a handle. Run runs one call in place
// on the first a.Len[i] elements of each region, the lengths already
// checked; RunBatch runs the first n items of the batch descriptor in one
// crossing (an error is a failure of the whole batch, reported wrapping
// ErrBroken); Close releases the memory, once.
type Host interface {
	Run(a *kernel.Args) (kernel.Return, error)
	RunBatch(n int) error
	Close() error
}

// NewHandle returns the Handle of kernel k over regions at views with
// capacities caps, run by h.
func NewHandle(k *kernel.Kernel, caps []int, views []unsafe.Pointer, h Host) *kernel.Handle {
	return hostapi.NewHandle(k, caps, views, h).(*kernel.Handle)
}

// NewBatch returns the Batch of kernel k over regions at views with
// capacities caps, run by h, with a descriptor of items items at desc,
// 8-byte aligned and of DescriptorBytes(k, items) bytes, in which the
// regions' addresses as the foreign side sees them are base (pointers
// natively, offsets in wasm32).
func NewBatch(k *kernel.Kernel, caps []int, views []unsafe.Pointer, h Host, desc unsafe.Pointer, items int, base []uint64) *kernel.Batch {
	return hostapi.NewBatch(k, caps, views, h, desc, items, base).(*kernel.Batch)
}

// The batch descriptor of zc_kernel.h: 64-bit words, a header of
// BatchHeader words, then items of ItemWords words.
const BatchHeader = 4

// ItemWords returns the words of one item of kernel k's batches.
func ItemWords(k *kernel.Kernel) int { return 2*len(k.Buffers) + len(k.Floats) + len(k.Ints) + 2 }

// MaxItems is the most items a batch may hold: far more than a batch of
// small calls needs, and far from overflowing a descriptor's size.
const MaxItems = 1 << 24

// CheckItems fails with ErrArgument, naming kernel k, unless a batch of
// items items can be made: 1 <= items <= MaxItems.
func CheckItems(k *kernel.Kernel, items int) error {
	if items < 1 || items > MaxItems {
		return fmt.Errorf("%w: kernel %s: a batch of %d items; it holds 1 to %d", errs.Argument, k.Name, items, MaxItems)
	}
	return nil
}
