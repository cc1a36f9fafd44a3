package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/cmd/zerocall/internal/abi"
	"github.com/zerocall/zerocall/internal/cli"
	"github.com/zerocall/zerocall/internal/wasmabi"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm"
)

// The flags of every module build: the project's one set of C flags, a
// freestanding wasm32 target with no libc, and a link with no entry point,
// no names and the stack first (an overflow traps below address 0 instead
// of overwriting data). -mbulk-memory turns the zeroing and copying the
// compiler emits into memory.fill and memory.copy rather than calls of a
// memset or memcpy the module would have to import. The output depends
// only on the sources and these flags.
var (
	moduleCFlags = []string{"-std=c11", "-O3", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-ffp-contract=off",
		"--target=wasm32", "-ffreestanding", "-nostdlib", "-mbulk-memory"}
	moduleLDFlags = []string{"-Wl,--no-entry", "-Wl,--strip-all", "-Wl,--stack-first"}
)

// The module's stack, in bytes: -stack's default, and its bounds (wasm-ld
// wants a multiple of 16; a stack past 64 MiB is a module's memory spent
// before its regions).
const (
	defaultStack = 64 << 10
	minStack     = 4 << 10
	maxStack     = 64 << 20
)

// cIdent is a C identifier: what a kernel's name must be.
var cIdent = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func moduleCmd(args []string, stdout, stderr io.Writer) error {
	fs := cli.Flags("module", "usage: zerocall module -o out.wasm -kernels name,... [flags] file.c...", stderr)
	out := fs.String("o", "", "the module to write (required)")
	kernels := fs.String("kernels", "", "the kernel functions to export, comma-separated (required)")
	batch := fs.Bool("batch", true, "export <kernel>_batch for each kernel too: many calls in one crossing")
	simd := fs.Bool("simd", false, "compile with WebAssembly SIMD (-msimd128)")
	cflags := fs.String("cflags", "", "more compiler flags, such as -I for your own headers (quote one with spaces: '-Imy dir')")
	stack := fs.Int("stack", defaultStack, "the module's stack in bytes, a multiple of 16: more for large local arrays, alloca or deep recursion, whose overflow traps (out of bounds)")
	cc := fs.String("cc", "clang-14", "the clang that compiles to wasm32 (with lld's wasm-ld)")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	srcs := sources(fs.Args())
	switch {
	case *out == "":
		return fmt.Errorf("%w: -o is required", cli.ErrUsage)
	case *kernels == "":
		return fmt.Errorf("%w: -kernels is required", cli.ErrUsage)
	case len(srcs) == 0:
		return fmt.Errorf("%w: no C file given", cli.ErrUsage)
	}
	for _, s := range srcs {
		if sameFile(*out, s) {
			return fmt.Errorf("%w: -o: %s is the C file %s, which the module would replace", cli.ErrUsage, *out, s)
		}
	}
	// A module replaces only a module: the binary format's magic number
	// is its header.
	if err := checkGenerated(*out, "\x00asm"); err != nil {
		return err
	}
	names := strings.Split(*kernels, ",")
	for i, n := range names {
		if !cIdent.MatchString(n) {
			return fmt.Errorf("%w: -kernels: %q is not a C function name", cli.ErrUsage, n)
		}
		if slices.Contains(names[:i], n) {
			return fmt.Errorf("%w: -kernels: %s is named twice", cli.ErrUsage, n)
		}
	}
	if *stack < minStack || *stack > maxStack || *stack%16 != 0 {
		return fmt.Errorf("%w: -stack %d: a multiple of 16 from %d to %d bytes", cli.ErrUsage, *stack, minStack, maxStack)
	}
	flags, err := splitFlags(*cflags)
	if err != nil {
		return err
	}
	bin, err := buildModule(*cc, srcs, names, *batch, *simd, *stack, flags)
	if err != nil {
		return err
	}
	exports, err := checkModule(bin, names, *batch)
	if err != nil {
		return fmt.Errorf("the module built from %s breaks the module ABI: %w", strings.Join(srcs, " "), err)
	}
	if err := os.WriteFile(*out, bin, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d bytes, exports %s\n", *out, len(bin), strings.Join(exports, ", "))
	return nil
}

// buildModule compiles the C files srcs into a module of the ABI that
// exports the kernels names, and their batch exports if batch is set:
// with zc_module.c and the headers from the command itself, and, for each
// kernel whose batch export no source defines (a ZC_MODULE_BATCH line),
// one generated here.
func buildModule(cc string, srcs, names []string, batch, simd bool, stack int, extra []string) ([]byte, error) {
	dir, err := os.MkdirTemp("", "zerocall-module-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := writeABI(dir, "zc_kernel.h", "zc_module.h", "zc_module.c"); err != nil {
		return nil, err
	}
	cflags := append(append([]string{}, moduleCFlags...), "-I"+dir)
	if simd {
		cflags = append(cflags, "-msimd128")
	}
	cflags = append(cflags, extra...)
	args := append(append([]string{}, cflags...), moduleLDFlags...)
	args = append(args, fmt.Sprintf("-Wl,-z,stack-size=%d", stack))
	for _, n := range names {
		args = append(args, "-Wl,--export="+n)
	}
	wasmOut := filepath.Join(dir, "module.wasm")
	args = append(args, "-o", wasmOut)
	args = append(args, srcs...)
	args = append(args, filepath.Join(dir, "zc_module.c"))
	if batch {
		stub, err := batchStub(cc, cflags, srcs, names)
		if err != nil {
			return nil, err
		}
		if stub != nil {
			p := filepath.Join(dir, "zc_batches.c")
			if err := os.WriteFile(p, stub, 0o644); err != nil {
				return nil, err
			}
			args = append(args, p)
		}
	}
	var msg bytes.Buffer
	c := exec.Command(cc, args...)
	c.Stdout, c.Stderr = &msg, &msg
	if err := c.Run(); err != nil {
		return nil, fmt.Errorf("%s %s: %v\n%s%s%s", cc, shellJoin(args), err, msg.Bytes(), noLibc(msg.Bytes()), notDefined(msg.Bytes()))
	}
	return os.ReadFile(wasmOut)
}

// noLibc says, for a build's messages that name a header of the C
// library or one of its functions as missing, that a module has no C
// library, and what to write instead where WebAssembly has an
// instruction; otherwise "". Names of the user's own (a helper in a
// file not given, "mine.h") get nothing.
func noLibc(msg []byte) string {
	var missing, builtins, none, runtime []string
	for _, m := range missingFunc.FindAllSubmatch(msg, -1) {
		name := string(m[1])
		stem := strings.TrimSuffix(name, "f") // sqrtf is sqrt's float version
		if rest, ok := strings.CutPrefix(name, "__"); ok && (strings.Contains(rest, "ti") || strings.Contains(rest, "tf")) {
			if !slices.Contains(runtime, name) {
				runtime = append(runtime, name)
			}
			continue
		}
		if slices.Contains(missing, name) || !libc[stem] && !wasmMath[stem] && !wasmMemory[name] {
			continue
		}
		missing = append(missing, name)
		if wasmMath[stem] || wasmMemory[name] {
			builtins = append(builtins, "__builtin_"+name)
		} else {
			none = append(none, name)
		}
	}
	header := missingHeader.Match(msg)
	var rt string
	if len(runtime) > 0 {
		rt = "a module links no compiler runtime, whose " + strings.Join(runtime, ", ") +
			" 128-bit integers (__int128's multiply, divide) and long double (128 bits in wasm32) call: " +
			"compute in 64-bit halves, or in double\n"
	}
	switch {
	case len(missing) == 0 && !header:
		return rt
	case len(missing) == 0:
		return "a module is built with no C library (-nostdlib), so its headers (math.h, string.h, ...) are not there: " +
			"math.h's fabs, sqrt, floor, ceil, trunc, rint, nearbyint and copysign are WebAssembly instructions as __builtin_fabsf and the like, " +
			"and string.h's memcpy, memmove and memset as __builtin_memcpy and the like\n" + rt
	}
	var b strings.Builder
	fmt.Fprintf(&b, "a module is built with no C library (-nostdlib): no %s", strings.Join(missing, ", "))
	if len(builtins) > 0 {
		fmt.Fprintf(&b, "; write %s, which %s", strings.Join(builtins, ", "), plural(builtins, "is a WebAssembly instruction", "are WebAssembly instructions"))
		if len(none) > 0 {
			fmt.Fprintf(&b, " (%s %s)", strings.Join(none, ", "), plural(none, "is not", "are not"))
		}
	}
	return b.String() + "\n" + rt
}

// notDefined says, for wasm-ld's messages that a kernel named in
// -kernels is not in the module, why that is; otherwise "".
func notDefined(msg []byte) string {
	var names []string
	for _, m := range exportNotFound.FindAllSubmatch(msg, -1) {
		if n := string(m[1]); !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf("-kernels names %s, which no C file given defines with external linkage (not static)\n", strings.Join(names, ", "))
}

// exportNotFound finds, in wasm-ld's messages, an export with no
// definition.
var exportNotFound = regexp.MustCompile(`symbol exported via --export not found: (\w+)`)

// missingFunc and missingHeader find, in clang's and wasm-ld's
// messages, a function with no definition or declaration, and a header
// of the C library's (in angle brackets, or by its name) not found.
var (
	missingFunc   = regexp.MustCompile(`(?:undefined symbol: |implicit declaration of function ')(\w+)`)
	missingHeader = regexp.MustCompile(`<\w+\.h>|'(?:math|string|stdlib|stdio|assert|float|limits|fenv|complex|tgmath)\.h' file not found`)
)

// libc are functions of the C library a kernel may call, by their double
// names for math.h's, besides wasmMath's: none is in a module.
var libc = map[string]bool{
	"exp": true, "exp2": true, "expm1": true, "log": true, "log2": true, "log10": true, "log1p": true,
	"pow": true, "sin": true, "cos": true, "tan": true, "asin": true, "acos": true, "atan": true, "atan2": true,
	"sinh": true, "cosh": true, "tanh": true, "cbrt": true, "hypot": true, "fmod": true, "round": true,
	"lround": true, "fmin": true, "fmax": true, "fma": true, "erf": true, "lgamma": true, "tgamma": true,
	"memcpy": true, "memmove": true, "memset": true, "memcmp": true, "strlen": true, "malloc": true,
	"calloc": true, "realloc": true, "free": true, "abort": true, "printf": true, "qsort": true, "abs": true,
}

// plural returns one if names holds one name, else more.
func plural(names []string, one, more string) string {
	if len(names) == 1 {
		return one
	}
	return more
}

// wasmMemory are the functions of string.h that the fixed -mbulk-memory
// makes WebAssembly instructions (memory.copy, memory.fill) when called
// as __builtin_memcpy and the like.
var wasmMemory = map[string]bool{"memcpy": true, "memmove": true, "memset": true}

// wasmMath are the functions of math.h that WebAssembly has an
// instruction for, by their double names: a module may call them as
// __builtin_sqrtf and the like.
var wasmMath = map[string]bool{
	"fabs": true, "sqrt": true, "floor": true, "ceil": true, "trunc": true,
	"rint": true, "nearbyint": true, "copysign": true,
}

// batchStub returns a C file that defines the batch export of each kernel
// of names whose sources do not define it already (with a ZC_MODULE_BATCH
// line), or nil if none needs one. The sources are read as the compiler
// sees them, preprocessed with cflags, so that a line under an #if that is
// off does not count.
func batchStub(cc string, cflags, srcs, names []string) ([]byte, error) {
	var all bytes.Buffer
	for _, s := range srcs {
		var msg bytes.Buffer
		// Link flags in -cflags are unused in a preprocessing run.
		c := exec.Command(cc, append(append([]string{}, cflags...), "-Wno-unused-command-line-argument", "-E", s)...)
		c.Stdout, c.Stderr = &all, &msg
		if err := c.Run(); err != nil {
			return nil, fmt.Errorf("%s %s: %v\n%s%s", cc, shellJoin(c.Args[1:]), err, msg.Bytes(), noLibc(msg.Bytes()))
		}
	}
	var stub bytes.Buffer
	for _, n := range names {
		if regexp.MustCompile(`\b` + n + `_batch\s*\(`).Match(all.Bytes()) {
			continue
		}
		if stub.Len() == 0 {
			stub.WriteString("/* The batch exports, made by zerocall module. */\n#include \"zc_module.h\"\n")
		}
		fmt.Fprintf(&stub, "\nint64_t %s(zc_frame *f);\nZC_MODULE_BATCH(%s);\n", n, n)
	}
	if stub.Len() == 0 {
		return nil, nil
	}
	return stub.Bytes(), nil
}

// checkModule checks bin against the module ABI as the hosts will,
// through package wasm: what Load checks (one plain memory,
// zc_abi_version and zc_reserve, no imports), each kernel of names
// exported with a kernel's signature (Library.Func), and an instance of
// the module made for it, which runs zc_abi_version and zc_reserve: a
// batch's (Func.Batch, which also checks the batch export) if batch is
// set, a handle's otherwise. It returns the exports.
func checkModule(bin []byte, names []string, batch bool) ([]string, error) {
	lib, err := wasm.Load(bin, zerocall.Config{})
	if err != nil {
		return nil, err
	}
	defer lib.Close()
	var exports []string
	for _, n := range names {
		// Any description will do: the checks are of the export, and of
		// an instance with a region reserved.
		probe := &kernel.Kernel{Name: n, Buffers: []kernel.Buffer{{Name: "x", Type: kernel.Uint8, Role: kernel.In}}}
		f, err := lib.Func(probe, n)
		if err != nil {
			return nil, err
		}
		exports = append(exports, n)
		var c io.Closer
		if batch {
			c, err = f.Batch(zerocall.Module, 1, 64)
			exports = append(exports, n+wasmabi.BatchSuffix)
		} else {
			c, err = f.Handle(zerocall.Module, 64)
		}
		if err != nil {
			return nil, err
		}
		if err := c.Close(); err != nil {
			return nil, err
		}
	}
	return exports, nil
}

// writeABI writes the named files of the command's copy of the C side of
// the contracts into dir.
func writeABI(dir string, names ...string) error {
	for _, n := range names {
		b, err := fs.ReadFile(abi.Files, "files/"+n)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func headersCmd(args []string, stdout, stderr io.Writer) error {
	fs := cli.Flags("headers", "usage: zerocall headers -o dir", stderr)
	dir := fs.String("o", "", "the folder to write zc_kernel.h and zc_module.h into (required; made if missing)")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	switch {
	case *dir == "":
		return fmt.Errorf("%w: -o is required", cli.ErrUsage)
	case fs.NArg() > 0:
		return fmt.Errorf("%w: unexpected arguments %q", cli.ErrUsage, fs.Args())
	}
	// A header of the same name that is not one of zerocall's (of any
	// version: each starts by naming itself) is the user's own, and stays.
	for _, n := range abi.Headers {
		path := filepath.Join(*dir, n)
		b, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if mark := "/*\n * " + n + " - "; !bytes.HasPrefix(b, []byte(mark)) {
			return fmt.Errorf("%w: -o: %s exists and is not zerocall's %s (it does not start with %q): remove it, or write the headers elsewhere", cli.ErrUsage, path, n, mark)
		}
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	if err := writeABI(*dir, abi.Headers...); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s into %s\n", strings.Join(abi.Headers, " and "), *dir)
	return nil
}
