package asmgen

import (
	"debug/elf"
	"fmt"
	"slices"
)

// checkTargets refuses a branch whose target is not an instruction of
// the body, and a reference relative to the instruction, without a
// relocation, that reaches outside the body's code. Both arise when
// functions share a section: the assembler resolves a jump or a
// reference to a function of the same section itself, and the body,
// copied alone, would jump to, or read, whatever the Go linker puts
// there. The targets are read from the body's bytes, after the
// relocations are patched.
func (f *Func) checkTargets(arch *Arch) error {
	for _, in := range f.Insns {
		var b target
		var err error
		if arch.Machine == elf.EM_X86_64 {
			b, err = amd64Target(f.Code[in.Off:in.Off+in.Len], in.Off)
			if err == nil && !b.ok && in.hasRef {
				b = target{at: in.ref, data: true, ok: true}
			}
		} else {
			b, err = arm64Target(le.Uint32(f.Code[in.Off:]), in.Off)
		}
		if err != nil {
			return fmt.Errorf("%v at %#x (%s)", err, in.Off, in.Text)
		}
		if !b.ok {
			continue
		}
		if b.data {
			// A reference with a relocation reaches a constant placed
			// after the code; one without stays in its section, so it
			// must stay in the code.
			if f.relocated(in) || b.at >= 0 && b.at < f.CodeLen {
				continue
			}
			return fmt.Errorf("the reference at %#x (%s) reaches %s from the body's start, outside its %d bytes of code, "+
				"with no relocation to place what it reads: only read-only constants are carried over", in.Off, in.Text, offset(b.at), f.CodeLen)
		}
		if b.at < 0 || b.at >= f.CodeLen {
			return fmt.Errorf("the branch at %#x (%s) leaves the body: its target lies at %s from the body's start, "+
				"outside its %d bytes of code (a jump into other code, which is not translated: only leaf functions are)",
				in.Off, in.Text, offset(b.at), f.CodeLen)
		}
		if _, found := slices.BinarySearchFunc(f.Insns, b.at, func(in Insn, at int) int { return in.Off - at }); !found {
			return fmt.Errorf("the branch at %#x (%s) lands at %#x, inside an instruction", in.Off, in.Text, b.at)
		}
	}
	return nil
}

// relocated reports whether a relocation patched part of in.
func (f *Func) relocated(in Insn) bool {
	for _, r := range f.relocs {
		if r >= in.Off && r < in.Off+in.Len {
			return true
		}
	}
	return false
}

// offset spells a body offset, which may be negative.
func offset(at int) string {
	if at < 0 {
		return fmt.Sprintf("-%#x", -at)
	}
	return fmt.Sprintf("%#x", at)
}

// target is where an instruction branches to or reads from, as an offset
// in the body.
type target struct {
	at   int
	data bool // a reference to data, not a branch
	ok   bool // the instruction has such a target
}

// amd64Target reads the target of a direct branch (jmp, jcc, jrcxz,
// loop, xbegin) from the instruction's bytes, at offset off. It fails for
// a call or a branch through a register or memory (also those behind a
// prefix the disassembler's text may hide) and for a direct branch with
// an operand-size prefix, whose length processors read differently.
func amd64Target(code []byte, off int) (target, error) {
	i, size := 0, false
	for i < len(code) && isPrefix(code[i]) {
		size = size || code[i] == 0x66
		i++
	}
	if i == len(code) {
		return target{}, nil
	}
	var n int // the bytes of the opcode, after the prefixes
	switch c := code[i]; {
	case c == 0xeb || c >= 0x70 && c <= 0x7f || c >= 0xe0 && c <= 0xe3 || c == 0xe9:
		n = 1
	case c == 0x0f && i+1 < len(code) && code[i+1] >= 0x80 && code[i+1] <= 0x8f,
		c == 0xc7 && i+1 < len(code) && code[i+1] == 0xf8: // xbegin
		n = 2
	case c == 0xe8:
		return target{}, fmt.Errorf("a call")
	case c == 0xff && i+1 < len(code) && (code[i+1]>>3)&7 >= 2 && (code[i+1]>>3)&7 <= 5:
		return target{}, fmt.Errorf("a branch through a register or memory")
	default:
		return target{}, nil
	}
	if size {
		return target{}, fmt.Errorf("a branch with an operand-size prefix")
	}
	d := code[i+n:]
	var rel int
	switch len(d) {
	case 1:
		rel = int(int8(d[0]))
	case 4:
		rel = int(int32(le.Uint32(d)))
	default:
		return target{}, fmt.Errorf("a branch with a %d-byte displacement", len(d))
	}
	return target{at: off + len(code) + rel, ok: true}, nil
}

// isPrefix reports whether c is an amd64 legacy or REX prefix.
func isPrefix(c byte) bool {
	switch c {
	case 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3:
		return true
	}
	return c >= 0x40 && c <= 0x4f
}

// arm64Target reads the target of a direct branch (b, b.cond, bc.cond,
// cbz, cbnz, tbz, tbnz) or of a reference relative to the instruction
// (adr, ldr and prfm of a literal) from the instruction insn at offset
// off. It fails for adrp, whose page address depends on where the code
// is linked.
func arm64Target(insn uint32, off int) (target, error) {
	field := func(lo, bits uint) int { // a signed field
		v := int64(insn>>lo) & (1<<bits - 1)
		return int(v << (64 - bits) >> (64 - bits))
	}
	switch {
	case insn&0xfc000000 == 0x14000000: // b
		return target{at: off + 4*field(0, 26), ok: true}, nil
	case insn&0xff000000 == 0x54000000, // b.cond, bc.cond
		insn&0x7e000000 == 0x34000000: // cbz, cbnz
		return target{at: off + 4*field(5, 19), ok: true}, nil
	case insn&0x7e000000 == 0x36000000: // tbz, tbnz
		return target{at: off + 4*field(5, 14), ok: true}, nil
	case insn&0x9f000000 == 0x10000000: // adr
		imm := int(insn>>29&3) | field(5, 19)<<2
		return target{at: off + imm, data: true, ok: true}, nil
	case insn&0x9f000000 == 0x90000000:
		return target{}, fmt.Errorf("a page address (adrp)")
	case insn&0x3b000000 == 0x18000000: // ldr, ldrsw, prfm (literal)
		return target{at: off + 4*field(5, 19), data: true, ok: true}, nil
	}
	return target{}, nil
}
