//go:build cgo

package native_test

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// TestCFlags checks that cgo compiles the C sources with the one set of
// flags in CFLAGS, which the C library's Makefile and the wasm build use
// too: the same flags but for the two exceptions native.go explains.
func TestCFlags(t *testing.T) {
	b, err := os.ReadFile("CFLAGS")
	if err != nil {
		t.Fatal(err)
	}
	want := slices.DeleteFunc(strings.Fields(string(b)), func(f string) bool { return f == "-ffp-contract=off" })
	want = append(want, "-Wno-unused-parameter")
	src, err := os.ReadFile("native.go")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for line := range strings.Lines(string(src)) {
		if rest, ok := strings.CutPrefix(line, "#cgo CFLAGS:"); ok {
			got = append(got, strings.Fields(rest)...)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("#cgo CFLAGS in native.go = %q, want %q (CFLAGS, less -ffp-contract=off, plus -Wno-unused-parameter)", got, want)
	}
	for _, f := range []string{"-Werror", "-ffp-contract=off"} {
		if !slices.Contains(strings.Fields(string(b)), f) {
			t.Errorf("CFLAGS lacks %s", f)
		}
	}
	h, err := os.ReadFile("internal.h")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(h), "#pragma STDC FP_CONTRACT OFF") {
		t.Error("internal.h lacks the FP_CONTRACT pragma that stands in for -ffp-contract=off under cgo")
	}
}
