package asm

import (
	"testing"
	"unsafe"
)

// TestFrameLayout checks frame against zc_frame of zc_kernel.h: eight
// buffer addresses, eight lengths, four floats, four integers, ctx and
// result, each 8 bytes.
func TestFrameLayout(t *testing.T) {
	var f frame
	for _, c := range []struct {
		name     string
		got, off uintptr
	}{
		{"buf", unsafe.Offsetof(f.buf), 0},
		{"len", unsafe.Offsetof(f.args) + unsafe.Offsetof(f.args.Len), 64},
		{"f", unsafe.Offsetof(f.args) + unsafe.Offsetof(f.args.F), 128},
		{"i", unsafe.Offsetof(f.args) + unsafe.Offsetof(f.args.I), 160},
		{"a length", unsafe.Sizeof(f.args.Len[0]), 8},
		{"ctx", unsafe.Offsetof(f.ctx), 192},
		{"result", unsafe.Offsetof(f.result), 200},
		{"size", unsafe.Sizeof(f), 208},
	} {
		if c.got != c.off {
			t.Errorf("%s at %d, zc_frame has it at %d", c.name, c.got, c.off)
		}
	}
}
