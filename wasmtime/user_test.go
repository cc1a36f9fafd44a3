package wasmtime

import (
	"testing"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/zctest"
)

// saxpy loads the test kernel's module and returns its Func.
func saxpy(t testing.TB, cfg zerocall.Config) *wasm.Func {
	t.Helper()
	return testkernel.LoadFunc(t, Load, testkernel.Module(), cfg, testkernel.Saxpy, testkernel.Export)
}

// TestUserModule runs the test kernel's module on Wasmtime through the
// test kit, without and with a time limit (epoch interruption, which
// costs no allocation).
func TestUserModule(t *testing.T) {
	for _, cfg := range []zerocall.Config{{}, {TimeLimit: time.Second}} {
		s := testkernel.Spec(saxpy(t, cfg))
		name := "no-limit"
		if cfg.TimeLimit > 0 {
			name = "time-limit"
		}
		t.Run(name, func(t *testing.T) { zctest.Run(t, s) })
	}
}

// load loads a module on Wasmtime for the hostile-module tests.
var load = testkernel.Loader(Load)

// TestHostileModules runs the hostile modules of testkernel on Wasmtime.
func TestHostileModules(t *testing.T) { testkernel.RunHostile(t, load) }

// TestUserModuleBackstop drops an instance without Close: the backstop
// frees the shim's part and keeps the store, so views stay usable.
func TestUserModuleBackstop(t *testing.T) {
	testkernel.RunBackstop(t, saxpy(t, zerocall.Config{}), &expectedLeaks)
}

// TestLibraryClose closes a library with an instance open: the instance
// keeps working, and Func and Func.Handle say the library is closed.
func TestLibraryClose(t *testing.T) {
	testkernel.RunLibraryClose(t, Load, zerocall.Config{TimeLimit: time.Second})
}
