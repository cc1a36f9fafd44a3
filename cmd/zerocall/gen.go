package main

import (
	"bytes"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/zerocall/zerocall/cmd/zerocall/internal/asmgen"
	"github.com/zerocall/zerocall/internal/cli"
)

// genUsage is what zerocall gen -h prints before the flags.
const genUsage = `usage: zerocall gen [flags] file.c...

gen compiles the C files with clang and writes their functions as Go
assembly, with a Go declaration for each: <out>_amd64.s, <out>_amd64.go,
<out>_arm64.s and <out>_arm64.go. The functions must be leaves (no calls,
no jumps out of their own code), use no writable globals and take at most
6 integer and 8 float arguments (8 and 8 on arm64); gen says which
function breaks which rule. Their Go names must make Go declarations:
no keyword, no name two functions share, none of init, _ and the
predeclared names the generated code uses (unsafe, uintptr, the integer
and float types).

A function may not load the floating-point control state (LDMXCSR on
amd64, MSR FPCR on arm64: flush to zero, denormals are zero, rounding):
the Go code that runs on the thread after it depends on that state.
-allow-fpstate translates such a function, which must then restore the
state it found before it returns.
`

// genCmd translates C functions into Go assembly (package asmgen): for
// each architecture, <out>_<arch>.s and <out>_<arch>.go.
func genCmd(args []string, stdout, stderr io.Writer) error {
	fs := cli.Flags("gen", genUsage, stderr)
	arches := fs.String("arch", "amd64,arm64", "comma-separated GOARCHes to generate for")
	out := fs.String("o", "", "output path prefix (default: the first file's name without .c)")
	pkg := fs.String("pkg", "", "Go package name (default: that of the Go files already in the output's directory, or else the directory's name)")
	funcs := fs.String("funcs", "", "regular expression selecting the functions by C name (default: every function with external linkage)")
	cflags := fs.String("cflags", "-std=c11 -O3 -Wall -Wextra -Werror -ffp-contract=off",
		"C flags of the build (include directories too; quote one with spaces: '-Imy dir'); keep -ffp-contract=off for the results of gcc's ISO C mode: clang fuses a*b + c where the target has FMA")
	cc := fs.String("cc", "clang-14", "the clang to compile with")
	objdump := fs.String("objdump", "llvm-objdump-14", "the llvm-objdump that names each instruction in comments")
	camel := fs.Bool("camel", false, "Go names in camel case (avx2_sum becomes avx2Sum)")
	export := fs.Bool("export", false, "exported Go names (saxpy becomes Saxpy)")
	code := fs.Bool("code", false, "also write <name>Code() uintptr, each body's address, for asm.NewFunc; <name>Variants() []uintptr, the addresses of the variants ZC_VARIANTS built (<name>, <name>_avx2, <name>_avx512), for asm.NewVariant; for a kernel of zc_kernel.h, <name>Variant(v, frame), which runs variant v, for zerocall bind's typed calls; and <out>_other.go, where they return 0, nil and -1")
	allowFP := fs.Bool("allow-fpstate", false, "translate functions that load the floating-point control state (MXCSR, FPCR); each must restore it before it returns")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf("%w: no C file given", cli.ErrUsage)
	}
	for _, src := range fs.Args() {
		if strings.ContainsFunc(src, unicode.IsControl) {
			return fmt.Errorf("%w: the C file name %q has a control character, which the generated files' headers cannot show", cli.ErrUsage, src)
		}
		if st, err := os.Stat(src); err == nil && st.IsDir() {
			return fmt.Errorf("%w: %s is a folder: gen takes C files", cli.ErrUsage, src)
		}
	}
	// -o is the prefix of the files' names: a folder would make names
	// that start with _ (dir/_amd64.go), which the go tool ignores, as it
	// does those that start with a dot. The default, the first file's
	// name without .c, may name a folder beside it (k for k.c and k/):
	// the files go beside both.
	if *out != "" {
		if st, err := os.Stat(*out); err == nil && st.IsDir() || os.IsPathSeparator((*out)[len(*out)-1]) {
			return fmt.Errorf("%w: -o: %s is a folder; -o is the prefix of the files' names, as dir/k for dir/k_amd64.s", cli.ErrUsage, *out)
		}
	} else {
		*out = strings.TrimSuffix(fs.Arg(0), filepath.Ext(fs.Arg(0)))
	}
	if name := filepath.Base(*out); strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".") {
		return fmt.Errorf("%w: -o: the files' names would start with %q (%s_<arch>.s), which the go tool ignores: give another prefix with -o",
			cli.ErrUsage, name[:1], *out)
	}
	switch {
	case *pkg != "" && !isGoIdent(*pkg):
		return fmt.Errorf("%w: -pkg: %q is not a Go package name", cli.ErrUsage, *pkg)
	case *pkg == "":
		abs, err := filepath.Abs(filepath.Dir(*out))
		if err != nil {
			return err
		}
		if *pkg = dirPackage(abs); *pkg == "" {
			*pkg = strings.ReplaceAll(filepath.Base(abs), "-", "_")
		}
		if !isGoIdent(*pkg) {
			return fmt.Errorf("%w: -pkg: the output's folder %s is not named as a Go package: give its name with -pkg", cli.ErrUsage, abs)
		}
	}
	// Every architecture is checked before any file is written.
	var archList []string
	for _, a := range strings.Split(*arches, ",") {
		a = strings.TrimSpace(a)
		switch {
		case asmgen.Arches[a] == nil:
			return fmt.Errorf("%w: -arch: %q is not an architecture gen writes for (%s)",
				cli.ErrUsage, a, strings.Join(slices.Sorted(maps.Keys(asmgen.Arches)), ", "))
		case slices.Contains(archList, a):
			return fmt.Errorf("%w: -arch: %s is named twice", cli.ErrUsage, a)
		}
		archList = append(archList, a)
	}
	var outs []string
	for _, a := range archList {
		outs = append(outs, *out+"_"+a+".s", *out+"_"+a+".go")
	}
	if *code {
		outs = append(outs, *out+"_other.go")
	}
	for _, o := range outs {
		for _, src := range fs.Args() {
			if sameFile(o, src) {
				return fmt.Errorf("%w: -o: %s is the C file %s, which gen would write over", cli.ErrUsage, o, src)
			}
		}
		if err := checkGenerated(o, genHeader); err != nil {
			return err
		}
	}
	if err := checkPackage(*pkg, filepath.Dir(*out), outs...); err != nil {
		return err
	}
	cfgFlags, err := splitFlags(*cflags)
	if err != nil {
		return err
	}
	cfg := asmgen.Config{
		CC:           *cc,
		Objdump:      *objdump,
		CFlags:       cfgFlags,
		Sources:      sources(fs.Args()),
		Package:      *pkg,
		Code:         *code,
		Command:      "zerocall gen " + shellJoin(args),
		AllowFPState: *allowFP,
	}
	if *funcs != "" {
		re, err := regexp.Compile(*funcs)
		if err != nil {
			return fmt.Errorf("%w: -funcs: %v", cli.ErrUsage, err)
		}
		cfg.Funcs = re
	}
	cfg.GoName = func(c string) string {
		if *camel {
			c = camelCase(c)
		}
		if *export && c != "" { // camelCase makes "" of "_", which the generator refuses
			c = upperFirst(c)
		}
		return c
	}
	// Every architecture is translated before any file is written: a
	// failure in one leaves the files of all as they were, rather than a
	// package whose architectures declare different functions.
	type file struct {
		name string
		b    []byte
	}
	var files []file
	var report strings.Builder // what was translated, said once it is written
	var done []string
	var last []*asmgen.Func
	for _, arch := range archList {
		cfg.Arch = arch
		g, err := asmgen.Generate(cfg)
		if err != nil {
			return err
		}
		done, last = append(done, cfg.Arch), g.Funcs
		base := *out + "_" + cfg.Arch
		files = append(files, file{base + ".s", g.Asm}, file{base + ".go", g.Go})
		for _, f := range g.Funcs {
			fmt.Fprintf(&report, "%s: %s -> %s (%d bytes of code, %d of stack)\n", cfg.Arch, f.C, f.Go, f.CodeLen, f.Stack)
		}
	}
	if *code {
		files = append(files, file{*out + "_other.go", asmgen.Other(cfg, done, last)})
	}
	for _, f := range files {
		if err := os.WriteFile(f.name, f.b, 0o644); err != nil {
			return err
		}
	}
	_, err = io.WriteString(stdout, report.String())
	return err
}

// camelCase joins the words of a C name: avx2_matmul_block becomes
// avx2MatmulBlock.
func camelCase(c string) string {
	words := strings.Split(c, "_")
	for i := 1; i < len(words); i++ {
		if w := words[i]; w != "" {
			words[i] = upperFirst(w)
		}
	}
	return strings.Join(words, "")
}

// genHeader is the first line of every file gen writes.
const genHeader = "// Code generated by zerocall gen; DO NOT EDIT.\n"

// checkGenerated refuses to write over out unless it does not exist or
// starts with header: a file of the user's that happens to have the
// output's name stays as it is.
func checkGenerated(out, header string) error {
	b, err := os.ReadFile(out)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("-o: %w", err)
	}
	if !bytes.HasPrefix(b, []byte(header)) {
		return fmt.Errorf("%w: -o: %s exists and was not written by this command (it does not start with %q)",
			cli.ErrUsage, out, strings.TrimSuffix(header, "\n"))
	}
	return nil
}

// isGoIdent reports whether s can name a Go package, type or function:
// an identifier that is no keyword and not the blank identifier.
func isGoIdent(s string) bool { return token.IsIdentifier(s) && s != "_" }

// sameFile reports whether paths a and b name one existing file.
func sameFile(a, b string) bool {
	x, err := os.Stat(a)
	if err != nil {
		return false
	}
	y, err := os.Stat(b)
	return err == nil && os.SameFile(x, y)
}

// splitFlags splits the value of -cflags into flags at spaces, as the go
// command splits $CC and $CGO_CFLAGS: a flag in single or double quotes
// is one, spaces and all (-I'my dir' is not, '-Imy dir' is), with nothing
// unescaped inside the quotes.
func splitFlags(s string) ([]string, error) {
	var flags []string
	for {
		s = strings.TrimLeft(s, " \t\n\r")
		if s == "" {
			return flags, nil
		}
		if q := s[0]; q == '\'' || q == '"' {
			end := strings.IndexByte(s[1:], q)
			if end < 0 {
				return nil, fmt.Errorf("%w: -cflags: the quote %c before %s is not closed", cli.ErrUsage, q, s[1:])
			}
			flags = append(flags, s[1:1+end])
			s = s[2+end:]
			continue
		}
		end := strings.IndexAny(s, " \t\n\r")
		if end < 0 {
			end = len(s)
		}
		flags = append(flags, s[:end])
		s = s[end:]
	}
}

// sources returns the C files named by args as a compiler takes them: a
// relative name that starts with a dash, which it would read as a flag,
// behind "./".
func sources(args []string) []string {
	srcs := slices.Clone(args)
	for i, s := range srcs {
		if strings.HasPrefix(s, "-") {
			srcs[i] = "." + string(filepath.Separator) + s
		}
	}
	return srcs
}

// shellJoin spells args as a shell command line, quoting those that need
// it, for the generated files' headers: on one line, so an argument with
// a control character (a newline in -cflags) is quoted as $'...', with
// escapes, which would otherwise end the header's comment.
func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		switch {
		case strings.ContainsFunc(a, unicode.IsControl):
			var b strings.Builder
			b.WriteString("$'")
			for _, r := range a {
				switch {
				case r == '\\' || r == '\'':
					b.WriteString(`\` + string(r))
				case r == '\n':
					b.WriteString(`\n`)
				case r == '\t':
					b.WriteString(`\t`)
				case unicode.IsControl(r):
					fmt.Fprintf(&b, `\u%04x`, r)
				default:
					b.WriteRune(r)
				}
			}
			q[i] = b.String() + "'"
		case a == "" || strings.ContainsFunc(a, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=,:+", r))
		}):
			q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		default:
			q[i] = a
		}
	}
	return strings.Join(q, " ")
}

// dirPackage returns the package of the Go files in dir (its tests'
// files, and the files named in skip, aside), as their first package
// clause names it, or "" if it has none: a folder saxpy-asm may hold
// package saxpyasm.
func dirPackage(dir string, skip ...string) string {
	names, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") || slices.ContainsFunc(skip, func(s string) bool { return sameFile(s, name) }) {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.PackageClauseOnly)
		if err == nil {
			return f.Name.Name
		}
	}
	return ""
}

// checkPackage refuses a package name -pkg gives that is not the one the
// Go files in the output's folder dir already have (but for outs, which
// the command writes over): the package would not build.
func checkPackage(pkg, dir string, outs ...string) error {
	if have := dirPackage(dir, outs...); have != "" && have != pkg {
		return fmt.Errorf("%w: -pkg: %s holds package %s, not %s", cli.ErrUsage, dir, have, pkg)
	}
	return nil
}
