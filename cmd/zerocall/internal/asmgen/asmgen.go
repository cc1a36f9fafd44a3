// Package asmgen turns C functions into Go assembly: it compiles a C
// file with clang, reads each function's machine code, relocations,
// stack use and signature (DWARF) from the object, and writes a Go
// assembly file that carries the code byte for byte, with a Go-callable
// wrapper per function, and the Go declarations of those wrappers.
//
// A Go program then calls the C code as it calls any Go assembly
// function: no cgo, no crossing, a few nanoseconds per call. This works
// for leaf functions only, and the generator refuses, naming the
// function and the reason, whatever it cannot carry over:
//
//   - calls to other functions (also those the compiler makes itself,
//     such as memset), system calls and branches through registers;
//   - branches whose target is not an instruction of the body, such as
//     a jump to another function of the same section, which the
//     assembler resolves without a relocation, and references relative
//     to the instruction that reach outside the body without one;
//   - instructions that load the floating-point control state (LDMXCSR
//     on amd64, MSR FPCR on arm64), unless Config.AllowFPState: Go's
//     own float math runs on the same thread after the call;
//   - writable global data, and relocations other than those of
//     read-only constants reached relative to the instruction;
//   - arguments that would be passed on the stack (more than 6 integer
//     or 8 float arguments on amd64, 8 and 8 on arm64), and arguments
//     or results that are not pointers, integers or floats, or are a
//     plain char, signed on amd64 and unsigned on arm64 (a pointer to
//     char is *uint8 on both);
//   - the registers Go keeps for itself on arm64: x28 (g) and x18, the
//     platform register, where a shadow call stack would live;
//   - constants aligned to more than 2048 bytes, the most PCALIGN takes;
//   - code that may not take its arguments as its prototype says: an
//     old-style definition (its float arguments come as doubles),
//     another calling convention (ms_abi, regcall), and a static
//     function whose address is not taken (clang's .llvm_addrsig), whose
//     arguments the compiler may have dropped or fixed to fit its only
//     callers, the ones in its file;
//   - more than MaxStack bytes of stack, counting the alignment of a
//     frame aligned to more than the stack is (and on amd64 the
//     registers saved before it is, which clang's count leaves out), or
//     stack of a size known only at run time;
//   - names that would not make a declaration: a C name the Go
//     assembler cannot spell (a$b) or reads as a register, a special
//     operand or a macro (AX, g, LO, NOSPLIT), and a Go name that is a
//     keyword, is not an identifier, is init or _, shadows a name the
//     generated code uses (unsafe and the types of its signatures), or
//     that two functions share (also with their address functions of
//     Config.Code).
//
// Read-only constants (masks, tables) are copied after the code, inside
// the function, so that the code reaches them at the same distance as
// in the object.
//
// # The wrapper
//
// Each function becomes two Go assembly symbols: the body, the C code
// as bytes (NOSPLIT|NOFRAME, so the assembler adds nothing), and a Go
// function that loads its arguments from Go's stack into the C
// argument registers, calls the body and stores the result. The wrapper
// is not NOSPLIT, so its prologue checks the goroutine's stack and grows
// it when needed: after that check at least StackGuard bytes (928 on
// linux) lie below the stack pointer, which covers the body's MaxStack.
// The code is compiled without a red zone and for an 8-byte-aligned
// stack, which is what Go keeps. The body does not touch the registers
// Go reserves: on amd64 the wrapper is ABI0, whose callers restore R14
// and X15; on arm64 the C code keeps R19-R27 as the platform ABI says,
// and x18 and x28 are reserved at compile time, x28 (g, which a signal
// handler reads at any moment) refused in the listing too. Go's arm64
// prologue saves the caller's frame pointer just below the stack
// pointer, which C counts as its own to use: the wrapper moves the stack
// pointer 16 bytes down around the call, or the body's saved registers
// would overwrite it, and the execution tracer and the block and mutex
// profiles, which walk frame pointers, would fault. (The CPU profiler
// unwinds by Go's tables, which know the body as a function with no
// frame: a sample inside the C code names it, but the callers above it
// may be missing or wrong.)
//
// Go cannot preempt a goroutine inside assembly: a long call delays the
// garbage collector's stop-the-world for its whole length. Callers
// bound the work of each call.
package asmgen

import (
	"bytes"
	"debug/dwarf"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

var le = binary.LittleEndian

// MaxStack is the most stack a translated function may use, in bytes,
// besides its return address.
const MaxStack = 512

// Config says what to translate and how.
type Config struct {
	// Arch is the target's GOARCH: amd64 or arm64.
	Arch string
	// CC is the clang to compile with (default clang-14), Objdump the
	// llvm-objdump that names the instructions in comments (default
	// llvm-objdump-14).
	CC, Objdump string
	// CFlags are the flags of the C build: language, optimisation,
	// warnings, include directories. The generator adds those the
	// translation needs (Arch.Flags, freestanding, one section per
	// function, stack use, debug information).
	CFlags []string
	// Sources are the C files.
	Sources []string
	// Funcs selects the functions to translate by name. Nil selects
	// every function with external linkage.
	Funcs *regexp.Regexp
	// Package is the Go package of the output.
	Package string
	// GoName gives the Go name of a C function; nil uses the C name.
	GoName func(c string) string
	// Code also writes, for each function, <GoName>Code() uintptr:
	// the address of the body, for callers that call it through a
	// trampoline of their own.
	Code bool
	// Command is the command line recorded in the generated files'
	// headers.
	Command string
	// AllowFPState lets a body load the floating-point control state
	// (LDMXCSR and the like on amd64, MSR FPCR on arm64). A function
	// that does so must restore what it found before it returns: Go's
	// own float math on the thread depends on it.
	AllowFPState bool
}

// Func is one translated function.
type Func struct {
	C, Go    string // names
	Source   string
	Proto    string // the C prototype, from DWARF
	Params   []Param
	Result   *Param // nil for void
	Code     []byte // the body: code, then constants
	CodeLen  int    // bytes of code before the constants
	Align    int    // the alignment the body needs
	Stack    int    // bytes of stack, from clang's stack-usage report
	Insns    []Insn // the instructions, from the disassembler
	Consts   []Const
	argsSize int
	start    int   // the offset of the code in its section
	relocs   []int // the offsets in the body the relocations patched
}

// Param is an argument or the result.
type Param struct {
	Name   string
	GoType string
	Class  byte // 'i' signed integer or pointer, 'u' unsigned, 'f' float
	Size   int
	Off    int    // in the Go argument frame
	Reg    string // the C register
}

// Insn is one instruction of a body.
type Insn struct {
	Off, Len int
	Text     string
	ref      int  // the target of an amd64 operand relative to RIP, as a body offset
	hasRef   bool // whether the disassembler named one
}

// Const is a block of read-only data copied after the code.
type Const struct {
	Section  string
	Off, Len int
}

// Output is what the generator writes: the assembly and the Go
// declarations for one architecture.
type Output struct {
	Funcs []*Func
	Asm   []byte
	Go    []byte
}

// Generate compiles cfg.Sources and translates the selected functions.
func Generate(cfg Config) (*Output, error) {
	arch := Arches[cfg.Arch]
	if arch == nil {
		return nil, fmt.Errorf("asmgen: no target %q (amd64, arm64)", cfg.Arch)
	}
	if cfg.CC == "" {
		cfg.CC = "clang-14"
	}
	if cfg.Objdump == "" {
		cfg.Objdump = "llvm-objdump-14"
	}
	if cfg.GoName == nil {
		cfg.GoName = func(c string) string { return c }
	}
	dir, err := os.MkdirTemp("", "asmgen")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	out := &Output{}
	for i, src := range cfg.Sources {
		obj := filepath.Join(dir, fmt.Sprintf("%d.o", i))
		fs, err := translate(cfg, arch, src, obj)
		if err != nil {
			return nil, err
		}
		out.Funcs = append(out.Funcs, fs...)
	}
	if len(out.Funcs) == 0 {
		return nil, fmt.Errorf("asmgen: %s: no function selected", strings.Join(cfg.Sources, ", "))
	}
	if err := checkNames(cfg, out.Funcs); err != nil {
		return nil, err
	}
	out.Asm = writeAsm(cfg, arch, out.Funcs)
	out.Go = writeGo(cfg, arch, out.Funcs)
	return out, nil
}

// callErr is the refusal of a call of name: a function of the source (by
// its section, .text.name, where the call has no symbol), or of the C
// library, whose math functions -ffreestanding keeps as calls.
func callErr(name string) error {
	name = strings.TrimPrefix(name, ".text.")
	if mathFuncs[strings.TrimSuffix(name, "f")] {
		return fmt.Errorf("calls %s, which is not translated (only leaf functions are): the translation is built with -ffreestanding, where the C library's functions stay calls; __builtin_%s compiles to instructions where the target has them (sqrt with -fno-math-errno among the C flags)", name, name)
	}
	return fmt.Errorf("calls %s, which is not translated (only leaf functions are)", name)
}

// mathFuncs are the functions of math.h that a target may have an
// instruction for, by their double names.
var mathFuncs = map[string]bool{
	"fabs": true, "sqrt": true, "floor": true, "ceil": true, "trunc": true, "round": true,
	"rint": true, "nearbyint": true, "fmin": true, "fmax": true, "copysign": true, "fma": true,
}

// compileFlags are the flags every translation adds to the C build's:
// -ffreestanding, so that the compiler assumes no C library (it turns no
// loop into a call of memset or memcpy); no jump tables, which would be
// constant data with code addresses in it; one section per function and
// per datum, to read each alone; no unwind tables or stack protector;
// the stack use and the DWARF signatures it reads. They come after
// -cflags and win over them.
var compileFlags = []string{
	"-ffreestanding", "-fno-jump-tables", "-ffunction-sections", "-fdata-sections",
	"-fno-asynchronous-unwind-tables", "-fno-unwind-tables", "-fno-stack-protector",
	"-fstack-usage", "-g",
}

// translate compiles src to obj and translates its selected functions.
func translate(cfg Config, arch *Arch, src, obj string) ([]*Func, error) {
	args := []string{"--target=" + arch.Triple}
	args = append(args, cfg.CFlags...)
	args = append(args, compileFlags...)
	args = append(args, arch.Flags...)
	args = append(args, "-c", "-o", obj, src)
	if out, err := exec.Command(cfg.CC, args...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("asmgen: %s %s: %v\n%s", cfg.CC, strings.Join(args, " "), err, out)
	}
	stack, err := readStackUsage(strings.TrimSuffix(obj, ".o") + ".su")
	if err != nil {
		return nil, err
	}
	ef, err := elf.Open(obj)
	if err != nil {
		return nil, err
	}
	defer ef.Close()
	if ef.Machine != arch.Machine {
		return nil, fmt.Errorf("asmgen: %s: object for %v, want %v", src, ef.Machine, arch.Machine)
	}
	syms, err := ef.Symbols()
	if err != nil {
		return nil, fmt.Errorf("asmgen: %s: %v", src, err)
	}
	var dw *dwarf.Data // read when a function is selected
	var fs []*Func
	kept, err := addrsig(ef)
	if err != nil {
		return nil, fmt.Errorf("asmgen: %s: %v", src, err)
	}
	for i, s := range syms {
		if elf.ST_TYPE(s.Info) != elf.STT_FUNC || s.Section == elf.SHN_UNDEF || s.Section >= elf.SHN_LORESERVE {
			continue
		}
		if cfg.Funcs != nil && !cfg.Funcs.MatchString(s.Name) ||
			cfg.Funcs == nil && elf.ST_BIND(s.Info) != elf.STB_GLOBAL {
			continue
		}
		f := &Func{C: s.Name, Go: cfg.GoName(s.Name), Source: src}
		fail := func(format string, a ...any) error {
			return fmt.Errorf("asmgen: %s: %s: %s", src, s.Name, fmt.Sprintf(format, a...))
		}
		// A static function whose address is taken nowhere has only the
		// calls in its file, which the compiler may have fitted it to:
		// arguments dropped, fixed to a constant, or passed by value.
		if elf.ST_BIND(s.Info) == elf.STB_LOCAL && !kept[i+1] {
			return nil, fail("a static function whose address is not taken, whose arguments the compiler may have changed: give it external linkage, or __attribute__((used))")
		}
		su, ok := stack[s.Name]
		if !ok {
			return nil, fail("no stack usage reported")
		}
		if su.dynamic {
			return nil, fail("uses stack of a size known only at run time (%s)", su.qual)
		}
		if su.bytes > MaxStack {
			return nil, fail("uses %d bytes of stack, more than %d", su.bytes, MaxStack)
		}
		f.Stack = su.bytes
		if dw == nil {
			if dw, err = ef.DWARF(); err != nil {
				return nil, fmt.Errorf("asmgen: %s: debug information: %v", src, err)
			}
		}
		if err := f.signature(dw, arch); err != nil {
			return nil, fail("%v", err)
		}
		if err := f.body(ef, syms, s, arch); err != nil {
			return nil, fail("%v", err)
		}
		if err := f.disassemble(cfg.Objdump, obj, arch, cfg.AllowFPState); err != nil {
			return nil, fail("%v", err)
		}
		if err := f.checkTargets(arch); err != nil {
			return nil, fail("%v", err)
		}
		fs = append(fs, f)
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].C < fs[j].C })
	return fs, nil
}

type stackUse struct {
	bytes   int
	qual    string
	dynamic bool
}

// readStackUsage reads clang's -fstack-usage report: one line per
// function, "file:line:name<TAB>bytes<TAB>qualifiers".
func readStackUsage(path string) (map[string]stackUse, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil // no function at all: clang writes no report
	}
	if err != nil {
		return nil, fmt.Errorf("asmgen: stack usage: %v", err)
	}
	m := map[string]stackUse{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			continue
		}
		name := f[0][strings.LastIndexByte(f[0], ':')+1:]
		n, err := strconv.Atoi(f[1])
		if err != nil {
			return nil, fmt.Errorf("asmgen: stack usage: %q", line)
		}
		m[name] = stackUse{bytes: n, qual: f[2], dynamic: f[2] != "static"}
	}
	return m, nil
}

// body copies the function's code, appends the read-only sections its
// relocations reach and patches each relocation to its place in the
// body.
func (f *Func) body(ef *elf.File, syms []elf.Symbol, s elf.Symbol, arch *Arch) error {
	sec := ef.Sections[s.Section]
	data, err := sec.Data()
	if err != nil {
		return err
	}
	if s.Size == 0 {
		return fmt.Errorf("has no code (a size of 0): the compiler emits no instruction for a body it finds unreachable " +
			"(__builtin_unreachable, undefined behaviour on every path), and a function of assembly may have no .size")
	}
	if s.Value+s.Size > uint64(len(data)) {
		return fmt.Errorf("symbol outside its section %s", sec.Name)
	}
	start, end := int(s.Value), int(s.Value+s.Size)
	f.start = start
	f.Code = slices.Clone(data[start:end])
	f.CodeLen = len(f.Code)
	f.Align = arch.FuncAlign
	relocs, err := readRelocs(ef, int(s.Section))
	if err != nil {
		return err
	}
	placed := map[int]int{} // section index -> offset in the body
	for _, r := range relocs {
		if r.off < start || r.off >= end {
			continue
		}
		if r.sym == 0 || int(r.sym) > len(syms) {
			return fmt.Errorf("relocation %s at %#x has no symbol", arch.relocName(r.typ), r.off-start)
		}
		t := syms[r.sym-1]
		if t.Section == elf.SHN_UNDEF {
			if arch.isCall(r.typ) {
				return callErr(t.Name)
			}
			return fmt.Errorf("refers to %s, defined elsewhere", t.Name)
		}
		if t.Section >= elf.SHN_LORESERVE {
			return fmt.Errorf("relocation %s against %s is not supported", arch.relocName(r.typ), t.Name)
		}
		ts := ef.Sections[t.Section]
		name := t.Name
		if name == "" {
			name = ts.Name
		}
		switch {
		case ts.Flags&elf.SHF_EXECINSTR != 0 || arch.isCall(r.typ):
			return callErr(name)
		case ts.Flags&elf.SHF_TLS != 0:
			return fmt.Errorf("uses thread-local storage (%s): Go keeps its own there", name)
		case ts.Flags&elf.SHF_WRITE != 0:
			return fmt.Errorf("uses writable global data (%s): only read-only constants are supported", name)
		case ts.Flags&elf.SHF_ALLOC == 0:
			return fmt.Errorf("relocation %s against %s is not supported", arch.relocName(r.typ), name)
		}
		at, ok := placed[int(t.Section)]
		if !ok {
			if ts.Type == elf.SHT_NOBITS {
				return fmt.Errorf("uses zeroed global data (%s): only initialised constants are supported", name)
			}
			cd, err := ts.Data()
			if err != nil {
				return err
			}
			// The constants are copied as they are: a table whose entries
			// the linker would fill (pointers, or offsets to other data)
			// would be copied unfilled.
			if rs, err := readRelocs(ef, int(t.Section)); err != nil {
				return err
			} else if len(rs) > 0 {
				return fmt.Errorf("uses constant data with addresses in it (%s: a table of pointers, or of offsets to other data): only plain constants are supported", name)
			}
			align := max(int(ts.Addralign), arch.unit)
			if align > maxAlign {
				return fmt.Errorf("uses constant data aligned to %d bytes (%s): Go assembly aligns code to at most %d", align, name, maxAlign)
			}
			at = alignUp(len(f.Code), align)
			for len(f.Code) < at {
				f.Code = append(f.Code, arch.pad)
			}
			f.Code = append(f.Code, cd...)
			for len(f.Code)%arch.unit != 0 {
				f.Code = append(f.Code, 0)
			}
			f.Align = max(f.Align, align)
			placed[int(t.Section)] = at
			f.Consts = append(f.Consts, Const{Section: ts.Name, Off: at, Len: len(cd)})
		}
		target := int64(at) + int64(t.Value) + r.addend
		if err := arch.relocate(f.Code, r.off-start, r.typ, target); err != nil {
			return fmt.Errorf("at %#x against %s: %v", r.off-start, name, err)
		}
		f.relocs = append(f.relocs, r.off-start)
	}
	return nil
}

type reloc struct {
	off    int
	typ    uint32
	sym    uint32
	addend int64
}

// readRelocs returns the relocations that apply to section idx.
func readRelocs(ef *elf.File, idx int) ([]reloc, error) {
	var rs []reloc
	for _, s := range ef.Sections {
		if int(s.Info) != idx || s.Type != elf.SHT_RELA && s.Type != elf.SHT_REL {
			continue
		}
		if s.Type == elf.SHT_REL {
			return nil, fmt.Errorf("REL relocations (without addends) are not supported")
		}
		b, err := s.Data()
		if err != nil {
			return nil, err
		}
		for ; len(b) >= 24; b = b[24:] {
			info := le.Uint64(b[8:])
			rs = append(rs, reloc{
				off:    int(le.Uint64(b)),
				typ:    elf.R_TYPE64(info),
				sym:    elf.R_SYM64(info),
				addend: int64(le.Uint64(b[16:])),
			})
		}
	}
	return rs, nil
}

// objdumpLine is one instruction of llvm-objdump's output:
// "<hex offset>: <mnemonic> <operands>".
var objdumpLine = regexp.MustCompile(`^\s*([0-9a-f]+):\s+(\S.*)$`)

// realign is an amd64 instruction that aligns the stack pointer down to
// a power of two: "andq $-64, %rsp"; realignArm64 is arm64's, with the
// mask in hex: "and sp, x9, #0xffffffffffffff00".
var (
	realign      = regexp.MustCompile(`^and[lq]? \$-(\d+), %rsp$`)
	realignArm64 = regexp.MustCompile(`^and sp, x\d+, #0x([0-9a-f]+)$`)
)

// realignedStack counts the stack of an amd64 function that aligns its
// frame to more than the stack is, from its code: clang's stack usage
// leaves out the registers the prologue saves before it realigns (up to
// 48 bytes past MaxStack went unseen). Such a frame takes its pushes,
// then up to the alignment less 8 bytes, then the largest subtraction
// from the stack pointer; f.Stack becomes that if it is more, and more
// than MaxStack is refused. (arm64's stack usage counts its saves.)
func (f *Func) realignedStack(arch *Arch) error {
	if arch.Machine != elf.EM_X86_64 {
		return nil
	}
	pushes, align, sub := 0, 0, 0
	for _, in := range f.Insns {
		if a := realignment(arch, in.Text); a > 0 {
			align = max(align, a)
			continue
		}
		if align == 0 && strings.HasPrefix(in.Text, "push") {
			pushes++ // before the realignment: the prologue's
		}
		if m := subRSP.FindStringSubmatch(in.Text); m != nil {
			n, _ := strconv.ParseInt(m[1], 0, 64)
			sub = max(sub, int(n))
		}
	}
	if align == 0 {
		return nil
	}
	if need := 8*pushes + align - 8 + sub; need > f.Stack {
		f.Stack = need
	}
	if f.Stack > MaxStack {
		return fmt.Errorf("uses up to %d bytes of stack (%d saved registers, a frame aligned to %d bytes, %d bytes below it), more than %d",
			f.Stack, pushes, align, sub, MaxStack)
	}
	return nil
}

// subRSP is an amd64 instruction that moves the stack pointer down by a
// constant: "subq $448, %rsp".
var subRSP = regexp.MustCompile(`^subq? \$((?:0x)?[0-9a-f]+), %rsp$`)

// realignment returns the power of two to which the instruction text
// aligns the stack pointer down, or 0.
func realignment(arch *Arch, text string) int {
	if arch.Machine == elf.EM_AARCH64 {
		m := realignArm64.FindStringSubmatch(text)
		if m == nil {
			return 0
		}
		mask, _ := strconv.ParseUint(m[1], 16, 64)
		return int(-mask)
	}
	m := realign.FindStringSubmatch(text)
	if m == nil {
		return 0
	}
	a, _ := strconv.Atoi(m[1])
	return a
}

// maxAlign is the most PCALIGN takes: constants aligned to more cannot
// be placed after the code at their alignment.
const maxAlign = 2048

// usesG matches the operands of an arm64 instruction that name x28 or
// w28, Go's g, or x18 or w18, the platform register, which Go leaves
// alone and holds nothing the code may use (a shadow call stack, such as
// -fsanitize=shadow-call-stack keeps there, is not one).
var usesG = regexp.MustCompile(`\b[xw](18|28)\b`)

// ripTarget is the address llvm-objdump names in its comment on an amd64
// operand relative to RIP: "# 0x10 <helper>".
var ripTarget = regexp.MustCompile(`^0x([0-9a-f]+)\b`)

// disassemble lists the body's instructions and refuses those that
// would leave it, and those that load the floating-point control state
// unless allowFP.
func (f *Func) disassemble(objdump, obj string, arch *Arch, allowFP bool) error {
	out, err := exec.Command(objdump, "-d", "--no-show-raw-insn",
		"--disassemble-symbols="+f.C, obj).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			err = fmt.Errorf("%v: %s", err, ee.Stderr)
		}
		return fmt.Errorf("%s: %v", objdump, err)
	}
	in := false
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasSuffix(line, "<"+f.C+">:") {
			in = true
			continue
		}
		if !in {
			continue
		}
		m := objdumpLine.FindStringSubmatch(line)
		if m == nil {
			if strings.TrimSpace(line) == "" {
				continue
			}
			if strings.HasSuffix(line, ">:") {
				break
			}
			continue
		}
		addr, _ := strconv.ParseInt(m[1], 16, 64)
		off := int(addr) - f.start // the listing counts from the section's start
		text := strings.Join(strings.Fields(m[2]), " ")
		in := Insn{Off: off}
		if i := strings.Index(text, " # "); i >= 0 { // amd64 comments
			if c := ripTarget.FindStringSubmatch(text[i+3:]); c != nil && strings.Contains(text[:i], "(%rip)") {
				t, _ := strconv.ParseInt(c[1], 16, 64)
				in.ref, in.hasRef = int(t)-f.start, true
			}
			text = text[:i]
		}
		if i := strings.Index(text, " // "); i >= 0 { // arm64 comments
			text = text[:i]
		}
		if off >= f.CodeLen {
			break
		}
		in.Text = text
		f.Insns = append(f.Insns, in)
	}
	if len(f.Insns) == 0 {
		return fmt.Errorf("%s listed no instruction", objdump)
	}
	if err := f.realignedStack(arch); err != nil {
		return err
	}
	for i := range f.Insns {
		next := f.CodeLen
		if i+1 < len(f.Insns) {
			next = f.Insns[i+1].Off
		}
		f.Insns[i].Len = next - f.Insns[i].Off
		mn, ops := arch.mnemonic(f.Insns[i].Text)
		if why, ok := arch.refused[mn]; ok {
			return fmt.Errorf("%s at %#x (%s): only leaf functions with no system calls are translated", why, f.Insns[i].Off, f.Insns[i].Text)
		}
		if !allowFP && arch.loadsFPState(mn, ops) {
			return fmt.Errorf("loads the floating-point control state at %#x (%s), which Go's own float math "+
				"on the thread depends on; if the function restores what it found before it returns, allow it "+
				"(zerocall gen -allow-fpstate)", f.Insns[i].Off, f.Insns[i].Text)
		}
		if m := usesG.FindStringSubmatch(ops); arch.Machine == elf.EM_AARCH64 && m != nil {
			if m[1] == "18" {
				return fmt.Errorf("uses x18 at %#x (%s), the platform register, which holds nothing the code may use under Go (a shadow call stack: build without -fsanitize=shadow-call-stack)",
					f.Insns[i].Off, f.Insns[i].Text)
			}
			return fmt.Errorf("uses x28 at %#x (%s), where Go keeps the goroutine: a signal during the call would find something else there",
				f.Insns[i].Off, f.Insns[i].Text)
		}
		if arch.Machine == elf.EM_X86_64 {
			if strings.HasPrefix(mn, "jmp") && strings.HasPrefix(ops, "*") {
				return fmt.Errorf("a branch through a register at %#x (%s)", f.Insns[i].Off, f.Insns[i].Text)
			}
			if strings.Contains(ops, "%fs:") || strings.Contains(ops, "%gs:") {
				return fmt.Errorf("thread-local storage at %#x (%s): Go keeps its own there", f.Insns[i].Off, f.Insns[i].Text)
			}
		}
		// A frame aligned to more than the stack is may reach that much
		// further down, which clang's stack usage leaves out (amd64's
		// whole frame is counted by realignedStack).
		if a := realignment(arch, f.Insns[i].Text); arch.Machine == elf.EM_AARCH64 && f.Stack+a > MaxStack {
			return fmt.Errorf("aligns its stack to %d bytes at %#x, which with its %d bytes of stack may take more than %d",
				a, f.Insns[i].Off, f.Stack, MaxStack)
		}
		if arch.unit > 1 && f.Insns[i].Len != arch.unit {
			return fmt.Errorf("instruction at %#x is %d bytes", f.Insns[i].Off, f.Insns[i].Len)
		}
	}
	if f.Insns[0].Off != 0 {
		return fmt.Errorf("the listing starts at %#x", f.Insns[0].Off)
	}
	return nil
}

// signature reads the function's parameters and result from DWARF and
// assigns each its C register and its place in Go's argument frame.
func (f *Func) signature(dw *dwarf.Data, arch *Arch) error {
	r := dw.Reader()
	for {
		e, err := r.Next()
		if err != nil {
			return err
		}
		if e == nil {
			return fmt.Errorf("no debug information for the function")
		}
		if e.Tag != dwarf.TagSubprogram || e.Val(dwarf.AttrName) != f.C {
			if e.Tag != dwarf.TagCompileUnit && e.Children {
				r.SkipChildren()
			}
			continue
		}
		if e.Val(dwarf.AttrLowpc) == nil && e.Val(dwarf.AttrDeclaration) != nil {
			if e.Children {
				r.SkipChildren()
			}
			continue
		}
		// What the caller sets up is the prototype's, in the C calling
		// convention: an old-style definition's arguments are promoted
		// (a float comes as a double), and an attribute may pick
		// another convention (ms_abi, regcall).
		if p, _ := e.Val(dwarf.AttrPrototyped).(bool); !p {
			return fmt.Errorf("an old-style definition, whose arguments are promoted: give it a prototype")
		}
		if cc, ok := e.Val(dwarf.AttrCalling).(int64); ok && cc != dwCCNormal {
			return fmt.Errorf("has calling convention %#x, not the C one", cc)
		}
		var ret dwarf.Type
		if off, ok := e.Val(dwarf.AttrType).(dwarf.Offset); ok {
			if ret, err = dw.Type(off); err != nil {
				return err
			}
		}
		var cparams []string
		for e.Children {
			c, err := r.Next()
			if err != nil {
				return err
			}
			if c == nil || c.Tag == 0 {
				break
			}
			if c.Children {
				r.SkipChildren()
			}
			if c.Tag == dwarf.TagUnspecifiedParameters {
				return fmt.Errorf("takes variable arguments")
			}
			if c.Tag != dwarf.TagFormalParameter {
				continue
			}
			name, _ := c.Val(dwarf.AttrName).(string)
			off, _ := c.Val(dwarf.AttrType).(dwarf.Offset)
			t, err := dw.Type(off)
			if err != nil {
				return err
			}
			id := goIdent(name, len(f.Params))
			for slices.ContainsFunc(f.Params, func(p Param) bool { return p.Name == id }) {
				id += "_"
			}
			p, err := param(id, t)
			if err != nil {
				return fmt.Errorf("argument %s: %v", name, err)
			}
			f.Params = append(f.Params, p)
			cparams = append(cparams, cDecl(t, name))
		}
		if len(cparams) == 0 {
			cparams = []string{"void"}
		}
		rname := "void"
		if ret != nil {
			p, err := param("ret", ret)
			if err != nil {
				return fmt.Errorf("result: %v", err)
			}
			f.Result = &p
			rname = cDecl(ret, "")
		}
		f.Proto = fmt.Sprintf("%s %s(%s)", rname, f.C, strings.Join(cparams, ", "))
		return f.frame(arch)
	}
}

// dwCCNormal is DW_CC_normal, the calling convention of the platform's
// C ABI, which DW_AT_calling_convention names.
const dwCCNormal = 0x1

// frame assigns registers and the offsets of Go's ABI0 frame: each
// argument at its own alignment, the result from the next multiple of 8.
func (f *Func) frame(arch *Arch) error {
	ni, nf, off := 0, 0, 0
	for i := range f.Params {
		p := &f.Params[i]
		if p.Class == 'f' {
			if nf == len(arch.FloatRegs) {
				return fmt.Errorf("more than %d float arguments: the rest would go on the stack", nf)
			}
			p.Reg = arch.FloatRegs[nf]
			nf++
		} else {
			if ni == len(arch.IntRegs) {
				return fmt.Errorf("more than %d integer and pointer arguments: the rest would go on the stack", ni)
			}
			p.Reg = arch.IntRegs[ni]
			ni++
		}
		off = alignUp(off, p.Size)
		p.Off = off
		off += p.Size
	}
	f.argsSize = off
	if p := f.Result; p != nil {
		p.Reg = arch.IntRet
		if p.Class == 'f' {
			p.Reg = arch.FloatRet
		}
		p.Off = alignUp(off, 8)
		f.argsSize = p.Off + p.Size
	}
	return nil
}

func alignUp(n, a int) int { return (n + a - 1) / a * a }

// param maps a C type to its Go type and class.
func param(name string, ct dwarf.Type) (Param, error) {
	t := strip(ct)
	p := Param{Name: name, Size: int(t.Size())}
	switch t := t.(type) {
	case *dwarf.PtrType:
		p.Class, p.Size = 'u', 8
		p.GoType = "unsafe.Pointer"
		switch e := strip(t.Type).(type) {
		case *dwarf.FloatType:
			p.GoType = map[int64]string{4: "*float32", 8: "*float64"}[e.Size()]
		case *dwarf.IntType:
			p.GoType = map[int64]string{1: "*int8", 2: "*int16", 4: "*int32", 8: "*int64"}[e.Size()]
		case *dwarf.CharType:
			p.GoType = "*int8"
			if plainChar(e) {
				p.GoType = "*uint8" // as on arm64, where char is unsigned: one Go type on every architecture
			}
		case *dwarf.UintType:
			p.GoType = map[int64]string{1: "*uint8", 2: "*uint16", 4: "*uint32", 8: "*uint64"}[e.Size()]
		case *dwarf.UcharType:
			p.GoType = "*uint8"
		}
		if p.GoType == "" {
			p.GoType = "unsafe.Pointer"
		}
		return p, nil
	case *dwarf.FloatType:
		if p.Size != 4 && p.Size != 8 {
			return p, fmt.Errorf("%d-byte floats are not supported", p.Size)
		}
		p.Class = 'f'
		p.GoType = fmt.Sprintf("float%d", 8*p.Size)
		return p, nil
	case *dwarf.IntType, *dwarf.CharType:
		if plainChar(t) {
			return p, errPlainChar
		}
		p.Class = 'i'
		p.GoType = fmt.Sprintf("int%d", 8*p.Size)
	case *dwarf.UintType, *dwarf.UcharType:
		if plainChar(t) {
			return p, errPlainChar
		}
		p.Class = 'u'
		p.GoType = fmt.Sprintf("uint%d", 8*p.Size)
	default:
		return p, fmt.Errorf("type %s is not supported: pointers, integers and floats are", t)
	}
	if p.Size != 1 && p.Size != 2 && p.Size != 4 && p.Size != 8 {
		return p, fmt.Errorf("%d-byte integers are not supported", p.Size)
	}
	// A bit-precise integer (_BitInt(24)) fills its bytes only in part,
	// and a result's upper bits are the caller's to clear on arm64.
	if b, ok := t.(interface{ Basic() *dwarf.BasicType }); ok {
		if bb := b.Basic(); strings.Contains(bb.Name, "BitInt") || strings.Contains(bb.Name, "ExtInt") || bb.BitSize != 0 && bb.BitSize != 8*bb.ByteSize {
			return p, fmt.Errorf("type %s is not supported: its value does not fill its %d bytes", bb.Name, p.Size)
		}
	}
	if p.GoType == "uint64" && sizeLike(ct) {
		p.GoType = "uintptr"
	}
	return p, nil
}

// errPlainChar refuses a char passed or returned by value: signed on
// amd64 and unsigned on arm64, it would be int8 in Go on one and uint8 on
// the other. (A pointer to char is *uint8 on both.)
var errPlainChar = errors.New("type char is not supported by value: signed on amd64 and unsigned on arm64, it has no one Go type; use signed char, unsigned char, int8_t or uint8_t")

// plainChar reports whether t is C's plain char, whose signedness is the
// architecture's.
func plainChar(t dwarf.Type) bool {
	switch t.(type) {
	case *dwarf.CharType, *dwarf.UcharType:
		return t.Common().Name == "char"
	}
	return false
}

// sizeLike reports whether t is spelt size_t or uintptr_t, which Go
// spells uintptr.
func sizeLike(t dwarf.Type) bool {
	for {
		switch u := t.(type) {
		case *dwarf.TypedefType:
			if u.Name == "size_t" || u.Name == "uintptr_t" {
				return true
			}
			t = u.Type
		case *dwarf.QualType:
			t = u.Type
		default:
			return false
		}
	}
}

// strip removes typedefs and qualifiers.
func strip(t dwarf.Type) dwarf.Type {
	for {
		switch u := t.(type) {
		case *dwarf.TypedefType:
			t = u.Type
		case *dwarf.QualType:
			t = u.Type
		default:
			return t
		}
	}
}

// cDecl spells a declaration of name with type t in C.
func cDecl(t dwarf.Type, name string) string {
	var spell func(t dwarf.Type) string
	spell = func(t dwarf.Type) string {
		switch u := t.(type) {
		case *dwarf.PtrType:
			if u.Type == nil {
				return "void *"
			}
			return strings.TrimSuffix(spell(u.Type), " ") + " *"
		case *dwarf.QualType:
			return u.Qual + " " + spell(u.Type)
		case *dwarf.TypedefType:
			return u.Name + " "
		case *dwarf.StructType:
			return u.Kind + " " + u.StructName + " "
		case *dwarf.VoidType:
			return "void "
		}
		return t.String() + " "
	}
	s := spell(t)
	if name == "" {
		return strings.TrimSpace(s)
	}
	return s + name
}

// goIdent makes a C parameter name a Go one: unnamed parameters, _ and
// names Go cannot spell are numbered, and Go's keywords, ret, the
// result's name, and the names the Go assembler reads as other than a
// symbol in name+off(FP) (asmReserved) get an underscore. The caller
// makes it unique.
func goIdent(name string, i int) string {
	switch {
	case name == "" || name == "_" || !token.IsIdentifier(name) && !token.IsKeyword(name):
		return fmt.Sprintf("arg%d", i)
	case token.IsKeyword(name) || name == "ret" || asmReserved(name):
		return name + "_"
	}
	return name
}

// asmReserved reports whether the Go assembler of amd64 or arm64 (of
// either, so that a function's parameters are named alike on both) reads
// name, where an operand starts, as other than a symbol: as a register
// (asmRegister), an arm64 special operand (asmSpecial) or a macro of
// textflag.h, which the generated assembly includes. A parameter of such
// a name would be read so in the wrapper's name+off(FP).
func asmReserved(name string) bool {
	return asmRegister.MatchString(name) || asmSpecial.MatchString(name) || textflagMacros[name]
}

// asmRegister matches the names of the Go assembler's registers and
// pseudo-registers on amd64 and arm64, arm64's system registers among
// them (NZCV, MIDR_EL1).
var asmRegister = regexp.MustCompile(`^(g|SB|SP|FP|PC|RSP|LR|ZR|RZR|[A-D][XLH]|SI|DI|BP|SIB|DIB|BPB|SPB|[CDEFGS]S|R\d+[BWL]?|[XYZFVM]\d+|K[0-7]|[CDT]R\d+|` +
	`[GIL]DTR|MSW|TASK|TLS|MAXREG|R18_PLATFORM|` +
	`\w+_EL\d+|CurrentEL|DAIF|DIT|FPCR|FPSR|NZCV|PAN|RNDR|RNDRRS|SPSel|SPSR_(abt|fiq|irq|und)|SSBS|TCO|UAO)$`)

// asmSpecial matches the names of arm64's special operands: the
// conditions (EQ, LO, HI), the targets of BTI (C, J, JC), the fields of
// MSR (DAIFSet), and the operations of PRFM, DC and TLBI.
var asmSpecial = regexp.MustCompile(`^(EQ|NE|CS|HS|CC|LO|MI|PL|VS|VC|HI|LS|GE|LT|GT|LE|AL|NV|C|J|JC|DAIFSet|DAIFClr|` +
	`P(LD|LI|ST)L[1-3](KEEP|STRM)|` +
	`IVAC|ISW|CSW|CISW|ZVA|CVAC|CVAU|CIVAC|IGVAC|IGSW|IGDVAC|IGDSW|CGSW|CGDSW|CIGSW|CIGDSW|GVA|GZVA|` +
	`CGVAC|CGDVAC|CGVAP|CGDVAP|CGVADP|CGDVADP|CIGVAC|CIGDVAC|CVAP|CVADP|` +
	`R?(VMALL|VMALLS12|VA|VAA|VAL|VAAL|ASID|ALL|IPAS2|IPAS2L)E[1-3](IS|OS)?)$`)

// textflagMacros are the macros of textflag.h.
var textflagMacros = map[string]bool{
	"NOPROF": true, "DUPOK": true, "NOSPLIT": true, "RODATA": true, "NOPTR": true, "WRAPPER": true,
	"NEEDCTXT": true, "TLSBSS": true, "NOFRAME": true, "REFLECTMETHOD": true, "TOPFRAME": true, "ABIWRAPPER": true,
}

// writeAsm writes the assembly file.
func writeAsm(cfg Config, arch *Arch, fs []*Func) []byte {
	var b bytes.Buffer
	header(&b, cfg, arch, fs)
	b.WriteString("\n#include \"textflag.h\"\n")
	for _, f := range fs {
		fmt.Fprintf(&b, "\n// func %s(%s)%s\n", f.Go, goParams(f), goResult(f))
		fmt.Fprintf(&b, "TEXT ·%s(SB), 0, $0-%d\n", f.Go, f.argsSize)
		for _, p := range f.Params {
			fmt.Fprintf(&b, "\t%s %s+%d(FP), %s\n", arch.load[fmt.Sprintf("%c%d", p.Class, p.Size)], p.Name, p.Off, p.Reg)
		}
		callBody(&b, arch, f.C, f.Result, "")
		if cfg.Code && frameFunc(f) {
			writeDispatch(&b, arch, f, variants(arch, f, fs))
		}
		if cfg.Code {
			fmt.Fprintf(&b, "\n// func %sCode() uintptr\n", f.Go)
			fmt.Fprintf(&b, "TEXT ·%sCode(SB), NOSPLIT, $0-8\n", f.Go)
			if arch.Machine == elf.EM_X86_64 {
				fmt.Fprintf(&b, "\tLEAQ %s<>(SB), AX\n\tMOVQ AX, ret+0(FP)\n", f.C)
			} else {
				fmt.Fprintf(&b, "\tMOVD $%s<>(SB), R0\n\tMOVD R0, ret+0(FP)\n", f.C)
			}
			b.WriteString("\tRET\n")
		}
		fmt.Fprintf(&b, "\n// %s: %s\n", f.C, f.Proto)
		consts := 0
		for _, c := range f.Consts {
			consts += c.Len
		}
		fmt.Fprintf(&b, "// %d bytes of code, %d of constants; %d bytes of stack.\n",
			f.CodeLen, consts, f.Stack)
		fmt.Fprintf(&b, "TEXT %s<>(SB), NOSPLIT|NOFRAME, $0-0\n", f.C)
		if f.Align > arch.FuncAlign {
			fmt.Fprintf(&b, "\tPCALIGN $%d\n", f.Align)
		}
		for _, in := range f.Insns {
			writeBytes(&b, arch, f.Code[in.Off:in.Off+in.Len], fmt.Sprintf("%#05x  %s", in.Off, in.Text))
		}
		pos := f.CodeLen
		for _, c := range f.Consts {
			if c.Off > pos {
				writeBytes(&b, arch, f.Code[pos:c.Off], "padding")
			}
			end := alignUp(c.Off+c.Len, arch.unit)
			for i := c.Off; i < end; i += 16 {
				j := min(i+16, end)
				writeBytes(&b, arch, f.Code[i:j], fmt.Sprintf("%#05x  %s+%d", i, c.Section, i-c.Off))
			}
			pos = end
		}
		if pos < len(f.Code) {
			writeBytes(&b, arch, f.Code[pos:], "padding")
		}
	}
	return b.Bytes()
}

// writeBytes writes code as LONG, WORD and BYTE directives (amd64) or
// WORD directives (arm64) on one line, with a comment.
func writeBytes(b *bytes.Buffer, arch *Arch, code []byte, comment string) {
	b.WriteByte('\t')
	for i := 0; i < len(code); {
		if i > 0 {
			b.WriteString("; ")
		}
		switch n := len(code) - i; {
		case arch.unit == 4 && n >= 4:
			fmt.Fprintf(b, "WORD $%#08x", le.Uint32(code[i:]))
			i += 4
		case arch.unit == 1 && n >= 4:
			fmt.Fprintf(b, "LONG $%#08x", le.Uint32(code[i:]))
			i += 4
		case arch.unit == 1 && n >= 2:
			fmt.Fprintf(b, "WORD $%#04x", le.Uint16(code[i:]))
			i += 2
		default:
			fmt.Fprintf(b, "BYTE $%#02x", code[i])
			i++
		}
	}
	fmt.Fprintf(b, " // %s\n", comment)
}

// header says what generated the file, from what.
func header(b *bytes.Buffer, cfg Config, arch *Arch, fs []*Func) {
	var srcs []string
	for _, f := range fs {
		if !slices.Contains(srcs, f.Source) {
			srcs = append(srcs, f.Source)
		}
	}
	fmt.Fprintf(b, "// Code generated by zerocall gen; DO NOT EDIT.\n//\n")
	fmt.Fprintf(b, "// The C functions of %s, compiled by %s for\n", strings.Join(srcs, ", "), cfg.CC)
	fmt.Fprintf(b, "// %s and carried over byte for byte, made by\n//\n//\t%s\n", arch.Triple, cfg.Command)
}

// writeGo writes the Go declarations.
func writeGo(cfg Config, arch *Arch, fs []*Func) []byte {
	var b bytes.Buffer
	header(&b, cfg, arch, fs)
	fmt.Fprintf(&b, "\npackage %s\n", cfg.Package)
	unsafe := false
	for _, f := range fs {
		for _, p := range f.Params {
			unsafe = unsafe || p.GoType == "unsafe.Pointer"
		}
	}
	for _, f := range fs {
		unsafe = unsafe || cfg.Code && frameFunc(f) && variants(arch, f, fs) != nil
	}
	if unsafe {
		b.WriteString("\nimport \"unsafe\"\n")
	}
	for _, f := range fs {
		// go:noescape says the pointers given do not outlive the call,
		// which holds of C that keeps none, unless it returns one: a
		// result may point into an argument (a string's end), whose
		// memory must then stay where the result can reach it.
		noescape := "//go:noescape\n"
		if r := f.Result; r != nil && (strings.HasPrefix(r.GoType, "*") || r.GoType == "unsafe.Pointer") {
			noescape = ""
		}
		fmt.Fprintf(&b, "\n// %s runs %s of %s:\n//\n//\t%s\n//\n%sfunc %s(%s)%s\n",
			f.Go, f.C, filepath.Base(f.Source), f.Proto, noescape, f.Go, goParams(f), goResult(f))
		if cfg.Code {
			fmt.Fprintf(&b, "\n// %sCode returns the address of %s's code.\nfunc %sCode() uintptr\n", f.Go, f.C, f.Go)
		}
	}
	if cfg.Code {
		for _, f := range fs {
			vs := variants(arch, f, fs)
			if vs == nil {
				continue
			}
			var names, slots []string
			for _, v := range vs {
				names = append(names, v.name)
				slots = append(slots, fmt.Sprintf("%d: %sCode()", v.slot, v.f.Go))
			}
			fmt.Fprintf(&b, "\n// %sVariants returns the address of the code of each variant of %s\n"+
				"// (ZC_VARIANTS of zc_kernel.h) by its zerocall.Variant, for\n"+
				"// asm.NewVariant: %s.\nfunc %sVariants() []uintptr {\n\treturn []uintptr{%s}\n}\n",
				f.Go, f.C, strings.Join(names, ", "), f.Go, strings.Join(slots, ", "))
			if !frameFunc(f) {
				continue
			}
			fmt.Fprintf(&b, "\n// %sVariant runs variant v of %s (%s) on frame f,\n"+
				"// for the typed calls zerocall bind writes; any other v runs the\n"+
				"// baseline. v must be a variant this machine runs, as asm.NewVariant\n"+
				"// chooses it: nothing here checks the CPU.\n//\n//go:noescape\nfunc %sVariant(v int, f unsafe.Pointer) int64\n",
				f.Go, f.C, strings.Join(names, ", "), f.Go)
		}
	}
	return b.Bytes()
}

// callBody writes the call of body, then the store of the result r at
// offset off past the arguments' (r's own offset when off is ""), and the
// return.
func callBody(b *bytes.Buffer, arch *Arch, body string, r *Param, off string) {
	if arch.Machine == elf.EM_AARCH64 {
		// Go's prologue keeps the caller's frame pointer just below the
		// stack pointer, where C's frame would begin: the body runs 16
		// bytes lower (the stack pointer stays 16-byte aligned).
		fmt.Fprintf(b, "\tSUB $16, RSP\n\tCALL %s<>(SB)\n\tADD $16, RSP\n", body)
	} else {
		fmt.Fprintf(b, "\tCALL %s<>(SB)\n", body)
	}
	if r != nil {
		if off == "" {
			off = strconv.Itoa(r.Off)
		}
		fmt.Fprintf(b, "\t%s %s, ret+%s(FP)\n", arch.store[fmt.Sprintf("%c%d", r.Class, r.Size)], r.Reg, off)
	}
	b.WriteString("\tRET\n")
}

// writeDispatch writes <f>Variant(v int, fr unsafe.Pointer) int64, the
// typed calls' way to a variant of the kernel f: one assembly function
// that branches on v to the variant's body. A Go function value of the
// variant's own function (ABI0) would be called through a wrapper Go
// makes for it, a call more: about 1 ns of a typed call's 10 at n = 1. A
// v with no body of its own runs the baseline, f's. Nothing where f has
// no variants.
func writeDispatch(b *bytes.Buffer, arch *Arch, f *Func, vs []variant) {
	if vs == nil {
		return
	}
	fr, r := f.Params[0], f.Result
	fmt.Fprintf(b, "\n// func %sVariant(v int, f unsafe.Pointer) int64\n", f.Go)
	fmt.Fprintf(b, "TEXT ·%sVariant(SB), 0, $0-24\n", f.Go)
	fmt.Fprintf(b, "\t%s f+8(FP), %s\n", arch.load["i8"], fr.Reg)
	// The variants with a body of their own, by slot; v in a register
	// that is neither the frame's nor the result's.
	var others []variant
	for _, v := range vs {
		if v.f == f {
			continue
		}
		if len(others) == 0 {
			if arch.Machine == elf.EM_AARCH64 {
				b.WriteString("\tMOVD v+0(FP), R9\n")
			} else {
				b.WriteString("\tMOVQ v+0(FP), R11\n")
			}
		}
		others = append(others, v)
		if arch.Machine == elf.EM_AARCH64 {
			fmt.Fprintf(b, "\tCMP $%d, R9\n\tBEQ v%d\n", v.slot, v.slot)
		} else {
			fmt.Fprintf(b, "\tCMPQ R11, $%d\n\tJEQ v%d\n", v.slot, v.slot)
		}
	}
	callBody(b, arch, f.C, r, "16")
	for _, v := range others {
		fmt.Fprintf(b, "v%d:\n", v.slot)
		callBody(b, arch, v.f.C, r, "16")
	}
}

// variantSlots are the variants ZC_VARIANTS of zc_kernel.h builds, by
// the suffix of their C names and their zerocall.Variant values; the
// baseline counts as NEON too on arm64, where it is NEON code.
var variantSlots = []struct {
	suffix, name string
	slot         int
	arch         string // "" for every architecture
}{
	{"", "Scalar", 1, ""},
	{"", "NEON", 5, "arm64"},
	{"_avx2", "AVX2", 2, "amd64"},
	{"_avx512", "AVX512", 3, "amd64"},
}

type variant struct {
	name string
	slot int
	f    *Func
}

// variants returns the variants of f among fs, or nil where f is itself
// a variant of another function of fs (saxpy_avx2 of saxpy).
func variants(arch *Arch, f *Func, fs []*Func) []variant {
	if isVariant(f, fs) {
		return nil
	}
	var vs []variant
	for _, v := range variantSlots {
		if g := byC(fs, f.C+v.suffix); g != nil && (v.arch == "" || v.arch == arch.GOARCH) {
			vs = append(vs, variant{v.name, v.slot, g})
		}
	}
	return vs
}

// isVariant reports whether f is a variant of another function of fs, by
// the suffix of its name (saxpy_avx2 of saxpy), as ZC_VARIANTS names them.
func isVariant(f *Func, fs []*Func) bool {
	for _, v := range variantSlots {
		if base, ok := strings.CutSuffix(f.C, v.suffix); v.suffix != "" && ok && byC(fs, base) != nil {
			return true
		}
	}
	return false
}

// frameFunc reports whether f has the signature of a kernel of
// zc_kernel.h, int64_t f(zc_frame *), whose variants Funcs lists.
func frameFunc(f *Func) bool {
	return len(f.Params) == 1 && f.Params[0].GoType == "unsafe.Pointer" && f.Result != nil && f.Result.GoType == "int64"
}

// byC returns the function of fs named c in C, or nil.
func byC(fs []*Func, c string) *Func {
	for _, f := range fs {
		if f.C == c {
			return f
		}
	}
	return nil
}

func goParams(f *Func) string {
	var ps []string
	for _, p := range f.Params {
		ps = append(ps, p.Name+" "+p.GoType)
	}
	return strings.Join(ps, ", ")
}

func goResult(f *Func) string {
	if f.Result == nil {
		return ""
	}
	return " " + f.Result.GoType
}

// Other writes the Go file for the architectures not in arches, where
// there is no translation: each <Go>Code function returns 0, which
// asm.NewFunc refuses with zerocall.ErrUnsupported, so that a package
// generated with Config.Code builds everywhere.
func Other(cfg Config, arches []string, fs []*Func) []byte {
	var b bytes.Buffer
	var not []string
	for _, a := range arches {
		not = append(not, "!"+a)
	}
	fmt.Fprintf(&b, "// Code generated by zerocall gen; DO NOT EDIT.\n//\n//\t%s\n\n", cfg.Command)
	fmt.Fprintf(&b, "//go:build %s\n\npackage %s\n", strings.Join(not, " && "), cfg.Package)
	for _, f := range fs {
		if frameFunc(f) && variants(&Arch{}, f, fs) != nil {
			b.WriteString("\nimport \"unsafe\"\n")
			break
		}
	}
	for _, f := range fs {
		fmt.Fprintf(&b, "\n// %sCode returns 0: %s is translated for %s only.\nfunc %sCode() uintptr { return 0 }\n",
			f.Go, f.C, strings.Join(arches, " and "), f.Go)
	}
	for _, f := range fs {
		if variants(&Arch{}, f, fs) != nil {
			fmt.Fprintf(&b, "\n// %sVariants returns nil: %s is translated for %s only.\nfunc %sVariants() []uintptr { return nil }\n",
				f.Go, f.C, strings.Join(arches, " and "), f.Go)
			if !frameFunc(f) {
				continue
			}
			fmt.Fprintf(&b, "\n// %sVariant returns -1: %s is translated for %s only.\nfunc %sVariant(v int, f unsafe.Pointer) int64 { return -1 }\n",
				f.Go, f.C, strings.Join(arches, " and "), f.Go)
		}
	}
	return b.Bytes()
}

// addrsig reads the symbols whose address is significant from clang's
// .llvm_addrsig section (on by default for ELF): those whose address is
// taken, held in a table or marked used. Their indices are into the
// symbol table, whose entry 0 is the null symbol.
func addrsig(ef *elf.File) (map[int]bool, error) {
	const shtLLVMAddrsig = 0x6fff4c03
	kept := map[int]bool{}
	for _, s := range ef.Sections {
		if s.Type != shtLLVMAddrsig {
			continue
		}
		b, err := s.Data()
		if err != nil {
			return nil, err
		}
		for len(b) > 0 {
			v, n := binary.Uvarint(b)
			if n <= 0 {
				return nil, fmt.Errorf("a malformed %s section", s.Name)
			}
			kept[int(v)] = true
			b = b[n:]
		}
	}
	return kept, nil
}
