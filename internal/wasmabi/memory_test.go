package wasmabi_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"

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
		err := wasmabi.CheckMemory(bin, 0)
		if c.message == "" && err != nil || c.message != "" && (!errors.Is(err, wasmabi.ErrModule) || !strings.Contains(err.Error(), c.message)) {
			t.Errorf("memories %#x: err = %v, want %q", c.mems, err, c.message)
		}
		for n := range len(bin) {
			_ = wasmabi.CheckMemory(bin[:n], 0)
		}
	}
}

// TestCheckMemoryLimit checks a memory's minimum against memory limits,
// which count whole pages.
func TestCheckMemoryLimit(t *testing.T) {
	for _, c := range []struct {
		pages uint32
		limit int
		ok    bool
	}{
		{16, 0, true},
		{65536, 0, true},
		{16, 1 << 20, true},
		{17, 1 << 20, false},
		{16, 1<<20 + 1000, true},
		{17, 1<<20 + 1000, false},
		{1, 65535, false},
	} {
		err := wasmabi.CheckMemory(testkernel.Tiny{Pages: c.pages}.Bytes(), c.limit)
		if c.ok && err != nil || !c.ok && (!errors.Is(err, wasmabi.ErrModule) || !strings.Contains(err.Error(), "past the memory limit")) {
			t.Errorf("%d pages, limit %d: err = %v, want ok %v", c.pages, c.limit, err, c.ok)
		}
	}
}

// TestCapMemory checks the memory's maximum CapMemory writes, as wazero
// reads it back: the limit's whole pages for a memory with no maximum or
// a higher one, the module's own bytes for one at or below the limit, or
// with no limit.
func TestCapMemory(t *testing.T) {
	for _, c := range []struct {
		mod     testkernel.Tiny
		limit   int
		max     uint32
		hasMax  bool
		changed bool
	}{
		{testkernel.Tiny{}, 1 << 20, 16, true, true},
		{testkernel.Tiny{}, 1<<20 + 100, 16, true, true},
		{testkernel.Tiny{Memories: []byte{testkernel.MemMax}, Pages: 40}, 1 << 20, 40, true, false}, // starts past it: CheckMemory refuses it
		{testkernel.Tiny{Pages: 3}, 1 << 20, 16, true, true},                                        // a maximum of 256 pages (below)
		{testkernel.Tiny{Memories: []byte{testkernel.MemMax}}, 1 << 20, 2, true, false},
		{testkernel.Tiny{}, 0, 0, false, false},
	} {
		bin := c.mod.Bytes()
		if c.mod.Pages == 3 {
			bin = wasmabi.CapMemory(bin, 1<<24) // a maximum of 256 pages
		}
		got := wasmabi.CapMemory(bin, c.limit)
		if changed := !bytes.Equal(got, bin); changed != c.changed {
			t.Errorf("%+v under %d bytes: changed %v, want %v", c.mod, c.limit, changed, c.changed)
		}
		rt := wazero.NewRuntime(t.Context())
		cm, err := rt.CompileModule(t.Context(), got)
		if err != nil {
			t.Fatalf("%+v under %d bytes: %v", c.mod, c.limit, err)
		}
		max, hasMax := cm.ExportedMemories()["memory"].Max()
		if hasMax != c.hasMax || hasMax && max != c.max {
			t.Errorf("%+v under %d bytes: maximum %d (%v), want %d (%v)", c.mod, c.limit, max, hasMax, c.max, c.hasMax)
		}
		_ = rt.Close(t.Context())
	}
}

// TestStripCustom removes custom sections wherever they stand, keeps the
// others in order, and leaves bytes it cannot read as they are.
func TestStripCustom(t *testing.T) {
	head := []byte("\x00asm\x01\x00\x00\x00")
	custom := []byte{0, 5, 4, 'n', 'a', 'm', 'e'}
	mem := []byte{5, 3, 1, 0, 1}
	typ := []byte{1, 1, 0}
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	for _, c := range []struct{ in, want []byte }{
		{cat(head, custom, mem, custom, typ, custom), cat(head, mem, typ)},
		{cat(head, mem, typ), cat(head, mem, typ)},
		{cat(head, custom, []byte{5, 9, 1}), cat(head, custom, []byte{5, 9, 1})}, // a size past the end
		{head[:4], head[:4]},
	} {
		if got := wasmabi.StripCustom(c.in); !bytes.Equal(got, c.want) {
			t.Errorf("StripCustom(% x) = % x, want % x", c.in, got, c.want)
		}
	}
}
