package wasmtimetest

import (
	"testing"

	"github.com/zerocall/zerocall/internal/testing/testkernel"
)

// TestNoPanics is the root package's TestNoPanics on Wasmtime: every
// method of a Func, and of its handles and batches, open and closed, and
// of a closed library and its Func, called with zero, negative, NaN,
// infinite and out-of-range arguments, none of which panics.
func TestNoPanics(t *testing.T) { testkernel.NoPanicsWasm(t, load) }
