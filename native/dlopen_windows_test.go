//go:build cgo

package native_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
)

// TestLoadDependency loads a DLL that depends on another in its own
// folder ($ZEROCALL_TEST_DEPDLL, which the Windows stage builds), by its
// path relative to the current folder and written with forward slashes:
// Load has its folder searched for the other as for a path written with
// backslashes, which alone found it before.
func TestLoadDependency(t *testing.T) {
	path := os.Getenv("ZEROCALL_TEST_DEPDLL")
	if path == "" {
		t.Skip("no DLL with a dependency: the Windows stage builds one")
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(wd, filepath.FromSlash(path))
	if err != nil {
		t.Skip(err) // another drive
	}
	fill := &kernel.Kernel{
		Name:    "dep-fill",
		Buffers: []kernel.Buffer{{Name: "out", Type: kernel.Float64, Role: kernel.Out}},
		Result:  kernel.Count,
	}
	for _, p := range []string{filepath.ToSlash(rel), rel, filepath.ToSlash(path)} {
		lib, err := native.Load(p)
		if err != nil {
			t.Errorf("Load(%q): %v", p, err)
			continue
		}
		f, err := lib.Func(fill, "zc_test_dep_fill")
		if err != nil {
			t.Fatal(err)
		}
		out := make([]float64, 3)
		if r, err := f.Call(nil, kernel.SliceOf(out)); err != nil || r.N != 3 || !slices.Equal(out, []float64{2, 2, 2}) {
			t.Errorf("Load(%q): the kernel returned %v, %v, out %v", p, r, err, out)
		}
	}
}
