package zctest

import (
	"fmt"
	"runtime"
	"sync/atomic"

	"github.com/zerocall/zerocall/internal/fpstate"
	"github.com/zerocall/zerocall/kernel"
)

// checkFP runs call, which calls the kernel named kernel by path, with
// the goroutine locked to its thread, and returns an error if the call
// changed the thread's floating-point control state (MXCSR on amd64, FPCR
// on arm64: flush to zero, denormals are zero, rounding, exception
// masks). A cgo call runs on the calling thread, as Go code does, so a
// kernel that leaves the state changed changes the Go code that runs
// there after it. checkFP restores the state it found, so that the rest
// of the test runs in the state Go expects.
func checkFP(kernel, path string, call func()) error {
	if !fpstate.Supported {
		call()
		return nil
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	before := fpstate.Control()
	call()
	after := fpstate.Control()
	if after == before {
		return nil
	}
	fpstate.SetControl(before)
	return fmt.Errorf("kernel %s, path %s: the call changed the floating-point control state from %s to %s "+
		"and left it so; a kernel must restore what it found (zc_kernel.h), or Go's own float math on the thread changes",
		kernel, path, fpstate.Describe(before), fpstate.Describe(after))
}

// fpCaller checks that each call of c leaves the floating-point control
// state as it found it (checkFP). It reports a change once, at the first
// call that makes it; later calls restore the state all the same.
type fpCaller struct {
	c            caller
	kernel, path string
	reported     atomic.Bool
}

func (c *fpCaller) Call(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
	var r kernel.Return
	var err error
	fpErr := checkFP(c.kernel, c.path, func() { r, err = c.c.Call(a, bufs...) })
	if fpErr != nil && !c.reported.Swap(true) {
		if err != nil {
			return r, fmt.Errorf("%v (the call also failed: %w)", fpErr, err)
		}
		return r, fpErr
	}
	return r, err
}

func (c *fpCaller) Close() error { return c.c.Close() }
