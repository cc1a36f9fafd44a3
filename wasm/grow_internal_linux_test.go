package wasm

import (
	"testing"

	"github.com/zerocall/zerocall/internal/testing/kerneltest"
)

// TestGrowUnderAddressLimit grows a wazero instance's memory, as a
// module's memory.grow does, past what an address-space limit (ulimit -v)
// leaves: the grow fails as the module sees it (nil: memory.grow returns
// -1), where the allocation would end the process, and a grow that fits
// still works.
func TestGrowUnderAddressLimit(t *testing.T) {
	kerneltest.UnderAddressLimit(t, 1<<30, func(t *testing.T) {
		m := &linearMemory{buf: make([]byte, 1<<16), limit: wazeroMemoryBytes}
		if b := m.Reallocate(3 << 30); b != nil {
			t.Fatalf("a grow to 3 GiB with 1 GiB of address space left gave %d bytes, want nil", len(b))
		}
		if b := m.Reallocate(1 << 20); len(b) != 1<<20 {
			t.Fatalf("a grow to 1 MiB gave %d bytes after a failed one", len(b))
		}
		// Room to spare past a grow is given up before the grow is.
		if b := m.Reallocate(800 << 20); len(b) != 800<<20 || cap(b) != len(b) {
			t.Fatalf("a grow to 800 MiB, which fits but not with a quarter more: %d bytes of %d", len(b), cap(b))
		}
	})
}
