package testkernel

import (
	"cmp"
	"slices"
)

// Tiny is a module of the zerocall module ABI written out byte by byte,
// for what clang cannot make (a module of several memories) or says less
// plainly: memories of other kinds, and exports that never return. The
// zero Tiny is a good module, with one memory of 2 pages exported as
// "memory", and exports
//
//	zc_abi_version () -> i32        returns 1
//	zc_reserve (i32, i32) -> i32    a bump allocator from offset 1024
//	zc_test_saxpy (i32) -> i64      returns the frame's len[0]
//	zc_test_spin () -> ()           never returns, for a start section
//	zc_test_nop () -> ()            returns at once, for a start section
//
// zc_test_saxpy computes nothing: the module is for the tests of loading
// and set-up, where the kernel's work does not matter.
type Tiny struct {
	// Memories are the flags of the limits of each memory the module
	// defines (MemMax, MemShared, Mem64), the first exported as "memory";
	// nil means one plain memory.
	Memories []byte
	// Spin is the export among zc_abi_version and zc_reserve that never
	// returns, if any.
	Spin string
	// Pages is the minimum of each memory in pages of 64 KiB; 0 means 2.
	Pages uint32
	// Grow, if positive, makes zc_test_saxpy loop forever: a long
	// stretch of loads and stores, then memory.grow by Grow pages, again
	// and again. A time limit stops it, and whatever grows on until the
	// call sees that must still stop at the memory limit.
	Grow uint32
	// FreshPages makes zc_reserve take each reservation from pages it
	// grows memory by, as allocators that never use memory they did not
	// grow themselves do (Rust's std), not from a bump pointer; it
	// ignores align, which pages meet.
	FreshPages bool
}

// The flags of a memory's limits in the binary format.
const (
	MemMax    = 0x01 // a maximum (the minimum) follows the minimum
	MemShared = 0x02 // shared (the threads proposal); needs MemMax
	Mem64     = 0x04 // 64-bit (the memory64 proposal)
)

// Bytes returns the module.
func (t Tiny) Bytes() []byte {
	mems := t.Memories
	if mems == nil {
		mems = []byte{0}
	}
	spin := []byte{
		0x03, 0x40, // loop
		0x0c, 0x00, // br 0
		0x0b, // end
		0x00, // unreachable
	}
	version := []byte{0x41, 0x01} // i32.const 1
	if t.Spin == "zc_abi_version" {
		version = spin
	}
	reserveLocals := []byte{0x01, 0x01, 0x7f} // one i32, local 2
	reserve := []byte{
		0x23, 0x00, // global.get 0 (the next free byte)
		0x20, 0x01, // local.get 1 (align)
		0x6a,       // i32.add
		0x41, 0x01, // i32.const 1
		0x6b,       // i32.sub
		0x41, 0x00, // i32.const 0
		0x20, 0x01, // local.get 1
		0x6b,       // i32.sub
		0x71,       // i32.and: rounded up to align
		0x22, 0x02, // local.tee 2
		0x20, 0x00, // local.get 0 (size)
		0x6a,       // i32.add
		0x24, 0x00, // global.set 0
		0x20, 0x02, // local.get 2
	}
	if t.FreshPages {
		reserve = []byte{
			0x20, 0x00, // local.get 0 (size)
			0x41, 0xff, 0xff, 0x03, // i32.const 65535
			0x6a,       // i32.add
			0x41, 0x10, // i32.const 16
			0x76,       // i32.shr_u: pages
			0x40, 0x00, // memory.grow 0: the old size in pages, or -1
			0x22, 0x02, // local.tee 2
			0x41, 0x7f, // i32.const -1
			0x46,       // i32.eq
			0x04, 0x7f, // if (result i32)
			0x41, 0x00, // i32.const 0: no memory
			0x05,       // else
			0x20, 0x02, // local.get 2
			0x41, 0x10, // i32.const 16
			0x74, // i32.shl: the old size in bytes, where the new pages start
			0x0b, // end
		}
	}
	if t.Spin == "zc_reserve" {
		reserveLocals, reserve = nil, spin
	}
	kernel := []byte{
		0x20, 0x00, // local.get 0 (the frame)
		0x29, 0x03, 0x20, // i64.load offset=32: len[0]
	}
	if mems[0]&Mem64 != 0 {
		kernel = slices.Insert(kernel, 2, 0xad) // i64.extend_i32_u: a 64-bit address
	}
	if t.Grow > 0 {
		kernel = []byte{0x03, 0x40} // loop
		for i := range 4000 {
			kernel = append(kernel,
				0x41, 0x00, 0x41, 0x00, // i32.const 0 (store's address), i32.const 0 (load's)
				0x28, 0x02, byte(16+4*((i+1)%16)), // i32.load offset=...
				0x41, 0x01, 0x6a, // i32.const 1, i32.add
				0x36, 0x02, byte(16+4*(i%16))) // i32.store offset=...
		}
		kernel = append(kernel, 0x41)
		kernel = append(kernel, sleb(t.Grow)...) // i32.const Grow
		kernel = append(kernel,
			0x40, 0x00, 0x1a, // memory.grow 0, drop
			0x0c, 0x00, 0x0b, // br 0, end
			0x42, 0x00) // i64.const 0
	}

	pages := cmp.Or(t.Pages, 2)
	var memory []byte
	for _, flags := range mems {
		memory = append(append(memory, flags), leb(pages)...)
		if flags&MemMax != 0 {
			memory = append(memory, leb(pages)...)
		}
	}
	out := []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}
	out = encSection(out, 1, encVec([]byte{0x60, 0x00, 0x01, 0x7f}, // () -> i32
		[]byte{0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f}, // (i32, i32) -> i32
		[]byte{0x60, 0x01, 0x7f, 0x01, 0x7e},       // (i32) -> i64
		[]byte{0x60, 0x00, 0x00}))                  // () -> ()
	out = encSection(out, 3, encVec([]byte{0}, []byte{1}, []byte{2}, []byte{3}, []byte{3}))
	out = encSection(out, 5, append(leb(uint32(len(mems))), memory...))
	out = encSection(out, 6, encVec([]byte{0x7f, 0x01, 0x41, 0x80, 0x08, 0x0b})) // mut i32 = 1024
	out = encSection(out, 7, encVec(encExport("memory", 2, 0), encExport("zc_abi_version", 0, 0),
		encExport("zc_reserve", 0, 1), encExport(Export, 0, 2), encExport("zc_test_spin", 0, 3), encExport("zc_test_nop", 0, 4)))
	return encSection(out, 10, encVec(encBody(nil, version), encBody(reserveLocals, reserve),
		encBody(nil, kernel), encBody(nil, spin[:len(spin)-1]), encBody(nil, nil)))
}

// sleb encodes a positive v as signed LEB128, as i32.const takes it.
func sleb(v uint32) []byte {
	var out []byte
	for {
		b := byte(v & 0x7f)
		v >>= 7
		if v == 0 && b&0x40 == 0 {
			return append(out, b)
		}
		out = append(out, b|0x80)
	}
}

// encSection appends section id with its contents to out.
func encSection(out []byte, id byte, contents []byte) []byte {
	out = append(out, id)
	out = append(out, leb(uint32(len(contents)))...)
	return append(out, contents...)
}

// encVec encodes items as a vector: their count, then each.
func encVec(items ...[]byte) []byte {
	out := leb(uint32(len(items)))
	for _, it := range items {
		out = append(out, it...)
	}
	return out
}

// encExport encodes an export of the item of kind kind (0 a function, 2 a
// memory) and index i.
func encExport(name string, kind, i byte) []byte {
	return append(append(leb(uint32(len(name))), name...), kind, i)
}

// encBody encodes a function's body: its local declarations (none if nil),
// its code and the end.
func encBody(locals, code []byte) []byte {
	if locals == nil {
		locals = []byte{0}
	}
	b := append(append(locals, code...), 0x0b)
	return append(leb(uint32(len(b))), b...)
}
