package wasmabi_test

import (
	"errors"
	"strings"
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

// TestReserveAll checks ReserveAll's checks of what zc_reserve gives:
// a reservation that ends exactly at the end of memory, or where another
// starts, is taken; one that starts in memory but runs a byte past its
// end, shares a byte with another, or is misaligned, is an ErrModule
// that names it and says why.
func TestReserveAll(t *testing.T) {
	frame := wasmabi.Request{What: "frame", Bytes: 64, Align: 64}
	region := wasmabi.Request{What: "region x", Bytes: 64, Align: 64}
	small := []wasmabi.Request{{What: "frame", Bytes: 16, Align: 8}, {What: "region x", Bytes: 16, Align: 8}}
	for _, c := range []struct {
		name string
		reqs []wasmabi.Request
		offs []uint32 // what zc_reserve gives for each request
		mem  uint64   // the memory's size once they are made
		want string   // "" for none
	}{
		{"at the end of memory", []wasmabi.Request{frame, region}, []uint32{64, 960}, 1024, ""},
		{"side by side", []wasmabi.Request{frame, region}, []uint32{128, 192}, 1024, ""},
		{"a byte past the end", []wasmabi.Request{frame, region}, []uint32{64, 960}, 1023, "the region x bytes [960, 1024), past the end of memory (1023 bytes)"},
		{"past the end", []wasmabi.Request{frame, region}, []uint32{64, 1024}, 1024, "the region x bytes [1024, 1088), past the end of memory (1024 bytes)"},
		{"misaligned", []wasmabi.Request{frame, region}, []uint32{32, 192}, 1024, "the frame offset 32, not aligned to 64"},
		{"small, side by side", small, []uint32{64, 80}, 1024, ""},
		{"a byte in common", small, []uint32{64, 72}, 1024, "the region x bytes [72, 88), which overlap the frame's [64, 80)"},
		{"a byte in common, before", small, []uint32{72, 64}, 1024, "the region x bytes [64, 80), which overlap the frame's [72, 88)"},
		{"the same bytes", small, []uint32{64, 64}, 1024, "the region x bytes [64, 80), which overlap the frame's [64, 80)"},
	} {
		i := 0
		reserve := func(size, align uint32) (uint32, error) {
			off := c.offs[i]
			i++
			return off, nil
		}
		_, err := wasmabi.ReserveAll(c.reqs, reserve, func() uint64 { return c.mem })
		if c.want == "" && err != nil || c.want != "" && (!errors.Is(err, wasmabi.ErrModule) || !strings.Contains(err.Error(), c.want)) {
			want := c.want
			if want == "" {
				want = "none"
			}
			t.Errorf("%s: err = %v, want %s", c.name, err, want)
		}
	}
}
