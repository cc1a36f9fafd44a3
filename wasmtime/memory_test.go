package wasmtime

import (
	"errors"
	"strings"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
)

// TestSharedMemoryUnchecked instantiates a module with a shared memory,
// which Load refuses (TestHostileModules/shared), on the Engine without
// Load's checks: Wasmtime gives no *wt.Memory for a shared memory's
// export, and Instantiate fails rather than dereference nil.
func TestSharedMemoryUnchecked(t *testing.T) {
	bin := testkernel.Tiny{Memories: []byte{testkernel.MemShared | testkernel.MemMax}}.Bytes()
	m, err := Engine.Compile(bin, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	in, err := m.Instantiate()
	if err == nil {
		_ = in.Close()
	}
	if err == nil || !strings.Contains(err.Error(), `export "memory" is not a plain memory`) {
		t.Fatalf("instantiating a module with a shared memory: err = %v, want it refused", err)
	}
}

// TestLoadDeclaresTooMuch loads modules of a few bytes that declare
// vectors, names or bodies far past their bytes: Load refuses each with
// zerocall.ErrLoad.
func TestLoadDeclaresTooMuch(t *testing.T) {
	for _, c := range testkernel.MalformedModules() {
		if _, err := Load(c.Bin, zerocall.Config{}); !errors.Is(err, zerocall.ErrLoad) {
			t.Errorf("%s: err = %v, want zerocall.ErrLoad", c.Name, err)
		}
	}
}
