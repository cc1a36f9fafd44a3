package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/plan"
)

// TestMain lets the test binary be the program zerocall wisdom runs
// (programEnv set): a program with one plan, of the built-in sum over a
// plain Go loop and a path that runs it twenty times.
func TestMain(m *testing.M) {
	if os.Getenv(programEnv) == "1" {
		if code, err := strconv.Atoi(os.Getenv(exitEnv)); err == nil {
			os.Exit(code) // a program that fails
		}
		os.Exit(program())
	}
	os.Exit(m.Run())
}

const (
	programEnv = "ZEROCALL_WISDOM_TEST_PROGRAM"
	exitEnv    = "ZEROCALL_WISDOM_TEST_EXIT" // the status the program exits with, if set
)

// program calls its plan once, which reads its wisdom from the folder
// ZEROCALL_WISDOM names or calibrates and writes it there.
func program() int {
	sum := func(a *kernel.Args, bufs []kernel.Slice) kernel.Return {
		s := 0.0
		for _, v := range kernel.Elems[float64](bufs[0]) {
			s += v
		}
		return kernel.Return{F: s}
	}
	p := &plan.Plan{
		Kernel: kernel.Sum,
		Go:     sum,
		Paths: map[string]func(*kernel.Args, ...kernel.Slice) (kernel.Return, error){
			"slow": func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
				var r kernel.Return
				for range 20 {
					r = sum(a, bufs)
				}
				return r, nil
			},
		},
		Inputs: func(n int) (*kernel.Args, []kernel.Slice) {
			return new(kernel.Args), []kernel.Slice{kernel.SliceOf(make([]float64, n))}
		},
		MaxSize: 1 << 8,
		Budget:  20 * time.Millisecond,
	}
	x := []float64{1, 2, 3}
	r, err := p.Call(new(kernel.Args), kernel.SliceOf(x))
	if err != nil || r.F != 6 {
		fmt.Fprintln(os.Stderr, "plan:", r, err)
		return 1
	}
	fmt.Println("program ran")
	return 0
}

// TestWisdom runs zerocall wisdom on the test binary as the program: it
// writes the plan's wisdom, says what it chose, keeps it on a second run
// and measures again with -fresh.
func TestWisdom(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	t.Setenv(programEnv, "1")
	t.Setenv("ZEROCALL_WISDOM", "")
	dir := filepath.Join(t.TempDir(), "wisdom[1]") // a name, not a pattern
	wisdom := func(args ...string) (string, int) {
		var out, errb bytes.Buffer
		code := run(append([]string{"wisdom", "-dir", dir}, args...), &out, &errb)
		return out.String() + errb.String(), code
	}
	// The program is this binary, through the runner that runs it when
	// the tests run under one (qemu for arm64).
	program := append(strings.Fields(os.Getenv("ZEROCALL_TEST_EXEC")), exe)

	out, code := wisdom(program...)
	if code != 0 || !strings.Contains(out, "program ran") {
		t.Fatalf("wisdom: exit %d:\n%s", code, out)
	}
	entries, _ := os.ReadDir(dir)
	var files []string
	for _, e := range entries {
		files = append(files, filepath.Join(dir, e.Name()))
	}
	if len(files) != 1 {
		t.Fatalf("%d wisdom files, want 1: %v", len(files), files)
	}
	if want := "sum (go, slow): go from n = 0; measured n = 1 to "; !strings.Contains(out, want) {
		t.Errorf("summary %q does not say %q", out, want)
	}
	first, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}

	// A second run uses the wisdom: the file is not written again.
	if out, code := wisdom(program...); code != 0 {
		t.Fatalf("second run: exit %d:\n%s", code, out)
	}
	if again, _ := os.ReadFile(files[0]); !bytes.Equal(again, first) {
		t.Error("a run with valid wisdom wrote it again")
	}
	// With no command, the folder's wisdom is printed only.
	if out, code := wisdom(); code != 0 || !strings.Contains(out, "go from n = 0") || strings.Contains(out, "program ran") {
		t.Errorf("wisdom with no command: exit %d:\n%s", code, out)
	}
	// -fresh removes it first, so that the plan measures again, and leaves
	// other files alone.
	other := filepath.Join(dir, "notes.json")
	if err := os.WriteFile(other, []byte(`{"mine": 1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, code := wisdom(append([]string{"-fresh"}, program...)...); code != 0 {
		t.Fatalf("-fresh: exit %d:\n%s", code, out)
	}
	if again, _ := os.ReadFile(files[0]); bytes.Equal(again, first) {
		t.Error("-fresh did not measure again")
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("-fresh removed a file that is not wisdom: %v", err)
	}
	// -fresh with a command that cannot start removes nothing.
	if out, code := wisdom("-fresh", "zerocall-test-no-such-command"); code != 1 || !strings.Contains(out, "executable file not found") {
		t.Errorf("-fresh with no such command: exit %d:\n%s", code, out)
	}
	if _, err := os.Stat(files[0]); err != nil {
		t.Errorf("-fresh with no such command removed the wisdom: %v", err)
	}
	// A program that fails: wisdom exits with its status.
	t.Setenv(exitEnv, "3")
	if out, code := wisdom(program...); code != 3 || !strings.Contains(out, "exit status 3") {
		t.Errorf("a program that exits 3: exit %d:\n%s", code, out)
	}
	t.Setenv(exitEnv, "")

	var help, helpErr bytes.Buffer
	if code := run([]string{"wisdom", "-h"}, &help, &helpErr); code != 0 || !strings.Contains(helpErr.String(), "-fresh") {
		t.Errorf("wisdom -h: exit %d, %q", code, helpErr.String())
	}
	for _, args := range [][]string{{"wisdom"}, {"wisdom", "-dir", dir, "-fresh"}, {"wisdom", "-bogus"}} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
	var out2, errb bytes.Buffer
	if code := run([]string{"wisdom", "-dir", t.TempDir()}, &out2, &errb); code != 1 || !strings.Contains(errb.String(), "no wisdom") {
		t.Errorf("an empty folder: exit %d, %q", code, errb.String())
	}
}

// TestWisdomFiles lists what only plan's wisdom files hold: a file with
// no kernel in its key is left out, and so is one larger than wisdom is
// (not read whole); a size with no time names no path; a terminal's
// escape or a newline in a name is printed escaped.
func TestWisdomFiles(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"escapes.json": `{"zerocall_wisdom": 1, "key": {"kernel": "sum\u001b[2J", "cpu": "x\ny", "paths": ["go"]}, "chose": "go\r"}`,
		"keyless.json": `{"zerocall_wisdom": 1}`,
		"short.json":   `{"zerocall_wisdom": 1, "key": {"kernel": "sum", "paths": ["go"]}, "paths": [{"name": "go", "sizes": [1, 2], "ns": [5]}]}`,
		"large.json":   strings.Repeat(" ", 1<<20) + `{"zerocall_wisdom": 1, "key": {"kernel": "sum", "paths": ["go"]}}`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ws, err := readWisdom(dir)
	if err != nil || len(ws) != 2 || ws[0].name != "escapes.json" || ws[1].name != "short.json" {
		t.Fatalf("readWisdom: %v, %v; want escapes.json and short.json", ws, err)
	}
	if got, want := ws[0].summary(), `sum\x1b[2J (go): go\r; nothing measured, on x\ny`; !strings.HasPrefix(got, want) {
		t.Errorf("summary %q, want it to start %q", got, want)
	}
	if got, want := ws[1].summary(), "sum (go): go from n = 1; measured n = 1 to 2"; !strings.HasPrefix(got, want) {
		t.Errorf("summary %q, want it to start %q", got, want)
	}
}
