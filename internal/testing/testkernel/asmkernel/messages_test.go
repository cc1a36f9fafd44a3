package asmkernel_test

import (
	"testing"

	"github.com/zerocall/zerocall/asm"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/asmkernel"
	"github.com/zerocall/zerocall/kernel"
)

// TestMessages checks that the errors of the translated kernel's calls
// name the kernel, the buffer, the types and what the kernel returned.
func TestMessages(t *testing.T) {
	saxpy(t) // skips where there is no translation
	newFunc := func(k *kernel.Kernel) (*asm.Func, error) { return asm.NewFunc(k, asmkernel.ZcTestSaxpyCode()) }
	testkernel.RunMessages(t, testkernel.Callers{Straight: testkernel.StraightOf(newFunc)})
}
