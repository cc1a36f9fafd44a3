package kerneltest

import (
	"errors"
	"strings"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/backend"
	"github.com/zerocall/zerocall/internal/regionset"
	"github.com/zerocall/zerocall/kernel"
)

// trapper is the host of sum that asks its module for 2^31-1 elements,
// far past capacity and past the end of its memory, as a bug on the Go
// side would, and counts the calls that reach the module.
type trapper struct {
	regionset.Host
	calls int
}

func (h *trapper) Run(a *kernel.Args) (kernel.Return, error) {
	h.calls++
	a.Len[0] = 1<<31 - 1
	return h.Host.Run(a)
}

// Trap checks what a trap in foreign code does to an instance. hosts are
// the built-in kernels' hosts of a module instance whose regions are r,
// released by rel. A Sum
// past the end of memory must hit wasm's bounds check, whose trap must come
// back as ErrBroken; every later call of the instance must say so without calling
// the module again; Err must report it; and Close must still work and
// other instances, made by fresh, stay untouched.
func Trap(t *testing.T, hosts [backend.N]regionset.Host, r zerocall.Regions, rel backend.Release, fresh func() (*zerocall.Instance, error)) {
	t.Helper()
	tr := &trapper{Host: hosts[0]}
	hosts[0] = tr
	in, err := backend.NewInstance(hosts, r, rel)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if _, err := in.Sum([]float64{1, 2}); !errors.Is(err, zerocall.ErrBroken) || !strings.Contains(err.Error(), "out of bounds") {
		t.Fatalf("Sum past the end of memory: err = %v, want ErrBroken from the module's trap", err)
	}
	if _, err := in.Sum([]float64{1, 2}); !errors.Is(err, zerocall.ErrBroken) {
		t.Errorf("Sum after the trap: err = %v, want ErrBroken", err)
	}
	if r := in.Regions(); len(r.X) > 0 {
		if _, err := in.Dot(r.X[:1], r.Y[:1]); !errors.Is(err, zerocall.ErrBroken) {
			t.Errorf("Dot in place after the trap: err = %v, want ErrBroken", err)
		}
	}
	if tr.calls != 1 {
		t.Errorf("the module was called %d times, want once: a broken instance must not call it again", tr.calls)
	}
	if err := in.Err(); !errors.Is(err, zerocall.ErrBroken) {
		t.Errorf("Err after the trap = %v, want ErrBroken", err)
	}
	if err := in.Close(); err != nil {
		t.Errorf("Close after a trap: %v", err)
	}
	if err := in.Err(); !errors.Is(err, zerocall.ErrClosed) {
		t.Errorf("Err after Close = %v, want ErrClosed", err)
	}
	other, err := fresh()
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if s, err := other.Sum([]float64{1, 2}); err != nil || s != 3 {
		t.Errorf("another instance after the trap: %v, %v", s, err)
	}
}
