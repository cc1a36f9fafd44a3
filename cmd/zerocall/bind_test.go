package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// writePkg writes src as the one file of a package in a new folder.
func writePkg(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "k.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBindRead checks what bind reads of descriptions, and what it
// refuses, with the reason.
func TestBindRead(t *testing.T) {
	const head = "package p\n\nimport zk \"github.com/zerocall/zerocall/kernel\"\n\n"
	k, err := readKernel(writePkg(t, head+`var Mix = &zk.Kernel{
	Name: "mix",
	Buffers: []zk.Buffer{
		{Name: "x", Type: zk.Float64, Role: zk.In},
		{"type", zk.Int32, zk.InOut},
		{Name: "zcb", Type: zk.Uint8, Role: zk.Out},
	},
	Floats: []string{"a", "x"},
	Ints:   []string{"n", "len", "p"},
	Result: zk.Count,
	CountOf: 2,
	NoAlias: true,
	Check: func(a *zk.Args) error { return nil },
}
`), "Mix")
	if err != nil {
		t.Fatal(err)
	}
	k.nameArgs(k.pkg)
	got := []string{k.Name, k.Result, k.pkg}
	for _, b := range k.Buffers {
		got = append(got, b.Name, b.Arg, b.Type, b.Role)
	}
	got = append(got, k.floatArgs...)
	got = append(got, k.intArgs...)
	// A name that cannot be a parameter (a keyword, a predeclared name, a
	// package the file refers to, the generated code's prefix, one taken)
	// gets one made from its place.
	want := "mix Count p x x Float64 In type buf1 Int32 InOut zcb buf2 Uint8 Out a f1 n i1 i2"
	if strings.Join(got, " ") != want || k.CountOf != 2 || !k.NoAlias {
		t.Errorf("read %q, CountOf %d, NoAlias %v; want %q, 2, true", strings.Join(got, " "), k.CountOf, k.NoAlias, want)
	}

	// A name made from a place may be another's own: it is made unique.
	k2 := &bindKernel{Buffers: []bindBuffer{{Name: "buf1"}, {Name: "type"}, {Name: "f0"}}, Floats: []string{"len", "i0"}, Ints: []string{"x", "copy"}}
	k2.nameArgs()
	names := []string{k2.Buffers[0].Arg, k2.Buffers[1].Arg, k2.Buffers[2].Arg}
	names = append(append(names, k2.floatArgs...), k2.intArgs...)
	if got, want := strings.Join(names, " "), "buf1 buf1_ f0 f0_ i0 x i1"; got != want {
		t.Errorf("buffers buf1, type, f0; floats len, i0; ints x, copy: parameters %q, want %q", got, want)
	}

	if k.check != "" {
		t.Errorf("a literal Check read as function %q", k.check)
	}
	// A Check that names a function of the package is called by name; one
	// that names a variable is not.
	for _, c := range []struct{ decl, want string }{
		{"func chk(a *zk.Args) error { return nil }\n", "chk"},
		{"var chk = func(a *zk.Args) error { return nil }\n", ""},
	} {
		src := head + c.decl + "var K = &zk.Kernel{Name: \"k\", Buffers: []zk.Buffer{{Name: \"x\", Type: zk.Float32, Role: zk.In}}, Check: chk}\n"
		k, err := readKernel(writePkg(t, src), "K")
		if err != nil {
			t.Errorf("%s: %v", c.decl, err)
		} else if k.check != c.want {
			t.Errorf("%s: check %q, want %q", c.decl, k.check, c.want)
		}
	}

	for _, c := range []struct{ src, v, err string }{
		{head + "var K = newKernel()\nfunc newKernel() *zk.Kernel { return nil }\n", "K", "must be a &kernel.Kernel{...} literal"},
		{head + "var K = zk.Kernel{Name: \"k\", Buffers: []zk.Buffer{{Name: \"x\", Type: zk.Float32, Role: zk.In}}}\n", "K", "must be a &kernel.Kernel{...} literal (a pointer"},
		{head + "var K = &zk.Kernel{Name: name}\nconst name = \"k\"\n", "K", "Name: must be a string literal"},
		{head + "var K = &zk.Kernel{Name: \"k\", Buffers: []zk.Buffer{{Name: \"x\", Type: t, Role: zk.In}}}\nvar t = zk.Float32\n", "K", "Type: must be one of"},
		{head + "var K = &zk.Kernel{Name: \"k\"}\n", "K", "not a valid description"},
		{head + "var K = &zk.Kernel{Name: \"k\", Buffers: []zk.Buffer{{Name: \"x\", Type: zk.Float32, Role: zk.In}}, Result: zk.Count, CountOf: 1}\n", "K", "not a valid description"},
		{head + "var K = &zk.Kernel{Name: \"k\", Extra: 1}\n", "K", "unknown field Extra"},
		{head + "var K = &zk.Kernel{Name: \"k\", NoAlias: yes}\nconst yes = true\n", "K", "NoAlias must be true or false"},
		{head + "var K = &zk.Kernel{Name: \"k\"}\n", "L", "no variable L"},
		{"package p\n\nvar K = 1\n", "K", "does not import package kernel"},
		{head + "var K = &zk.Kernel{zk.Name: \"k\"}\n", "K", "the description's field keys must be names"},
		{head + "var K = &zk.Kernel{Name: \"k\", Buffers: []zk.Buffer{{zk.Name: \"x\", Type: zk.Float32, Role: zk.In}}}\n", "K", "buffer 0: field keys must be names"},
	} {
		if _, err := readKernel(writePkg(t, c.src), c.v); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: err = %v, want one that says %q", c.src[len(head)-1:], err, c.err)
		}
	}

	// Files the go command leaves out of the package here (a generator's,
	// another system's) are left out: their K is not the package's.
	dir := writePkg(t, head+"var K = &zk.Kernel{Name: \"k\", Buffers: []zk.Buffer{{Name: \"x\", Type: zk.Float32, Role: zk.In}}}\n")
	other := "package main\n\nimport zk \"github.com/zerocall/zerocall/kernel\"\n\nvar K = &zk.Kernel{Name: \"other\", Buffers: []zk.Buffer{{Name: \"y\", Type: zk.Int32, Role: zk.In}}}\n"
	for name, src := range map[string]string{"gen.go": "//go:build ignore\n\n" + other, "a_" + otherOS() + ".go": other} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if k, err := readKernel(dir, "K"); err != nil || k.Name != "k" {
		t.Errorf("a folder with a generator and another system's file: read %v, %v; want kernel k", k, err)
	}

	// -desc names a folder, not a pattern; a missing one is reported as
	// missing.
	dir = filepath.Join(t.TempDir(), "br[1]")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	src := head + "var K = &zk.Kernel{Name: \"k\", Buffers: []zk.Buffer{{Name: \"x\", Type: zk.Float32, Role: zk.In}}}\n"
	if err := os.WriteFile(filepath.Join(dir, "k.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readKernel(dir, "K"); err != nil {
		t.Errorf("-desc %s: err = %v", dir, err)
	}
	missing := filepath.Join(t.TempDir(), "nope")
	if _, err := readKernel(missing, "K"); err == nil || !strings.Contains(err.Error(), "-desc") || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("-desc %s: err = %v, want one that says it does not exist", missing, err)
	}
}

// TestBindGenerate checks the checks a binding writes out: a pair of
// written buffers may not share a byte, and only a buffer of the same
// type that the kernel only reads may be the very same slice.
func TestBindGenerate(t *testing.T) {
	k := &bindKernel{Var: "Mix", Name: "mix", Result: "Float", Floats: []string{"a"}, Ints: []string{"n"},
		Buffers: []bindBuffer{
			{Name: "x", Arg: "x", Type: "Float64", Role: "In"},
			{Name: "y", Arg: "y", Type: "Float64", Role: "InOut"},
			{Name: "z", Arg: "z", Type: "Float32", Role: "Out"},
			{Name: "w", Arg: "w", Type: "Float32", Role: "In"},
		}}
	for _, host := range []string{"asm", "cgo"} {
		b := binding{bindKernel: k, Type: "mixTyped", Package: "p", Command: "zerocall bind"}
		if host == "asm" {
			b.asm = "Mix"
		} else {
			b.cSym = "mix"
		}
		src, err := b.generate()
		if err != nil {
			t.Fatal(err)
		}
		s := string(src)
		for _, want := range []string{
			"func newMixTyped(v zerocall.Variant) (*mixTyped, error)",
			"func (zcb *mixTyped) Call(x []float64, y []float64, z []float32, w []float32, a float64, n int64) (float64, error)",
			// y and x: an update in place is allowed.
			"(len(y) > 0 && len(x) > 0 && zcp1 < zcp0+uintptr(len(x))*8 && zcp0 < zcp1+uintptr(len(y))*8 && (zcp1 != zcp0 || len(y) != len(x)))",
			// y and z, both written: never.
			"(len(y) > 0 && len(z) > 0 && zcp1 < zcp2+uintptr(len(z))*4 && zcp2 < zcp1+uintptr(len(y))*8)",
			// z and x, of other types: never.
			"(len(z) > 0 && len(x) > 0 && zcp2 < zcp0+uintptr(len(x))*8 && zcp0 < zcp2+uintptr(len(z))*4)",
			"(len(z) > 0 && len(w) > 0 && zcp2 < zcp3+uintptr(len(w))*4 && zcp3 < zcp2+uintptr(len(z))*4 && (zcp2 != zcp3 || len(z) != len(w)))",
			"k.Result == kernel.Float",
		} {
			if !strings.Contains(s, want) {
				t.Errorf("%s: no %q in:\n%s", host, want, s)
			}
		}
		if strings.Contains(s, "(len(z) > 0 && len(y) > 0") {
			t.Errorf("%s: the pair y, z is checked twice", host)
		}
		// Both hosts build the frame in Go and read the float result
		// from it; cgo passes its address alone.
		// Through cgo, the frame holds integers, the buffers move to the
		// heap and are kept alive over the call.
		wants := []string{"zcr := zcb.fn(*(*unsafe.Pointer)(unsafe.Pointer(&zcx)))", "zcf.buf[3] = unsafe.Pointer(unsafe.SliceData(w))"}
		if host == "cgo" {
			wants = []string{"zcr := int64(C.zcbind_mix(zcb.fn, *(**C.char)(unsafe.Pointer(&zcx))))", "zcf.buf[3] = uintptr(unsafe.Pointer(unsafe.SliceData(w)))",
				"buf    [8]uintptr", "zcb.toHeap(x, y, z, w)", "zcb.sink = unsafe.Pointer(unsafe.SliceData(w))", "runtime.KeepAlive(unsafe.SliceData(w))"}
		}
		for _, want := range append(wants, "zcres := zcf.result", "zcf.args.I[0] = n", "!k.NoAlias") {
			if !strings.Contains(s, want) {
				t.Errorf("%s: no %q in:\n%s", host, want, s)
			}
		}
	}

	// Packages of the user's named as the file's own imports are
	// imported under names of their own.
	kk := *k
	kk.pkg, kk.qual = "kernel", "kernel."
	src, err := (&binding{bindKernel: &kk, Type: "mixTyped", Package: "p", Command: "zerocall bind",
		descPath: "example.com/kernel", asm: "Mix", asmPath: "example.com/asm", asmQual: "asm."}).generate()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`zcdesc "example.com/kernel"`, `zcasm "example.com/asm"`, "k := zcdesc.Mix", "zcasm.MixVariants()"} {
		if !strings.Contains(string(src), want) {
			t.Errorf("descriptions in a package kernel, translations in a package asm: no %q in:\n%s", want, src)
		}
	}

	// A kernel that cannot update in place: no slice may be an input's,
	// and the description must still say so.
	na := *k
	na.NoAlias = true
	src, err = (&binding{bindKernel: &na, Type: "mixTyped", Package: "p", Command: "zerocall bind", asm: "Mix"}).generate()
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	if !strings.Contains(s, "(len(y) > 0 && len(x) > 0 && zcp1 < zcp0+uintptr(len(x))*8 && zcp0 < zcp1+uintptr(len(y))*8)") ||
		strings.Contains(s, "zcp1 != zcp0") || !strings.Contains(s, "k.NoAlias") || strings.Contains(s, "!k.NoAlias") {
		t.Errorf("NoAlias: the pair y, x is allowed to be one slice, or the description is not checked:\n%s", s)
	}
}

// TestBindVerb runs the verb on the test kernel's description.
func TestBindVerb(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("bind runs go list")
	}
	out := filepath.Join(t.TempDir(), "saxpy_bind.go")
	var stdout, stderr bytes.Buffer
	args := []string{"bind", "-o", out, "-pkg", "p", "-desc", "../../internal/testing/testkernel", "-c", "zc_test_saxpy", "Saxpy"}
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"package p", `"github.com/zerocall/zerocall/internal/testing/testkernel"`, "type SaxpyC struct", "testkernel.CheckSaxpy(", "reflect.ValueOf(testkernel.CheckSaxpy).Pointer()"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("no %q in:\n%s", want, b)
		}
	}
	if code := run([]string{"bind", "Saxpy"}, &stdout, &stderr); code == 0 {
		t.Error("bind with neither -asm nor -c succeeded")
	}

	// Names that would make Go that does not parse, vet or compile are
	// errors in the command line, and nothing is written.
	const asmkernel = "github.com/zerocall/zerocall/internal/testing/testkernel/asmkernel"
	bad := filepath.Join(t.TempDir(), "bad_bind.go")
	for _, c := range []struct {
		args []string
		want string // in stderr
	}{
		{[]string{"-c", "s", "-type", "my type", "Saxpy"}, "-type"},
		{[]string{"-c", "s", "-type", "func", "Saxpy"}, "-type"},
		{[]string{"-c", "s", "-type", "_", "Saxpy"}, "-type"},
		{[]string{"-c", "s", "-type", "int", "Saxpy"}, "-type: int is one of Go's predeclared names"},
		{[]string{"-c", "s", "-type", "error", "Saxpy"}, "-type: error is one of Go's predeclared names"},
		{[]string{"-c", "conv-3", "Saxpy"}, "-c"},
		{[]string{"-c", "s", "-pkg", "a b", "Saxpy"}, "-pkg"},
		{[]string{"-c", "s", "-pkg", "_", "Saxpy"}, "-pkg"},
		{[]string{"-asm", "x y", "Saxpy"}, "-asm"},
		{[]string{"-asm", asmkernel + ".", "Saxpy"}, "-asm"},
		{[]string{"-asm", ".Saxpy", "Saxpy"}, "-asm"},
		{[]string{"-asm", asmkernel + ".zcTestSaxpy", "Saxpy"}, "-asm"},
	} {
		var stdout, stderr bytes.Buffer
		args := append([]string{"bind", "-o", bad, "-pkg", "p", "-desc", "../../internal/testing/testkernel"}, c.args...)
		if code := run(args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%q: exit %d, %q; want 2 and %q", c.args, code, stderr.String(), c.want)
		}
		if _, err := os.Stat(bad); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%q wrote %s", c.args, bad)
			os.Remove(bad)
		}
	}
}

// TestBindOutput checks which files bind may write over: its own, and
// neither the description's file nor another written by hand.
func TestBindOutput(t *testing.T) {
	src := "package p\n\nimport \"github.com/zerocall/zerocall/kernel\"\n\n" +
		"var K = &kernel.Kernel{Name: \"k\", Buffers: []kernel.Buffer{{Name: \"x\", Type: kernel.Float32, Role: kernel.In}}}\n"
	dir := writePkg(t, src)
	mine := "package p\n\n// Written by hand.\n"
	if err := os.WriteFile(filepath.Join(dir, "mine.go"), []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		out  string
		code int
		want string // in stderr
	}{
		{"mine.go", 2, "-o: " + filepath.Join(dir, "mine.go") + " exists and was not written by this command"},
		{"k.go", 2, "-o: " + filepath.Join(dir, "k.go") + " is the file that declares K"},
		{"k_bind.go", 0, ""},
		{"k_bind.go", 0, ""}, // again, over its own
	} {
		var stdout, stderr bytes.Buffer
		args := []string{"bind", "-o", filepath.Join(dir, c.out), "-pkg", "p", "-desc", dir, "-asm", "K", "K"}
		if code := run(args, &stdout, &stderr); code != c.code || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("-o %s: exit %d, %q; want %d and %q", c.out, code, stderr.String(), c.code, c.want)
		}
	}
	for name, want := range map[string]string{"k.go": src, "mine.go": mine} {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(b) != want {
			t.Errorf("%s was written over", name)
		}
	}
}

// mixDesc is a kernel with a buffer of every role, two element types,
// both kinds of scalar, a float result and no Check: the shapes the test
// kernels do not have. Its buffers and scalars are named as the
// generated code's own names were, and as its variable: Call names them
// so, or after their places.
const mixDesc = `package mix

import (
	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/kernel"
)

// checkMix refuses a negative n, which it clamps first: a refused call
// must stay refused however the Check left the scalars.
func checkMix(a *kernel.Args) error {
	if a.I[0] < 0 {
		a.I[0] = 0
		return zerocall.ErrArgument
	}
	return nil
}

var Mix = &kernel.Kernel{
	Name: "mix",
	Buffers: []kernel.Buffer{
		{Name: "c", Type: kernel.Float64, Role: kernel.In},
		{Name: "check", Type: kernel.Float64, Role: kernel.InOut},
		{Name: "err", Type: kernel.Float32, Role: kernel.Out},
		{Name: "_", Type: kernel.Float32, Role: kernel.In},
	},
	Floats: []string{"a"},
	Ints:   []string{"Mix"},
	Result: kernel.Float,
	Check:  checkMix,
}
`

// mixC is its C: y += a·x, z = 2w, and the sum of y plus n as the result;
// -1 (ZC_ERR_ARG) when a buffer is shorter than x.
const mixC = `#include "zc_kernel.h"

ZC_BODY int64_t mix_body(zc_frame *f)
{
    const double *x = f->buf[0];
    double *y = f->buf[1];
    float *z = f->buf[2];
    const float *w = f->buf[3];
    int64_t n = f->len[0];
    if (f->len[1] < n || f->len[2] < n || f->len[3] < n)
        return -1;
    double s = 0;
    for (int64_t i = 0; i < n; i++) {
        y[i] += f->f[0] * x[i];
        z[i] = 2 * w[i];
        s += y[i];
    }
    f->result = s + (double)f->i[0];
    return 0;
}

ZC_VARIANTS(mix, mix_body);
`

// mixTest calls the cgo binding of Mix.
const mixTest = `package mix

import (
	"errors"
	"testing"

	"github.com/zerocall/zerocall"
)

func TestMix(t *testing.T) {
	c, err := newMixC(zerocall.Auto)
	if err != nil {
		t.Fatal(err)
	}
	one, err := newMixOne()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []interface {
		Call(x, y []float64, z, w []float32, a float64, n int64) (float64, error)
	}{c, one} {
		mix(t, m.Call)
	}
}

func mix(t *testing.T, call func(x, y []float64, z, w []float32, a float64, n int64) (float64, error)) {
	m := struct {
		Call func(x, y []float64, z, w []float32, a float64, n int64) (float64, error)
	}{call}
	x, y, z, w := []float64{1, 2, 3}, []float64{1, 1, 1}, make([]float32, 3), []float32{1, 2, 3}
	r, err := m.Call(x, y, z, w, 2, 10)
	if err != nil || r != 25 || y[2] != 7 || z[2] != 6 {
		t.Errorf("Call = %v, %v; y = %v, z = %v", r, err, y, z)
	}
	if r, err := m.Call(y, y, z, w, 1, 0); err != nil || r != 30 {
		t.Errorf("y updated in place over x: %v, %v", r, err)
	}
	if _, err := m.Call(x, y, z, z[1:], 1, 0); !errors.Is(err, zerocall.ErrOverlap) {
		t.Errorf("z over w: err = %v, want ErrOverlap", err)
	}
	if _, err := m.Call(x, y, z[:2], w, 1, 0); !errors.Is(err, zerocall.ErrArgument) {
		t.Errorf("the kernel's -1: err = %v, want ErrArgument", err)
	}
	if _, err := m.Call(x, y, z, w, 1, -5); !errors.Is(err, zerocall.ErrArgument) {
		t.Errorf("n = -5, which the Check clamps and refuses: err = %v, want ErrArgument", err)
	}
	if a := testing.AllocsPerRun(100, func() { _, _ = m.Call(x, y, z, w, 1, 0) }); a != 0 {
		t.Errorf("%v allocations per call", a)
	}
}
`

// TestBindBuild writes the bindings of Mix into a package of the module
// and builds them: the Go assembly's against stand-ins for what gen
// writes (vet), and the cgo ones (from the table of variants, and of the
// one function) against the C, whose test it runs.
func TestBindBuild(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil || testing.Short() {
		t.Skip("builds a package with cgo: not in -short, and only with a go command")
	}
	dir, err := os.MkdirTemp(".", "_bindtest")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	files := map[string]string{
		"mix.go":      mixDesc,
		"mix.c":       mixC,
		"mix_test.go": mixTest,
		"cflags.go":   "package mix\n\n// #cgo CFLAGS: -std=c11 -O2 -Wall -Wextra -Werror -I${SRCDIR}/../../../native\nimport \"C\"\n",
		"stub.go": "package mix\n\nimport \"unsafe\"\n\nfunc MixVariants() []uintptr { return nil }\n\n" +
			"func MixFuncs() []func(unsafe.Pointer) int64 { return nil }\n",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	for _, args := range [][]string{
		{"bind", "-o", filepath.Join(dir, "mix_asm.go"), "-desc", dir, "-asm", "Mix", "-type", "mixAsm", "Mix"},
		{"bind", "-o", filepath.Join(dir, "mix_c.go"), "-desc", dir, "-c", "mix", "-type", "mixC", "Mix"},
		{"bind", "-o", filepath.Join(dir, "mix_one.go"), "-desc", dir, "-c", "mix", "-variants=false", "-type", "mixOne", "Mix"},
	} {
		if code := run(args, &stdout, &stderr); code != 0 {
			t.Fatalf("%q: exit %d: %s", args, code, stderr.String())
		}
	}
	for _, c := range [][]string{{"vet", "./" + filepath.Base(dir)}, {"test", "-count=1", "./" + filepath.Base(dir)}} {
		cmd := exec.Command(goCmd, c...)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("go %s: %v\n%s", strings.Join(c, " "), err, out)
		}
	}
}

// otherOS returns a GOOS that is not this one.
func otherOS() string {
	if runtime.GOOS == "plan9" {
		return "linux"
	}
	return "plan9"
}
