package main

import (
	"bytes"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zerocall/zerocall/internal/testing/kerneltest"
)

// TestGen runs the verb on the generator's test file and checks the
// files it writes and what it prints.
func TestGen(t *testing.T) {
	kerneltest.NeedAsmTools(t)
	out := filepath.Join(t.TempDir(), "k")
	var stdout, stderr bytes.Buffer
	args := []string{"gen", "-export", "-camel", "-code", "-pkg", "k", "-o", out, "-funcs", "^(weigh|affine)$", "internal/asmgen/testdata/consts.c"}
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{"amd64: weigh -> Weigh", "arm64: affine -> Affine"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("no %q in:\n%s", want, stdout.String())
		}
	}
	for name, want := range map[string]string{
		"k_amd64.s":  "TEXT ·Weigh(SB)",
		"k_amd64.go": "func WeighCode() uintptr",
		"k_arm64.s":  "TEXT ·AffineCode(SB)",
		"k_arm64.go": "func Affine(out *float32, x *float32, n uintptr, a float32, b float32)",
		"k_other.go": "//go:build !amd64 && !arm64",
	} {
		b, err := os.ReadFile(filepath.Join(filepath.Dir(out), name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), want) {
			t.Errorf("%s has no %q", name, want)
		}
	}
	if code := run([]string{"gen"}, &stdout, &stderr); code != 2 {
		t.Errorf("gen with no file: exit %d, want 2", code)
	}
}

// TestGenRefuses checks what the verb refuses, and that it says what:
// C names whose Go names collide under -camel and -export, a name that
// becomes empty under -camel, and a function that loads the
// floating-point control state without -allow-fpstate.
func TestGenRefuses(t *testing.T) {
	kerneltest.NeedAsmTools(t)
	dir := t.TempDir()
	write := func(name, src string) string { return writeSrc(t, filepath.Join(dir, name), src) }
	camel := write("camel.c", "double a_b(double x) { return x; }\ndouble aB(double x) { return x; }\n")
	blank := write("blank.c", "double _(double x) { return x; }\n")
	ftz := "internal/asmgen/testdata/ftz.c"
	for _, c := range []struct {
		args []string
		want string // in stderr; "" for success
	}{
		{[]string{"-camel", camel}, "aB and a_b both become aB in Go"},
		{[]string{"-camel", "-export", camel}, "aB and a_b both become AB in Go"},
		{[]string{"-camel", "-export", blank}, `_: its Go name "" is not an identifier`},
		{[]string{"-arch", "amd64", ftz}, "ftz: loads the floating-point control state at"},
		{[]string{"-arch", "arm64", ftz}, "(msr FPCR, x8)"},
		{[]string{"-allow-fpstate", ftz}, ""},
	} {
		var stdout, stderr bytes.Buffer
		args := append([]string{"gen", "-pkg", "k", "-o", filepath.Join(dir, "k")}, c.args...)
		code := run(args, &stdout, &stderr)
		if c.want == "" {
			if code != 0 {
				t.Errorf("%q: exit %d: %s", c.args, code, stderr.String())
			}
			continue
		}
		if code != 1 || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit 1 and %q", c.args, code, stderr.String(), c.want)
		}
	}

	// Errors in the command line, found before anything is written: a
	// package name that is no identifier, a bad list of architectures, a
	// prefix that makes files the go tool ignores, an output that is an
	// input. DIR is the case's own folder.
	base := t.TempDir()
	one := write("one.c", "double one(double x) { return x; }\n")
	for _, c := range []struct {
		dir  string
		args []string
		want string // in stderr
	}{
		{"my dir", []string{"-o", "DIR/k", one}, "-pkg: the output's folder"},
		{"1abc", []string{"-o", "DIR/k", one}, "-pkg: the output's folder"},
		{"a.b", []string{"-o", "DIR/k", one}, "-pkg: the output's folder"},
		{"x[1]", []string{"-o", "DIR/k", one}, "-pkg: the output's folder"},
		{"type", []string{"-o", "DIR/k", one}, "-pkg: the output's folder"},
		{"pkg", []string{"-pkg", "foo bar", "-o", "DIR/k", one}, `-pkg: "foo bar" is not`},
		{"pkg", []string{"-pkg", "_", "-o", "DIR/k", one}, `-pkg: "_" is not`},
		{"arch", []string{"-pkg", "k", "-arch", "amd64,riscv64", "-o", "DIR/k", one}, `-arch: "riscv64" is not`},
		{"arch", []string{"-pkg", "k", "-arch", "amd64,,arm64", "-o", "DIR/k", one}, `-arch: "" is not`},
		{"arch", []string{"-pkg", "k", "-arch", "amd64,amd64", "-code", "-o", "DIR/k", one}, "-arch: amd64 is named twice"},
		{"out", []string{"-pkg", "k", "-o", "DIR/", one}, "-o: " + filepath.Join(base, "out") + "/ is a folder"},
		{"out", []string{"-pkg", "k", "-o", "DIR", one}, "-o: " + filepath.Join(base, "out") + " is a folder"},
		{"out", []string{"-pkg", "k", "-o", "DIR/_k", one}, `-o: the files' names would start with "_"`},
		{"out", []string{"-pkg", "k", "-o", "DIR/.k", one}, `-o: the files' names would start with "."`},
		{"out", []string{"-pkg", "k", "DIR/_k.c"}, `-o: the files' names would start with "_"`},
		// clang reads any file as C after -x c.
		{"in", []string{"-pkg", "k", "-arch", "amd64", "-cflags", "-O2 -x c", "-o", "DIR/k", "DIR/k_amd64.go"}, "-o: " + filepath.Join(base, "in", "k_amd64.go") + " is the C file"},
		// A file of the output's name that gen did not write.
		{"mine", []string{"-pkg", "k", "-arch", "amd64", "-o", "DIR/k", one}, "-o: " + filepath.Join(base, "mine", "k_amd64.go") + " exists and was not written by this command"},
		// A folder of another package (other.go, below).
		{"other", []string{"-pkg", "k", "-o", "DIR/m", one}, "-pkg: " + filepath.Join(base, "other") + " holds package other, not k"},
	} {
		dir := filepath.Join(base, c.dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		// C files for the cases that name them.
		for _, name := range []string{"_k.c", "k_amd64.go"} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte("double k(double x) { return x; }\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if c.dir == "other" {
			if err := os.WriteFile(filepath.Join(dir, "other.go"), []byte("package other\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		before := tree(t, base)
		args := []string{"gen"}
		for _, a := range c.args {
			args = append(args, strings.ReplaceAll(a, "DIR", dir))
		}
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%s: %q: exit %d, stderr %q; want exit 2 and %q", c.dir, c.args, code, stderr.String(), c.want)
		}
		for path, data := range tree(t, base) {
			if old, ok := before[path]; !ok || old != data {
				t.Errorf("%s: %q wrote %s", c.dir, c.args, path)
			}
		}
	}

	// The default prefix is the C file's name, beside any folder of that
	// name.
	def := t.TempDir()
	k := writeSrc(t, filepath.Join(def, "k.c"), "double k(double x) { return x; }\n")
	if err := os.Mkdir(filepath.Join(def, "k"), 0o755); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"gen", "-pkg", "k", "-arch", "amd64", k}, &stdout, &stderr); code != 0 {
		t.Errorf("gen %s beside a folder k: exit %d: %s", k, code, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(def, "k_amd64.s")); err != nil {
		t.Error(err)
	}
	// and gen writes over what it wrote.
	if code := run([]string{"gen", "-pkg", "k", "-arch", "amd64", k}, &stdout, &stderr); code != 0 {
		t.Errorf("gen %s again: exit %d: %s", k, code, stderr.String())
	}

	run([]string{"gen", "-h"}, &stdout, &stderr)
	if !strings.Contains(stderr.String(), "-allow-fpstate") {
		t.Errorf("the usage does not name -allow-fpstate:\n%s", stderr.String())
	}
}

// writeSrc writes src into the file at path, failing t if it cannot, and
// returns path.
func writeSrc(t *testing.T, path, src string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// tree returns the contents of the files under dir, by path.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		files[path] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestGenAllOrNothing checks that a translation that fails for one
// architecture writes no file of any: the files of an earlier run stay
// as they were, each architecture declaring the same functions.
func TestGenAllOrNothing(t *testing.T) {
	kerneltest.NeedAsmTools(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "k.c")
	// pause has no arm64 translation: an x86 builtin.
	writeSrc(t, src, "double k(double x) { return x; }\n")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"gen", "-pkg", "k", "-code", src}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	before := tree(t, dir)
	writeSrc(t, src, "double k(double x) { return x; }\nvoid spin(void) { __builtin_ia32_pause(); }\n")
	stdout.Reset()
	if code := run([]string{"gen", "-pkg", "k", "-code", src}, &stdout, &stderr); code != 1 {
		t.Fatalf("a C file arm64 cannot compile: exit %d, want 1: %s", code, stderr.String())
	}
	if stdout.Len() != 0 {
		t.Errorf("a failed gen says it translated:\n%s", stdout.String())
	}
	after := tree(t, dir)
	for path, data := range before {
		if path != src && after[path] != data {
			t.Errorf("a failed gen changed %s", path)
		}
	}
}

// TestGenNames checks the Go names and headers of C names and flags out
// of the ASCII letters: -export upper-cases a first letter that is not
// ASCII whole, and a newline in -cflags stays in the header's comment.
func TestGenNames(t *testing.T) {
	kerneltest.NeedAsmTools(t)
	dir := t.TempDir()
	src := writeSrc(t, filepath.Join(dir, "k.c"), "double \u03c9(double x) { return x; }\ndouble a_\u03c9x(double x) { return x; }\n")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"gen", "-pkg", "k", "-arch", "amd64", "-export", "-camel", "-cflags", "-O2\n-std=c11", src}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "k_amd64.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"func \u03a9(", "func A\u03a9x(", `-cflags $'-O2\n-std=c11'`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("k_amd64.go has no %q:\n%s", want, b)
		}
	}
	if _, err := parser.ParseFile(token.NewFileSet(), "k_amd64.go", b, parser.PackageClauseOnly); err != nil {
		t.Error(err)
	}
	for _, c := range []struct{ src, want string }{
		{dir, "is a folder: gen takes C files"},
		{filepath.Join(dir, "a\nb.c"), "has a control character"},
	} {
		if code := run([]string{"gen", "-pkg", "k", c.src}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("gen %q: exit %d, stderr %q; want exit 2 and %q", c.src, code, stderr.String(), c.want)
		}
	}
}

func TestCamelCase(t *testing.T) {
	for c, want := range map[string]string{"avx2_matmul_block": "avx2MatmulBlock", "sum": "sum", "zc__x": "zcX", "a_\u03c9x": "a\u03a9x"} {
		if got := camelCase(c); got != want {
			t.Errorf("camelCase(%q) = %q, want %q", c, got, want)
		}
	}
}

func TestShellJoin(t *testing.T) {
	got := shellJoin([]string{"-o", "a/b", "-funcs", "^(x|y)$", "-cflags", "-O3 -I../n", "it's", "a\n'b\\\x01"})
	want := `-o a/b -funcs '^(x|y)$' -cflags '-O3 -I../n' 'it'\''s' $'a\n\'b\\\u0001'`
	if got != want {
		t.Errorf("shellJoin = %s, want %s", got, want)
	}
}

func TestSplitFlags(t *testing.T) {
	for s, want := range map[string][]string{
		"":                       nil,
		"  -O3   -Wall ":         {"-O3", "-Wall"},
		`-O3 '-Imy dir' "-Ia b"`: {"-O3", "-Imy dir", "-Ia b"},
		`'' "x'y" 'a"b'`:         {"", "x'y", `a"b`},
		"-DA=1\t-DB=2\n-DC":      {"-DA=1", "-DB=2", "-DC"},
		`-I'my dir'`:             {`-I'my`, `dir'`}, // as the go command splits it
	} {
		got, err := splitFlags(s)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("splitFlags(%q) = %q, %v; want %q", s, got, err, want)
		}
	}
	for _, s := range []string{`'-Imy dir`, `-O3 "x`} {
		if _, err := splitFlags(s); err == nil || !strings.Contains(err.Error(), "is not closed") {
			t.Errorf("splitFlags(%q): %v, want an unclosed quote", s, err)
		}
	}
}

// TestDirPackage checks the package gen writes into by default: that of
// the Go files already in the output's folder (a folder saxpy-asm holds
// package saxpyasm), its tests' files aside, and none in a folder with
// no Go files.
func TestDirPackage(t *testing.T) {
	if got := dirPackage(filepath.Join("testdata", "saxpy-asm")); got != "saxpyasm" {
		t.Errorf("the package in testdata/saxpy-asm: %q, want saxpyasm", got)
	}
	if got := dirPackage(filepath.Join("internal", "asmgen", "testdata")); got != "" {
		t.Errorf("the package of a folder of C files: %q, want none", got)
	}
}
