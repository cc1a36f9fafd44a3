//go:build cgo

package native

import (
	"testing"

	"github.com/zerocall/zerocall"
)

// TestVariantNames checks that zerocall.Variant names each variant as the
// C library does (its values are checked when the package compiles).
func TestVariantNames(t *testing.T) {
	for v := zerocall.Auto; v <= zerocall.NEON+1; v++ {
		if got, want := v.String(), cName(v); got != want {
			t.Errorf("Variant(%d).String() = %q, C says %q", int(v), got, want)
		}
	}
}
