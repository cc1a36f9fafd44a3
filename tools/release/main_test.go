package main

import (
	"strings"
	"testing"
)

// TestWithVersion sets the version of the zerocall requirements of a
// go.mod and leaves the rest, replace directives included, as it was.
func TestWithVersion(t *testing.T) {
	in := `module github.com/zerocall/zerocall/zcbench/cmd/zcbench

go 1.26.0

replace github.com/zerocall/zerocall => ..

require (
	github.com/zerocall/zerocall v0.0.0-00010101000000-000000000000
	github.com/zerocall/zerocall/wasmtime v0.0.0-00010101000000-000000000000
	gonum.org/v1/plot v0.17.0
)
`
	out, err := withVersion("go.mod", []byte(in), "v1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"github.com/zerocall/zerocall v1.2.3\n",
		"github.com/zerocall/zerocall/wasmtime v1.2.3\n",
		"gonum.org/v1/plot v0.17.0\n",
		"replace github.com/zerocall/zerocall => ..\n",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
	if err := run([]string{"set", "-version", "1.2"}); err == nil {
		t.Error("set -version 1.2: no error for a version without its v")
	}
}

// TestTracked lists this module's own files from the checkout, and none
// of a module nested in it.
func TestTracked(t *testing.T) {
	files, err := tracked("../..", "tools/release")
	if err != nil {
		t.Skip(err) // not a git checkout
	}
	has := map[string]bool{}
	for _, f := range files {
		has[f] = true
	}
	if !has["main.go"] || !has["go.mod"] {
		t.Errorf("tracked files of tools/release: %v", files)
	}
}
