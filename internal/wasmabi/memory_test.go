package wasmabi_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/wasmabi"
)

// TestCheckMemory checks each kind of memory, and every truncation of
// each module: what CheckMemory cannot read it leaves to the engine, and
// it never panics.
func TestCheckMemory(t *testing.T) {
	for _, c := range []struct {
		mems    []byte
		message string // "" for a good memory
	}{
		{nil, ""},
		{[]byte{testkernel.MemMax}, ""},
		{[]byte{testkernel.Mem64}, "its memory is 64-bit"},
		{[]byte{testkernel.Mem64 | testkernel.MemMax}, "its memory is 64-bit"},
		{[]byte{testkernel.MemShared | testkernel.MemMax}, "its memory is shared"},
		{[]byte{0x08}, "custom page size"},
		{[]byte{0x10}, "the flags 0x10"},
		{[]byte{0, 0}, "defines 2 memories"},
	} {
		bin := testkernel.Tiny{Memories: c.mems}.Bytes()
		err := wasmabi.CheckMemory(bin)
		if c.message == "" && err != nil || c.message != "" && (!errors.Is(err, wasmabi.ErrModule) || !strings.Contains(err.Error(), c.message)) {
			t.Errorf("memories %#x: err = %v, want %q", c.mems, err, c.message)
		}
		for n := range len(bin) {
			_ = wasmabi.CheckMemory(bin[:n])
		}
	}
}
