package kerneltest

import (
	"errors"
	"slices"
	"testing"

	"github.com/zerocall/zerocall"
)

// CapGaps checks ZEROCALL_VARIANT against a host's tables of a kernel's
// code with empty slots: Auto takes the best variant at most the cap,
// and none (ErrUnsupported) if the table has none at most the cap, never
// one above it. have is the host's variants on this CPU; build builds a
// Func from a table with code in the given slots alone, the others
// empty, and returns the variant it chose.
func CapGaps(t *testing.T, have []zerocall.Variant, build func(slots []zerocall.Variant) (zerocall.Variant, error)) {
	t.Helper()
	if !slices.Contains(have, zerocall.AVX512) {
		t.Skip("the cases need a CPU with AVX-512")
	}
	for _, c := range []struct {
		cap   string
		slots []zerocall.Variant
		want  zerocall.Variant // Auto for none
	}{
		{"avx2", []zerocall.Variant{zerocall.Scalar, zerocall.AVX512}, zerocall.Scalar},
		{"scalar", []zerocall.Variant{zerocall.AVX2, zerocall.AVX512}, zerocall.Auto},
		{"avx512", []zerocall.Variant{zerocall.Scalar, zerocall.AVX2}, zerocall.AVX2},
		{"", []zerocall.Variant{zerocall.Scalar}, zerocall.Scalar},
	} {
		t.Setenv("ZEROCALL_VARIANT", c.cap)
		v, err := build(c.slots)
		switch {
		case c.want == zerocall.Auto && !errors.Is(err, zerocall.ErrUnsupported):
			t.Errorf("cap %q, slots %v: %v, %v; want ErrUnsupported", c.cap, c.slots, v, err)
		case c.want != zerocall.Auto && (err != nil || v != c.want):
			t.Errorf("cap %q, slots %v: %v, %v; want %v", c.cap, c.slots, v, err, c.want)
		}
	}
}
