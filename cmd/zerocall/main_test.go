package main

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// TestUsage checks the exit codes of bad command lines (2) and of help
// (0), and that the usage names every verb.
func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"frobnicate"}, {"gen"}, {"gen", "-bogus"}, {"bench"}} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 2 {
			t.Errorf("run(%q) = %d, want 2 (stderr: %s)", args, code, errb.String())
		}
	}
	var out, errb bytes.Buffer
	if code := run([]string{"help"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "gen ") {
		t.Errorf("help: exit %d, usage %q", code, out.String())
	}
}

// TestLight holds the command to its promise: installing it pulls in
// nothing but the standard library, the main zerocall module's own
// packages and what they need (wazero, golang.org/x/sys): no wasmtime-go
// and no plotting library, so that a go:generate line costs a user one
// small build.
func TestLight(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	out, err := exec.Command(goCmd, "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		switch {
		case strings.HasPrefix(p, "github.com/zerocall/zerocall/wasmtime"), strings.HasPrefix(p, "github.com/zerocall/zerocall/zcbench"):
			t.Errorf("the command depends on %s, a nested module", p)
		case strings.HasPrefix(p, "github.com/zerocall/zerocall"),
			strings.HasPrefix(p, "github.com/tetratelabs/wazero"),
			strings.HasPrefix(p, "golang.org/x/sys/"):
		default:
			t.Errorf("the command depends on %s", p)
		}
	}
}
