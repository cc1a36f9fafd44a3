package kerneltest

import (
	"errors"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/kernel"
)

// Unmade checks a host's Func that no constructor made, such as the nil
// Func a failed constructor returns beside its error (name says which):
// Kernel returns nil, and each of a one-shot Call, a Handle and a Batch
// that the host's Func has fails with ErrArgument rather than panic. mem
// is the memory the host's handles take.
func Unmade(t *testing.T, name string, f interface{ Kernel() *kernel.Kernel }, mem zerocall.Memory) {
	t.Helper()
	if k := f.Kernel(); k != nil {
		t.Errorf("Kernel of a %s Func: %v", name, k)
	}
	if c, ok := f.(interface {
		Call(*kernel.Args, ...kernel.Slice) (kernel.Return, error)
	}); ok {
		_, err := c.Call(nil, kernel.SliceOf([]float32{1}))
		wantArgument(t, "Call on a "+name+" Func", err)
	}
	if h, ok := f.(interface {
		Handle(zerocall.Memory, ...int) (*kernel.Handle, error)
	}); ok {
		_, err := h.Handle(mem, 1)
		wantArgument(t, "Handle of a "+name+" Func", err)
	}
	if b, ok := f.(interface {
		Batch(zerocall.Memory, int, ...int) (*kernel.Batch, error)
	}); ok {
		_, err := b.Batch(mem, 1, 1)
		wantArgument(t, "Batch of a "+name+" Func", err)
	}
}

// wantArgument reports err unless it is an ErrArgument.
func wantArgument(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, zerocall.ErrArgument) {
		t.Errorf("%s: %v, want ErrArgument", what, err)
	}
}
