// Package testkernel is a kernel of the kind a user brings (saxpy.c: a
// float32 scale-and-add), with its description, its pure-Go reference
// and the means to build it into a shared library, for the tests and
// benchmarks of the native paths.
package testkernel

/*
#cgo CFLAGS: -std=c11 -O3 -Wall -Wextra -Wpedantic -Werror -Wno-unused-parameter -I${SRCDIR}/../../native
#include "zc_kernel.h"
int64_t zc_test_saxpy(zc_frame *f);
*/
import "C"

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"unsafe"

	"github.com/zerocall/zerocall/internal/errs"
	"github.com/zerocall/zerocall/kernel"
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
	Check: func(a kernel.Args) error {
		if a.Len[1] != a.Len[0] || a.Len[2] < a.Len[0] {
			return errs.Length
		}
		return nil
	},
}

// Pointer returns the address of the C function, as a user's cgo package
// would hand it over: unsafe.Pointer(C.zc_test_saxpy).
func Pointer() unsafe.Pointer { return unsafe.Pointer(C.zc_test_saxpy) }

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
// path. It needs the C compiler cgo uses.
func BuildShared(dir string) (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("testkernel: cannot find the package's sources")
	}
	src := filepath.Dir(file)
	nativeDir := filepath.Join(src, "..", "..", "native")
	flags, err := os.ReadFile(filepath.Join(nativeDir, "CFLAGS"))
	if err != nil {
		return "", err
	}
	cc := os.Getenv("CC")
	if cc == "" {
		cc = "cc"
	}
	out := filepath.Join(dir, "libtestsaxpy.so")
	args := append(strings.Fields(string(flags)), "-fPIC", "-shared", "-I"+nativeDir,
		"-o", out, filepath.Join(src, "saxpy.c"))
	if msg, err := exec.Command(cc, args...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("testkernel: %s %s: %v\n%s", cc, strings.Join(args, " "), err, msg)
	}
	return out, nil
}
