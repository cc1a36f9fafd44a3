package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
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

// TestOwnImports passes the published modules of the checkout and refuses
// a file of the wasmtime module that imports the root's internal packages.
func TestOwnImports(t *testing.T) {
	for _, m := range published {
		files, err := tracked("../..", m.dir)
		if err != nil {
			t.Skip(err) // not a git checkout
		}
		if err := ownImports("../..", m.dir, m.path, files); err != nil {
			t.Error(err)
		}
	}
	dir := t.TempDir()
	src := "package wasmtime\n\nimport _ \"github.com/zerocall/zerocall/internal/suite\"\n"
	if err := os.WriteFile(filepath.Join(dir, "x_test.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	err := ownImports(dir, ".", "github.com/zerocall/zerocall/wasmtime", []string{"x_test.go"})
	if err == nil || !strings.HasSuffix(err.Error(), "internal to module github.com/zerocall/zerocall") {
		t.Errorf("a wasmtime file importing internal/suite: got %v", err)
	}
	if zerocallModule("github.com/zerocall/zerocall/wasmtime/x") != "github.com/zerocall/zerocall/wasmtime" || zerocallModule("example.com/internal/x") != "" {
		t.Error("zerocallModule: wrong owner")
	}
}

// TestReadme writes README.md's own-kernel example as the dry run runs
// it: a program that parses, and what it must print.
func TestReadme(t *testing.T) {
	dir := t.TempDir()
	if err := run([]string{"readme", "-root", "../..", "-o", dir}); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(dir, "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parser.ParseFile(token.NewFileSet(), "main.go", src, 0); err != nil {
		t.Errorf("README.md's example with its handle lines added does not parse: %v", err)
	}
	want, err := os.ReadFile(filepath.Join(dir, "want.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(want)), "\n"); len(lines) != 2 || lines[0] == "" || lines[1] == "" {
		t.Errorf("want.txt is %q, want two lines: the one-shot call's, then the view's", want)
	}
	if c, err := os.ReadFile(filepath.Join(dir, "saxpy.c")); err != nil || !strings.Contains(string(c), `#include "zc_kernel.h"`) {
		t.Errorf("saxpy.c: %v, %q", err, c)
	}
	if err := run([]string{"readme"}); err == nil {
		t.Error("readme with no -o: no error")
	}
}

// TestFenced reads the fenced blocks of Markdown, and after what a line
// of one says it prints.
func TestFenced(t *testing.T) {
	md := "text\n```c\nint x;\n```\nmore\n```go\nfmt.Println(x) // 3 [1]\n```\n"
	bs := fenced(md)
	if len(bs) != 2 || bs[0] != (block{"c", "int x;\n"}) || bs[1].lang != "go" {
		t.Fatalf("fenced: %q", bs)
	}
	if got, err := after(bs[1].text, "fmt.Println(", "// "); err != nil || got != "3 [1]" {
		t.Errorf("after: %q, %v", got, err)
	}
	if _, err := after(bs[0].text, "fmt.Println(", "// "); err == nil {
		t.Error("after with no such line: no error")
	}
}
