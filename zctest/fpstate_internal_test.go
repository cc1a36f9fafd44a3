package zctest

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/zerocall/zerocall/internal/fpstate"
	"github.com/zerocall/zerocall/kernel"
)

// ftzCaller sets flush to zero on its thread, as a kernel that breaks
// the rule would, and returns err.
type ftzCaller struct{ err error }

func (c ftzCaller) Call(*kernel.Args, ...kernel.Slice) (kernel.Return, error) {
	fpstate.SetControl(fpstate.Control() | fpstate.FlushToZero)
	return kernel.Return{N: 1}, c.err
}
func (ftzCaller) Close() error { return nil }

// TestFPCaller checks that the first call that changes the
// floating-point control state fails, naming the kernel, the path and
// both states; that later ones return what the call returned; that
// every one leaves the state as it was; and that a call that changes
// nothing passes.
func TestFPCaller(t *testing.T) {
	if !fpstate.Supported {
		t.Skip("no control state read on " + runtime.GOARCH)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	before := fpstate.Control()
	failed := errors.New("the kernel's own failure")
	c := &fpCaller{c: ftzCaller{failed}, kernel: "k", path: "p"}
	var a kernel.Args
	_, err := c.Call(&a)
	for _, want := range []string{"kernel k, path p:", "from " + fpstate.Describe(before) + " to " + fpstate.Name, "flush to zero", "the kernel's own failure"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("first call: err = %v, want one that says %q", err, want)
		}
	}
	if !errors.Is(err, failed) {
		t.Errorf("first call: err = %v, which does not wrap the call's own", err)
	}
	if got := fpstate.Control(); got != before {
		t.Errorf("after the call, the state is %s, want %s", fpstate.Describe(got), fpstate.Describe(before))
	}
	if r, err := c.Call(&a); err != failed || r.N != 1 {
		t.Errorf("second call: %v, %v; want what the call returned, the change being reported already", r, err)
	}
	if got := fpstate.Control(); got != before {
		t.Errorf("after the second call, the state is %s, want %s", fpstate.Describe(got), fpstate.Describe(before))
	}
	if err := checkFP("k", "p", func() {}); err != nil {
		t.Errorf("a call that changes nothing: %v", err)
	}
}
