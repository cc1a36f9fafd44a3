//go:build cgo

package native_test

import (
	"testing"

	"github.com/zerocall/zerocall/internal/testkernel"
	"github.com/zerocall/zerocall/internal/testkernel/ckernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/zctest"
)

// newBatch returns the test kit's maker of batches of f over memory mem.
func newBatch(f *native.Func, mem native.Memory) zctest.NewBatch {
	return func(items, c int) (zctest.Batch, error) {
		caps := make([]int, len(f.Kernel().Buffers))
		for i := range caps {
			caps[i] = c
		}
		return native.NewBatch(f, mem, items, caps...)
	}
}

// TestBatch runs batches of every built-in kernel in every variant, and
// of a user's kernel, over pinned and C-owned memory, through the test
// kit's batch checks.
func TestBatch(t *testing.T) {
	user, err := native.NewFunc(testkernel.Saxpy, ckernel.Pointer())
	if err != nil {
		t.Fatal(err)
	}
	for _, mem := range []native.Memory{native.Pinned, native.COwned} {
		t.Run(mem.String()+"/user", func(t *testing.T) {
			zctest.RunBatch(t, testkernel.Spec(user), newBatch(user, mem))
		})
		for _, v := range variants(t) {
			for _, k := range kernel.Builtins {
				t.Run(mem.String()+"/"+v.String()+"/"+k.Name, func(t *testing.T) {
					f, err := native.Builtin(k, v)
					if err != nil {
						t.Fatal(err)
					}
					s := testkernel.BuiltinSpecs[k]
					s.Func = f
					zctest.RunBatch(t, s, newBatch(f, mem))
				})
			}
		}
	}
}

// TestBatchErrors checks that a call the kernel refuses fails alone.
func TestBatchErrors(t *testing.T) {
	f, err := native.NewFunc(testkernel.Unchecked, ckernel.Pointer())
	if err != nil {
		t.Fatal(err)
	}
	b, err := native.NewBatch(f, native.COwned, 8, 128, 128, 128)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	testkernel.RunBatchErrors(t, b)
}
