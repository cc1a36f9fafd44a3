package errs

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestStatus(t *testing.T) {
	for code, want := range map[int]error{
		StatusOK:          nil,
		StatusArg:         Argument,
		StatusUnsupported: Unsupported,
		StatusNoMemory:    NoMemory,
		StatusCapacity:    Capacity,
	} {
		if got := Status("f", code); got != want {
			t.Errorf("Status(%d) = %v, want %v", code, got, want)
		}
	}
	for _, code := range []int{-1, 5, 1 << 20} {
		err := Status("zc_init", code)
		if !errors.Is(err, Broken) || !strings.Contains(err.Error(), "zc_init") {
			t.Errorf("Status(%d) = %v, want Broken naming zc_init", code, err)
		}
	}
}

// TestUnsupportedText: Unsupported is also the refusal of a kind of
// memory a host lacks and of an architecture with no translation, so its
// text must not claim that a CPU variant is what is missing.
func TestUnsupportedText(t *testing.T) {
	err := fmt.Errorf("%w: a wasm handle's regions are in the module's memory (zerocall.Module), not pinned", Unsupported)
	if strings.Contains(Unsupported.Error(), "variant") {
		t.Errorf("Unsupported reads %q, which names a variant where none is involved: %v", Unsupported, err)
	}
}
