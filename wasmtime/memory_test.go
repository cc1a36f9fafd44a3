package wasmtime

import (
	"errors"
	"strings"
	"testing"

	wt "github.com/bytecodealliance/wasmtime-go/v39"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/wasmabi"
)

// TestSharedMemoryUnchecked instantiates a module with a shared memory,
// which Load refuses (TestHostileModules/shared), through a Library made
// without Load's checks: Wasmtime gives no *wt.Memory for a shared
// memory's export, and Func.Handle fails with zerocall.ErrLoad rather than
// dereferencing nil.
func TestSharedMemoryUnchecked(t *testing.T) {
	bin := testkernel.Tiny{Memories: []byte{testkernel.MemShared | testkernel.MemMax}}.Bytes()
	mod, err := wt.NewModule(engineOf(), bin)
	if err != nil {
		t.Fatal(err)
	}
	lookup, _, _ := describe(mod)
	lib := &Library{engine: engineOf(), mod: mod, lib: wasmabi.Lib{Max: 2 * 65536}, funcs: lookup}
	defer lib.Close()
	f, err := lib.Func(testkernel.Saxpy, testkernel.Export)
	if err != nil {
		t.Fatal(err)
	}
	h, err := f.Handle(zerocall.Module, 8, 8, 8)
	if err == nil {
		h.Close()
	}
	if !errors.Is(err, zerocall.ErrLoad) || !strings.Contains(err.Error(), `export "memory" is not a plain memory`) {
		t.Fatalf("Func.Handle of a module with a shared memory: err = %v, want zerocall.ErrLoad", err)
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
