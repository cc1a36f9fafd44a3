// Command zerocall is the toolchain of zerocall: what a program that
// calls C kernels of its own runs at build time. It depends on nothing
// but the main zerocall module, so that a go:generate line can install it
// cheaply:
//
//	go install github.com/zerocall/zerocall/cmd/zerocall@<version>
//
// Usage:
//
//	zerocall gen [-arch amd64,arm64] [-o prefix] [-pkg name] [-funcs regexp] [-cflags flags] [-cc clang-14] [-objdump llvm-objdump-14] [-camel] [-export] [-code] [-allow-fpstate] file.c...
//	zerocall bind [-o file] [-pkg name] [-desc dir] [-type name] -asm [importpath.]Name | -c symbol [-variants=false] Kernel
//	zerocall module -o out.wasm -kernels name,... [-batch=false] [-simd] [-stack bytes] [-cflags flags] [-cc clang-14] file.c...
//	zerocall headers -o dir
//	zerocall wisdom -dir dir [-fresh] [command [arg...]]
//
// gen translates C functions into Go assembly that Go calls with no
// crossing and no cgo (package internal/asmgen says how, and what it
// refuses): for each architecture, <prefix>_<arch>.s with the code and
// <prefix>_<arch>.go with a Go declaration per function; with -code,
// also <name>Code, the address asm.NewFunc takes, and <prefix>_other.go
// for the architectures with no translation. make asm runs it on the
// built-in kernels; a go:generate line runs it on yours.
//
// bind writes a typed call of one kernel of yours: a type whose Call
// takes the kernel's buffers as typed slices and its scalars as float64
// and int64 arguments, makes the checks of a Func's Call written out for
// this kernel's buffers, and calls the chosen CPU variant directly, its
// Go assembly (-asm, the function zerocall gen -code wrote) or its C
// through cgo (-c, in the cgo package that compiles it). It reads the
// kernel's description (a &kernel.Kernel{...} literal) from the source of
// the package in -desc, and the constructor it writes refuses a
// description that has changed since.
//
// module compiles C files into a WebAssembly module of the zerocall
// module ABI (wasm/module/zc_module.h), for package wasm or wasmtime to
// load: with clang 14 and lld, no libc, and zc_module.c and the headers
// carried inside the command, so that no path into the module cache is
// needed. It exports each kernel named by -kernels and, unless
// -batch=false, its batch export <kernel>_batch (defined for you unless a
// source has a ZC_MODULE_BATCH line for it). The flags are fixed, so the
// module is the same byte for byte wherever it is built; the module's
// stack is 64 KiB unless -stack says more. Before writing
// the module, it checks it as the hosts will: the ABI's exports, each
// kernel's signature, and an instance made and its regions reserved.
//
// headers writes zc_kernel.h and zc_module.h into a folder, for the
// native build (cgo, a shared library) of the same C files: a file with
// a ZC_MODULE_BATCH line compiles natively too. It writes over its own
// headers of any version, and over no other file.
//
// wisdom writes the wisdom of a program's plans (package plan) into a
// folder: it runs the command (your program, or go test on your package)
// with ZEROCALL_WISDOM naming the folder (and -count=1 in GOFLAGS, so
// that go test runs rather than answer from its cache), so that each
// plan with no File of its own reads its wisdom there, or calibrates and
// writes it; -fresh
// removes the folder's wisdom first, so that every plan measures again.
// It then prints what each plan chose: the fastest path from each size
// on. Ship the folder with the program and set ZEROCALL_WISDOM to it (on
// machines of the same kind: wisdom of another CPU is refused), or give
// each plan its file as File. With no command, it prints the folder's
// wisdom only. A command that fails makes wisdom exit with its status.
//
// Measuring the built-in kernels on this machine (bench, sweep) is the
// zcbench command's, in the benchmark kit's module.
package main

import (
	"io"
	"os"

	"github.com/zerocall/zerocall/internal/cli"
)

// verbs are zerocall's verbs, in the order its usage lists them.
var verbs = []cli.Verb{
	{Name: "gen", Summary: "translate C functions into Go assembly: C kernels with no cgo", Run: genCmd},
	{Name: "bind", Summary: "write a typed call of a kernel, translated (-asm) or through cgo (-c): its checks written out, no description read per call", Run: bindCmd},
	{Name: "module", Summary: "compile C kernels into a wasm module of the zerocall module ABI", Run: moduleCmd},
	{Name: "headers", Summary: "write zc_kernel.h and zc_module.h, for a native build", Run: headersCmd},
	{Name: "wisdom", Summary: "run a program so that its plans write their wisdom into a folder", Run: wisdomCmd},
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run runs the verb args[0] on the arguments after it and returns the
// exit status (cli.Run).
func run(args []string, stdout, stderr io.Writer) int {
	return cli.Run("zerocall", verbs, args, stdout, stderr)
}
