package wasmtimetest

import (
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
)

// TestNoPanics is the root package's TestNoPanics on Wasmtime: every
// method of a Func, and of its handles and batches, open and closed, and
// of a closed library's Func, called with zero, negative, NaN, infinite
// and out-of-range arguments, none of which panics.
func TestNoPanics(t *testing.T) {
	for _, limit := range []bool{false, true} {
		cfg := zerocall.Config{}
		if limit {
			cfg.TimeLimit = testkernel.AmpleLimit
		}
		lib, err := load(testkernel.Module(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		f, err := lib.Func(testkernel.Saxpy, testkernel.Export)
		if err != nil {
			t.Fatal(err)
		}
		kerneltest.NoPanics(t, "wasmtime", f, zerocall.Module)
		lib.Close()
		kerneltest.CallAll(t, "wasmtime, library closed", lib)
		kerneltest.CallAll(t, "wasmtime, library closed", f)
	}
}
