package main

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zerocall/zerocall/internal/cli"
)

// bindUsage is what zerocall bind -h prints before the flags.
const bindUsage = `usage: zerocall bind [flags] -asm [importpath.]Name | -c symbol Kernel

bind writes a typed call of a kernel of yours: a type with a constructor
that chooses the variant as NewVariant does, and a Call method that takes
the kernel's buffers as typed slices and its scalars as float64 and int64
arguments. Call does the checks of a Func's Call written out for this
kernel (no description read at run time, no list of slices) and calls
the chosen variant directly: its translation into Go assembly by zerocall
gen -code (-asm), or its C through cgo, with the frame built in Go and
its address the one argument besides the function (-c). Any call its
checks refuse goes through the Func's Call, which says what is wrong.

Kernel is the Go variable holding the description, a *kernel.Kernel
literal in the package of -desc (its fields other than Check must be
literals: bind reads them from the source, from the files the go
command builds for this GOOS, GOARCH and tags). The constructor refuses a
description that no longer matches the one bind read, so a stale file
fails loudly. -asm names the translated C function: its Go name in the
output's package, or importpath.Name in another (gen -code wrote its
Variants and Variant; a function built once is its one variant, Scalar).
-c names the C function in the output's cgo package, whose table of
variants (<symbol>_variants, from ZC_VARIANTS) the constructor chooses
from; with -variants=false, the one function.
`

// bindCmd writes a typed call of one kernel: its checks written out for
// its buffers, then the chosen variant called directly, as Go assembly or
// through cgo (see the usage text).
func bindCmd(args []string, stdout, stderr io.Writer) error {
	fs := cli.Flags("bind", bindUsage, stderr)
	out := fs.String("o", "", "output file (default: <kernel>_bind.go, lower case)")
	pkg := fs.String("pkg", "", "Go package name of the output (default: the package of the output's directory)")
	desc := fs.String("desc", ".", "directory of the package that declares the kernel's description")
	asmName := fs.String("asm", "", "the translated function: Name, or importpath.Name")
	cSym := fs.String("c", "", "the C function, in the output's cgo package, for a call through cgo (instead of -asm)")
	table := fs.Bool("variants", true, "with -c: the function has a table of variants, <symbol>_variants (ZC_VARIANTS); -variants=false binds the one function")
	typ := fs.String("type", "", "name of the generated type (default: <Kernel>Asm, or <Kernel>C with -c)")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || (*asmName == "") == (*cSym == "") {
		fs.Usage()
		return fmt.Errorf("%w: give one of -asm and -c, and one kernel variable", cli.ErrUsage)
	}
	if err := checkBindNames(*typ, *pkg, *asmName, *cSym); err != nil {
		return err
	}
	if *asmName != "" && cli.Set(fs, "variants") {
		return fmt.Errorf("%w: -variants is for -c: with -asm, the translation's <Name>Variants is the table", cli.ErrUsage)
	}
	v := fs.Arg(0)
	if *out == "" {
		*out = strings.ToLower(v) + "_bind.go"
	}
	if *typ == "" {
		*typ = v + "Asm"
		if *cSym != "" {
			*typ = v + "C"
		}
	}
	k, err := readKernel(*desc, v)
	if err != nil {
		return err
	}
	if err := checkBindOut(*out, k); err != nil {
		return err
	}
	outDir := filepath.Dir(*out)
	if *pkg == "" {
		if *pkg, err = goList(outDir, "{{.Name}}"); err != nil {
			return fmt.Errorf("%w: -pkg: the output's directory has no package to name it (%v)", cli.ErrUsage, err)
		}
	} else if err := checkPackage(*pkg, outDir, *out); err != nil {
		return err
	}
	b := binding{bindKernel: k, Type: *typ, Package: *pkg, Command: "zerocall bind " + shellJoin(args)}
	same, err := samePackage(*desc, outDir)
	if err != nil {
		return err
	}
	if err := checkBindScope(k, v, *out, *pkg, same, b.Type, b.ctor()); err != nil {
		return err
	}
	if !same {
		if k.pkg == "main" {
			return fmt.Errorf("%w: -desc: %s is package main, which the output's package cannot import: move %s into a package of its own, or write the output beside it", cli.ErrUsage, *desc, v)
		}
		if b.descPath, err = goList(*desc, "{{.ImportPath}}"); err != nil {
			return err
		}
		k.qual = k.pkg + "."
		if !token.IsExported(k.check) {
			k.check = "" // another package's: called as any Check is
		}
	}
	b.asm, b.cSym, b.single = *asmName, *cSym, *cSym != "" && !*table
	if i := strings.LastIndex(*asmName, "."); i >= 0 {
		b.asmPath, b.asm = (*asmName)[:i], (*asmName)[i+1:]
		name, err := goList(b.asmPath, "{{.Name}}")
		if err != nil {
			return err
		}
		b.asmQual = name + "."
	}
	if b.asm != "" {
		dir := outDir
		if b.asmPath != "" {
			if dir, err = goList(b.asmPath, "{{.Dir}}"); err != nil {
				return err
			}
		}
		if err := checkBindAsm(dir, b.asm); err != nil {
			return err
		}
	} else if !declaresC(outDir, b.cSym) {
		what := b.cSym + "_variants, which ZC_VARIANTS(" + b.cSym + ", ...) defines"
		if b.single {
			what = "the function " + b.cSym
		}
		fmt.Fprintf(stderr, "zerocall bind: warning: no C or Go file in %s names %s: the typed call links only if a library defines %s\n", outDir, b.cSym, what)
	}
	src, err := b.generate()
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %s (%s) -> %s\n", *out, v, k.Name, *typ)
	return nil
}

// checkBindNames checks the names bind's flags give the Go and C it
// writes: the type, the package, the translated function and the C
// function. The Go written with any other would not parse or compile.
func checkBindNames(typ, pkg, asmName, cSym string) error {
	switch {
	case typ != "" && !isGoIdent(typ):
		return fmt.Errorf("%w: -type: %q is not a Go identifier", cli.ErrUsage, typ)
	case types.Universe.Lookup(typ) != nil:
		// The typed call's methods name int, error and the like.
		return fmt.Errorf("%w: -type: %s is one of Go's predeclared names", cli.ErrUsage, typ)
	case ownImports[typ] || strings.HasPrefix(typ, "zc"):
		return fmt.Errorf("%w: -type: %s is a name of the generated file's (its imports, and every name that begins with zc)", cli.ErrUsage, typ)
	case pkg != "" && !isGoIdent(pkg):
		return fmt.Errorf("%w: -pkg: %q is not a Go package name", cli.ErrUsage, pkg)
	case cSym != "" && !cIdent.MatchString(cSym):
		return fmt.Errorf("%w: -c: %q is not a C function name", cli.ErrUsage, cSym)
	case token.IsKeyword(cSym):
		return fmt.Errorf("%w: -c: %s is a Go keyword, which cgo cannot name (C.%s)", cli.ErrUsage, cSym, cSym)
	case asmName == "":
		return nil
	}
	i := strings.LastIndex(asmName, ".")
	path, name := asmName[:max(i, 0)], asmName[i+1:]
	switch {
	case !isGoIdent(name):
		return fmt.Errorf("%w: -asm: %q does not end in a Go function name (Name or importpath.Name)", cli.ErrUsage, asmName)
	case i >= 0 && path == "":
		return fmt.Errorf("%w: -asm: %q has an empty import path (Name or importpath.Name)", cli.ErrUsage, asmName)
	case path != "" && !token.IsExported(name):
		return fmt.Errorf("%w: -asm: %s is not exported: the output cannot call it from another package", cli.ErrUsage, asmName)
	}
	return nil
}

// checkBindScope refuses names the generated file would meet in its
// package's scope and fail to build on: in another package, an
// unexported description v; in the same, a description or Check named
// as one of the file's imports or locals (zc...); a name the output's
// package declares at top level that is one of the file's imports; and
// one that is a name the file declares (decls: its type and
// constructor), in any file of the package but out, which it replaces.
func checkBindScope(k *bindKernel, v, out, pkg string, same bool, decls ...string) error {
	if !same && !token.IsExported(v) {
		return fmt.Errorf("%w: -desc: %s is not exported, and the output is in another package: export it, or write the output beside it", cli.ErrUsage, v)
	}
	if same {
		for _, name := range []string{v, k.check} {
			if ownImports[name] || strings.HasPrefix(name, "zc") {
				return fmt.Errorf("%w: %s is a name of the generated file's (its imports, and every name that begins with zc): rename it", cli.ErrUsage, name)
			}
		}
	}
	files, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "*.go"))
	for _, name := range files {
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.SkipObjectResolution)
		if err != nil || f.Name.Name != pkg || sameFile(name, out) {
			continue
		}
		b, err := os.ReadFile(name)
		own := err == nil && bytes.HasPrefix(b, []byte(bindHeader)) // bind's own imports the same
		for _, d := range f.Decls {
			for _, id := range declNames(d) {
				if slices.Contains(decls, id) {
					return fmt.Errorf("%w: %s declares %s, a name the generated file declares: choose another with -type", cli.ErrUsage, name, id)
				}
				if ownImports[id] && !own {
					return fmt.Errorf("%w: %s declares %s, which the generated file imports: rename it", cli.ErrUsage, name, id)
				}
			}
		}
	}
	return nil
}

// declNames returns the names a top-level declaration declares.
func declNames(d ast.Decl) []string {
	var names []string
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil {
			names = append(names, d.Name.Name)
		}
	case *ast.GenDecl:
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.ValueSpec:
				for _, n := range s.Names {
					names = append(names, n.Name)
				}
			case *ast.TypeSpec:
				names = append(names, s.Name.Name)
			}
		}
	}
	return names
}

// checkBindAsm refuses a translated function name that the translation
// in dir, as zerocall gen wrote it, does not have (its table of variants,
// nameVariants, which the typed call calls): the output would not build.
// gen -export names a C function with an upper-case first letter alone
// (dscale is Dscale), which a description's name (DScale) may not match,
// and the error names the one that differs in case. A folder with no
// translation yet (bind run before gen) is not looked into.
func checkBindAsm(dir, name string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return err
	}
	var have []string
	generated := false
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			continue // the build says what is wrong with it
		}
		if len(af.Comments) > 0 && af.Comments[0].Pos() < af.Package && strings.HasPrefix(af.Comments[0].List[0].Text+"\n", genHeader) {
			generated = true
		}
		for _, d := range af.Decls {
			have = append(have, declNames(d)...)
		}
	}
	want := name + "Variants"
	if !generated || slices.Contains(have, want) {
		return nil
	}
	hint := ""
	for _, h := range have {
		if strings.EqualFold(h, want) {
			hint = fmt.Sprintf(" (it has %s: -asm %s)", h, h[:len(h)-len("Variants")])
		}
	}
	return fmt.Errorf("%w: -asm: the translation in %s has no function %s, whose %s the typed call calls%s", cli.ErrUsage, dir, name, want, hint)
}

// declaresC reports whether a C, header or Go file in dir names the C
// function sym (with ZC_VARIANTS, by a definition, or in a cgo preamble),
// or dir has no C file, and the function, if anywhere, is in a library.
func declaresC(dir, sym string) bool {
	word := regexp.MustCompile(`\b` + regexp.QuoteMeta(sym) + `\b`)
	cs, _ := filepath.Glob(filepath.Join(dir, "*.c"))
	if len(cs) == 0 {
		return true
	}
	for _, pat := range []string{"*.c", "*.h", "*.go"} {
		files, _ := filepath.Glob(filepath.Join(dir, pat))
		for _, f := range files {
			if strings.HasSuffix(f, "_bind.go") {
				continue // bind's own output names it
			}
			if b, err := os.ReadFile(f); err == nil && word.Match(b) {
				return true
			}
		}
	}
	return false
}

// ownImports are the names of the packages a generated file may import,
// which no name of the user's may be in it.
var ownImports = map[string]bool{"C": true, "fmt": true, "unsafe": true, "reflect": true, "runtime": true,
	"zerocall": true, "native": true, "asm": true, "kernel": true}

// bindHeader is the first line of the files bind writes, by which it
// knows a file it may write over.
const bindHeader = "// Code generated by zerocall bind; DO NOT EDIT.\n"

// checkBindOut refuses an output out that would replace a file bind did
// not write: the one that declares the description k, or any other
// without bind's header.
func checkBindOut(out string, k *bindKernel) error {
	if sameFile(out, k.file) {
		return fmt.Errorf("%w: -o: %s is the file that declares %s", cli.ErrUsage, out, k.Var)
	}
	return checkGenerated(out, bindHeader)
}

// goList runs go list with the format f on the package at dir (a
// directory or an import path).
func goList(dir, f string) (string, error) {
	arg := dir
	if st, err := os.Stat(dir); err == nil && st.IsDir() && !filepath.IsAbs(dir) && !strings.HasPrefix(dir, ".") {
		arg = "./" + dir
	}
	out, err := exec.Command("go", "list", "-f", f, arg).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", fmt.Errorf("go list %s: %v: %s", arg, err, bytes.TrimSpace(ee.Stderr))
		}
		return "", fmt.Errorf("go list %s: %v", arg, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// samePackage reports whether directories a and b are one.
func samePackage(a, b string) (bool, error) {
	x, err := filepath.Abs(a)
	if err != nil {
		return false, err
	}
	y, err := filepath.Abs(b)
	return x == y, err
}

// bindKernel is what bind reads of a description.
type bindKernel struct {
	Var     string // the Go variable
	file    string // the file that declares it
	pkg     string // its package's name
	qual    string // "" or "<pkg>." where the output is another package
	Name    string
	Buffers []bindBuffer
	Floats  []string
	Ints    []string
	Result  string // None, Float or Count
	CountOf int
	NoAlias bool
	// check names the package-level function the description's Check
	// is, which Call then calls directly (inlined, if it is small): ""
	// where Check is another expression, or a function Call cannot name.
	check string

	floatArgs, intArgs []string // Call's parameters for the scalars (nameArgs)
}

type bindBuffer struct {
	Name string // the description's
	Arg  string // the Go parameter (nameArgs)
	Type string // the kernel.Type constant: Float32
	Role string // the kernel.Role constant: In
}

// goTypes are the element types of kernel's Types, and their sizes.
var goTypes = map[string]struct {
	name string
	size int
}{"Float64": {"float64", 8}, "Float32": {"float32", 4}, "Int64": {"int64", 8}, "Int32": {"int32", 4}, "Uint8": {"uint8", 1}}

// readKernel reads the description held by variable v of the package in
// dir from its source.
func readKernel(dir, v string) (*bindKernel, error) {
	fset := token.NewFileSet()
	// dir is a name, not a pattern: its brackets and stars are its own.
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: -desc: %w", cli.ErrUsage, err)
	}
	if err != nil {
		return nil, fmt.Errorf("-desc: %w", err)
	}
	var files []*ast.File
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		// The package's files as the go command builds it here: not a
		// generator's (go:build ignore) or another system's.
		if ok, err := build.Default.MatchFile(dir, name); err != nil {
			return nil, err
		} else if !ok {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	for _, f := range files {
		kpkg := ""
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == "github.com/zerocall/zerocall/kernel" {
				kpkg = "kernel"
				if imp.Name != nil {
					kpkg = imp.Name.Name
				}
			}
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if n.Name != v || i >= len(vs.Values) {
						continue
					}
					if kpkg == "" {
						return nil, fmt.Errorf("%s: %s: the file does not import package kernel", fset.Position(n.Pos()), v)
					}
					k, err := kernelLit(vs.Values[i], kpkg)
					if err != nil {
						return nil, fmt.Errorf("%s: %s: %v", fset.Position(vs.Values[i].Pos()), v, err)
					}
					k.Var, k.pkg, k.file = v, f.Name.Name, fset.Position(n.Pos()).Filename
					if k.check != "" && !isFunc(files, k.check) {
						k.check = "" // a variable: called as any Check is
					}
					return k, nil
				}
			}
		}
	}
	return nil, fmt.Errorf("%w: no variable %s with a value in the package in %s (-desc names the directory of the package that declares it)", cli.ErrUsage, v, dir)
}

// isFunc reports whether files declare a function (not a method) name.
func isFunc(files []*ast.File, name string) bool {
	for _, f := range files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == name {
				return true
			}
		}
	}
	return false
}

// kernelLit reads a &kernel.Kernel{...} literal, kpkg being the name
// under which its file imports package kernel.
func kernelLit(e ast.Expr, kpkg string) (*bindKernel, error) {
	u, ok := e.(*ast.UnaryExpr)
	if !ok || u.Op != token.AND {
		// A kernel.Kernel held by value is not what a Func takes.
		return nil, errors.New("the description must be a &kernel.Kernel{...} literal (a pointer, as Funcs take it)")
	}
	lit, ok := u.X.(*ast.CompositeLit)
	if !ok || !isSel(lit.Type, kpkg, "Kernel") {
		return nil, errors.New("the description must be a &kernel.Kernel{...} literal")
	}
	k := &bindKernel{Result: "None"}
	var err error
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			return nil, errors.New("the description's fields must be named")
		}
		id, ok := kv.Key.(*ast.Ident)
		if !ok {
			return nil, errors.New("the description's field keys must be names")
		}
		key := id.Name
		switch key {
		case "Name":
			k.Name, err = str(kv.Value)
		case "Buffers":
			k.Buffers, err = buffers(kv.Value, kpkg)
		case "Floats":
			k.Floats, err = strs(kv.Value)
		case "Ints":
			k.Ints, err = strs(kv.Value)
		case "Result":
			k.Result, err = constant(kv.Value, kpkg, "None", "Float", "Count")
		case "CountOf":
			var s string
			if b, ok := kv.Value.(*ast.BasicLit); ok && b.Kind == token.INT {
				s = b.Value
			}
			n, perr := strconv.ParseInt(s, 0, 0) // as Go reads it: 0x2, 0o2, 1_0
			if k.CountOf = int(n); perr != nil {
				err = errors.New("CountOf must be an integer literal")
			}
		case "NoAlias":
			if id, ok := kv.Value.(*ast.Ident); ok && (id.Name == "true" || id.Name == "false") {
				k.NoAlias = id.Name == "true"
			} else {
				err = errors.New("NoAlias must be true or false")
			}
		case "Check":
			if id, ok := kv.Value.(*ast.Ident); ok && id.Name != "nil" {
				k.check = id.Name
			}
		default:
			err = fmt.Errorf("unknown field %s", key)
		}
		if err != nil {
			return nil, fmt.Errorf("field %s: %v", key, err)
		}
	}
	if k.Name == "" || len(k.Buffers) == 0 || len(k.Buffers) > 8 || len(k.Floats) > 4 || len(k.Ints) > 4 ||
		k.Result == "Count" && k.CountOf >= len(k.Buffers) {
		return nil, errors.New("not a valid description (a name, 1 to 8 buffers, at most 4 scalars of each kind, CountOf a buffer)")
	}
	return k, nil
}

// nameArgs names Call's parameters after the buffers and scalars they
// are, where a name can be one: an identifier that is no keyword, no
// predeclared name (len, copy, ...), none of the packages the generated
// file refers to (pkgs), none the generated code gives itself (zc...) and
// not taken; otherwise after its place (buf1, f0, i0), with underscores
// added while that is taken too (a buffer of its own named buf1).
func (k *bindKernel) nameArgs(pkgs ...string) {
	used := maps.Clone(ownImports)
	for _, p := range pkgs {
		used[p] = true
	}
	name := func(name, alt string) string {
		if !token.IsIdentifier(name) || name == "_" || token.IsKeyword(name) || types.Universe.Lookup(name) != nil ||
			strings.HasPrefix(name, "zc") || used[name] {
			name = alt
		}
		for used[name] {
			name += "_"
		}
		used[name] = true
		return name
	}
	for i := range k.Buffers {
		k.Buffers[i].Arg = name(k.Buffers[i].Name, fmt.Sprintf("buf%d", i))
	}
	k.floatArgs, k.intArgs = nil, nil
	for i, s := range k.Floats {
		k.floatArgs = append(k.floatArgs, name(s, fmt.Sprintf("f%d", i)))
	}
	for i, s := range k.Ints {
		k.intArgs = append(k.intArgs, name(s, fmt.Sprintf("i%d", i)))
	}
}

func isSel(e ast.Expr, pkg, name string) bool {
	s, ok := e.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x, ok := s.X.(*ast.Ident)
	return ok && x.Name == pkg && s.Sel.Name == name
}

func str(e ast.Expr) (string, error) {
	if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
		return strconv.Unquote(b.Value)
	}
	return "", errors.New("must be a string literal")
}

func strs(e ast.Expr) ([]string, error) {
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil, errors.New("must be a []string literal")
	}
	var ss []string
	for _, el := range lit.Elts {
		s, err := str(el)
		if err != nil {
			return nil, err
		}
		ss = append(ss, s)
	}
	return ss, nil
}

// constant reads kpkg.<one of names>.
func constant(e ast.Expr, kpkg string, names ...string) (string, error) {
	for _, n := range names {
		if isSel(e, kpkg, n) {
			return n, nil
		}
	}
	return "", fmt.Errorf("must be one of %s, as kernel.<name>", strings.Join(names, ", "))
}

func buffers(e ast.Expr, kpkg string) ([]bindBuffer, error) {
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil, errors.New("must be a []kernel.Buffer literal")
	}
	var bs []bindBuffer
	for i, el := range lit.Elts {
		if u, ok := el.(*ast.UnaryExpr); ok && u.Op == token.AND {
			el = u.X
		}
		bl, ok := el.(*ast.CompositeLit)
		if !ok {
			return nil, fmt.Errorf("buffer %d must be a literal", i)
		}
		var b bindBuffer
		var err error
		for j, f := range bl.Elts {
			key, val := []string{"Name", "Type", "Role"}[min(j, 2)], f
			if kv, ok := f.(*ast.KeyValueExpr); ok {
				id, ok := kv.Key.(*ast.Ident)
				if !ok {
					return nil, fmt.Errorf("buffer %d: field keys must be names", i)
				}
				key, val = id.Name, kv.Value
			}
			switch key {
			case "Name":
				b.Name, err = str(val)
			case "Type":
				b.Type, err = constant(val, kpkg, "Float64", "Float32", "Int64", "Int32", "Uint8")
			case "Role":
				b.Role, err = constant(val, kpkg, "In", "Out", "InOut")
			default:
				err = fmt.Errorf("unknown field %s", key)
			}
			if err != nil {
				return nil, fmt.Errorf("buffer %d: %s: %v", i, key, err)
			}
		}
		if b.Type == "" || b.Role == "" {
			return nil, fmt.Errorf("buffer %d: no Type or Role", i)
		}
		bs = append(bs, b)
	}
	return bs, nil
}

// binding is the file bind writes.
type binding struct {
	*bindKernel
	Type, Package, Command string
	descPath               string // import path of the description's package, if another
	asm, asmPath, asmQual  string // the translated function (asm)
	cSym                   string // the C function (cgo)
	single                 bool   // cgo: one build, no table of variants
}

// cTypes are the C element types of kernel's Types.
var cTypes = map[string]string{"Float64": "double", "Float32": "float", "Int64": "int64_t", "Int32": "int32_t", "Uint8": "uint8_t"}

func (b *binding) generate() ([]byte, error) {
	k := b.bindKernel
	// The user's packages are imported under their names, but where the
	// file's own imports have that name (a package kernel of
	// descriptions, a package asm of translations): zcdesc and zcasm.
	own := ownImports
	imports := map[string]string{} // path -> alias ("" for its name)
	if b.descPath != "" {
		if own[k.pkg] {
			k.qual, imports[b.descPath] = "zcdesc.", "zcdesc"
		} else {
			imports[b.descPath] = ""
		}
	}
	if b.asmPath != "" {
		name := strings.TrimSuffix(b.asmQual, ".")
		switch {
		case b.asmPath == b.descPath:
			b.asmQual = k.qual
		case own[name] || b.descPath != "" && name+"." == k.qual:
			b.asmQual, imports[b.asmPath] = "zcasm.", "zcasm"
		default:
			imports[b.asmPath] = ""
		}
	}
	pkgs := []string{k.pkg, strings.TrimSuffix(b.asmQual, ".")}
	if k.qual == "" {
		pkgs = append(pkgs, k.check, k.Var) // a parameter must not hide them
	}
	k.nameArgs(pkgs...)
	var w bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&w, format, args...) }
	desc := k.qual + k.Var
	host, hostPkg, fn := "asm", "asm", b.asmQual+b.asm
	if b.cSym != "" {
		host, hostPkg, fn = "cgo", "native", b.cSym
	}
	ctor := b.ctor()

	p(bindHeader+"//\n//\t%s\n\npackage %s\n\n", b.Command, b.Package)
	if host == "cgo" {
		b.preamble(&w)
	}
	std := []string{"fmt", "unsafe"}
	if k.check != "" {
		std = append(std, "reflect")
	}
	if host == "cgo" {
		std = append(std, "runtime")
	}
	slices.Sort(std)
	p("import (\n")
	for _, path := range std {
		p("\t%q\n", path)
	}
	p("\n")
	p("\t\"github.com/zerocall/zerocall\"\n")
	p("\t\"github.com/zerocall/zerocall/%s\"\n\t\"github.com/zerocall/zerocall/kernel\"\n", hostPkg)
	for _, path := range slices.Sorted(maps.Keys(imports)) {
		if alias := imports[path]; alias != "" {
			p("\t%s %q\n", alias, path)
		} else {
			p("\t%q\n", path)
		}
	}
	p(")\n\n")

	// The parameters and results.
	var params, bufArgs, slices []string
	for _, bf := range k.Buffers {
		params = append(params, bf.Arg+" []"+goTypes[bf.Type].name)
		bufArgs = append(bufArgs, bf.Arg)
		slices = append(slices, "kernel.SliceOf("+bf.Arg+")")
	}
	for _, s := range k.floatArgs {
		params = append(params, s+" float64")
	}
	for _, s := range k.intArgs {
		params = append(params, s+" int64")
	}
	results := "error"
	switch k.Result {
	case "Float":
		results = "(float64, error)"
	case "Count":
		results = "(int, error)"
	}

	// The type and its constructor.
	how := "translated into Go assembly"
	if host == "cgo" {
		how = "through cgo"
	}
	doc := func(format string, args ...any) { w.WriteString(comment(fmt.Sprintf(format, args...))) }
	doc("%s calls kernel %s (%s) %s, with typed arguments: the checks of %s.Func's Call "+
		"written out for its buffers, and the chosen variant called directly. A call its checks refuse "+
		"goes through the Func's Call, which says what is wrong. A %s is immutable and may be used "+
		"from any number of goroutines.", b.Type, k.Name, desc, how, hostPkg, b.Type)
	if host == "cgo" {
		p("type %s struct {\n\tf  *%s.Func\n\tfn C.uintptr_t\n", b.Type, hostPkg)
		p("\t// never is false: Call calls toHeap only if it is true, which\n")
		p("\t// moves its buffers to the heap, as cgo does its arguments'.\n")
		p("\tnever bool\n\tsink  unsafe.Pointer\n}\n\n")
	} else {
		p("type %s struct {\n\tf *%s.Func\n\tv int // the variant, for %sVariant\n}\n\n", b.Type, hostPkg, fn)
	}
	if b.single {
		doc("%s returns the C function %s as a typed call. It fails with kernel.ErrKernel if %s no "+
			"longer matches the description this file was written from.", ctor, fn, desc)
		p("func %s() (*%s, error) {\n", ctor, b.Type)
	} else {
		doc("%s returns variant zcv of %s, chosen as %s.NewVariant chooses it (zerocall.Auto: the best "+
			"this machine runs). It fails with kernel.ErrKernel if %s no longer matches the description "+
			"this file was written from.", ctor, fn, hostPkg, desc)
		p("func %s(zcv zerocall.Variant) (*%s, error) {\n", ctor, b.Type)
	}
	p("\tzck := %s\n", desc)
	match := []string{fmt.Sprintf("len(zck.Buffers) == %d", len(k.Buffers))}
	for i, bf := range k.Buffers {
		match = append(match, fmt.Sprintf("zck.Buffers[%d].Type == kernel.%s && zck.Buffers[%d].Role == kernel.%s", i, bf.Type, i, bf.Role))
	}
	match = append(match, fmt.Sprintf("len(zck.Floats) == %d && len(zck.Ints) == %d && zck.Result == kernel.%s", len(k.Floats), len(k.Ints), k.Result))
	if k.Result == "Count" {
		match = append(match, fmt.Sprintf("zck.CountOf == %d", k.CountOf))
	}
	if k.NoAlias {
		match = append(match, "zck.NoAlias")
	} else {
		match = append(match, "!zck.NoAlias")
	}
	if k.check != "" {
		// Call calls the function by name: the description must still
		// hold it.
		match = append(match, fmt.Sprintf("reflect.ValueOf(zck.Check).Pointer() == reflect.ValueOf(%s%s).Pointer()", k.qual, k.check))
	}
	p("\tif zck == nil || !(%s) {\n", strings.Join(match, " &&\n\t\t"))
	p("\t\treturn nil, fmt.Errorf(\"%%w: %s changed since zerocall bind wrote %s: run it again\", kernel.ErrKernel)\n\t}\n", desc, b.Type)
	switch {
	case b.single:
		p("\tzcf, zcerr := native.NewFunc(zck, unsafe.Pointer(C.%s))\n\tif zcerr != nil {\n\t\treturn nil, zcerr\n\t}\n", fn)
		p("\treturn &%s{f: zcf, fn: C.uintptr_t(uintptr(unsafe.Pointer(C.%s)))}, nil\n}\n\n", b.Type, fn)
	case host == "cgo":
		p("\tzcf, zcerr := native.NewVariant(zck, unsafe.Pointer(&C.%s_variants), zcv)\n\tif zcerr != nil {\n\t\treturn nil, zcerr\n\t}\n", fn)
		p("\tzcw := zerocall.VariantOf(zcf)\n")
		p("\tif zcw <= 0 || int(zcw) >= len(C.%s_variants.fn) {\n", fn)
		p("\t\treturn nil, fmt.Errorf(\"%%w: no function of %s in variant %%v\", zerocall.ErrUnsupported, zcw)\n\t}\n", fn)
		p("\treturn &%s{f: zcf, fn: C.uintptr_t(uintptr(unsafe.Pointer(C.%s_variants.fn[zcw])))}, nil\n}\n\n", b.Type, fn)
	default:
		p("\tzcvs := %sVariants()\n", fn)
		p("\tzcf, zcerr := asm.NewVariant(zck, zcvs, zcv)\n\tif zcerr != nil {\n\t\treturn nil, zcerr\n\t}\n")
		p("\tzcw := zerocall.VariantOf(zcf)\n")
		p("\tif zcw <= 0 || int(zcw) >= len(zcvs) || zcvs[zcw] == 0 {\n")
		p("\t\treturn nil, fmt.Errorf(\"%%w: no function of %s in variant %%v\", zerocall.ErrUnsupported, zcw)\n\t}\n", fn)
		p("\treturn &%s{f: zcf, v: int(zcw)}, nil\n}\n\n", b.Type)
	}
	p("// Func returns the %s.Func the calls run, for the generic API.\nfunc (zcb *%s) Func() *%s.Func { return zcb.f }\n\n", hostPkg, b.Type, hostPkg)

	// Call: the checks, as CheckSlices makes them. A refused call goes to
	// the generic Call with the caller's arguments, not the frame, whose
	// scalars the Check may have changed.
	slowCall := fmt.Sprintf("return zcb.slow(%s)", strings.Join(append(append(append([]string(nil), bufArgs...), k.floatArgs...), k.intArgs...), ", "))
	doc("Call runs the kernel once on the caller's slices, with no copy: %s.", describeArgs(k))
	// go:nocheckptr: under checkptr (-race) the compiler would call the
	// runtime between a stack address stored as an integer (zcx) and its
	// reading back as a pointer, and the stack may move at that call.
	p("//\n//go:nocheckptr\n")
	p("func (zcb *%s) Call(%s) %s {\n", b.Type, strings.Join(params, ", "), results)
	// A nil or zero value, which no constructor made, has no function to
	// call: slow says so.
	p("\tif zcb == nil || zcb.f == nil {\n\t\t%s\n\t}\n", slowCall)
	// The frame, zc_frame's layout, on the goroutine's stack. Through cgo
	// it holds the buffers' addresses as integers, so that it holds no Go
	// pointer and may be passed to C (see preamble).
	ptr := "unsafe.Pointer"
	if host == "cgo" {
		ptr = "uintptr"
	}
	if host == "cgo" {
		p("\t// The frame, laid out as zc_frame, with the buffers' addresses as\n")
		p("\t// integers: Go memory without Go pointers, which C may use for the\n\t// call (see toHeap).\n")
	} else {
		p("\t// The frame, laid out as zc_frame.\n")
	}
	ret := "" // cgo's frame has a slot after it for the kernel's return
	if host == "cgo" {
		ret = "\t\tret    int64\n"
	}
	p("\tvar zcf struct {\n\t\tbuf    [8]%s\n\t\targs   kernel.Args\n\t\tctx    %s\n\t\tresult float64\n%s\t}\n", ptr, ptr, ret)
	for i, bf := range k.Buffers {
		p("\tzcf.args.Len[%d] = len(%s)\n", i, bf.Arg)
	}
	for i, s := range k.floatArgs {
		p("\tzcf.args.F[%d] = %s\n", i, s)
	}
	for i, s := range k.intArgs {
		p("\tzcf.args.I[%d] = %s\n", i, s)
	}
	slow := slowCall
	var over []string
	addr := map[int]bool{}
	for i, bi := range k.Buffers {
		if bi.Role == "In" {
			continue
		}
		for j, bj := range k.Buffers {
			if j == i || bj.Role != "In" && j < i {
				continue // a pair of written buffers is checked once
			}
			addr[i], addr[j] = true, true
			o := fmt.Sprintf("len(%s) > 0 && len(%s) > 0 && zcp%d < zcp%d+uintptr(len(%s))*%d && zcp%d < zcp%d+uintptr(len(%s))*%d",
				bi.Arg, bj.Arg, i, j, bj.Arg, goTypes[bj.Type].size, j, i, bi.Arg, goTypes[bi.Type].size)
			if bj.Role == "In" && bi.Type == bj.Type && !k.NoAlias {
				// An update in place: the very same slice as one it only reads.
				o += fmt.Sprintf(" && (zcp%d != zcp%d || len(%s) != len(%s))", i, j, bi.Arg, bj.Arg)
			}
			over = append(over, "("+o+")")
		}
	}
	for i, bf := range k.Buffers {
		if addr[i] {
			p("\tzcp%d := uintptr(unsafe.Pointer(unsafe.SliceData(%s)))\n", i, bf.Arg)
		}
	}
	if len(over) > 0 {
		p("\tif %s {\n\t\t%s\n\t}\n", strings.Join(over, " ||\n\t\t"), slow)
	}
	var lens []string
	for i, bf := range k.Buffers {
		lens = append(lens, fmt.Sprintf("zcf.args.Len[%d] != len(%s)", i, bf.Arg))
	}
	if k.check != "" {
		// The description's Check is this function (the constructor made
		// sure): called by name, it can be inlined.
		p("\t{\n\t\t// Check keeps no pointer to the Args: hidden from escape analysis,\n\t\t// they stay on the stack.\n")
		p("\t\tzcx := uintptr(unsafe.Pointer(&zcf.args))\n")
		p("\t\tif %s%s(*(**kernel.Args)(unsafe.Pointer(&zcx))) != nil ||\n\t\t\t%s {\n\t\t\t%s\n\t\t}\n\t}\n", k.qual, k.check, strings.Join(lens, " || "), slow)
	} else {
		// The Func's description: a zero value was refused above.
		p("\tif zccheck := zcb.f.Kernel().Check; zccheck != nil {\n")
		p("\t\t// Check keeps no pointer to the Args: hidden from escape analysis,\n\t\t// they stay on the stack.\n")
		p("\t\tzcx := uintptr(unsafe.Pointer(&zcf.args))\n")
		p("\t\tif zccheck(*(**kernel.Args)(unsafe.Pointer(&zcx))) != nil ||\n\t\t\t%s {\n\t\t\t%s\n\t\t}\n\t}\n", strings.Join(lens, " || "), slow)
	}

	// The call, with the frame's address hidden from escape analysis: the
	// variant keeps no pointer to it.
	for i, bf := range k.Buffers {
		addr := fmt.Sprintf("unsafe.Pointer(unsafe.SliceData(%s))", bf.Arg)
		if host == "cgo" {
			addr = "uintptr(" + addr + ")"
		}
		p("\tif len(%s) > 0 {\n\t\tzcf.buf[%d] = %s\n\t}\n", bf.Arg, i, addr)
	}
	if host == "cgo" {
		p("\tif zcb.never {\n\t\tzcb.toHeap(%s)\n\t}\n", strings.Join(bufArgs, ", "))
	}
	p("\tzcx := uintptr(unsafe.Pointer(&zcf))\n")
	if host == "cgo" {
		p("\tC.%s(zcb.fn, *(**C.char)(unsafe.Pointer(&zcx)))\n", b.cWrapper())
		for _, bf := range k.Buffers {
			p("\truntime.KeepAlive(unsafe.SliceData(%s))\n", bf.Arg)
		}
		p("\tzcr := zcf.ret\n")
	} else {
		p("\tzcr := %sVariant(zcb.v, *(*unsafe.Pointer)(unsafe.Pointer(&zcx)))\n", fn)
	}
	p("\tzcres := zcf.result\n")
	bad := "zcr < 0"
	if k.Result == "Count" {
		bad += fmt.Sprintf(" || zcr > int64(len(%s))", k.Buffers[k.CountOf].Arg)
	}
	// The lengths as the call had them: a kernel that writes its frame
	// (as it must not) cannot pass the check of its count so.
	p("\tif %s {\n", bad)
	for i, bf := range k.Buffers {
		p("\t\tzcf.args.Len[%d] = len(%s)\n", i, bf.Arg)
	}
	p("\t\tzcret, zcerr := %s.Returned(zcr, zcres, &zcf.args)\n", desc)
	switch k.Result {
	case "Float":
		p("\t\treturn zcret.F, zcerr\n\t}\n")
	case "Count":
		p("\t\treturn int(zcret.N), zcerr\n\t}\n")
	default:
		p("\t\t_ = zcret\n\t\treturn zcerr\n\t}\n")
	}
	switch k.Result {
	case "Float":
		p("\treturn zcres, nil\n}\n\n")
	case "Count":
		p("\t_ = zcres\n\treturn int(zcr), nil\n}\n\n")
	default:
		p("\t_ = zcres\n\treturn nil\n}\n\n")
	}

	if host == "cgo" {
		// Out of line: its stores' write barriers in Call cost more than
		// the test that skips them.
		p("// toHeap stores the buffers' addresses where escape analysis loses them,\n")
		p("// so that the buffers Call passes to C live on the heap, which does not\n// move. It never runs.\n//\n//go:noinline\n")
		p("func (zcb *%s) toHeap(%s) {\n", b.Type, strings.Join(params[:len(k.Buffers)], ", "))
		for _, bf := range k.Buffers {
			p("\tzcb.sink = unsafe.Pointer(unsafe.SliceData(%s))\n", bf.Arg)
		}
		p("}\n\n")
	}
	p("// slow is the generic call, for the calls Call's checks refuse: it runs\n")
	p("// them again on the caller's arguments, and says what is wrong.\n//\n//go:noinline\n")
	p("func (zcb *%s) slow(%s) %s {\n", b.Type, strings.Join(params, ", "), results)
	zero := "0, "
	if k.Result != "Float" && k.Result != "Count" {
		zero = ""
	}
	p("\tif zcb == nil || zcb.f == nil {\n\t\treturn %sfmt.Errorf(\"%%w: a nil or zero %s: %s makes one\", zerocall.ErrArgument)\n\t}\n", zero, b.Type, ctor)
	p("\tvar zca kernel.Args\n")
	for i, s := range k.floatArgs {
		p("\tzca.F[%d] = %s\n", i, s)
	}
	for i, s := range k.intArgs {
		p("\tzca.I[%d] = %s\n", i, s)
	}
	p("\tzcret, zcerr := zcb.f.Call(&zca, %s)\n", strings.Join(slices, ", "))
	switch k.Result {
	case "Float":
		p("\treturn zcret.F, zcerr\n}\n")
	case "Count":
		p("\treturn int(zcret.N), zcerr\n}\n")
	default:
		p("\t_ = zcret\n\treturn zcerr\n}\n")
	}
	src, err := format.Source(w.Bytes())
	if err != nil {
		return nil, fmt.Errorf("bind made Go that does not parse (a bug): %v\n%s", err, w.Bytes())
	}
	return src, nil
}

// cWrapper is the name of the C function a cgo binding calls the variant
// through.
func (b *binding) cWrapper() string { return "zcbind_" + b.cSym }

// preamble writes a cgo binding's C: the function or table of variants,
// and the function that calls a variant on a frame built in Go.
//
// Call builds the frame on the goroutine's stack, as the Go assembly's
// is, and passes its address alone: two arguments cross instead of a
// pointer and a length per buffer and each scalar, and a cgo call's cost
// grows with its arguments. The cgo rules hold by construction: the
// frame holds the buffers' addresses as integers, so it is Go memory
// without Go pointers, which C may read and write for the length of the
// call (a goroutine's stack does not move while it runs C); the buffers
// themselves are moved to the heap, which does not move, as cgo's own
// arguments are, and kept alive until C returns; the kernel keeps no
// pointer past the call. The address goes as a char pointer, a pointer to
// a type without pointers, which cgo has nothing to check in. The kernel's
// return comes back in a slot after the frame, not as the function's
// result: cgo's wrapper of a C function with a result looks up the
// goroutine's stack top before and after the call, and one with none
// skips both.
func (b *binding) preamble(w *bytes.Buffer) {
	if b.single {
		fmt.Fprintf(w, "/*\n#include <stddef.h>\n#include \"zc_kernel.h\"\n\nint64_t %s(zc_frame *f);\n\n", b.cSym)
	} else {
		fmt.Fprintf(w, "/*\n#include <stddef.h>\n#include \"zc_kernel.h\"\n\nextern const zc_variants %s_variants;\n\n", b.cSym)
	}
	// Call's frame is zc_frame as a 64-bit target lays it out.
	fmt.Fprintf(w, "_Static_assert(sizeof(void *) == 8 && offsetof(zc_frame, len) == 64 && offsetof(zc_frame, ctx) == 192 &&\n")
	fmt.Fprintf(w, "    offsetof(zc_frame, result) == 200 && sizeof(zc_frame) == 208, \"zc_frame as Call lays it out\");\n\n")
	fmt.Fprintf(w, "static inline void %s(uintptr_t fn, char *f) {\n", b.cWrapper())
	fmt.Fprintf(w, "    // a binding no constructor made has no function: -1, which Call refuses\n")
	fmt.Fprintf(w, "    *(int64_t *)(void *)(f + sizeof(zc_frame)) = fn ? ((zc_kernel_fn)fn)((zc_frame *)(void *)f) : -1;\n}\n")
	fmt.Fprintf(w, "*/\nimport \"C\"\n\n")
}

// comment returns text as a Go comment, its lines wrapped at 76
// columns.
func comment(text string) string {
	var b strings.Builder
	line := "//"
	for _, word := range strings.Fields(text) {
		if len(line)+1+len(word) > 76 && line != "//" {
			b.WriteString(line + "\n")
			line = "//"
		}
		line += " " + word
	}
	b.WriteString(line + "\n")
	return b.String()
}

// describeArgs says what Call takes and returns.
func describeArgs(k *bindKernel) string {
	var bs []string
	for _, b := range k.Buffers {
		bs = append(bs, fmt.Sprintf("%s (%s, %s)", b.Arg, strings.ToLower(b.Type), strings.ToLower(b.Role)))
	}
	s := "buffers " + strings.Join(bs, ", ")
	if len(k.Floats) > 0 {
		s += "; float scalars " + strings.Join(k.floatArgs, ", ")
	}
	if len(k.Ints) > 0 {
		s += "; integer scalars " + strings.Join(k.intArgs, ", ")
	}
	switch k.Result {
	case "Float":
		s += "; it returns the kernel's float result"
	case "Count":
		s += fmt.Sprintf("; it returns the elements written to %s", k.Buffers[k.CountOf].Arg)
	}
	return s
}

// ctor returns the name of the generated constructor: New<Type>, or
// new<Type> for an unexported Type.
func (b *binding) ctor() string {
	if token.IsExported(b.Type) {
		return "New" + b.Type
	}
	return "new" + upperFirst(b.Type)
}

// upperFirst returns s with its first letter in upper case.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
