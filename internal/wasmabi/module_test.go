package wasmabi_test

import (
	"errors"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/wasmabi"
	"github.com/zerocall/zerocall/kernel"
)

// TestCheckCaps checks that the bytes CheckCaps counts include the
// padding that aligns each reservation: a frame of 176 bytes and two
// regions of one byte take 257 bytes at the least, not 178.
func TestCheckCaps(t *testing.T) {
	k := &kernel.Kernel{Name: "two", Buffers: []kernel.Buffer{
		{Name: "x", Type: kernel.Uint8, Role: kernel.In},
		{Name: "out", Type: kernel.Uint8, Role: kernel.Out},
	}}
	for _, c := range []struct {
		max uint64
		err error
	}{
		{178, zerocall.ErrNoMemory},
		{256, zerocall.ErrNoMemory},
		{257, nil},
	} {
		if err := wasmabi.CheckCaps(k, []int{1, 1}, 0, c.max); !errors.Is(err, c.err) {
			t.Errorf("CheckCaps in %d bytes: %v, want %v", c.max, err, c.err)
		}
	}
}
