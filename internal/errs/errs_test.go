package errs

import (
	"errors"
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
