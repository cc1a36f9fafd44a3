//go:build cgo

package native_test

import (
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testkernel"
	"github.com/zerocall/zerocall/internal/testkernel/ckernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/zctest"
)

// TestBatch runs batches of every built-in kernel in every variant, and
// of a user's kernel, over pinned and C-owned memory, through the test
// kit's batch checks.
func TestBatch(t *testing.T) {
	user, err := native.NewFunc(testkernel.Saxpy, ckernel.Pointer())
	if err != nil {
		t.Fatal(err)
	}
	t.Run("user", func(t *testing.T) { zctest.RunBatch(t, testkernel.Spec(user)) })
	for _, v := range variants(t) {
		for _, k := range kernel.Builtins {
			t.Run(v.String()+"/"+k.Name, func(t *testing.T) {
				f, err := native.Builtin(k, v)
				if err != nil {
					t.Fatal(err)
				}
				s := testkernel.BuiltinSpecs[k]
				s.Func = f
				zctest.RunBatch(t, s)
			})
		}
	}
}

// TestBatchErrors checks that a call the kernel refuses fails alone.
func TestBatchErrors(t *testing.T) {
	f, err := native.NewFunc(testkernel.Unchecked, ckernel.Pointer())
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.Batch(zerocall.COwned, 8, 128, 128, 128)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	testkernel.RunBatchErrors(t, b)
}
