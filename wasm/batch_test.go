package wasm_test

import (
	"errors"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testkernel"
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
		lib, err := wasm.Load(embed.Bytes(m), zerocall.Config{})
		if err != nil {
			t.Fatal(err)
		}
		defer lib.Close()
		for _, k := range testkernel.Builtins {
			t.Run(m.String()+"/"+k.Name, func(t *testing.T) {
				f, err := lib.Func(k, k.Name)
				if err != nil {
					t.Fatal(err)
				}
				s := testkernel.BuiltinSpecs[k]
				s.Func = f
				zctest.Run(t, s)
			})
		}
	}
}

// TestBatchErrors checks that a call the kernel refuses fails alone, and
// that a kernel without a batch export has no batch.
func TestBatchErrors(t *testing.T) {
	lib, err := wasm.Load(testkernel.Module(), zerocall.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	f, err := lib.Func(testkernel.Unchecked, testkernel.Export)
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.Batch(zerocall.Module, 8, 128, 128, 128)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	testkernel.RunBatchErrors(t, b)

	emb, err := wasm.Load(embed.Bytes(zerocall.SIMD128), zerocall.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer emb.Close()
	noop, err := emb.Func(kernel.Sum, "noop")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := noop.Batch(zerocall.Module, 8, 16); !errors.Is(err, zerocall.ErrLoad) {
		t.Errorf("a batch of an export without noop_batch: %v, want zerocall.ErrLoad", err)
	}
}

// TestHostileBatch runs the hostile modules' batch exports on wazero.
func TestHostileBatch(t *testing.T) { testkernel.RunHostileBatch(t, load) }
