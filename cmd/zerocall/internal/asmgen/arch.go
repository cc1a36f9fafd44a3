package asmgen

import (
	"debug/elf"
	"fmt"
	"strings"
)

// Arch is a target the generator translates for: how clang compiles for
// it, which relocations its code may carry, and how a Go wrapper moves
// arguments between Go's stack-based ABI0 and the C calling convention.
type Arch struct {
	// GOARCH is the Go name of the architecture.
	GOARCH string
	// Triple is clang's target.
	Triple string
	// Flags are the code-generation flags the translation depends on.
	Flags []string
	// Machine is the ELF machine of its objects.
	Machine elf.Machine
	// IntRegs and FloatRegs hold the C arguments, in order (the Go
	// assembler's names).
	IntRegs, FloatRegs []string
	// IntRet and FloatRet hold the C result.
	IntRet, FloatRet string
	// FuncAlign is the alignment the Go linker gives every function; a
	// body whose constants need more starts with PCALIGN.
	FuncAlign int
	// load and store name the Go move instruction of a value of the
	// class and size ('i' integer, 'u' unsigned, 'f' float).
	load, store map[string]string
	// refused are mnemonics that may not appear in a body: calls,
	// system calls, branches through registers.
	refused map[string]string
	// unit is the size in which the body's bytes are written out (1 on
	// amd64, whose instructions vary in length; 4 on arm64).
	unit int
	// pad is the byte that fills gaps in a body.
	pad byte
}

// Arches are the targets, by GOARCH.
var Arches = map[string]*Arch{
	"amd64": {
		GOARCH: "amd64",
		Triple: "x86_64-linux-gnu",
		// No red zone: nothing may live below the stack pointer. An
		// 8-byte stack alignment: Go keeps no more, so clang realigns
		// where a spill wants more. Position-independent code reaches
		// its constants relative to the instruction pointer.
		Flags:     []string{"-fPIE", "-mno-red-zone", "-mstack-alignment=8"},
		Machine:   elf.EM_X86_64,
		IntRegs:   []string{"DI", "SI", "DX", "CX", "R8", "R9"},
		FloatRegs: []string{"X0", "X1", "X2", "X3", "X4", "X5", "X6", "X7"},
		IntRet:    "AX",
		FloatRet:  "X0",
		FuncAlign: 32,
		load:      byType("MOVBQSX MOVBQZX MOVWQSX MOVWQZX MOVLQSX MOVL MOVQ MOVQ MOVSS MOVSD"),
		store:     byType("MOVB MOVB MOVW MOVW MOVL MOVL MOVQ MOVQ MOVSS MOVSD"),
		refused: map[string]string{
			"call": "a call", "callq": "a call", "syscall": "a system call",
			"int": "an interrupt", "int3": "a trap", "ud2": "a trap",
			"sysenter": "a system call",
		},
		unit: 1,
		pad:  0xcc, // int3
	},
	"arm64": {
		GOARCH: "arm64",
		Triple: "aarch64-linux-gnu",
		// The tiny code model reaches constants with ADR and literal
		// loads, relative to the instruction, where the small one would
		// use page addresses (ADRP) that depend on where the linker puts
		// the code. x18 is the platform register, and x28 is Go's g,
		// the goroutine: both left alone. A signal handler of a program
		// without cgo takes g from x28 as it finds it, so the code must
		// not hold anything else there even for a moment (saving and
		// restoring it, as C may for any callee-saved register, is not
		// enough).
		Flags:     []string{"-fPIE", "-mcmodel=tiny", "-ffixed-x18", "-ffixed-x28"},
		Machine:   elf.EM_AARCH64,
		IntRegs:   []string{"R0", "R1", "R2", "R3", "R4", "R5", "R6", "R7"},
		FloatRegs: []string{"F0", "F1", "F2", "F3", "F4", "F5", "F6", "F7"},
		IntRet:    "R0",
		FloatRet:  "F0",
		FuncAlign: 16,
		load:      byType("MOVB MOVBU MOVH MOVHU MOVW MOVWU MOVD MOVD FMOVS FMOVD"),
		store:     byType("MOVB MOVB MOVH MOVH MOVW MOVW MOVD MOVD FMOVS FMOVD"),
		refused: map[string]string{
			"bl": "a call", "blr": "a call", "br": "a branch through a register",
			"svc": "a system call", "brk": "a trap", "udf": "a trap", "hvc": "a system call",
		},
		unit: 4,
		pad:  0,
	},
}

// byType returns the instructions ops, one per scalar type of
// valueTypes in its order, by type.
func byType(ops string) map[string]string {
	m := map[string]string{}
	for i, op := range strings.Fields(ops) {
		m[valueTypes[i]] = op
	}
	return m
}

// valueTypes are the scalar types a load or store moves: signed and
// unsigned integers of 1, 2, 4 and 8 bytes, and floats of 4 and 8.
var valueTypes = []string{"i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "f4", "f8"}

// relocate patches the relocation of type typ at off in body so that it
// refers to the address target; the body starts at address 0. It fails
// for a relocation the translation does not handle.
func (a *Arch) relocate(body []byte, off int, typ uint32, target int64) error {
	p := int64(off)
	switch a.Machine {
	case elf.EM_X86_64:
		if elf.R_X86_64(typ) != elf.R_X86_64_PC32 {
			break
		}
		v := target - p
		if v != int64(int32(v)) {
			return fmt.Errorf("displacement %d out of range", v)
		}
		le.PutUint32(body[off:], uint32(int32(v)))
		return nil
	case elf.EM_AARCH64:
		insn := le.Uint32(body[off:])
		v := target - p
		switch elf.R_AARCH64(typ) {
		case elf.R_AARCH64_ADR_PREL_LO21: // ADR: immhi:immlo, ±1 MiB
			if v < -(1<<20) || v >= 1<<20 {
				return fmt.Errorf("ADR offset %d out of range", v)
			}
			imm := uint32(v) & (1<<21 - 1)
			insn &^= 3<<29 | (1<<19-1)<<5
			insn |= (imm&3)<<29 | (imm>>2)<<5
			le.PutUint32(body[off:], insn)
			return nil
		case elf.R_AARCH64_LD_PREL_LO19: // LDR literal: imm19 words, ±1 MiB
			if v&3 != 0 || v < -(1<<20) || v >= 1<<20 {
				return fmt.Errorf("literal offset %d out of range", v)
			}
			insn &^= (1<<19 - 1) << 5
			insn |= (uint32(v>>2) & (1<<19 - 1)) << 5
			le.PutUint32(body[off:], insn)
			return nil
		}
	}
	if a.Machine == elf.EM_AARCH64 && elf.R_AARCH64(typ) == elf.R_AARCH64_ADR_PREL_PG_HI21 {
		// The tiny code model's ADR and literal loads do without page
		// addresses, but clang uses them at -O0 whatever the model.
		return fmt.Errorf("unsupported relocation %s (a page address, which clang makes at -O0: build with -O1 or more)", a.relocName(typ))
	}
	return fmt.Errorf("unsupported relocation %s", a.relocName(typ))
}

// relocName returns the name of relocation type typ.
func (a *Arch) relocName(typ uint32) string {
	if a.Machine == elf.EM_AARCH64 {
		return elf.R_AARCH64(typ).String()
	}
	return elf.R_X86_64(typ).String()
}

// isCall reports whether relocation type typ is that of a call or jump
// to another function.
func (a *Arch) isCall(typ uint32) bool {
	if a.Machine == elf.EM_AARCH64 {
		t := elf.R_AARCH64(typ)
		return t == elf.R_AARCH64_CALL26 || t == elf.R_AARCH64_JUMP26
	}
	return elf.R_X86_64(typ) == elf.R_X86_64_PLT32
}

// prefixes are the words llvm-objdump may print before an amd64
// mnemonic.
var prefixes = map[string]bool{
	"lock": true, "rep": true, "repe": true, "repz": true, "repne": true, "repnz": true,
	"notrack": true, "bnd": true, "xacquire": true, "xrelease": true, "data16": true, "data32": true,
	"addr32": true, "cs": true, "ds": true, "es": true, "fs": true, "gs": true, "ss": true, "rex": true, "rex64": true,
}

// mnemonic splits an instruction's text into its mnemonic, past any
// prefix, and its operands.
func (a *Arch) mnemonic(text string) (mn, ops string) {
	mn, ops, _ = strings.Cut(text, " ")
	for a.Machine == elf.EM_X86_64 && prefixes[mn] && ops != "" {
		mn, ops, _ = strings.Cut(ops, " ")
	}
	return mn, ops
}

// fpLoads are the amd64 instructions that load MXCSR: its own load and
// the restores of a saved state, which include it.
var fpLoads = map[string]bool{
	"ldmxcsr": true, "vldmxcsr": true, "fxrstor": true, "fxrstor64": true,
	"xrstor": true, "xrstor64": true, "xrstors": true, "xrstors64": true,
}

// loadsFPState reports whether the instruction loads the floating-point
// control state that Go's own float math depends on: MXCSR on amd64
// (flush to zero, denormals are zero, rounding, exception masks), FPCR on
// arm64. A write of arm64's FPSR is not one: it holds the cumulative
// exception flags, which decide no result, and Go's code sets them
// itself. Neither is amd64's x87 control word: Go's float math does not
// use the x87 unit.
func (a *Arch) loadsFPState(mn, ops string) bool {
	if a.Machine == elf.EM_X86_64 {
		return fpLoads[mn]
	}
	return mn == "msr" && strings.HasPrefix(strings.ToLower(ops), "fpcr,")
}
