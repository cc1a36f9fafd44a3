//go:build cgo

package native

import (
	"fmt"
	"strings"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/kernel"
)

// Library is a shared library loaded at run time (dlopen; LoadLibrary on
// Windows), whose
// kernels in the convention of zc_kernel.h Func finds by name. A Go
// program that loads its kernels this way needs no cgo of its own: a C
// developer ships libfoo.so, built against zc_kernel.h, and the Go side
// describes its kernels and looks them up.
//
// A Library stays loaded for the life of the process: its functions may
// be in use by any handle, so it has no Close.
type Library struct {
	h    unsafe.Pointer
	path string
}

// Load loads the shared library at path, resolving all its symbols now.
// path is found as dlopen finds it (LoadLibraryEx on Windows): on Unix a
// name with no slash is looked for in the system's library directories,
// not in the current one, so name a library there "./libk.so". A
// library that cannot be loaded fails with zerocall.ErrLoad and the
// loader's message. path must name a library: an empty path, which
// dlopen would take for the program itself, and a path with a NUL byte,
// which C would cut short, fail with zerocall.ErrArgument. A kernel
// compiled into the program is reached through NewFunc with its C
// function pointer.
func Load(path string) (*Library, error) {
	if err := checkName("library path", path); err != nil {
		return nil, err
	}
	h, err := open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", zerocall.ErrLoad, err)
	}
	return &Library{h: h, path: path}, nil
}

// Func returns the library's function symbol as an implementation of k.
// Where the library also has symbol_variants, the table ZC_VARIANTS of
// zc_kernel.h makes, Func runs the best of those variants this machine
// supports, capped by ZEROCALL_VARIANT (see NewVariant); a variant's own
// function of such a table (symbol_avx2, symbol_avx512) runs that variant,
// as NewVariant forcing it does, which this machine must support
// (zerocall.ErrUnsupported otherwise).
// A symbol the library lacks fails with zerocall.ErrLoad; an empty symbol,
// one with a NUL byte, or the name of such a table (symbol_variants
// itself), fails with zerocall.ErrArgument.
func (l *Library) Func(k *kernel.Kernel, symbol string) (*Func, error) {
	f, err := l.find(k, symbol)
	if f != nil {
		f.lib = true
	}
	return f, err
}

// find is Func: the function symbol names, or the variant of its table
// that this machine runs best.
func (l *Library) find(k *kernel.Kernel, symbol string) (*Func, error) {
	// A zero Library's nil handle would have dlsym search the whole
	// program.
	if l == nil || l.h == nil {
		return nil, funcs.Unmade("native.Library")
	}
	if err := funcs.Validate(k); err != nil {
		return nil, err
	}
	if err := checkName("symbol", symbol); err != nil {
		return nil, err
	}
	p, err := lookup(l.h, symbol)
	if err != nil {
		return nil, fmt.Errorf("%w: %s has no symbol %q: %v", zerocall.ErrLoad, l.path, symbol, err)
	}
	if t, err := lookup(l.h, symbol+"_variants"); err == nil {
		return NewVariant(k, t, zerocall.Auto)
	}
	for v, suffix := range variantSuffixes {
		// One variant of a table, called by its own name: forced as
		// NewVariant forces it, which refuses it where this CPU cannot
		// run it, rather than have it fault (SIGILL) there.
		if base, ok := strings.CutSuffix(symbol, suffix); ok {
			if t, err := lookup(l.h, base+"_variants"); err == nil && (*[variantSlots]unsafe.Pointer)(t)[v] == p {
				return NewVariant(k, t, v)
			}
		}
	}
	if base, ok := strings.CutSuffix(symbol, "_variants"); ok {
		// Called, the table would run its addresses as code.
		if f, err := lookup(l.h, base); err == nil && (*[2]unsafe.Pointer)(p)[1] == f {
			return nil, fmt.Errorf("%w: %s is the table of variants ZC_VARIANTS makes for %s: give Func the function's name, %q, and it picks from the table", zerocall.ErrArgument, symbol, base, base)
		}
	}
	return NewFunc(k, p)
}

// variantSuffixes are the suffixes ZC_VARIANTS gives the functions of the
// variants it builds besides the baseline (zc_kernel.h).
var variantSuffixes = map[zerocall.Variant]string{zerocall.AVX2: "_avx2", zerocall.AVX512: "_avx512"}

// checkName fails with zerocall.ErrArgument unless name, a library path
// or a symbol (what), is a C string as it stands: not empty, and with no
// NUL byte, at which C would end it.
func checkName(what, name string) error {
	if name == "" {
		return fmt.Errorf("%w: an empty %s", zerocall.ErrArgument, what)
	}
	if i := strings.IndexByte(name, 0); i >= 0 {
		return fmt.Errorf("%w: the %s %q has a NUL byte at %d", zerocall.ErrArgument, what, name, i)
	}
	return nil
}
