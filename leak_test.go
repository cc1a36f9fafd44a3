package zerocall_test

import (
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/zerocall/zerocall"
)

// TestMain fails the run if any instance was left for the garbage
// collector instead of being closed.
func TestMain(m *testing.M) {
	code := m.Run()
	for range 5 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if n := zerocall.Leaked(); code == 0 && n != 0 {
		fmt.Fprintf(os.Stderr, "%d instances were never closed\n", n)
		code = 1
	}
	os.Exit(code)
}
