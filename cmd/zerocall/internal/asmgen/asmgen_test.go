package asmgen

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// tools skips the test when clang 14 or llvm-objdump 14 is missing
// (make test installs them).
func tools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"clang-14", "llvm-objdump-14"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found", tool)
		}
	}
}

var flags = []string{"-std=c11", "-O3", "-Wall", "-Wextra", "-Werror", "-ffp-contract=off"}

// TestRun translates testdata/consts.c and runs it in a Go program
// against Go versions of its functions: constants (one table aligned to
// 64 bytes, past the linker's alignment of functions), and arguments and
// results of every class and size. The program of this machine's
// architecture runs here (through ZEROCALL_TEST_EXEC when the tests run
// under an emulator); the arm64 one runs under qemu-user on amd64 when it
// is installed.
func TestRun(t *testing.T) {
	tools(t)
	main, err := os.ReadFile("testdata/main.go.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, arch := range []string{"amd64", "arm64"} {
		t.Run(arch, func(t *testing.T) {
			out, err := Generate(Config{Arch: arch, CFlags: flags, Sources: []string{"testdata/consts.c"}, Package: "main", Command: "test"})
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Funcs) != 3 {
				t.Fatalf("translated %d functions, want weigh, clampsum and affine", len(out.Funcs))
			}
			for _, f := range out.Funcs {
				if f.C == "weigh" && (len(f.Consts) == 0 || f.Align != 64) {
					t.Errorf("weigh: constants %v, alignment %d; want its table, aligned to 64", f.Consts, f.Align)
				}
			}
			if arch == "amd64" && !bytes.Contains(out.Asm, []byte("PCALIGN $64")) {
				t.Errorf("no PCALIGN for the 64-byte table:\n%s", out.Asm)
			}
			dir := t.TempDir()
			files := map[string][]byte{
				"go.mod":                 []byte("module consts\n\ngo 1.26\n"),
				"main.go":                main,
				"consts_" + arch + ".s":  out.Asm,
				"consts_" + arch + ".go": out.Go,
			}
			for name, b := range files {
				if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			gocmd := filepath.Join(runtime.GOROOT(), "bin", "go")
			vet := exec.Command(gocmd, "vet", ".")
			vet.Dir, vet.Env = dir, append(os.Environ(), "GOARCH="+arch, "CGO_ENABLED=0")
			if b, err := vet.CombinedOutput(); err != nil {
				t.Fatalf("go vet of the generated code: %v\n%s", err, b)
			}
			build := exec.Command(gocmd, "build", "-o", "prog", ".")
			build.Dir, build.Env = dir, append(os.Environ(), "GOARCH="+arch, "CGO_ENABLED=0")
			if b, err := build.CombinedOutput(); err != nil {
				t.Fatalf("go build: %v\n%s", err, b)
			}
			var run *exec.Cmd
			switch runner := strings.Fields(os.Getenv("ZEROCALL_TEST_EXEC")); {
			case arch == runtime.GOARCH && len(runner) > 0:
				// These tests run under an emulator, which the program
				// needs too.
				run = exec.Command(runner[0], append(runner[1:], "./prog")...)
			case arch == runtime.GOARCH:
				run = exec.Command("./prog")
			case arch == "arm64":
				q, err := exec.LookPath("qemu-aarch64")
				if err != nil {
					t.Skip("qemu-aarch64 not found: built, not run")
				}
				run = exec.Command(q, "./prog")
			default:
				t.Skip("built, not run")
			}
			run.Dir = dir
			if b, err := run.CombinedOutput(); err != nil || strings.TrimSpace(string(b)) != "ok" {
				t.Fatalf("the translated code: %v\n%s", err, b)
			}
		})
	}
}

// TestRefuse checks that what cannot be carried over is refused, with a
// message that says why.
func TestRefuse(t *testing.T) {
	tools(t)
	for _, c := range []struct {
		name, src, want string
	}{
		{"call", "double f(double);\ndouble g(double x) { return f(x) + 1; }\n", "calls f"},
		{"memcpy", "#include <stddef.h>\nvoid cp(double *d, const double *s, size_t n) { __builtin_memcpy(d, s, n * sizeof *d); }\n", "calls memcpy"},
		{"writable", "double acc;\nvoid add(double x) { acc += x; }\n", "writable global data"},
		{"stack-args", "long seven(long a, long b, long c, long d, long e, long f, long g, long h, long i) { return a+b+c+d+e+f+g+h+i; }\n", "would go on the stack"},
		{"struct", "struct p { double x, y; };\ndouble norm(struct p v) { return v.x * v.x + v.y * v.y; }\n", "not supported"},
		{"big-stack", "double big(const double *x, int n) { volatile double t[100]; for (int i = 0; i < 100; i++) t[i] = x[i % n]; double s = 0; for (int i = 0; i < 100; i++) s += t[i] * t[99 - i]; return s; }\n", "bytes of stack"},
		{"variadic", "#include <stdarg.h>\ndouble v(int n, ...) { va_list ap; va_start(ap, n); double s = va_arg(ap, double); va_end(ap); return s; }\n", ""},
		{"tls", "_Thread_local double t;\ndouble tl(void) { return t; }\n", "thread-local"},
		{"no-args", "double pi(void) { return 3.14159; }\nvoid zero(double *p) { p[0] = 0; }\n", "PASS"},
		{"long-double", "long double ld(long double x) { return x * 2; }\n", "not supported"},
		{"none", "static double hidden(double x) { return x; }\ndouble (*keep)(double) = hidden;\n", "no function selected"},
	} {
		for _, arch := range []string{"amd64", "arm64"} {
			t.Run(c.name+"/"+arch, func(t *testing.T) {
				src := filepath.Join(t.TempDir(), c.name+".c")
				if err := os.WriteFile(src, []byte(c.src), 0o644); err != nil {
					t.Fatal(err)
				}
				_, err := Generate(Config{Arch: arch, CFlags: []string{"-O2"}, Sources: []string{src}, Package: "p"})
				if c.want == "PASS" {
					if err != nil {
						t.Fatal(err)
					}
					return
				}
				if err == nil {
					t.Fatalf("translated:\n%s", c.src)
				}
				if !strings.Contains(err.Error(), c.want) {
					t.Errorf("error %q does not say %q", err, c.want)
				}
				t.Log(err)
			})
		}
	}
}

// TestSelect checks that Funcs selects functions by name, static ones
// included, and that the Go names come from GoName.
func TestSelect(t *testing.T) {
	tools(t)
	src := filepath.Join(t.TempDir(), "s.c")
	c := "static double twice(double x) { return 2 * x; }\ndouble (*keep)(double) = twice;\ndouble thrice(double x) { return 3 * x; }\n"
	if err := os.WriteFile(src, []byte(c), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := Generate(Config{Arch: "amd64", Sources: []string{src}, Package: "p", Funcs: regexp.MustCompile("^t"),
		GoName: strings.ToUpper, Code: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Funcs) != 2 || out.Funcs[0].Go != "THRICE" || out.Funcs[1].Go != "TWICE" {
		t.Fatalf("translated %v", out.Funcs)
	}
	for _, want := range []string{"func TWICE(x float64) float64", "func TWICECode() uintptr"} {
		if !strings.Contains(string(out.Go), want) {
			t.Errorf("no %q in\n%s", want, out.Go)
		}
	}
	if _, err := Generate(Config{Arch: "mips", Sources: []string{src}}); err == nil {
		t.Error("translated for mips")
	}
}
