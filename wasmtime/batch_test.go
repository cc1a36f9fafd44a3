package wasmtime

import (
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm/embed"
	"github.com/zerocall/zerocall/zctest"
)

// TestBuiltinFuncs runs the built-in kernels of the SIMD module on
// Wasmtime through the test kit, handles and batches, as any user kernel
// (TestUserModule runs a user's module).
func TestBuiltinFuncs(t *testing.T) {
	lib := testkernel.Open(t, Load, embed.Bytes(zerocall.SIMD128), zerocall.Config{})
	testkernel.RunBuiltins(t, "simd", func(k *kernel.Kernel) (zctest.Func, error) { return lib.Func(k, k.Name) })
}

// TestBatchErrors checks that a call the kernel refuses fails alone.
func TestBatchErrors(t *testing.T) {
	f := testkernel.LoadFunc(t, Load, testkernel.Module(), zerocall.Config{}, testkernel.Unchecked, testkernel.Export)
	testkernel.RunBatchErrors(t, f, zerocall.Module)
}

// TestHostileBatch runs the hostile modules' batch exports on Wasmtime.
func TestHostileBatch(t *testing.T) { testkernel.RunHostileBatch(t, load) }
