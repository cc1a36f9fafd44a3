package asmgen

import (
	"fmt"
	"go/token"
	"strings"
	"unicode"
)

// usedNames are the predeclared names the generated Go spells: a
// function of the package by one of these names would shadow it there.
var usedNames = map[string]bool{
	"unsafe": true, "uintptr": true, "float32": true, "float64": true,
	"int8": true, "int16": true, "int32": true, "int64": true,
	"uint8": true, "uint16": true, "uint32": true, "uint64": true,
}

// checkNames refuses the names that would not make a Go declaration: a
// C name the assembler cannot spell or reads as other than a symbol in
// the body's name<>(SB), a Go name that is a keyword, is not an
// identifier, is special to Go or shadows a name the generated code
// uses, and two functions of one Go name, counting the address functions
// of Config.Code.
func checkNames(cfg Config, fs []*Func) error {
	declared := map[string]string{} // Go name -> what declares it
	for _, f := range fs {
		if !asmIdent(f.C) {
			return fmt.Errorf("asmgen: %s: the C name %q cannot name an assembly symbol: letters, digits and _ can", f.Source, f.C)
		}
		if asmReserved(f.C) {
			return fmt.Errorf("asmgen: %s: the C name %q cannot name an assembly symbol: the Go assembler of amd64 or arm64 reads it as a register, a special operand or a macro of textflag.h", f.Source, f.C)
		}
		names := []string{f.Go}
		if cfg.Code {
			// The address function, and for a function that is not a
			// variant of another, the variants' table and dispatch.
			names = append(names, f.Go+"Code")
			if !isVariant(f, fs) {
				names = append(names, f.Go+"Variants")
				if frameFunc(f) {
					names = append(names, f.Go+"Variant")
				}
			}
		}
		for i, g := range names {
			what, its := f.C, "its Go name "+g
			if i > 0 {
				fn := map[string]string{"Code": "address", "Variants": "variants", "Variant": "variant"}[strings.TrimPrefix(g, f.Go)]
				what, its = fmt.Sprintf("the %s function of %s", fn, f.C), fmt.Sprintf("the Go name of its %s function, %s,", fn, g)
			}
			fail := func(format string, a ...any) error {
				return fmt.Errorf("asmgen: %s: %s: %s %s", f.Source, f.C, its, fmt.Sprintf(format, a...))
			}
			switch {
			case token.IsKeyword(g):
				return fail("is a keyword")
			case !token.IsIdentifier(g):
				return fmt.Errorf("asmgen: %s: %s: its Go name %q is not an identifier", f.Source, f.C, g)
			case g == "_" || g == "init":
				return fail("cannot name a function declared without a body")
			case g == "main" && cfg.Package == "main":
				return fail("is the entry point of package main")
			case usedNames[g]:
				return fail("would shadow the predeclared %s, which the generated code uses", g)
			}
			if prev, ok := declared[g]; ok {
				return fmt.Errorf("asmgen: %s and %s both become %s in Go", prev, what, g)
			}
			declared[g] = what
		}
	}
	return nil
}

// asmIdent reports whether a C name can name a symbol of the Go
// assembler.
func asmIdent(c string) bool {
	return c != "" && !strings.ContainsFunc(c, func(r rune) bool {
		return r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}
