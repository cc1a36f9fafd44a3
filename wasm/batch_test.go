package wasm_test

import (
	"errors"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/wasm/embed"
	"github.com/zerocall/zerocall/zctest"
)

// TestBuiltinFuncs runs the built-in kernels of both embedded modules
// through the test kit, handles and batches, as any user kernel
// (TestUserModule runs a user's module).
func TestBuiltinFuncs(t *testing.T) {
	for _, m := range []zerocall.Variant{zerocall.Scalar, zerocall.SIMD128} {
		lib := testkernel.Open(t, wasm.Load, embed.Bytes(m), zerocall.Config{})
		testkernel.RunBuiltins(t, m.String(), func(k *kernel.Kernel) (zctest.Func, error) { return lib.Func(k, k.Name) })
	}
}

// TestBatchErrors checks that a call the kernel refuses fails alone, and
// that a kernel without a batch export has no batch.
func TestBatchErrors(t *testing.T) {
	f := testkernel.LoadFunc(t, wasm.Load, testkernel.Module(), zerocall.Config{}, testkernel.Unchecked, testkernel.Export)
	testkernel.RunBatchErrors(t, f, zerocall.Module)

	noop := testkernel.LoadFunc(t, wasm.Load, embed.Bytes(zerocall.SIMD128), zerocall.Config{}, kernel.Sum, "noop")
	if _, err := noop.Batch(zerocall.Module, 8, 16); !errors.Is(err, zerocall.ErrLoad) {
		t.Errorf("a batch of an export without noop_batch: %v, want zerocall.ErrLoad", err)
	}
}

// TestHostileBatch runs the hostile modules' batch exports on wazero.
func TestHostileBatch(t *testing.T) { testkernel.RunHostileBatch(t, load) }
