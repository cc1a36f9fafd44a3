package wasmtime

import (
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testkernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm/embed"
)

// loadFunc loads bin and returns its export as an implementation of k.
func loadFunc(t *testing.T, bin []byte, k *kernel.Kernel, export string) *Func {
	t.Helper()
	lib, err := Load(bin, zerocall.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = lib.Close() })
	f, err := lib.Func(k, export)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestSizes asks for instances and batches whose sizes overflow: each
// fails with ErrArgument, as on every host, naming the kernel, the buffer
// and the count, before the module is instantiated.
func TestSizes(t *testing.T) {
	testkernel.RunSizes(t, func(t *testing.T, k *kernel.Kernel) testkernel.Sized {
		bin, export := embed.Bytes(zerocall.SIMD128), k.Name
		if k == testkernel.Saxpy {
			bin, export = testkernel.Module(), testkernel.Export
		}
		f := loadFunc(t, bin, k, export)
		return testkernel.Sized{
			Owned: func(caps ...int) (*kernel.Handle, error) { return f.Handle(zerocall.Module, caps...) },
			Batch: func(items int, caps ...int) (*kernel.Batch, error) { return f.Batch(zerocall.Module, items, caps...) },
		}
	})
}

// TestMessages checks that the errors of an instance's calls name the
// kernel, the buffer, the types and the numbers.
func TestMessages(t *testing.T) {
	fs := map[*kernel.Kernel]*Func{}
	for _, k := range []*kernel.Kernel{testkernel.Saxpy, testkernel.Unchecked} {
		fs[k] = loadFunc(t, testkernel.Module(), k, testkernel.Export)
	}
	testkernel.RunMessages(t, testkernel.Callers{
		Owned: func(k *kernel.Kernel, c int) (*kernel.Handle, error) { return fs[k].Handle(zerocall.Module, c, c, c) },
	})
}
