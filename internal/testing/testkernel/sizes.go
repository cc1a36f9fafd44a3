package testkernel

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/regionset"
	"github.com/zerocall/zerocall/kernel"
)

// Sized is how a host under test makes handles of one kernel, for
// RunSizes: Owned one with caps[i] elements for buffer i, Batch one that
// also holds a batch of items items.
type Sized struct {
	Owned func(caps ...int) (*kernel.Handle, error)
	Batch func(items int, caps ...int) (*kernel.Batch, error)
}

// SizedKernels are the kernels RunSizes asks for, one per element size a
// region's bytes can overflow with: the test kernel, on float32, and the
// built-in axpy, on float64.
var SizedKernels = []*kernel.Kernel{Saxpy, kernel.Axpy}

// badCounts are capacities and batch sizes that no host may accept: below
// 1, past regionset.MaxBytes, and those whose bytes overflow an int or a
// uint64 for elements of 4 or 8 bytes (on a 64-bit host, 1<<62 + 1,
// math.MaxInt, 1<<62, 1<<61 and 1<<60).
var badCounts = []int{
	0, -1, math.MinInt,
	math.MaxInt/2 + 2, math.MaxInt, math.MaxInt/2 + 1, math.MaxInt/4 + 1, math.MaxInt/8 + 1,
}

// RunSizes asks a host, through sized, for handles and batches of each of
// SizedKernels whose sizes no memory can hold or whose bytes overflow.
// Every one fails with ErrArgument, as on every host, naming the kernel,
// the buffer and the capacity (or the number of items), and nothing
// panics; handles of sizes that fit are made.
func RunSizes(t *testing.T, sized func(t *testing.T, k *kernel.Kernel) Sized) {
	t.Helper()
	for _, k := range SizedKernels {
		t.Run(k.Name, func(t *testing.T) {
			s := sized(t, k)
			ones := func() []int {
				caps := make([]int, len(k.Buffers))
				for i := range caps {
					caps[i] = 1
				}
				return caps
			}
			good := ones()
			good[0] = 16
			if h, err := s.Owned(good...); err != nil {
				t.Fatalf("Func.Handle%v: %v", good, err)
			} else {
				h.Close()
			}
			if b, err := s.Batch(4, good...); err != nil {
				t.Fatalf("Func.Batch(4, %v): %v", good, err)
			} else {
				b.Close()
			}
			for _, i := range []int{0, len(k.Buffers) - 1} {
				b := k.Buffers[i]
				counts := append(badCounts[:len(badCounts):len(badCounts)], regionset.MaxBytes/b.Type.Size()+1)
				for _, n := range counts {
					caps := ones()
					caps[i] = n
					want := []string{"kernel " + k.Name, "capacity of " + strconv.Itoa(n), "buffer " + b.Name}
					checkRefused(t, fmt.Sprintf("Func.Handle%v", caps), want, func() (closer, error) { return s.Owned(caps...) })
					checkRefused(t, fmt.Sprintf("Func.Batch(4, %v)", caps), want, func() (closer, error) { return s.Batch(4, caps...) })
				}
			}
			for _, n := range append(badCounts[:len(badCounts):len(badCounts)], regionset.MaxItems+1) {
				want := []string{"a batch of " + strconv.Itoa(n) + " items"}
				checkRefused(t, fmt.Sprintf("Func.Batch(%d, %v)", n, good), want, func() (closer, error) { return s.Batch(n, good...) })
			}
		})
	}
}

// closer is what a constructor returns: a handle or a batch.
type closer interface{ Close() error }

// checkRefused calls make, which must fail with ErrArgument saying each
// of want, and must not panic.
func checkRefused(t *testing.T, what string, want []string, make func() (closer, error)) {
	t.Helper()
	var err error
	func() {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic: %v", p)
			}
		}()
		var h closer
		if h, err = make(); err == nil {
			h.Close()
		}
	}()
	if err == nil {
		t.Errorf("%s succeeded, want ErrArgument", what)
		return
	}
	for _, w := range want {
		if !errors.Is(err, zerocall.ErrArgument) || !strings.Contains(err.Error(), w) {
			t.Errorf("%s: err = %v, want ErrArgument saying %q", what, err, strings.Join(want, `", "`))
			return
		}
	}
}
