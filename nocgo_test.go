//go:build !cgo

package zerocall_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/asm"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/kernel"
)

// Without cgo the root package's tests run on wazero where they would run
// on a native instance, and the cgo rows of the benchmarks are left out.

const cgoEnabled = false

func skipNoCgo(t testing.TB, name string) {
	if strings.HasPrefix(name, "cgo") {
		t.Skip("built without cgo")
	}
}

var errNoCgo = errors.New("built without cgo")

// cVariant is the variant of the built-ins' Go assembly: without cgo,
// no C runs.
func cVariant() string {
	if vs := asm.Variants(); len(vs) > 0 {
		return vs[0].String() + " (Go assembly; no cgo)"
	}
	return "none (no cgo)"
}

func nativeHandle(*kernel.Kernel, zerocall.Memory, ...int) (*kernel.Handle, error) {
	return nil, errNoCgo
}

func newPinned(capacity, taps int) func() (*zerocall.Instance, error) {
	return func() (*zerocall.Instance, error) { return nil, errNoCgo }
}

func newCOwned(capacity, taps int) func() (*zerocall.Instance, error) {
	return newPinned(capacity, taps)
}

func nativeFuzzTargets(func(name string, k measure.Kernels, err error, capacity int)) {}

func benchCallCgo(*testing.B) {}

func benchSumOwned(*testing.B) {}

func userNative(*testing.B) func(*testing.B, *testkernel.Case) {
	return func(*testing.B, *testkernel.Case) {}
}

func parallelNative() []parallelImpl { return nil }

func batchNative(*testing.B) []testkernel.BatchRow { return nil }

func clampNative() func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) { return nil }
