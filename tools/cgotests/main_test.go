package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestCgoTests checks which test binaries count as linking C: through a
// dependency, through the test variant of one, or not at all.
func TestCgoTests(t *testing.T) {
	pkgs := []pkg{
		{ImportPath: "m/c", CgoFiles: []string{"c.go"}},
		{ImportPath: "m/c [m/c.test]", CgoFiles: []string{"c.go"}},
		{ImportPath: "m/c.test", Deps: []string{"m/c [m/c.test]", "testing"}},
		{ImportPath: "m/user"},
		{ImportPath: "m/user.test", Deps: []string{"m/c", "m/user"}},
		{ImportPath: "m/pure"},
		{ImportPath: "m/pure.test", Deps: []string{"m/pure", "testing"}},
		{ImportPath: "m/nocgotests", CgoFiles: []string{"k.go"}},
	}
	got, want := cgoTests(pkgs), []string{"m/c", "m/user"}
	if !slices.Equal(got, want) {
		t.Errorf("cgoTests = %q, want %q", got, want)
	}
}

// TestListError runs the command in a module whose package does not load,
// and checks that it fails saying why, as go list said it.
func TestListError(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and runs go list")
	}
	bin := filepath.Join(t.TempDir(), "cgotests")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	mod := t.TempDir()
	for name, data := range map[string]string{
		"go.mod": "module m\n\ngo 1.26.0\n",
		"p/p.go": "package p\n\nimport _ \"example.com/missing\"\n",
	} {
		file := filepath.Join(mod, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin)
	cmd.Dir = mod
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err == nil || !strings.Contains(stderr.String(), "example.com/missing") {
		t.Errorf("a package that does not load: err = %v, want a failure naming example.com/missing; stderr:\n%s", err, stderr.String())
	}
}
