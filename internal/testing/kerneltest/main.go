package kerneltest

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zerocall/zerocall"
)

// Dropped counts the instances that shared suites (package
// wasm/enginetest) drop on purpose; Main allows them too.
var Dropped atomic.Int64

// Main runs the tests of m and fails the run if the garbage collector
// reclaimed more instances without a Close than expected() says tests
// dropped on purpose: the backstop must not hide a missing Close.
func Main(m *testing.M, expected func() int64) {
	code := m.Run()
	unexpected := func() int64 { return zerocall.Leaked() - expected() - Dropped.Load() }
	if code == 0 && !AfterGC(func() bool { return unexpected() == 0 }) {
		fmt.Fprintf(os.Stderr, "%d instances were never closed\n", unexpected())
		code = 1
	}
	os.Exit(code)
}

// AfterGC runs the collector and waits, until done reports true or 20
// seconds have passed, and returns done's last answer: a test that waits
// for finalizers (the backstop of a dropped instance) to run. It returns
// as soon as they have, and the deadline is far past what they take, so
// that a machine that is slowed down or paused does not fail the test.
func AfterGC(done func() bool) bool {
	deadline := time.Now().Add(20 * time.Second)
	for !done() {
		if time.Now().After(deadline) {
			return done()
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	return true
}

// Reexec returns a command that runs this test binary again with args,
// through the runner in $ZEROCALL_TEST_EXEC when the tests run under one
// (go test -exec, as make test-arm64-go runs them under qemu-user): a
// test that must see a process fail, or start afresh.
func Reexec(args ...string) *exec.Cmd {
	runner := strings.Fields(os.Getenv("ZEROCALL_TEST_EXEC"))
	argv := append(append(runner, os.Args[0]), args...)
	return exec.Command(argv[0], argv[1:]...)
}

// Race reports whether the tests run under the race detector, which makes
// very large allocations costly and allocation counts inexact.
const Race = raceEnabled

// NeedAsmTools skips t unless the tools of zerocall gen are on the PATH:
// clang 14 and llvm-objdump 14 (make test installs them).
func NeedAsmTools(t testing.TB) {
	t.Helper()
	needTools(t, "clang-14", "llvm-objdump-14")
}

// NeedWasmTools skips t unless the tools of zerocall module are on the
// PATH: clang 14 and wasm-ld 14 (make test installs them).
func NeedWasmTools(t testing.TB) {
	t.Helper()
	needTools(t, "clang-14", "wasm-ld-14")
}

// NeedExactAllocs skips t, which counts allocations, in a build where
// the counts are not exact (InexactAllocs).
func NeedExactAllocs(t testing.TB) {
	t.Helper()
	if InexactAllocs {
		t.Skip("allocation counts are not exact under -race or -asan")
	}
}

// needTools skips t unless every one of tools is on the PATH.
func needTools(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found", tool)
		}
	}
}
