package fpstate

import (
	"math"
	"runtime"
	"strings"
	"testing"
)

// halve returns x/2, computed when called: the compiler may neither fold
// the product nor reuse one computed under another state.
//
//go:noinline
func halve(x float64) float64 { return x * 0.5 }

// TestFlushToZero sets flush to zero on this thread, checks that Control
// reports it and Describe names it, that Go's own float math then
// flushes a subnormal result (what a kernel that leaves it set does to
// the Go code after it), and that SetControl restores the state.
func TestFlushToZero(t *testing.T) {
	if !Supported {
		if Control() != 0 || !strings.Contains(Describe(0), "no floating-point control state") {
			t.Errorf("Control() = %#x, Describe(0) = %q, without support", Control(), Describe(0))
		}
		t.Skip("no control state read on " + runtime.GOARCH)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	before := Control()
	if d := Describe(before); strings.Contains(d, "(") {
		t.Fatalf("the test thread starts with %s, not the state threads start with", d)
	}
	sub := math.SmallestNonzeroFloat64 * 4
	if halve(sub) == 0 {
		t.Fatal("a subnormal product is 0 before flush to zero is set")
	}
	SetControl(before | FlushToZero)
	got := Control()
	flushed := halve(sub)
	SetControl(before)
	if got != before|FlushToZero {
		t.Errorf("Control() = %#x after SetControl(%#x)", got, before|FlushToZero)
	}
	if d := Describe(got); !strings.Contains(d, Name) || !strings.Contains(d, "flush to zero") {
		t.Errorf("Describe(%#x) = %q, want the register and flush to zero named", got, d)
	}
	if flushed != 0 {
		t.Errorf("with flush to zero, a subnormal product is %v, want 0", flushed)
	}
	if c := Control(); c != before {
		t.Errorf("Control() = %#x after restoring %#x", c, before)
	}
	if halve(sub) == 0 {
		t.Error("a subnormal product is still 0 after the state is restored")
	}
}
