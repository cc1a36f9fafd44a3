//go:build cgo

package zctest_test

import (
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/zerocall/zerocall/internal/fpstate"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/ckernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/ftzkernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/zctest"
)

// TestFPStateChanged runs, in a test binary of its own, the test kit on
// a C kernel that sets flush to zero and leaves it set
// (internal/testing/testkernel/ftzkernel): every path of Run and the batch must
// fail, naming the kernel, the path and both states. The kernel that
// keeps the rule passes, before and after it: the kit restores the state
// it finds changed.
func TestFPStateChanged(t *testing.T) {
	if os.Getenv("ZCTEST_FP_CHILD") == "1" {
		good, err := native.NewFunc(testkernel.Saxpy, ckernel.Pointer())
		if err != nil {
			t.Fatal(err)
		}
		ftz, err := native.NewFunc(testkernel.Saxpy, ftzkernel.Pointer())
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			f    *native.Func
		}{{"good", good}, {"ftz", ftz}, {"good-after", good}} {
			t.Run(c.name, func(t *testing.T) {
				zctest.Run(t, testkernel.Spec(c.f))
			})
		}
		return
	}
	if !fpstate.Supported {
		t.Skip("no control state read on " + runtime.GOARCH)
	}
	runtime.LockOSThread()
	before := fpstate.Describe(fpstate.Control())
	runtime.UnlockOSThread()
	cmd := kerneltest.Reexec("-test.run=^TestFPStateChanged$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), "ZCTEST_FP_CHILD=1")
	b, err := cmd.CombinedOutput()
	out := string(b)
	if err == nil {
		t.Fatalf("the test kit passed a kernel that leaves flush to zero set:\n%s", out)
	}
	for _, path := range []string{"cgo", "cgo-pin-per-call", "cgo-pinned-copy", "cgo-pinned-inplace", "cgo-cowned-copy",
		"cgo-cowned-inplace", "batch Run", "batch Run of a series", "batch Stream"} {
		want := "kernel test-saxpy, path " + path + ": the call changed the floating-point control state from " + before + " to " + fpstate.Name
		if !strings.Contains(out, want) {
			t.Errorf("no %q in the output", want)
		}
	}
	if !strings.Contains(out, "flush to zero") {
		t.Error("the output does not name flush to zero")
	}
	for _, want := range []string{"--- PASS: TestFPStateChanged/good ", "--- FAIL: TestFPStateChanged/ftz ", "--- PASS: TestFPStateChanged/good-after "} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in the output", want)
		}
	}
	if t.Failed() {
		t.Logf("the test kit on the kernels:\n%s", out)
	}
}
