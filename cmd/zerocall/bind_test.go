package main

import (
	"bytes"
	"errors"
	"fmt"
	"go/token"
	"io/fs"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
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
	CountOf: 0x2,
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
			"func newMixTyped(zcv zerocall.Variant) (*mixTyped, error)",
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
		// heap and are kept alive over the call, and the kernel's return
		// comes back after the frame, from a C function with no result.
		wants := []string{"zcr := MixVariant(zcb.v, *(*unsafe.Pointer)(unsafe.Pointer(&zcx)))", "zcf.buf[3] = unsafe.Pointer(unsafe.SliceData(w))"}
		if host == "cgo" {
			wants = []string{"\tC.zcbind_mix(zcb.fn, *(**C.char)(unsafe.Pointer(&zcx)))", "zcr := zcf.ret", "ret    int64", "static inline void zcbind_mix(",
				"zcf.buf[3] = uintptr(unsafe.Pointer(unsafe.SliceData(w)))",
				"buf    [8]uintptr", "zcb.toHeap(x, y, z, w)", "zcb.sink = unsafe.Pointer(unsafe.SliceData(w))", "runtime.KeepAlive(unsafe.SliceData(w))"}
		}
		for _, want := range append(wants, "zcres := zcf.result", "zcf.args.I[0] = n", "!zck.NoAlias") {
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
	for _, want := range []string{`zcdesc "example.com/kernel"`, `zcasm "example.com/asm"`, "zck := zcdesc.Mix", "zcasm.MixVariants()"} {
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
		strings.Contains(s, "zcp1 != zcp0") || !strings.Contains(s, "zck.NoAlias") || strings.Contains(s, "!zck.NoAlias") {
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
	// Again: bind writes over its own file, but a second file of the same
	// type in the package would declare it twice.
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Errorf("bind again: exit %d: %s", code, stderr.String())
	}
	stderr.Reset()
	twice := slices.Clone(args)
	twice[2] = filepath.Join(filepath.Dir(out), "again_bind.go")
	if code := run(twice, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "declares SaxpyC, a name the generated file declares") {
		t.Errorf("bind to a second file: exit %d, %q", code, stderr.String())
	}

	// Names that would make Go that does not parse, vet or compile are
	// errors in the command line, and nothing is written.
	const asmkernel = "github.com/zerocall/zerocall/internal/testing/testkernel/asmkernel"
	bad := filepath.Join(t.TempDir(), "bad_bind.go")
	if err := os.WriteFile(filepath.Join(filepath.Dir(bad), "taken.go"), []byte("package p\n\ntype Taken int\n\nfunc NewOther() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string // in stderr
	}{
		{[]string{"-c", "s", "-type", "my type", "Saxpy"}, "-type"},
		{[]string{"-c", "s", "-type", "func", "Saxpy"}, "-type"},
		{[]string{"-c", "s", "-type", "_", "Saxpy"}, "-type"},
		{[]string{"-c", "s", "-type", "int", "Saxpy"}, "-type: int is one of Go's predeclared names"},
		{[]string{"-c", "s", "-type", "error", "Saxpy"}, "-type: error is one of Go's predeclared names"},
		{[]string{"-c", "s", "-type", "zcf", "Saxpy"}, "-type: zcf is a name of the generated file's"},
		{[]string{"-c", "s", "-type", "kernel", "Saxpy"}, "-type: kernel is a name of the generated file's"},
		{[]string{"-c", "conv-3", "Saxpy"}, "-c"},
		{[]string{"-c", "s", "-pkg", "a b", "Saxpy"}, "-pkg"},
		{[]string{"-c", "s", "-pkg", "_", "Saxpy"}, "-pkg"},
		{[]string{"-asm", "x y", "Saxpy"}, "-asm"},
		{[]string{"-asm", asmkernel + ".", "Saxpy"}, "-asm"},
		{[]string{"-asm", ".Saxpy", "Saxpy"}, "-asm"},
		{[]string{"-asm", asmkernel + ".zcTestSaxpy", "Saxpy"}, "-asm"},
		{[]string{"-desc", "../../examples/histogram", "-c", "s", "Histogram"}, "-desc: ../../examples/histogram is package main"},
		{[]string{"-asm", asmkernel + ".ZcTestSaxpy", "-variants=false", "Saxpy"}, "-variants is for -c"},
		{[]string{"-c", "s", "-type", "Taken", "Saxpy"}, "taken.go declares Taken, a name the generated file declares"},
		{[]string{"-c", "s", "-type", "Other", "Saxpy"}, "taken.go declares NewOther, a name the generated file declares"},
		{[]string{"-c", "s", "-pkg", "q", "Saxpy"}, "holds package p, not q"},
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

// cgoPackage returns the go command and a new directory in this package's
// for a package a test builds with cgo (removed after the test), or
// skips the test in -short or with no go command.
func cgoPackage(t *testing.T, prefix string) (goCmd, dir string) {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil || testing.Short() {
		t.Skip("builds a package with cgo: not in -short, and only with a go command")
	}
	dir, err = os.MkdirTemp(".", prefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return goCmd, dir
}

// vetAndTest runs go vet and go test, with cgo, on the package in dir.
func vetAndTest(t *testing.T, goCmd, dir string) {
	t.Helper()
	for _, c := range [][]string{{"vet", "./" + filepath.Base(dir)}, {"test", "-count=1", "./" + filepath.Base(dir)}} {
		cmd := exec.Command(goCmd, c...)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("go %s: %v\n%s", strings.Join(c, " "), err, out)
		}
	}
}

// TestBindBuild writes the bindings of Mix into a package of the module
// and builds them: the Go assembly's against stand-ins for what gen
// writes (vet), and the cgo ones (from the table of variants, and of the
// one function) against the C, whose test it runs.
func TestBindBuild(t *testing.T) {
	goCmd, dir := cgoPackage(t, "_bindtest")
	files := map[string]string{
		"mix.go":      mixDesc,
		"mix.c":       mixC,
		"mix_test.go": mixTest,
		"cflags.go":   "package mix\n\n// #cgo CFLAGS: -std=c11 -O2 -Wall -Wextra -Werror -I${SRCDIR}/../../../native\nimport \"C\"\n",
		"stub.go": "package mix\n\nimport \"unsafe\"\n\nfunc MixVariants() []uintptr { return nil }\n\n" +
			"func MixVariant(v int, f unsafe.Pointer) int64 { return -1 }\n",
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
	vetAndTest(t, goCmd, dir)
}

// otherOS returns a GOOS that is not this one.
func otherOS() string {
	if runtime.GOOS == "plan9" {
		return "linux"
	}
	return "plan9"
}

// diffShape is one random kernel shape of TestBindDiff.
type diffShape struct {
	k      *bindKernel
	check  string // "", "func" (a function of the package) or "lit" (a literal)
	chk    string // the name of the function the Check is or calls
	typ    string // the generated type
	single bool   // bound as one function, not a table of variants
}

// diffNames are names for buffers and scalars that a parameter cannot
// always take: keywords, predeclared names, the file's packages, the
// generated code's locals, the places' own names, and the package's.
var diffNames = []string{"x", "y", "out", "type", "func", "len", "copy", "unsafe", "kernel", "fmt", "runtime", "C",
	"reflect", "zerocall", "native", "zcf", "zcp0", "zcx", "zcb", "zcr", "buf0", "buf1", "buf2", "f0", "f1", "i0", "i1", "_", "a b", "K0", "checkK0"}

// diffShapes returns n kernel shapes, from seed.
func diffShapes(seed int64, n int) []diffShape {
	r := rand.New(rand.NewSource(seed))
	types := []string{"Float64", "Float32", "Int64", "Int32", "Uint8"}
	roles := []string{"In", "Out", "InOut"}
	var shapes []diffShape
	for s := range n {
		k := &bindKernel{Var: fmt.Sprintf("K%d", s), Name: fmt.Sprintf("k%d", s), Result: []string{"None", "Float", "Count"}[r.Intn(3)]}
		nb := 1 + r.Intn(8)
		for i := range nb {
			name := diffNames[r.Intn(len(diffNames))]
			if r.Intn(2) == 0 {
				name = fmt.Sprintf("b%d", i)
			}
			k.Buffers = append(k.Buffers, bindBuffer{Name: name, Type: types[r.Intn(len(types))], Role: roles[r.Intn(len(roles))]})
		}
		for range r.Intn(5) {
			k.Floats = append(k.Floats, diffNames[r.Intn(len(diffNames))])
		}
		for range r.Intn(5) {
			k.Ints = append(k.Ints, diffNames[r.Intn(len(diffNames))])
		}
		if k.Result == "Count" {
			k.CountOf = r.Intn(nb)
			if k.Buffers[k.CountOf].Role == "In" {
				k.Buffers[k.CountOf].Role = "Out"
			}
		}
		k.NoAlias = r.Intn(3) == 0
		shapes = append(shapes, diffShape{k: k, check: []string{"", "func", "lit"}[r.Intn(3)], chk: "check" + k.Var, typ: k.Var + "C", single: s%4 == 3})
	}
	// The first ones are named as the constructor's own names are.
	for i, n := range [][3]string{{"v", "k", "f"}, {"w", "fns", "err"}} {
		shapes[i].k.Var, shapes[i].chk, shapes[i].typ, shapes[i].check = n[0], n[1], n[2], "func"
	}
	return shapes
}

// goSrc is the description of shape s, in Go.
func (s diffShape) goSrc() string {
	k := s.k
	var b strings.Builder
	if s.check != "" {
		// It refuses some lengths and scalars, clamps a scalar, and
		// changes a length for others.
		fmt.Fprintf(&b, "func %s(a *kernel.Args) error {\n\tif a.Len[0]%%7 == 3 {\n\t\treturn zerocall.ErrLength\n\t}\n", s.chk)
		if len(k.Floats) > 0 {
			b.WriteString("\tif a.F[0] < -50 {\n\t\treturn zerocall.ErrArgument\n\t}\n")
		}
		if len(k.Ints) > 0 {
			fmt.Fprintf(&b, "\tif a.I[0] == 7 {\n\t\ta.Len[%d]++\n\t}\n\tif a.I[0] > 1000 {\n\t\ta.I[0] = 1000\n\t}\n", len(k.Buffers)-1)
		}
		b.WriteString("\treturn nil\n}\n\n")
	}
	fmt.Fprintf(&b, "var %s = &kernel.Kernel{\n\tName: %q,\n\tBuffers: []kernel.Buffer{\n", k.Var, k.Name)
	for _, bf := range k.Buffers {
		fmt.Fprintf(&b, "\t\t{Name: %q, Type: kernel.%s, Role: kernel.%s},\n", bf.Name, bf.Type, bf.Role)
	}
	b.WriteString("\t},\n")
	if len(k.Floats) > 0 {
		fmt.Fprintf(&b, "\tFloats: %#v,\n", k.Floats)
	}
	if len(k.Ints) > 0 {
		fmt.Fprintf(&b, "\tInts: %#v,\n", k.Ints)
	}
	fmt.Fprintf(&b, "\tResult: kernel.%s,\n\tCountOf: %d,\n\tNoAlias: %v,\n", k.Result, k.CountOf, k.NoAlias)
	switch s.check {
	case "func":
		fmt.Fprintf(&b, "\tCheck: %s,\n", s.chk)
	case "lit":
		fmt.Fprintf(&b, "\tCheck: func(a *kernel.Args) error { return %s(a) },\n", s.chk)
	}
	b.WriteString("}\n\n")
	return b.String()
}

// cSrc is the C of shape s (a table of variants, or one function): it reads every buffer, writes the ones it
// writes from what it read, stores a result from all of it, and returns
// its first integer scalar (any status, or a count past its buffer) or a
// value made from the first length.
func (s diffShape) cSrc() string {
	k := s.k
	var b strings.Builder
	fmt.Fprintf(&b, "ZC_BODY int64_t %s_body(zc_frame *f)\n{\n\tint64_t acc = 0;\n", k.Name)
	for i, bf := range k.Buffers {
		fmt.Fprintf(&b, "\tfor (int64_t j = 0; j < f->len[%d]; j++)\n\t\tacc += (int64_t)((const %s *)f->buf[%d])[j] * %d;\n", i, cTypes[bf.Type], i, i+1)
	}
	for i, bf := range k.Buffers {
		if bf.Role != "In" {
			fmt.Fprintf(&b, "\tfor (int64_t j = 0; j < f->len[%d]; j++) {\n\t\tacc = (acc * 31 + j) %% 1000003;\n", i)
			fmt.Fprintf(&b, "\t\t((%s *)f->buf[%d])[j] = (%s)(acc %% 100);\n\t}\n", cTypes[bf.Type], i, cTypes[bf.Type])
		}
	}
	b.WriteString("\tdouble r = (double)acc;\n")
	for j := range k.Floats {
		fmt.Fprintf(&b, "\tr += f->f[%d] * %d;\n", j, j+2)
	}
	for j := range k.Ints {
		fmt.Fprintf(&b, "\tr += (double)(f->i[%d] %% 1000) * %d;\n", j, j+3)
	}
	b.WriteString("\tf->result = r;\n")
	if len(k.Ints) > 0 {
		b.WriteString("\treturn f->i[0];\n}\n\n")
	} else {
		b.WriteString("\treturn f->len[0] % 4 - 1;\n}\n\n")
	}
	if s.single {
		fmt.Fprintf(&b, "int64_t %s(zc_frame *f) { return %s_body(f); }\n\n", k.Name, k.Name)
	} else {
		fmt.Fprintf(&b, "ZC_VARIANTS(%s, %s_body);\n\n", k.Name, k.Name)
	}
	return b.String()
}

// testSrc is the test of shape s: random calls, each made through the
// typed Call and the Func's, on copies of the same memory, which must
// give the same results, errors and memory.
func (s diffShape) testSrc() string {
	k := s.k
	var b strings.Builder
	ctor, v := "new"+upperFirst(s.typ), "zerocall.Auto"
	if token.IsExported(s.typ) {
		ctor = "New" + s.typ
	}
	if s.single {
		v = ""
	}
	fmt.Fprintf(&b, "func Test%s(t *testing.T) {\n\ttc, err := %s(%s)\n\tif err != nil {\n\t\tt.Fatal(err)\n\t}\n", upperFirst(k.Name), ctor, v)
	b.WriteString("\tr := rand.New(rand.NewSource(1))\n\tfor trial := range 300 {\n")
	b.WriteString("\t\tvar m1, m2 mem\n\t\tm1.fill(r)\n\t\tm2 = m1.clone()\n\t\tvar prev [][3]int\n")
	for i, bf := range k.Buffers {
		fmt.Fprintf(&b, "\t\ts%d := pick(r, %d, &prev)\n", i, goTypeIndex(bf.Type))
	}
	var fs, is []string
	for j := range k.Floats {
		fmt.Fprintf(&b, "\t\tf%d := []float64{0, 1.5, -100, 3}[r.Intn(4)]\n", j)
		fs = append(fs, fmt.Sprintf("f%d", j))
	}
	for j := range k.Ints {
		fmt.Fprintf(&b, "\t\ti%d := []int64{0, 1, 2, 5, 7, -1, -4, -3, 1 << 40, -(1 << 30), 3000}[r.Intn(11)]\n", j)
		is = append(is, fmt.Sprintf("i%d", j))
	}
	var a1, sl []string
	for i, bf := range k.Buffers {
		g := goTypes[bf.Type].name
		a1 = append(a1, fmt.Sprintf("slice(m1.%s, s%d)", g, i))
		sl = append(sl, fmt.Sprintf("kernel.SliceOf(slice(m2.%s, s%d))", g, i))
	}
	args := func(bufs []string) string { return strings.Join(append(append(bufs, fs...), is...), ", ") }
	switch k.Result {
	case "None":
		fmt.Fprintf(&b, "\t\terr1 := tc.Call(%s)\n\t\tvar v1 any = 0\n", args(a1))
	case "Float":
		fmt.Fprintf(&b, "\t\tv1, err1 := tc.Call(%s)\n", args(a1))
	default:
		fmt.Fprintf(&b, "\t\tv1, err1 := tc.Call(%s)\n", args(a1))
	}
	b.WriteString("\t\tvar a kernel.Args\n")
	for j := range k.Floats {
		fmt.Fprintf(&b, "\t\ta.F[%d] = f%d\n", j, j)
	}
	for j := range k.Ints {
		fmt.Fprintf(&b, "\t\ta.I[%d] = i%d\n", j, j)
	}
	fmt.Fprintf(&b, "\t\tret, err2 := tc.Func().Call(&a, %s)\n", strings.Join(sl, ", "))
	switch k.Result {
	case "None":
		b.WriteString("\t\tvar v2 any = 0\n\t\t_ = ret\n")
	case "Float":
		b.WriteString("\t\tv2 := ret.F\n")
	default:
		b.WriteString("\t\tv2 := int(ret.N)\n")
	}
	b.WriteString("\t\tif fmt.Sprint(v1, err1) != fmt.Sprint(v2, err2) || !m1.equal(m2) {\n")
	b.WriteString("\t\t\tt.Fatalf(\"trial %d, slices %v: typed call %v, %v; Func's %v, %v; same memory %v\", trial, prev, v1, err1, v2, err2, m1.equal(m2))\n\t\t}\n\t}\n}\n\n")
	return b.String()
}

func goTypeIndex(t string) int {
	return slices.Index([]string{"Float64", "Float32", "Int64", "Int32", "Uint8"}, t)
}

// diffHelpers are the memory the tests' slices share, and how they pick
// them: nil, empty, anywhere, the very same as an earlier one of their
// type, or overlapping one.
const diffHelpers = `package diff

import (
	"math/rand"
	"slices"
)

type mem struct {
	float64 []float64
	float32 []float32
	int64   []int64
	int32   []int32
	uint8   []uint8
}

func (m *mem) fill(r *rand.Rand) {
	m.float64, m.float32, m.int64, m.int32, m.uint8 = make([]float64, 24), make([]float32, 24), make([]int64, 24), make([]int32, 24), make([]uint8, 24)
	for i := range 24 {
		m.float64[i], m.float32[i], m.int64[i], m.int32[i], m.uint8[i] = float64(r.Intn(9)), float32(r.Intn(9)), int64(r.Intn(9)), int32(r.Intn(9)), uint8(r.Intn(9))
	}
}

func (m mem) clone() mem {
	return mem{slices.Clone(m.float64), slices.Clone(m.float32), slices.Clone(m.int64), slices.Clone(m.int32), slices.Clone(m.uint8)}
}

func (m mem) equal(o mem) bool {
	return slices.Equal(m.float64, o.float64) && slices.Equal(m.float32, o.float32) && slices.Equal(m.int64, o.int64) &&
		slices.Equal(m.int32, o.int32) && slices.Equal(m.uint8, o.uint8)
}

// pick returns a slice of memory of type t as {t, lo, hi}, hi -1 for nil.
func pick(r *rand.Rand, t int, prev *[][3]int) [3]int {
	var s [3]int
	var same [][3]int
	for _, p := range *prev {
		if p[0] == t && p[2] >= 0 {
			same = append(same, p)
		}
	}
	switch c := r.Intn(10); {
	case c == 0:
		s = [3]int{t, 0, -1}
	case c == 1:
		lo := r.Intn(24)
		s = [3]int{t, lo, lo}
	case c < 5 && len(same) > 0:
		s = same[r.Intn(len(same))]
	case c < 7 && len(same) > 0:
		p := same[r.Intn(len(same))]
		lo := min(24, max(0, p[1]+r.Intn(5)-2))
		s = [3]int{t, lo, min(24, lo+r.Intn(8))}
	default:
		lo := r.Intn(24)
		s = [3]int{t, lo, lo + r.Intn(24-lo+1)}
	}
	*prev = append(*prev, s)
	return s
}

func slice[T any](m []T, s [3]int) []T {
	if s[2] < 0 {
		return nil
	}
	return m[s[1]:s[2]]
}
`

// TestBindDiff binds random kernel shapes through cgo, with buffers of
// every type and role, scalars of both kinds, every result and Check,
// names that cannot be parameters, and calls each many times on random
// slices (nil, empty, overlapping, the same): the typed call must give
// what the Func's Call gives, results, errors and memory alike.
func TestBindDiff(t *testing.T) {
	goCmd, dir := cgoPackage(t, "_binddiff")
	shapes := diffShapes(1, 40)
	desc := "package diff\n\nimport (\n\t\"github.com/zerocall/zerocall\"\n\t\"github.com/zerocall/zerocall/kernel\"\n)\n\nvar _ = zerocall.ErrLength\n\n"
	cSrc := "#include \"zc_kernel.h\"\n\n"
	test := "package diff\n\nimport (\n\t\"fmt\"\n\t\"math/rand\"\n\t\"testing\"\n\n\t\"github.com/zerocall/zerocall\"\n\t\"github.com/zerocall/zerocall/kernel\"\n)\n\n"
	for _, s := range shapes {
		desc += s.goSrc()
		cSrc += s.cSrc()
		test += s.testSrc()
	}
	files := map[string]string{
		"desc.go":      desc,
		"k.c":          cSrc,
		"diff_test.go": test,
		"helpers.go":   diffHelpers,
		"cflags.go":    "package diff\n\n// #cgo CFLAGS: -std=c11 -O1 -Wall -Werror -I${SRCDIR}/../../../native\nimport \"C\"\n",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range shapes {
		var stdout, stderr bytes.Buffer
		args := []string{"bind", "-o", filepath.Join(dir, s.k.Name+"_bind.go"), "-pkg", "diff", "-desc", dir, "-c", s.k.Name,
			"-variants=" + strconv.FormatBool(!s.single), "-type", s.typ, s.k.Var}
		if code := run(args, &stdout, &stderr); code != 0 {
			t.Fatalf("%q: exit %d: %s", args, code, stderr.String())
		}
	}
	vetAndTest(t, goCmd, dir)
}

// TestBindScope checks the names bind refuses because the file it writes
// would not build beside them: an unexported description in another
// package, a description or Check named as one of the file's imports or
// locals in the same package, and a top-level name of the output's
// package that the file imports. A -c name that is a Go keyword is
// refused too.
func TestBindScope(t *testing.T) {
	k := &bindKernel{Var: "saxpy"}
	for _, c := range []struct {
		k    *bindKernel
		v    string
		dir  string
		same bool
		want string
	}{
		{k, "saxpy", ".", false, "-desc: saxpy is not exported"},
		{&bindKernel{Var: "zcf"}, "zcf", ".", true, "zcf is a name of the generated file's"},
		{&bindKernel{Var: "S", check: "zccheck"}, "S", ".", true, "zccheck is a name of the generated file's"},
		{&bindKernel{Var: "S"}, "S", filepath.Join("testdata", "bindscope"), false, "declares native, which the generated file imports"},
		{&bindKernel{Var: "S"}, "S", ".", false, ""},
	} {
		err := checkBindScope(c.k, c.v, filepath.Join(c.dir, "s_bind.go"), "bindscope", c.same)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s in %s: %v, want %q", c.v, c.dir, err, c.want)
		}
	}
	if err := checkBindNames("", "", "", "range"); err == nil || !strings.Contains(err.Error(), "range is a Go keyword") {
		t.Errorf("-c range: %v", err)
	}
	if got := upperFirst("écho"); got != "Écho" {
		t.Errorf("upperFirst(écho) = %q", got)
	}
}

// TestBindFindsFunction: bind refuses a translated function that the
// translation's package does not have, naming the one that differs in
// case (gen -export makes dscale Dscale), and warns of a C function that
// no file of the output's package names; a package with no translation
// yet, or with no C file, is not looked into.
func TestBindFindsFunction(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("bind runs go list")
	}
	const asmkernel = "github.com/zerocall/zerocall/internal/testing/testkernel/asmkernel"
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "k.c"), []byte("ZC_VARIANTS(dscale, body);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "k_bind.go")
	for _, c := range []struct {
		args      []string
		code      int
		want, not string // in stderr, and not in it
	}{
		{[]string{"-asm", asmkernel + ".ZCTestSaxpy"}, 2, "has no function ZCTestSaxpy, whose ZCTestSaxpyVariants the typed call calls (it has ZcTestSaxpyVariants: -asm ZcTestSaxpy)", ""},
		{[]string{"-asm", asmkernel + ".Nothing"}, 2, "has no function Nothing", "it has"},
		{[]string{"-asm", asmkernel + ".ZcTestSaxpy"}, 0, "", "warning"},
		{[]string{"-asm", "Later"}, 0, "", "warning"}, // no translation in dir yet
		{[]string{"-c", "dscal"}, 0, "warning: no C or Go file in " + dir + " names dscal: the typed call links only if a library defines dscal_variants", ""},
		{[]string{"-c", "dscal", "-variants=false"}, 0, "defines the function dscal", ""},
		{[]string{"-c", "dscale"}, 0, "", "warning"},
	} {
		var stdout, stderr bytes.Buffer
		args := append([]string{"bind", "-o", out, "-pkg", "p", "-desc", "../../internal/testing/testkernel"}, c.args...)
		args = append(args, "Saxpy")
		code := run(args, &stdout, &stderr)
		if code != c.code || !strings.Contains(stderr.String(), c.want) || c.not != "" && strings.Contains(stderr.String(), c.not) {
			t.Errorf("%q: exit %d, %q; want %d, saying %q and not %q", c.args, code, stderr.String(), c.code, c.want, c.not)
		}
		os.Remove(out)
	}
}
