//go:build cgo

package native_test

import (
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/ckernel"
	"github.com/zerocall/zerocall/native"
)

// TestBatchErrors checks that a call the kernel refuses fails alone.
func TestBatchErrors(t *testing.T) {
	f, err := native.NewFunc(testkernel.Unchecked, ckernel.Pointer())
	if err != nil {
		t.Fatal(err)
	}
	testkernel.RunBatchErrors(t, f, zerocall.COwned)
}
