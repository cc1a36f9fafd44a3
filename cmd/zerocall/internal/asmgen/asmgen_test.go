package asmgen

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/zerocall/zerocall/internal/testing/kerneltest"
)

var flags = []string{"-std=c11", "-O3", "-Wall", "-Wextra", "-Werror", "-ffp-contract=off"}

// TestRun translates testdata/consts.c and runs it in a Go program
// against Go versions of its functions: constants (one table aligned to
// 64 bytes, past the linker's alignment of functions), arguments and
// results of every class and size, a function at an offset in the
// section it shares with another, and one with a stack frame, called
// under the execution tracer, which walks frame pointers. The program of this machine's
// architecture runs here (through ZEROCALL_TEST_EXEC when the tests run
// under an emulator); the arm64 one runs under qemu-user on amd64 when it
// is installed.
func TestRun(t *testing.T) {
	kerneltest.NeedAsmTools(t)
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
			if len(out.Funcs) != 6 {
				t.Fatalf("translated %d functions, want weigh, clampsum, affine, pair1, pair2 and framed", len(out.Funcs))
			}
			for _, f := range out.Funcs {
				if f.C == "weigh" && (len(f.Consts) == 0 || f.Align != 64) {
					t.Errorf("weigh: constants %v, alignment %d; want its table, aligned to 64", f.Consts, f.Align)
				}
			}
			if arch == "amd64" && !bytes.Contains(out.Asm, []byte("PCALIGN $64")) {
				t.Errorf("no PCALIGN for the 64-byte table:\n%s", out.Asm)
			}
			dir := buildGo(t, arch, map[string][]byte{
				"go.mod":                 []byte("module consts\n\ngo 1.26\n"),
				"main.go":                main,
				"consts_" + arch + ".s":  out.Asm,
				"consts_" + arch + ".go": out.Go,
			})
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

// buildGo writes files into a new directory, runs go vet and go build
// there for arch and returns the directory, which holds the program,
// prog, when the package is main.
func buildGo(t *testing.T, arch string, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
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
	return dir
}

// TestNames translates functions and parameters whose names Go spells
// with care (keywords, predeclared names, names the generator gives
// itself, names the assembler reads as registers, arm64's special
// operands or textflag.h's macros) and builds the result; and checks that the names that cannot
// make a Go declaration are refused, naming the C function.
func TestNames(t *testing.T) {
	kerneltest.NeedAsmTools(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "names.c")
	c := `double len(double range, double ret, double ret_, double _, double float64) { return range + ret + ret_ + _ + float64; }
long max(long arg1, long, long type) { return arg1 + type; }
void copy(void *unsafe, unsigned long uintptr) { (void)unsafe; (void)uintptr; }
double main(double x) { return x; }
double Code(double x) { return x; }
double caf\u00e9(double x) { return x; }
double string(const double *p) { return *p; }
float rgb(float r, float g, float b, long SP, long FP, long SB, long PC) { return r + g + b + (float)(SP + FP + SB + PC); }
long regs(long AX, long X0, long R1, long F0, long RSP, long K1) { return AX + X0 + R1 + F0 + RSP + K1; }
double regs2(double V2, long ZR, double Y3, double Z4, long R8B, long BP) { return V2 + (double)ZR + Y3 + Z4 + (double)(R8B + BP); }
long conds(long EQ, long LO, long HI, long C, long J, long DAIFSet) { return EQ + LO + HI + C + J + DAIFSet; }
long sysregs(long TLS, long MSW, long MAXREG, long NZCV, long MIDR_EL1, long R18_PLATFORM) { return TLS + MSW + MAXREG + NZCV + MIDR_EL1 + R18_PLATFORM; }
long ops(long PLDL1KEEP, long CIVAC, long VAE1IS, long NOSPLIT, long NOFRAME, long RODATA) { return PLDL1KEEP + CIVAC + VAE1IS + NOSPLIT + NOFRAME + RODATA; }
`
	writeSrc(t, src, c)
	for _, arch := range []string{"amd64", "arm64"} {
		cfg := Config{Arch: arch, CFlags: []string{"-O2", "-Wno-c2x-extensions"}, Sources: []string{src}, Package: "names", Code: true, Command: "test"}
		out, err := Generate(cfg)
		if err != nil {
			t.Fatal(err)
		}
		buildGo(t, arch, map[string][]byte{
			"go.mod":                []byte("module names\n\ngo 1.26\n"),
			"names_" + arch + ".s":  out.Asm,
			"names_" + arch + ".go": out.Go,
			"names_other.go":        Other(cfg, []string{arch}, out.Funcs),
		})
	}
	for _, c := range []struct {
		name, src string
		export    bool   // Go names with a capital
		pkg       string // main or p
		want      string
	}{
		{"keyword", "double range(double x) { return x; }\n", false, "p", "range: its Go name range is a keyword"},
		{"init", "void init(void) {}\n", false, "p", "init: its Go name init cannot name a function"},
		{"blank", "void _(void) {}\n", false, "p", "_: its Go name _ cannot name a function"},
		{"main", "double main(double x) { return x; }\n", false, "main", "is the entry point of package main"},
		{"float64", "double float64(double x) { return x; }\n", false, "p", "would shadow the predeclared float64"},
		{"unsafe", "void unsafe(void *p) { (void)p; }\n", false, "p", "would shadow the predeclared unsafe"},
		{"uintptr", "void uintptr(void) {}\n", false, "p", "would shadow the predeclared uintptr"},
		{"dollar", "double a$b(double x) { return x; }\n", false, "p", `the C name "a$b" cannot name an assembly symbol`},
		{"register", "double AX(double x) { return x; }\n", false, "p", `the C name "AX" cannot name an assembly symbol`},
		{"g", "double g(double x) { return x; }\n", false, "p", `the C name "g" cannot name an assembly symbol`},
		{"condition", "double LO(double x) { return x; }\n", false, "p", `the C name "LO" cannot name an assembly symbol`},
		{"macro", "double NOFRAME(double x) { return x; }\n", false, "p", `the C name "NOFRAME" cannot name an assembly symbol`},
		{"case", "double foo(double x) { return x; }\ndouble Foo(double x) { return x; }\n", true, "p", "Foo and foo both become Foo in Go"},
		{"code", "double x(double x) { return x; }\ndouble xCode(double x) { return x; }\n", false, "p", "the address function of x and xCode both become xCode in Go"},
		{"variants", "double x(double x) { return x; }\ndouble xVariants(double x) { return x; }\n", false, "p", "the variants function of x and xVariants both become xVariants in Go"},
		{"variant", "long k(void *f) { (void)f; return 0; }\nlong KVariant(void *f) { (void)f; return 1; }\n", true, "p", "KVariant and the variant function of k both become KVariant in Go"},
	} {
		for _, arch := range []string{"amd64", "arm64"} {
			t.Run(c.name+"/"+arch, func(t *testing.T) {
				src := writeSrc(t, filepath.Join(t.TempDir(), c.name+".c"), c.src)
				cfg := Config{Arch: arch, CFlags: []string{"-O2"}, Sources: []string{src}, Package: c.pkg, Code: true}
				if c.export {
					cfg.GoName = func(c string) string { return strings.ToUpper(c[:1]) + c[1:] }
				}
				_, err := Generate(cfg)
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("err = %v, want one that says %q", err, c.want)
				}
				t.Log(err)
			})
		}
	}
}

// TestRefuse checks that what cannot be carried over is refused, with a
// message that says why.
func TestRefuse(t *testing.T) {
	kerneltest.NeedAsmTools(t)
	ftz, err := os.ReadFile("testdata/ftz.c")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, src, want string
	}{
		{"call", "double f(double);\ndouble g(double x) { return f(x) + 1; }\n", "calls f"},
		{"math", "float fabsf(float);\nfloat ab(float x) { return fabsf(x); }\n", "calls fabsf, which is not translated (only leaf functions are): the translation is built with -ffreestanding"},
		{"builtin-math", "float ab(float x) { return __builtin_fabsf(x); }\n", "PASS"},
		{"memcpy", "#include <stddef.h>\nvoid cp(double *d, const double *s, size_t n) { __builtin_memcpy(d, s, n * sizeof *d); }\n", "calls memcpy"},
		{"writable", "double acc;\nvoid add(double x) { acc += x; }\n", "writable global data"},
		{"stack-args", "long seven(long a, long b, long c, long d, long e, long f, long g, long h, long i) { return a+b+c+d+e+f+g+h+i; }\n", "would go on the stack"},
		{"struct", "struct p { double x, y; };\ndouble norm(struct p v) { return v.x * v.x + v.y * v.y; }\n", "not supported"},
		{"big-stack", "double big(const double *x, int n) { volatile double t[100]; for (int i = 0; i < 100; i++) t[i] = x[i % n]; double s = 0; for (int i = 0; i < 100; i++) s += t[i] * t[99 - i]; return s; }\n", "bytes of stack"},
		{"variadic", "#include <stdarg.h>\ndouble v(int n, ...) { va_list ap; va_start(ap, n); double s = va_arg(ap, double); va_end(ap); return s; }\n", ""},
		{"tls", "_Thread_local double t;\ndouble tl(void) { return t; }\n", "thread-local"},
		{"no-args", "double pi(void) { return 3.14159; }\nvoid zero(double *p) { p[0] = 0; }\n", "PASS"},
		{"long-double", "long double ld(long double x) { return x * 2; }\n", "not supported"},
		{"unreachable", "void unr(void) { __builtin_unreachable(); }\n", "has no code"},
		{"none", "static double hidden(double x) { return x; }\ndouble (*keep)(double) = hidden;\n", "no function selected"},
		// Two functions of one section: the assembler resolves the jump
		// to the static helper, or its address, without a relocation.
		{"shared-section", sharedSection + "double caller(double x) { if (x > 0) return helper(x); return x; }\n" + sharedHelper, "leaves the body"},
		{"shared-address", sharedSection + "void *address(void) { return (void *)helper; }\n" + sharedHelper, "outside its"},
		{"fpstate", string(ftz), "floating-point control state"},
		{"bitint", "unsigned _BitInt(24) add24(unsigned _BitInt(24) a, unsigned _BitInt(24) b) { return a + b; }\n", "does not fill"},
		{"pointer-table", "static const char *const names[] = {\"zero\", \"one\", \"two\"};\nconst char *nm(int i) { return names[i % 3]; }\n", "addresses in it"},
	} {
		for _, arch := range []string{"amd64", "arm64"} {
			t.Run(c.name+"/"+arch, func(t *testing.T) {
				src := writeSrc(t, filepath.Join(t.TempDir(), c.name+".c"), c.src)
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

// TestPageAddress checks that arm64 code built at -O0, where clang
// reaches a constant by its page's address whatever the code model, is
// refused with a message that says how to build it.
func TestPageAddress(t *testing.T) {
	kerneltest.NeedAsmTools(t)
	src := writeSrc(t, filepath.Join(t.TempDir(), "scale.c"), "double scale(double x) { return x * 0.1; }\n")
	_, err := Generate(Config{Arch: "arm64", CFlags: []string{"-O0"}, Sources: []string{src}, Package: "p"})
	if err == nil || !strings.Contains(err.Error(), "-O1") {
		t.Fatalf("err = %v, want the refusal of a page address, which says to build at -O1 or more", err)
	}
	t.Log(err)
}

// TestRefuseSignatures checks that a function whose code may not take
// its arguments as its prototype says is refused: an old-style
// definition (a float argument comes as a double), another calling
// convention, a static function the compiler saw every call of (it may
// have dropped or fixed arguments) unless its address is taken or it is
// marked used, and a frame realigned past the stack bound.
// realignSaves is a kernel whose frame clang realigns to 64 bytes after
// saving six registers, with a table of 16 doubles and fourteen integers
// live in a loop.
const realignSaves = `#include <stdint.h>
double saves(const double *x, int64_t n, const int64_t *y, int64_t m)
{
    volatile double arr[16] __attribute__((aligned(64)));
    for (int i = 0; i < 16; i++) arr[i] = x[i % n];
    double s = 0;
    for (int i = 0; i < 16; i++) s += arr[i];
    int64_t a0 = 1, a1 = 2, a2 = 3, a3 = 4, a4 = 5, a5 = 6, a6 = 7, a7 = 8, a8 = 9, a9 = 10, a10 = 11, a11 = 12, a12 = 13, a13 = 14;
    for (int64_t i = 0; i + 14 <= m; i += 14) {
        a0 ^= y[i] * 3 + a13; a1 += y[i + 1] * 5 ^ a0; a2 ^= y[i + 2] * 7 + a1; a3 += y[i + 3] * 9 ^ a2;
        a4 ^= y[i + 4] * 11 + a3; a5 += y[i + 5] * 13 ^ a4; a6 ^= y[i + 6] * 17 + a5; a7 += y[i + 7] * 19 ^ a6;
        a8 ^= y[i + 8] * 23 + a7; a9 += y[i + 9] * 29 ^ a8; a10 ^= y[i + 10] * 31 + a9; a11 += y[i + 11] * 37 ^ a10;
        a12 ^= y[i + 12] * 41 + a11; a13 += y[i + 13] * 43 ^ a12;
    }
    return s + (double)(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13);
}
`

func TestRefuseSignatures(t *testing.T) {
	kerneltest.NeedAsmTools(t)
	const statics = `#include <stdint.h>
__attribute__((noinline)) static int64_t scaled(int64_t x, int64_t scale) { return x * scale + 1; }
__attribute__((noinline, used)) static int64_t kept(int64_t x, int64_t scale) { return x * scale + 2; }
int64_t user(int64_t x) { return scaled(x, 3) + scaled(x + 1, 3) + kept(x, 3); }
`
	for _, c := range []struct {
		name, arch, funcs, src, want string
	}{
		{"old-style", "", "", "#include <stdint.h>\nint64_t kr(x, n) float x; int64_t n; { return (int64_t)(x * 1000.0f) + n; }\n", "an old-style definition"},
		{"ms_abi", "amd64", "", "#include <stdint.h>\n__attribute__((ms_abi)) int64_t ms(int64_t a, int64_t b) { return a * 3 + b; }\n", "calling convention"},
		{"static", "", "^scaled$", statics, "a static function whose address is not taken"},
		{"static-used", "", "^kept$", statics, "PASS"},
		{"realign", "amd64", "", "#include <stdint.h>\nint64_t big(const int64_t *p) { volatile int64_t a[2] __attribute__((aligned(512))); a[0] = p[0]; a[1] = p[1]; return a[0] + a[1]; }\n", "a frame aligned to 512 bytes"},
		// 440 bytes of stack by clang's count, and six registers saved
		// before the frame is realigned to 64, which it leaves out: up to
		// 48 + 56 + 448 = 552 bytes.
		{"realign-saves", "amd64", "", realignSaves, "uses up to 552 bytes of stack (6 saved registers"},
		// 512 bytes of frame on arm64, realigned to 256 below them.
		{"realign", "arm64", "", "#include <stdint.h>\nint64_t big(const int64_t *p) { volatile int64_t a[2] __attribute__((aligned(256))); a[0] = p[0]; a[1] = p[1]; return a[0] + a[1]; }\n", "aligns its stack to 256 bytes"},
	} {
		for _, arch := range []string{"amd64", "arm64"} {
			if c.arch != "" && arch != c.arch {
				continue
			}
			t.Run(c.name+"/"+arch, func(t *testing.T) {
				src := writeSrc(t, filepath.Join(t.TempDir(), c.name+".c"), c.src)
				cfg := Config{Arch: arch, CFlags: []string{"-O2"}, Sources: []string{src}, Package: "p"}
				if c.funcs != "" {
					cfg.Funcs = regexp.MustCompile(c.funcs)
				}
				_, err := Generate(cfg)
				switch {
				case c.want == "PASS" && err != nil:
					t.Fatal(err)
				case c.want != "PASS" && (err == nil || !strings.Contains(err.Error(), c.want)):
					t.Errorf("error %v, want one that says %q", err, c.want)
				}
			})
		}
	}
}

// sharedSection puts the functions after it into one section and
// declares helper, which sharedHelper defines after them: the function
// before it is at the start of the section.
const sharedSection = `#pragma clang section text = ".text.shared"
static double helper(double x);
`

const sharedHelper = "__attribute__((noinline)) static double helper(double x) { return x * 3 + 1; }\n"

// branchOut is a function b that runs an instruction, in a section it
// shares with the label out: with before, out comes first, and b starts
// at an offset in the section; otherwise b starts the section and out
// is in the function after it.
const branchOut = `#if BEFORE
__asm__(".pushsection .text.b, \"ax\"\nout:\n\tret\n\t.popsection");
#endif
__attribute__((section(".text.b"))) long b(long x) {
	__asm__ volatile("%s" : : : "cc", "memory", %s);
	return x + 1;
}
#if !BEFORE
__attribute__((section(".text.b"))) void after(void) { __asm__ volatile("out:"); }
#endif
`

// TestBranchOut checks that every form of branch whose target lies
// outside the body, or inside one of its instructions, is refused, and so
// is a reference relative to the instruction that reaches outside the
// body with no relocation. out is a label of the same section, which the
// assembler resolves itself.
func TestBranchOut(t *testing.T) {
	kerneltest.NeedAsmTools(t)
	forms := map[string][]string{
		"amd64": {"jmp out", "jne out", "jrcxz out", "loop out", "loopne out", "xbegin out",
			"leaq out(%%rip), %%rax", ".byte 0xeb, 0x01, 0xb8, 0, 0, 0, 0"},
		"arm64": {"b out", "b.ne out", "cbz x0, out", "cbnz w0, out", "tbz x0, #3, out", "tbnz w0, #31, out",
			"adr x0, out", "ldr x0, out"},
	}
	for arch, fs := range forms {
		for _, form := range fs {
			for _, before := range []bool{false, true} {
				name := arch + "/" + form + map[bool]string{false: "/after", true: "/before"}[before]
				t.Run(name, func(t *testing.T) {
					src := filepath.Join(t.TempDir(), "b.c")
					clobbers := map[string]string{"amd64": `"rax", "rcx"`, "arm64": `"x0"`}[arch]
					c := fmt.Sprintf(branchOut, form, clobbers)
					writeSrc(t, src, c)
					flags := []string{"-O2", fmt.Sprintf("-DBEFORE=%d", map[bool]int{false: 0, true: 1}[before])}
					_, err := Generate(Config{Arch: arch, CFlags: flags, Sources: []string{src}, Package: "p", Funcs: regexp.MustCompile("^b$")})
					want := "leaves the body"
					switch {
					case strings.HasPrefix(form, ".byte"):
						want = "inside an instruction"
					case strings.HasPrefix(form, "lea"), strings.HasPrefix(form, "adr"), strings.HasPrefix(form, "ldr"):
						want = "outside its"
					}
					if err == nil || !strings.Contains(err.Error(), want) {
						t.Fatalf("err = %v, want one that says %q; the source, with %s:\n%s", err, want, flags[1], c)
					}
					t.Log(err)
				})
			}
		}
	}
}

// TestTargets checks the decoding of targets against what llvm-objdump
// 14 prints for the same bytes.
func TestTargets(t *testing.T) {
	for _, c := range []struct {
		arch, code string // code in hex
		off        int
		want       string // "branch <target>", "data <target>", "none" or part of the error
	}{
		{"amd64", "74fe", 0x35, "branch 0x35"},         // je
		{"amd64", "f2e9f0ffffff", 0x37, "branch 0x2d"}, // bnd jmp, listed as repne jmp
		{"amd64", "3e74fc", 0x3d, "branch 0x3c"},       // je with a branch hint
		{"amd64", "e3f3", 0x40, "branch 0x35"},         // jrcxz
		{"amd64", "e2f1", 0x42, "branch 0x35"},         // loop
		{"amd64", "e0ef", 0x44, "branch 0x35"},         // loopne
		{"amd64", "c7f8e9ffffff", 0x46, "branch 0x35"}, // xbegin
		{"amd64", "0f8510000000", 0x10, "branch 0x26"}, // jne rel32
		{"amd64", "e9fbffffff", 0x10, "branch 0x10"},   // jmp rel32
		{"amd64", "66e9f0ff", 0x4c, "operand-size prefix"},
		{"amd64", "3effe0", 0x32, "through a register"}, // notrack jmp *%rax
		{"amd64", "ff14c5", 0, "through a register"},    // call *(,%rax,8)
		{"amd64", "e800000000", 0, "a call"},
		{"amd64", "0fae5424f8", 0, "none"},         // ldmxcsr -8(%rsp)
		{"amd64", "c5f8ae17", 0, "none"},           // vldmxcsr (%rdi)
		{"amd64", "48c7c0f8000000", 0, "none"},     // movq $0xf8, %rax
		{"arm64", "00001836", 0x18, "branch 0x18"}, // tbz w0, #3
		{"arm64", "e0ffffb5", 0x1c, "branch 0x18"}, // cbnz x0
		{"arm64", "c1ffff54", 0x20, "branch 0x18"}, // b.ne
		{"arm64", "fbffff17", 0x14, "branch 0x0"},  // b
		{"arm64", "a1ffff58", 0x24, "data 0x18"},   // ldr x1, literal
		{"arm64", "82ffff10", 0x28, "data 0x18"},   // adr x2, #-16
		{"arm64", "03000090", 0x2c, "adrp"},
		{"arm64", "c0035fd6", 0x30, "none"}, // ret
	} {
		b, err := hex.DecodeString(c.code)
		if err != nil {
			t.Fatal(err)
		}
		var got target
		if c.arch == "amd64" {
			got, err = amd64Target(b, c.off)
		} else {
			got, err = arm64Target(le.Uint32(b), c.off)
		}
		s := "none"
		switch {
		case err != nil:
			s = err.Error()
		case got.ok && got.data:
			s = fmt.Sprintf("data %#x", got.at)
		case got.ok:
			s = fmt.Sprintf("branch %#x", got.at)
		}
		if !strings.Contains(s, c.want) || c.want == "none" && s != "none" {
			t.Errorf("%s %s at %#x: %s, want %s", c.arch, c.code, c.off, s, c.want)
		}
	}
}

// TestFPState checks that loading the floating-point control state is
// refused unless Config.AllowFPState, and that writing arm64's FPSR, its
// status flags, is not refused.
func TestFPState(t *testing.T) {
	kerneltest.NeedAsmTools(t)
	src := "testdata/ftz.c"
	fpsr := writeSrc(t, filepath.Join(t.TempDir(), "fpsr.c"), "void clear(void) { __asm__ volatile(\"msr fpsr, xzr\"); }\n")
	for _, arch := range []string{"amd64", "arm64"} {
		cfg := Config{Arch: arch, CFlags: []string{"-O2"}, Sources: []string{src}, Package: "p"}
		if _, err := Generate(cfg); err == nil || !strings.Contains(err.Error(), "-allow-fpstate") {
			t.Errorf("%s: err = %v, want a refusal that names -allow-fpstate", arch, err)
		}
		cfg.AllowFPState = true
		if _, err := Generate(cfg); err != nil {
			t.Errorf("%s with AllowFPState: %v", arch, err)
		}
	}
	if _, err := Generate(Config{Arch: "arm64", CFlags: []string{"-O2"}, Sources: []string{fpsr}, Package: "p"}); err != nil {
		t.Errorf("a write of FPSR: %v", err)
	}
}

// TestSelect checks that Funcs selects functions by name, static ones
// included, and that the Go names come from GoName.
func TestSelect(t *testing.T) {
	kerneltest.NeedAsmTools(t)
	src := filepath.Join(t.TempDir(), "s.c")
	c := "static double twice(double x) { return 2 * x; }\ndouble (*keep)(double) = twice;\ndouble thrice(double x) { return 3 * x; }\n"
	writeSrc(t, src, c)
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

// TestVariantsOf groups the functions ZC_VARIANTS makes by their base:
// saxpy's table has its AVX2 and AVX-512 builds on amd64 and the baseline
// as NEON on arm64; a variant has no table of its own, and a function
// whose name only ends like one is a base.
func TestVariantsOf(t *testing.T) {
	fs := []*Func{{C: "saxpy", Go: "Saxpy"}, {C: "saxpy_avx2", Go: "SaxpyAvx2"}, {C: "saxpy_avx512", Go: "SaxpyAvx512"}, {C: "lone_avx2", Go: "LoneAvx2"}}
	show := func(arch string, f *Func) string {
		var s []string
		for _, v := range variants(Arches[arch], f, fs) {
			s = append(s, fmt.Sprintf("%d:%s", v.slot, v.f.Go))
		}
		return strings.Join(s, " ")
	}
	for _, c := range []struct {
		arch string
		f    *Func
		want string
	}{
		{"amd64", fs[0], "1:Saxpy 2:SaxpyAvx2 3:SaxpyAvx512"},
		{"arm64", fs[0], "1:Saxpy 5:Saxpy"},
		{"amd64", fs[1], ""},
		{"amd64", fs[2], ""},
		{"amd64", fs[3], "1:LoneAvx2"},
	} {
		if got := show(c.arch, c.f); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.arch, c.f.C, got, c.want)
		}
	}
}

// TestVariantDispatch checks the call of a kernel's variants that the
// typed calls of zerocall bind make: for a function of the kernel
// signature, a Go declaration and an assembly function that branches to
// each variant's body by its slot and runs the baseline otherwise, on
// each architecture, and -1 where there is no translation; a function of
// another signature has none.
func TestVariantDispatch(t *testing.T) {
	frame := func(c, g string) *Func {
		return &Func{C: c, Go: g, Params: []Param{{Name: "f", GoType: "unsafe.Pointer", Class: 'i', Size: 8}},
			Result: &Param{GoType: "int64", Class: 'i', Size: 8}}
	}
	fs := []*Func{frame("saxpy", "Saxpy"), frame("saxpy_avx2", "SaxpyAvx2"), frame("saxpy_avx512", "SaxpyAvx512"),
		{C: "scale", Go: "Scale", Params: []Param{{Name: "x", GoType: "float64"}}, Result: &Param{GoType: "float64"}}}
	cfg := Config{Package: "p", Code: true, Command: "test"}
	for arch, want := range map[string][]string{
		"amd64": {"TEXT ·SaxpyVariant(SB), 0, $0-24\n\tMOVQ f+8(FP), DI\n\tMOVQ v+0(FP), R11\n" +
			"\tCMPQ R11, $2\n\tJEQ v2\n\tCMPQ R11, $3\n\tJEQ v3\n\tCALL saxpy<>(SB)\n\tMOVQ AX, ret+16(FP)\n\tRET\n" +
			"v2:\n\tCALL saxpy_avx2<>(SB)\n\tMOVQ AX, ret+16(FP)\n\tRET\n" +
			"v3:\n\tCALL saxpy_avx512<>(SB)\n\tMOVQ AX, ret+16(FP)\n\tRET\n"},
		"arm64": {"TEXT ·SaxpyVariant(SB), 0, $0-24\n\tMOVD f+8(FP), R0\n" +
			"\tSUB $16, RSP\n\tCALL saxpy<>(SB)\n\tADD $16, RSP\n\tMOVD R0, ret+16(FP)\n\tRET\n"},
	} {
		a := Arches[arch]
		for _, f := range fs {
			f.Params[0].Reg = a.IntRegs[0]
			if f.Result != nil {
				f.Result.Reg = a.IntRet
			}
		}
		s := string(writeAsm(cfg, a, fs))
		if !strings.Contains(s, want[0]) || strings.Contains(s, "ScaleVariant(") || strings.Contains(s, "SaxpyAvx2Variant(") {
			t.Errorf("%s: want %q, and no other dispatch, in:\n%s", arch, want[0], s)
		}
		g := string(writeGo(cfg, a, fs))
		if !strings.Contains(g, "//go:noescape\nfunc SaxpyVariant(v int, f unsafe.Pointer) int64\n") || strings.Contains(g, "ScaleVariant(") ||
			!strings.Contains(g, "import \"unsafe\"") {
			t.Errorf("%s: want SaxpyVariant declared, and no ScaleVariant, in:\n%s", arch, g)
		}
	}
	s := string(Other(cfg, []string{"amd64", "arm64"}, fs))
	if !strings.Contains(s, "func SaxpyVariant(v int, f unsafe.Pointer) int64 { return -1 }") || strings.Contains(s, "ScaleVariant(") {
		t.Errorf("other: want SaxpyVariant returning -1, and no ScaleVariant, in:\n%s", s)
	}
}

// TestRegisterG checks that arm64 code leaves x28, Go's g, alone: a
// function with more live values than free registers translates with
// none of its instructions naming x28 (a signal handler of a program
// without cgo reads g there at any moment, mid-call), and inline
// assembly that writes it is refused.
func TestRegisterG(t *testing.T) {
	kerneltest.NeedAsmTools(t)
	var vars, steps, sum []string
	for i := range 24 {
		vars = append(vars, fmt.Sprintf("a%d = %d", i, i+1))
		prev := "v"
		if i > 0 {
			prev = fmt.Sprintf("a%d", i-1)
		}
		steps = append(steps, fmt.Sprintf("a%d = a%d * %d ^ %s;", i, i, 2*i+3, prev))
		sum = append(sum, fmt.Sprintf("out[%d] = a%d;", i, i))
	}
	press := "long press(const long *x, long n, long *out) {\n\tlong " + strings.Join(vars, ", ") + ";\n" +
		"\tfor (long i = 0; i < n; i++) { long v = x[i]; " + strings.Join(steps, " ") + " }\n\t" +
		strings.Join(sum, " ") + "\n\treturn n;\n}\n"
	dir := t.TempDir()
	src := writeSrc(t, filepath.Join(dir, "press.c"), press)
	g, err := Generate(Config{Arch: "arm64", CFlags: []string{"-O2"}, Sources: []string{src}, Package: "p"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range g.Funcs {
		for _, in := range f.Insns {
			if usesG.MatchString(in.Text) {
				t.Errorf("%s uses x28 at %#x: %s", f.C, in.Off, in.Text)
			}
		}
	}
	src = filepath.Join(dir, "g.c")
	writeSrc(t, src, "long g(long a) { __asm__ volatile(\"mov x28, %0\" :: \"r\"(a)); return a; }\n")
	if _, err := Generate(Config{Arch: "arm64", CFlags: []string{"-O2"}, Sources: []string{src}, Package: "p"}); err == nil || !strings.Contains(err.Error(), "uses x28") {
		t.Errorf("a write of x28: %v, want it refused", err)
	}
	// x18, the platform register, holds nothing under Go: a shadow call
	// stack kept there faults at the first push.
	if _, err := Generate(Config{Arch: "arm64", CFlags: []string{"-O2", "-fsanitize=shadow-call-stack"}, Sources: []string{filepath.Join(dir, "press.c")}, Package: "p"}); err == nil || !strings.Contains(err.Error(), "uses x18") {
		t.Errorf("a shadow call stack: %v, want it refused", err)
	}
}

// TestAlignLimit refuses constants aligned to more than PCALIGN takes,
// which the Go assembler would refuse in the file gen wrote.
func TestAlignLimit(t *testing.T) {
	kerneltest.NeedAsmTools(t)
	src := filepath.Join(t.TempDir(), "al.c")
	c := "static const double t[4] __attribute__((aligned(4096))) = {1.5, 2.5, 3.5, 4.5};\ndouble at(long i) { return t[i & 3]; }\n"
	writeSrc(t, src, c)
	for _, arch := range []string{"amd64", "arm64"} {
		if _, err := Generate(Config{Arch: arch, CFlags: []string{"-O2"}, Sources: []string{src}, Package: "p"}); err == nil || !strings.Contains(err.Error(), "aligned to 4096 bytes") {
			t.Errorf("%s: constants aligned to 4096 bytes: %v, want them refused", arch, err)
		}
	}
}

// TestNoEscape declares go:noescape for a function whose pointers do not
// outlive its call, and not for one that returns a pointer, which may
// point into an argument: escape analysis must then keep the argument's
// memory where the result can reach it.
func TestNoEscape(t *testing.T) {
	kerneltest.NeedAsmTools(t)
	src := filepath.Join(t.TempDir(), "esc.c")
	c := "char *skip(char *p) { while (*p == ' ') p++; return p; }\ndouble first(const double *p) { return p[0]; }\n"
	writeSrc(t, src, c)
	for _, arch := range []string{"amd64", "arm64"} {
		out, err := Generate(Config{Arch: arch, CFlags: []string{"-O2"}, Sources: []string{src}, Package: "p"})
		if err != nil {
			t.Fatal(err)
		}
		g := string(out.Go)
		if strings.Contains(g, "//go:noescape\nfunc skip(") || !strings.Contains(g, "//go:noescape\nfunc first(") {
			t.Errorf("%s: go:noescape on skip, which returns a pointer, or not on first:\n%s", arch, g)
		}
	}
}

// TestPlainChar gives a pointer to char one Go type, *uint8, on every
// architecture, though char is signed on amd64 and unsigned on arm64,
// and refuses a char by value, which would be int8 on one and uint8 on
// the other; signed and unsigned char keep their types.
func TestPlainChar(t *testing.T) {
	kerneltest.NeedAsmTools(t)
	dir := t.TempDir()
	ptr := writeSrc(t, filepath.Join(dir, "ptr.c"), "long count(const char *s, long n, signed char a, unsigned char b) { long c = 0; for (long i = 0; i < n; i++) c += s[i] == a || s[i] == (char)b; return c; }\n")
	val := writeSrc(t, filepath.Join(dir, "val.c"), "long widen(char c) { return c; }\n")
	for _, arch := range []string{"amd64", "arm64"} {
		g, err := Generate(Config{Arch: arch, CFlags: []string{"-O2"}, Sources: []string{ptr}, Package: "p"})
		if err != nil {
			t.Fatal(err)
		}
		if want := "func count(s *uint8, n int64, a int8, b uint8) int64"; !strings.Contains(string(g.Go), want) {
			t.Errorf("%s: no %q in:\n%s", arch, want, g.Go)
		}
		if _, err := Generate(Config{Arch: arch, CFlags: []string{"-O2"}, Sources: []string{val}, Package: "p"}); err == nil || !strings.Contains(err.Error(), "type char is not supported by value") {
			t.Errorf("%s: a char by value: %v, want it refused", arch, err)
		}
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
