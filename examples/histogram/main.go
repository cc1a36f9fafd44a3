// Command histogram is a worked example: a byte kernel (a histogram,
// clib/histogram.c) that a C developer ships two ways. As a shared
// library, loaded at run time with dlopen, so that this Go package needs
// no cgo of its own: the program builds the library from its C source
// first (with the C compiler in $CC, or cc). And as a wasm module of the
// zerocall module ABI (clib/histogram.wasm, built from the same C file by
// the go:generate line below, with zerocall module, and embedded here),
// sandboxed on wazero and on
// Wasmtime. The program measures the kernel on every path against the
// same kernel in Go; main_test.go tests every path with the test kit.
//
//	go run ./histogram [-n 65536] [-count 5] [-time 20ms] [-out dir]
package main

import (
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/wasmtime"
	"github.com/zerocall/zerocall/zcbench"
	"github.com/zerocall/zerocall/zctest"
)

// Histogram describes the kernel in the shared library.
var Histogram = &kernel.Kernel{
	Name: "histogram",
	Buffers: []kernel.Buffer{
		{Name: "data", Type: kernel.Uint8, Role: kernel.In},
		{Name: "counts", Type: kernel.Int64, Role: kernel.InOut},
	},
	Check: func(a *kernel.Args) error {
		if a.Len[1] != 256 {
			return zerocall.ErrLength
		}
		return nil
	},
}

// histogramGo is the Go version: counts[v] += the bytes of data equal to
// v.
func histogramGo(data []byte, counts []int64) int {
	counts = counts[:256]
	for _, b := range data {
		counts[b]++
	}
	return len(data)
}

// maxBytes bounds -n: the measurement holds several copies of the data at
// once, some 33 bytes a byte in all, about 550 MB at 16 MiB, and four
// times that at four times the bytes.
const maxBytes = 1 << 24

func main() {
	n := flag.Int("n", 65536, fmt.Sprintf("bytes for the table, from 1 to %d", maxBytes))
	count := flag.Int("count", 5, "timed runs per size and path; the median is reported")
	d := flag.Duration("time", 20*time.Millisecond, "duration of each timed run")
	out := flag.String("out", "", "directory for the sweep as JSON, which zcbench plot draws (none when empty)")
	flag.Parse()
	if err := checkFlags(flag.Args(), *n, *count, *d); err != nil {
		// As the flag package reports a flag it cannot parse.
		fmt.Fprintln(flag.CommandLine.Output(), err)
		flag.Usage()
		os.Exit(2)
	}
	dir, err := os.MkdirTemp("", "histogram")
	if err == nil {
		defer os.RemoveAll(dir)
		o := zcbench.Options{N: *n, Sizes: []int{16, 256, 4096, 65536, 1 << 20}, Count: *count, Time: *d, Progress: os.Stderr, Out: *out}
		err = report(os.Stdout, dir, o)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "histogram:", err)
		os.Exit(1)
	}
}

// checkFlags checks what main was given besides the flags' syntax: no
// arguments after the flags, which would stop the flags' parsing there,
// some bytes for the table that memory holds, and runs to time.
func checkFlags(args []string, n, count int, d time.Duration) error {
	switch {
	case len(args) > 0:
		return fmt.Errorf("unexpected argument %q: histogram takes only flags", args[0])
	case n < 1 || n > maxBytes:
		return fmt.Errorf("invalid value %d for flag -n: the bytes must be from 1 to %d", n, maxBytes)
	case count < 1:
		return fmt.Errorf("invalid value %d for flag -count: it must be at least 1", count)
	case d <= 0:
		return fmt.Errorf("invalid value %v for flag -time: it must be positive", d)
	}
	return nil
}

// load builds the shared library into dir and returns its kernel.
func load(dir string) (*native.Func, error) {
	lib, err := build(dir)
	if err != nil {
		return nil, err
	}
	l, err := native.Load(lib)
	if err != nil {
		return nil, err
	}
	return l.Func(Histogram, "histogram")
}

// build compiles clib/histogram.c into dir/libhistogram.so, as the C side of
// a project would ship it, and returns the library's path.
func build(dir string) (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) { // not built from its sources, or with -trimpath
		return "", errors.New("cannot find the example's C sources: run it from its source tree, without -trimpath")
	}
	src := filepath.Dir(file)
	cc := os.Getenv("CC")
	if cc == "" {
		cc = "cc"
	}
	lib := filepath.Join(dir, "libhistogram.so")
	args := []string{"-std=c11", "-O3", "-Wall", "-Wextra", "-Werror", "-fPIC", "-shared",
		"-I" + filepath.Join(src, "..", "..", "native"), "-I" + filepath.Join(src, "..", "..", "wasm", "module"),
		"-o", lib, filepath.Join(src, "clib", "histogram.c")}
	if msg, err := exec.Command(cc, args...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("%s %s: %v\n%s", cc, strings.Join(args, " "), err, msg)
	}
	return lib, nil
}

//go:generate zerocall module -simd -kernels histogram -o clib/histogram.wasm clib/histogram.c
//go:embed clib/histogram.wasm
var module []byte

// modules loads the wasm module on wazero and on Wasmtime and returns
// its kernel on each, and a function that releases them.
func modules() ([]zctest.Func, func(), error) {
	wz, err := wasm.Load(module, zerocall.Config{})
	if err != nil {
		return nil, nil, err
	}
	wzf, err := wz.Func(Histogram, "histogram")
	if err != nil {
		wz.Close()
		return nil, nil, err
	}
	wt, err := wasm.Load(module, zerocall.Config{Engine: wasmtime.Engine})
	if err != nil {
		wz.Close()
		return nil, nil, err
	}
	wtf, err := wt.Func(Histogram, "histogram")
	if err != nil {
		wz.Close()
		wt.Close()
		return nil, nil, err
	}
	return []zctest.Func{wzf, wtf}, func() { wz.Close(); wt.Close() }, nil
}

// ref is the kernel's Go version in the kits' terms.
func ref(_ *kernel.Args, b []kernel.Slice) kernel.Return {
	return kernel.Return{N: int64(histogramGo(kernel.Elems[uint8](b[0]), kernel.Elems[int64](b[1])))}
}

// report builds the shared library into dir, measures the kernel on every
// path, as o says (its sizes, runs and where the sweep goes), and prints the table and
// the sweep.
func report(w io.Writer, dir string, o zcbench.Options) error {
	f, err := load(dir)
	if err != nil {
		return err
	}
	wasmFuncs, release, err := modules()
	if err != nil {
		return err
	}
	defer release()
	s := zctest.Spec{Func: f, Also: wasmFuncs, Ref: ref}
	o.Name, o.Unit, o.SizeUnit, o.Inputs = "Histogram", "byte", "bytes", inputs
	return zcbench.Report(w, s, o)
}

// inputs returns n bytes of text-like data and zeroed counts: the data a
// histogram sees, in place of the benchmark kit's own.
func inputs(n int) []kernel.Slice {
	data := make([]byte, n)
	for i := range data {
		data[i] = byte("the quick brown fox jumps over the lazy dog "[(i*31+i/7)%44])
	}
	return []kernel.Slice{kernel.SliceOf(data), kernel.SliceOf(make([]int64, 256))}
}
