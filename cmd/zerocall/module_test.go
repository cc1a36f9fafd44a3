package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm"
)

// TestModule builds testdata/scale.c into a module, twice, and runs its
// kernel and its batch on wazero: the module is the same byte for byte,
// it exports the kernel and its batch, whether the batch comes from the
// command or from the file's own ZC_MODULE_BATCH line, and it computes.
func TestModule(t *testing.T) {
	kerneltest.NeedWasmTools(t)
	dir := t.TempDir()
	build := func(name string, extra ...string) []byte {
		t.Helper()
		out := filepath.Join(dir, name)
		var stdout, stderr bytes.Buffer
		args := append([]string{"module", "-o", out, "-kernels", "scale"}, extra...)
		args = append(args, "testdata/scale.c")
		if code := run(args, &stdout, &stderr); code != 0 {
			t.Fatalf("zerocall %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
		}
		if !strings.Contains(stdout.String(), "exports scale, scale_batch") {
			t.Errorf("zerocall module printed %q", stdout.String())
		}
		bin, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return bin
	}
	a, b := build("a.wasm"), build("b.wasm")
	if !bytes.Equal(a, b) {
		t.Error("two builds of the same module differ")
	}
	own := build("own.wasm", "-cflags", "-DOWN_BATCH")
	simd := build("simd.wasm", "-simd")
	// A kernel may be C99, as it may natively.
	c99 := build("c99.wasm", "-cflags", "-std=c99")
	// The kernel of testdata/scale.c: out[i] = a·x[i], returning n.
	scale := &kernel.Kernel{
		Name: "scale",
		Buffers: []kernel.Buffer{
			{Name: "x", Type: kernel.Float32, Role: kernel.In},
			{Name: "out", Type: kernel.Float32, Role: kernel.Out},
		},
		Floats: []string{"a"}, Result: kernel.Count, CountOf: 1,
	}
	for name, bin := range map[string][]byte{"generated batch": a, "own batch": own, "simd": simd, "c99": c99} {
		lib, err := wasm.Load(bin, zerocall.Config{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f, err := lib.Func(scale, "scale")
		if err != nil {
			t.Fatal(err)
		}
		x, out := []float32{1, 2, 3}, make([]float32, 3)
		h, err := f.Handle(zerocall.Module, 8, 8)
		if err != nil {
			t.Fatal(err)
		}
		r, err := h.Call(&kernel.Args{F: [kernel.MaxScalars]float64{2}}, kernel.SliceOf(x), kernel.SliceOf(out))
		if err != nil || r.N != 3 || out[2] != 6 {
			t.Errorf("%s: scale = %v, %v, out %v", name, r, err, out)
		}
		h.Close()
		bt, err := f.Batch(zerocall.Module, 4, 8, 8)
		if err != nil {
			t.Errorf("%s: no batch: %v", name, err)
		} else {
			bt.Close()
		}
		lib.Close()
	}
}

// TestModuleRefuses gives the verb what it must refuse, each with a
// clear message and nothing written.
func TestModuleRefuses(t *testing.T) {
	kerneltest.NeedWasmTools(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "m.wasm")
	scale, err := os.ReadFile("testdata/scale.c")
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "scale.c")
	if err := os.WriteFile(src, scale, 0o644); err != nil {
		t.Fatal(err)
	}
	notes := filepath.Join(dir, "notes.txt") // no module, so not to be replaced
	if err := os.WriteFile(notes, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"module", "-kernels", "scale", "testdata/scale.c"}, 2, "-o is required"},
		{[]string{"module", "-o", out, "testdata/scale.c"}, 2, "-kernels is required"},
		{[]string{"module", "-o", out, "-kernels", "scale"}, 2, "no C file"},
		{[]string{"module", "-o", out, "-kernels", "scale;x", "testdata/scale.c"}, 2, "not a C function name"},
		{[]string{"module", "-o", out, "-kernels", "nope", "testdata/scale.c"}, 1, "-kernels names nope, which no C file given defines with external linkage"},
		{[]string{"module", "-o", out, "-kernels", "scale", "-stack", "1000", "testdata/scale.c"}, 2, "-stack 1000: a multiple of 16"},
		{[]string{"module", "-o", out, "-kernels", "scale,scale", "testdata/scale.c"}, 2, "scale is named twice"},
		{[]string{"module", "-o", notes, "-kernels", "scale", "testdata/scale.c"}, 2, "notes.txt exists and was not written by this command"},
		{[]string{"module", "-o", src, "-kernels", "scale", src}, 2, "-o: " + src + " is the C file " + src},
		{[]string{"module", "-o", out, "-kernels", "scale", "-cflags", "-DOWN_BATCH", "-batch=false", "testdata/scale.c"}, 0, ""},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(tc.args, &stdout, &stderr); code != tc.code || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("zerocall %s: exit %d, %q; want %d and %q", strings.Join(tc.args, " "), code, stderr.String(), tc.code, tc.want)
		}
		if tc.code != 0 {
			if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("zerocall %s wrote %s", strings.Join(tc.args, " "), out)
			}
		}
	}
	if b, err := os.ReadFile(src); err != nil || !bytes.Equal(b, scale) {
		t.Errorf("the C file %s was written over", src)
	}
	// A module has no C library: math.h, or a call of its functions,
	// fails, saying so and what to write where WebAssembly has the
	// instruction.
	for name, c := range map[string]struct{ src, want string }{
		"header": {"#include <math.h>\n", "math.h's fabs, sqrt, floor"},
		"calls": {"float g(float x) { return sqrtf(x) + expf(x); }\n",
			"no sqrtf, expf; write __builtin_sqrtf, which is a WebAssembly instruction (expf is not)"},
		"linked": {"float sqrtf(float); float g(float x) { return sqrtf(x); }\n",
			"no sqrtf; write __builtin_sqrtf, which is a WebAssembly instruction"},
		"memcpy": {"#include <stddef.h>\nvoid *memcpy(void *, const void *, size_t); void g(char *d, const char *s, size_t n) { memcpy(d, s, n); }\n",
			"no memcpy; write __builtin_memcpy"},
		"string.h": {"#include <string.h>\n", "string.h's memcpy, memmove and memset as __builtin_memcpy"},
		"int128": {"unsigned long long g(unsigned long long x, unsigned long long y) { return (unsigned long long)(((unsigned __int128)x * y) >> 64); }\n",
			"links no compiler runtime, whose __multi3"},
		// What is the user's own is not blamed on the C library.
		"own header": {"#include \"mine.h\"\n", "'mine.h' file not found"},
		"own helper": {"float helper(float); float g(float x) { return helper(x); }\n", "undefined symbol: helper"},
	} {
		p := filepath.Join(dir, name+".c")
		if err := os.WriteFile(p, append([]byte(c.src), scale...), 0o644); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		if code := run([]string{"module", "-o", out, "-kernels", "scale,g", p}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%s: exit %d, %q; want 1 and %q", name, code, stderr.String(), c.want)
		}
		if strings.HasPrefix(name, "own") && strings.Contains(stderr.String(), "no C library") {
			t.Errorf("%s: %q blames the C library", name, stderr.String())
		}
	}
}

// TestHeaders writes the headers and compiles testdata/scale.c natively
// with them, ZC_MODULE_BATCH line included, under the project's flags
// with gcc and clang.
func TestHeaders(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"headers", "-o", filepath.Join(dir, "include")}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, cc := range []string{"gcc", "clang-14"} {
		if _, err := exec.LookPath(cc); err != nil {
			t.Logf("%s not found", cc)
			continue
		}
		args := []string{"-std=c11", "-O3", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-DOWN_BATCH",
			"-I" + filepath.Join(dir, "include"), "-c", "-o", filepath.Join(dir, cc+".o"), "testdata/scale.c"}
		if msg, err := exec.Command(cc, args...).CombinedOutput(); err != nil {
			t.Errorf("%s %s: %v\n%s", cc, strings.Join(args, " "), err, msg)
		}
	}
	if code := run([]string{"headers"}, &stdout, &stderr); code != 2 {
		t.Errorf("headers without -o: exit %d, want 2", code)
	}
	// Headers writes over its own, of any version, but not over a file
	// of the user's of the same name, and then writes neither header.
	inc := filepath.Join(dir, "include")
	if err := os.WriteFile(filepath.Join(inc, "zc_kernel.h"), []byte("/*\n * zc_kernel.h - an older one\n */\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code := run([]string{"headers", "-o", inc}, &stdout, &stderr); code != 0 {
		t.Errorf("headers over its own: exit %d: %s", code, stderr.String())
	}
	mine := []byte("/* my own */\n")
	if err := os.WriteFile(filepath.Join(inc, "zc_module.h"), mine, 0o644); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if code := run([]string{"headers", "-o", inc}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "zc_module.h exists and is not zerocall's") {
		t.Errorf("headers over a file of the user's: exit %d, %q", code, stderr.String())
	}
	if b, _ := os.ReadFile(filepath.Join(inc, "zc_module.h")); !bytes.Equal(b, mine) {
		t.Error("headers wrote over a file of the user's")
	}
}

// TestModuleQuotedFlags builds a module whose C includes a header from a
// folder with a space in its name, given in quotes in -cflags.
func TestModuleQuotedFlags(t *testing.T) {
	kerneltest.NeedWasmTools(t)
	dir := t.TempDir()
	inc := filepath.Join(dir, "my headers")
	if err := os.Mkdir(inc, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(inc, "two.h"), []byte("#define TWO 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "twice.c")
	c := "#include \"zc_kernel.h\"\n#include \"two.h\"\n" +
		"int64_t twice(zc_frame *f) { f->result = TWO * f->f[0]; return 0; }\n"
	if err := os.WriteFile(src, []byte(c), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	args := []string{"module", "-o", filepath.Join(dir, "m.wasm"), "-kernels", "twice", "-cflags", "'-I" + inc + "'", src}
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("zerocall %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
	}
}

// TestModuleDashName builds a module from a C file whose name starts with
// a dash, given after "--": the compiler must not take it for a flag. A
// source the compiler cannot read is named in the error with every flag
// it was given.
func TestModuleDashName(t *testing.T) {
	kerneltest.NeedWasmTools(t)
	t.Chdir(t.TempDir())
	c := "#include \"zc_kernel.h\"\nint64_t twice(zc_frame *f) { f->result = 2 * f->f[0]; return 0; }\n"
	if err := os.WriteFile("-k.c", []byte(c), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	args := []string{"module", "-o", "m.wasm", "-kernels", "twice", "--", "-k.c"}
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("zerocall %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
	}
	if err := os.WriteFile("bad.c", []byte("#include \"missing.h\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	args = []string{"module", "-o", "m.wasm", "-kernels", "twice", "-cflags", "-DMARK=1", "bad.c"}
	if code := run(args, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "-DMARK=1") || !strings.Contains(stderr.String(), "missing.h") {
		t.Errorf("zerocall %s: exit %d, want 1 and an error with the flags and the missing header: %s", strings.Join(args, " "), code, stderr.String())
	}
}

// TestModuleStack builds a kernel with 128 KiB of local array into a
// module with the default stack of 64 KiB, where a call overflows the
// stack and traps (an out-of-bounds access, which breaks the handle and
// touches no region), and with -stack 256 KiB, where it computes.
func TestModuleStack(t *testing.T) {
	kerneltest.NeedWasmTools(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "rev.c")
	c := `#include "zc_kernel.h"
int64_t rev(zc_frame *f) {
    unsigned char t[128 << 10];
    const unsigned char *x = f->buf[0];
    unsigned char *out = f->buf[1];
    int64_t n = f->len[0] < (int64_t)sizeof t ? f->len[0] : (int64_t)sizeof t;
    for (int64_t i = 0; i < n; i++) t[i] = x[i];
    for (int64_t i = 0; i < n; i++) out[i] = t[n - 1 - i];
    return n;
}
`
	if err := os.WriteFile(src, []byte(c), 0o644); err != nil {
		t.Fatal(err)
	}
	k := &kernel.Kernel{Name: "rev", Buffers: []kernel.Buffer{{Name: "x", Type: kernel.Uint8, Role: kernel.In}, {Name: "out", Type: kernel.Uint8, Role: kernel.Out}},
		Result: kernel.Count, CountOf: 1}
	for _, tc := range []struct {
		stack string
		ok    bool
	}{{"65536", false}, {"262144", true}} {
		out := filepath.Join(dir, "rev"+tc.stack+".wasm")
		var stdout, stderr bytes.Buffer
		if code := run([]string{"module", "-o", out, "-kernels", "rev", "-stack", tc.stack, src}, &stdout, &stderr); code != 0 {
			t.Fatalf("-stack %s: exit %d: %s", tc.stack, code, stderr.String())
		}
		bin, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		lib, err := wasm.Load(bin, zerocall.Config{})
		if err != nil {
			t.Fatal(err)
		}
		f, err := lib.Func(k, "rev")
		if err != nil {
			t.Fatal(err)
		}
		h, err := f.Handle(zerocall.Module, 1000, 1000)
		if err != nil {
			t.Fatal(err)
		}
		x, o := kernel.Elems[uint8](h.Region(0)), kernel.Elems[uint8](h.Region(1))
		for i := range x {
			x[i] = uint8(i)
		}
		r, err := h.Call(nil, kernel.SliceOf(x), kernel.SliceOf(o))
		switch {
		case tc.ok && (err != nil || r.N != 1000 || o[0] != uint8(999%256) || o[999] != 0):
			t.Errorf("-stack %s: %v, %v, out[0] %d; want 1000 reversed", tc.stack, r, err, o[0])
		case !tc.ok && !errors.Is(err, zerocall.ErrBroken):
			t.Errorf("-stack %s: %v, %v; want ErrBroken from the overflow's trap", tc.stack, r, err)
		}
		for i := range x {
			if x[i] != uint8(i) {
				t.Errorf("-stack %s: x[%d] = %d after the call, want %d", tc.stack, i, x[i], uint8(i))
				break
			}
		}
		h.Close()
		lib.Close()
	}
}
