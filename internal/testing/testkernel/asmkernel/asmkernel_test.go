package asmkernel_test

import (
	"errors"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/asm"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/asmkernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/zctest"
)

func saxpy(t *testing.T) *asm.Func {
	f, err := asmkernel.Func()
	if errors.Is(err, zerocall.ErrUnsupported) {
		t.Skip("no translation on this architecture")
	}
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestSaxpy runs the test kit on the translated user kernel.
func TestSaxpy(t *testing.T) {
	zctest.Run(t, testkernel.Spec(saxpy(t)))
}

// TestErrors checks that the kernel's own refusal comes back as an error,
// and that NewFunc refuses what it must.
func TestErrors(t *testing.T) {
	f := saxpy(t)
	x, y, out := make([]float32, 4), make([]float32, 3), make([]float32, 4)
	// Lengths that pass the description (it sets no relation) but that
	// the C code refuses: it returns -1, ErrArgument.
	_, err := f.Call(&kernel.Args{}, kernel.SliceOf(x), kernel.SliceOf(y), kernel.SliceOf(out))
	if !errors.Is(err, zerocall.ErrArgument) && !errors.Is(err, zerocall.ErrLength) {
		t.Errorf("mismatched lengths: err = %v", err)
	}
	if _, err := asm.NewFunc(testkernel.Saxpy, 0); !errors.Is(err, zerocall.ErrUnsupported) {
		t.Errorf("NewFunc with no code: err = %v", err)
	}
	if _, err := asm.NewFunc(&kernel.Kernel{}, 1); !errors.Is(err, kernel.ErrKernel) {
		t.Errorf("NewFunc with a bad description: err = %v", err)
	}
}

// TestVariants runs the test kit on the translated kernel chosen from its
// table of variants: ZC_VARIANTS built them from one body, zerocall gen
// translated each, and the kit runs every one this machine runs.
func TestVariants(t *testing.T) {
	codes := asmkernel.ZcTestSaxpyVariants()
	if codes == nil {
		t.Skip("no translation on this architecture")
	}
	f, err := asm.NewVariant(testkernel.Saxpy, codes, zerocall.Auto)
	if err != nil {
		t.Fatal(err)
	}
	zctest.Run(t, testkernel.Spec(f))
}

// TestClamp runs the translated clamp-and-scale kernel in every variant
// this machine runs: each must agree with the Go version bit for bit.
func TestClamp(t *testing.T) {
	f, err := asmkernel.Clamp(zerocall.Auto)
	if errors.Is(err, zerocall.ErrUnsupported) {
		t.Skip("no translation on this architecture")
	}
	if err != nil {
		t.Fatal(err)
	}
	zctest.Run(t, testkernel.ClampSpec(f))
}

// TestTyped checks the typed calls zerocall bind wrote (saxpy_bind.go,
// clamp_bind.go) against the Funcs they run, in every variant this
// machine runs.
func TestTyped(t *testing.T) {
	testkernel.TestBindings(t, asm.Variants(),
		testkernel.SaxpyBind[*asm.Func](asmkernel.NewSaxpyTyped), testkernel.ClampBind[*asm.Func](asmkernel.NewClampTyped))
}

// TestTypedZero checks typed calls of a translation that no constructor
// made: a zero value or a nil pointer refuses, whether its description's
// Check is called by name (saxpy) or through the description (clamp).
func TestTypedZero(t *testing.T) {
	var zero asmkernel.SaxpyTyped
	var clamp asmkernel.ClampTyped
	var none *asmkernel.ClampTyped
	testkernel.TestZeroCalls(t, map[string]testkernel.SaxpyCall{
		"SaxpyTyped":  zero.Call,
		"ClampTyped":  func(x, _, out []float32, a float64) (int, error) { return clamp.Call(x, out, -1, 1, a) },
		"*ClampTyped": func(x, _, out []float32, a float64) (int, error) { return none.Call(x, out, -1, 1, a) },
	})
}
