package wasmtime

import (
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testkernel"
	"github.com/zerocall/zerocall/wasm/embed"
	"github.com/zerocall/zerocall/zctest"
)

// TestBuiltinFuncs runs the built-in kernels of the SIMD module on
// Wasmtime through the test kit, handles and batches, as any user kernel
// (TestUserModule runs a user's module).
func TestBuiltinFuncs(t *testing.T) {
	lib, err := Load(embed.Bytes(zerocall.SIMD128), zerocall.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	for _, k := range testkernel.Builtins {
		t.Run("simd/"+k.Name, func(t *testing.T) {
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

// TestBatchErrors checks that a call the kernel refuses fails alone.
func TestBatchErrors(t *testing.T) {
	lib, err := Load(testkernel.Module(), zerocall.Config{})
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
}

// TestHostileBatch runs the hostile modules' batch exports on Wasmtime.
func TestHostileBatch(t *testing.T) { testkernel.RunHostileBatch(t, load) }
