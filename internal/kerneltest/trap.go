package kerneltest

import (
	"errors"
	"strings"
	"testing"

	"github.com/zerocall/zerocall"
)

// Trap checks what a trap in foreign code does to an instance. e is the
// engine of a module instance whose regions hold 100 elements and r their
// views; its Sum past capacity must hit the module's own trap, which must
// come back as ErrBroken, make every later call of the instance say so,
// and leave Close working and other instances, made by fresh, untouched.
func Trap(t *testing.T, e zerocall.Engine, r zerocall.Regions, release func() error, fresh func() (*zerocall.Instance, error)) {
	t.Helper()
	in := zerocall.NewInstance(e, r, release)
	defer in.Close()
	if _, err := e.Sum(101); !errors.Is(err, zerocall.ErrBroken) || !strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("Sum past capacity: err = %v, want ErrBroken from the module's trap", err)
	}
	if _, err := in.Sum([]float64{1, 2}); !errors.Is(err, zerocall.ErrBroken) {
		t.Errorf("Sum after the trap: err = %v, want ErrBroken", err)
	}
	if err := in.Close(); err != nil {
		t.Errorf("Close after a trap: %v", err)
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
