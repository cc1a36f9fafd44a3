// Package testkernel is a kernel of the kind a user brings
// (ckernel/saxpy.c: a float32 scale-and-add), with its description, its
// pure-Go reference, the means to build it into a shared library, and the
// same C built into a wasm module of the zerocall module ABI (saxpy.wasm),
// for the tests and benchmarks of every path. It needs no cgo; package
// ckernel compiles the C into a Go program.
package testkernel

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/zerocall/zerocall/internal/errs"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/zctest"
)

// Symbol is the C name of the kernel.
const Symbol = "zc_test_saxpy"

// Saxpy describes the kernel: out[i] = a·x[i] + y[i] on float32.
var Saxpy = &kernel.Kernel{
	Name: "test-saxpy",
	Buffers: []kernel.Buffer{
		{Name: "x", Type: kernel.Float32, Role: kernel.In},
		{Name: "y", Type: kernel.Float32, Role: kernel.In},
		{Name: "out", Type: kernel.Float32, Role: kernel.Out},
	},
	Floats:  []string{"a"},
	Result:  kernel.Count,
	CountOf: 2,
	Check:   CheckSaxpy,
}

// CheckSaxpy is Saxpy's Check: y as long as x, out at least as long. It
// is a function of its own, not a literal, so that the typed calls
// zerocall bind writes call it by name (Clamp's is a literal, for the
// other form).
func CheckSaxpy(a *kernel.Args) error {
	if a.Len[1] != a.Len[0] || a.Len[2] < a.Len[0] {
		return errs.Length
	}
	return nil
}

// Go is the pure-Go reference: the same loop, rounding as C does (a
// float32 product, then a float32 sum).
func Go(a float32, x, y, out []float32) int {
	y, out = y[:len(x)], out[:len(x)]
	for i, v := range x {
		out[i] = float32(a*v) + y[i]
	}
	return len(x)
}

// BuildShared compiles saxpy.c into a shared library in dir, with the
// flags of every build of the C sources (native/CFLAGS), and returns its
// path. It needs the C compiler cgo uses. Where the tests run with no
// compiler, on another system than the one that built them (Windows
// under Wine), $ZEROCALL_TEST_SHARED names the library, built beside the
// test binary with the same flags, and BuildShared returns it.
func BuildShared(dir string) (string, error) {
	if path := os.Getenv("ZEROCALL_TEST_SHARED"); path != "" {
		return path, nil
	}
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("testkernel: cannot find the package's sources")
	}
	src := filepath.Join(filepath.Dir(file), "ckernel")
	if !filepath.IsAbs(file) { // built with -trimpath: file is the import path
		out, err := exec.Command("go", "list", "-f", "{{.Dir}}", path.Dir(file)+"/ckernel").Output()
		if err != nil {
			return "", fmt.Errorf("testkernel: built with -trimpath, and go list does not find the C sources: %v", err)
		}
		src = strings.TrimSpace(string(out))
	}
	nativeDir := filepath.Join(src, "..", "..", "..", "..", "native")
	flags, err := os.ReadFile(filepath.Join(nativeDir, "CFLAGS"))
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, "libtestsaxpy.so")
	args := append(strings.Fields(string(flags)), "-I"+nativeDir)
	if err := compileShared(out, filepath.Join(src, "saxpy.c"), args...); err != nil {
		return "", err
	}
	return out, nil
}

// SharedOf writes the C source c into dir as name.c and compiles it into
// a shared library there, libname.so, whose path it returns. The flags
// are the test's own (no -std or -ffp-contract unless given, as a user's
// build may have none), after the source: -O3, an include directory,
// libraries to link. It needs the C compiler cgo uses.
func SharedOf(dir, name, c string, flags ...string) (string, error) {
	src, lib := filepath.Join(dir, name+".c"), filepath.Join(dir, "lib"+name+".so")
	if err := os.WriteFile(src, []byte(c), 0o644); err != nil {
		return "", err
	}
	if err := compileShared(lib, src, flags...); err != nil {
		return "", err
	}
	return lib, nil
}

// compileShared compiles src into the shared library lib with $CC (cc
// unless set), then flags.
func compileShared(lib, src string, flags ...string) error {
	cc := cmp.Or(os.Getenv("CC"), "cc")
	args := append([]string{"-fPIC", "-shared", "-o", lib, src}, flags...)
	if msg, err := exec.Command(cc, args...).CombinedOutput(); err != nil {
		return fmt.Errorf("testkernel: %s %s: %v\n%s", cc, strings.Join(args, " "), err, msg)
	}
	return nil
}

// Ref is the kernel's reference in the test kit's terms.
func Ref(a *kernel.Args, bufs []kernel.Slice) kernel.Return {
	x, y, out := f32(bufs[0]), f32(bufs[1]), f32(bufs[2])
	return kernel.Return{N: int64(Go(float32(a.F[0]), x, y, out))}
}

func f32(s kernel.Slice) []float32 {
	return kernel.Elems[float32](s)
}

// Spec is the test kit's description of the kernel run by f, any host's.
func Spec(f zctest.Func) zctest.Spec {
	return zctest.Spec{
		Func:     f,
		Ref:      Ref,
		Args:     func(int) kernel.Args { return kernel.Args{F: [kernel.MaxScalars]float64{-1.5}} },
		Capacity: 2048,
	}
}
