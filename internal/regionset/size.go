package regionset

import (
	"fmt"
	"math"

	"github.com/zerocall/zerocall/internal/errs"
	"github.com/zerocall/zerocall/kernel"
)

// MaxBytes is the most bytes one region of a handle, or its batch's
// descriptor, may take: a terabyte, past any real buffer, and so far from
// overflow that the sizes of a handle's regions, each at most this, add
// up in an int or a uint64 on every host. (Where an int has 32 bits, it
// is a sixteenth of the int range.)
const MaxBytes = min(1<<40, math.MaxInt>>4)

// size returns n·unit, the bytes of n things of unit bytes each, and
// whether 1 <= n <= most and n·unit <= MaxBytes. Every size a handle's
// memory is made of goes through it, on every host, so that none can
// overflow.
func size(n, unit, most int) (int, bool) {
	if unit < 1 || n < 1 || n > most || n > MaxBytes/unit {
		return 0, false
	}
	return n * unit, true
}

// RegionBytes returns the bytes of a region of n elements for buffer i of
// kernel k. A capacity below 1, or one whose bytes pass MaxBytes (and so
// any whose bytes would overflow), fails with ErrArgument naming the
// kernel, the buffer and the capacity.
func RegionBytes(k *kernel.Kernel, i, n int) (int, error) {
	b := k.Buffers[i]
	bytes, ok := size(n, b.Type.Size(), math.MaxInt)
	if !ok {
		return 0, fmt.Errorf("%w: kernel %s: a capacity of %d for buffer %s; a region holds 1 to %d elements of %v",
			errs.Argument, k.Name, n, b.Name, MaxBytes/max(b.Type.Size(), 1), b.Type)
	}
	return bytes, nil
}

// DescriptorBytes returns the bytes of the descriptor of a batch of items
// items of kernel k. A batch of fewer than 1 or more than MaxItems items
// fails with ErrArgument naming the kernel and the count.
func DescriptorBytes(k *kernel.Kernel, items int) (int, error) {
	bytes, ok := size(items, 8*ItemWords(k), MaxItems)
	if !ok {
		return 0, fmt.Errorf("%w: kernel %s: a batch of %d items; it holds 1 to %d", errs.Argument, k.Name, items, MaxItems)
	}
	return 8*BatchHeader + bytes, nil
}
