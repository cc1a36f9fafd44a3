package kerneltest

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
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
	for range 5 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if n := zerocall.Leaked() - expected() - Dropped.Load(); code == 0 && n != 0 {
		fmt.Fprintf(os.Stderr, "%d instances were never closed\n", n)
		code = 1
	}
	os.Exit(code)
}

// Race reports whether the tests run under the race detector, which makes
// very large allocations costly and allocation counts inexact.
const Race = raceEnabled

// NeedTools skips t unless every one of tools is on the PATH (make test
// installs them).
func NeedTools(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found", tool)
		}
	}
}
