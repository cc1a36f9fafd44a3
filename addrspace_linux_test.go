package zerocall_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm"
)

// TestAddressSpaceLimit makes instances and handles on every host that
// allocates their memory in the process, under an address-space limit
// (ulimit -v) that leaves 1 GiB: regions of 1.4 GiB fail with
// ErrNoMemory, as the constructors document, where the process would
// otherwise die of Go's fatal out-of-memory error (the limit counts what
// the process maps already); regions of 384 MiB are made. Without cgo,
// the native hosts are skipped.
func TestAddressSpaceLimit(t *testing.T) {
	// Each maker takes the bytes its regions hold in all, spread over
	// them.
	type closer interface {
		Err() error
		Close() error
	}
	for _, c := range []struct {
		name string
		make func(bytes int) (closer, error)
	}{
		{"native-pinned", func(n int) (closer, error) { return newPinned(n/24, 0)() }},
		{"native-cowned", func(n int) (closer, error) { return newCOwned(n/24, 0)() }},
		{"native-handle", func(n int) (closer, error) { return nativeHandle(kernel.Sum, zerocall.Pinned, n/8) }},
		{"wasm", func(n int) (closer, error) { return wasm.New(zerocall.Config{Capacity: n / 24}) }},
		{"wasm-handle", func(n int) (closer, error) {
			lib, err := wasm.Load(testkernel.Module(), zerocall.Config{})
			if err != nil {
				return nil, err
			}
			f, err := lib.Func(testkernel.Saxpy, testkernel.Symbol)
			if err != nil {
				return nil, err
			}
			return f.Handle(zerocall.Module, n/12, n/12, n/12)
		}},
	} {
		// A child process each, as the heap keeps the address space of
		// the regions of the one before.
		t.Run(c.name, func(t *testing.T) {
			kerneltest.UnderAddressLimit(t, 1<<30, func(t *testing.T) {
				if strings.HasPrefix(c.name, "native") && !cgoEnabled {
					t.Skip("built without cgo")
				}
				if h, err := c.make(1 << 20); err == nil {
					h.Close()
				}
				h, err := c.make(45 << 25)
				if !errors.Is(err, zerocall.ErrNoMemory) {
					t.Errorf("regions of 1.4 GiB with 1 GiB of address space left: err = %v, want ErrNoMemory", err)
				}
				if err == nil {
					h.Close()
				}
				h, err = c.make(3 << 27)
				if err != nil {
					t.Fatalf("regions of 384 MiB with 1 GiB of address space left: %v", err)
				}
				if err := h.Err(); err != nil {
					t.Errorf("Err() = %v", err)
				}
				if err := h.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
		})
	}
}
