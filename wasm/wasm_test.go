package wasm

import (
	"encoding/binary"
	"errors"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/wasmabi"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm/engine"
)

// TestMain fails the run if the garbage collector reclaimed an instance
// without a Close that no test dropped on purpose.
func TestMain(m *testing.M) { kerneltest.Main(m, func() int64 { return 0 }) }

// TestTrap makes the module trap by calling an export past the checks of
// the Go side, as a bug there would: the error says the instance is broken,
// every later call says so too, and Close still works.
func TestTrap(t *testing.T) {
	hosts, regions, rel, err := builtins(wazeroEngine, zerocall.SIMD128, 100, 10)
	if err != nil {
		t.Fatal(err)
	}
	kerneltest.Trap(t, hosts, regions, rel, func() (*zerocall.Instance, error) { return New(zerocall.Config{Capacity: 100}) })
}

func TestMalformedModule(t *testing.T) {
	for name, tc := range map[string]struct {
		bin  []byte
		want string
	}{
		"no exports":      {testModule(nil), `no exported function "zc_abi_version"`},
		"no matmul":       {testModule(abi(func(s map[string]sig) { delete(s, "matmul") })), `no exported function "matmul"`},
		"sum returns i32": {testModule(abi(func(s map[string]sig) { s["sum"] = sig{[]byte{i32}, []byte{i32}} })), `export "sum" has type`},
	} {
		t.Run(name, func(t *testing.T) {
			m, err := wazeroEngine.Compile(tc.bin, 0, 0)
			if err != nil {
				t.Fatalf("compiling the test module: %v", err)
			}
			defer m.Close()
			_, _, memory := m.Memory()
			err = wasmabi.CheckBuiltins(lookupIn(m), memory, m.Imports())
			if !errors.Is(err, zerocall.ErrLoad) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want zerocall.ErrLoad saying %s", err, tc.want)
			}
		})
	}
}

// The value types of the test modules.
const (
	i32 = 0x7f
	f64 = 0x7c
)

// sig is a function signature of a test module.
type sig struct{ params, results []byte }

// abi returns the signatures zerocall needs, changed by edit.
func abi(edit func(map[string]sig)) map[string]sig {
	s := make(map[string]sig)
	enc := func(ts []wasmabi.Type) []byte {
		b := make([]byte, len(ts))
		for i, t := range ts {
			b[i] = byte(t)
		}
		return b
	}
	for _, e := range wasmabi.ModuleExports {
		s[e.Name] = sig{enc(e.Params), enc(e.Results)}
	}
	for _, name := range wasmabi.BuiltinNames {
		s[name] = sig{enc(wasmabi.KernelParams), enc(wasmabi.KernelResults)}
	}
	edit(s)
	return s
}

// testModule encodes a module that exports a memory and, under each name
// in fns, a function of that signature whose body traps.
func testModule(fns map[string]sig) []byte {
	names := slices.Sorted(maps.Keys(fns))
	vec := func(items ...[]byte) []byte {
		out := binary.AppendUvarint(nil, uint64(len(items)))
		for _, it := range items {
			out = append(out, it...)
		}
		return out
	}
	name := func(s string) []byte { return append(binary.AppendUvarint(nil, uint64(len(s))), s...) }
	section := func(id byte, body []byte) []byte {
		return append(binary.AppendUvarint([]byte{id}, uint64(len(body))), body...)
	}
	var types, funcs, exports, codes [][]byte
	for i, n := range names {
		s := fns[n]
		types = append(types, append(append([]byte{0x60}, vec(bytesOf(s.params)...)...), vec(bytesOf(s.results)...)...))
		funcs = append(funcs, binary.AppendUvarint(nil, uint64(i)))
		exports = append(exports, append(name(n), append([]byte{0x00}, binary.AppendUvarint(nil, uint64(i))...)...))
		body := []byte{0x00, 0x00, 0x0b} // no locals; unreachable; end
		codes = append(codes, append(binary.AppendUvarint(nil, uint64(len(body))), body...))
	}
	exports = append(exports, append(name("memory"), 0x02, 0x00))
	m := []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}
	m = append(m, section(1, vec(types...))...)
	m = append(m, section(3, vec(funcs...))...)
	m = append(m, section(5, vec([]byte{0x00, 0x01}))...) // one memory, min 1 page
	m = append(m, section(7, vec(exports...))...)
	return append(m, section(10, vec(codes...))...)
}

// bytesOf splits b into one-byte items for vec.
func bytesOf(b []byte) [][]byte {
	out := make([][]byte, len(b))
	for i := range b {
		out[i] = b[i : i+1]
	}
	return out
}

// TestInitStatus reserves regions where memory cannot grow: zc_reserve's
// refusal must come back as ErrNoMemory naming it.
func TestInitStatus(t *testing.T) {
	e := &wazeroRuntime{config: func() wazero.RuntimeConfig { return wazero.NewRuntimeConfig().WithMemoryLimitPages(64) }}
	_, _, _, err := builtins(e, zerocall.SIMD128, 1<<20, 16)
	if !errors.Is(err, zerocall.ErrNoMemory) || !strings.Contains(err.Error(), "zc_reserve") {
		t.Errorf("zc_reserve past the memory limit: err = %v, want ErrNoMemory naming zc_reserve", err)
	}
}

// panicky is a runtime whose compiler panics.
type panicky struct{ wazeroRuntime }

func (*panicky) Compile([]byte, time.Duration, uint64) (engine.Module, error) {
	panic("index out of range")
}

// TestCompilePanics loads a module on a runtime whose compiler panics:
// Load fails with ErrLoad saying so, and the panic goes no further.
func TestCompilePanics(t *testing.T) {
	_, err := Load(testkernel.Module(), zerocall.Config{Engine: &panicky{}})
	if !errors.Is(err, zerocall.ErrLoad) || !strings.Contains(err.Error(), "wazero panicked compiling it: index out of range") {
		t.Errorf("err = %v, want ErrLoad saying the runtime panicked", err)
	}
}

// TestExportList holds the modules and the hosts to the one export list,
// wasm/embed/exports.txt: each module exports exactly its functions and
// its memory, and the hosts call nothing else.
func TestExportList(t *testing.T) {
	list, err := os.ReadFile("embed/exports.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Sorted(slices.Values(strings.Fields(string(list))))
	for _, m := range []zerocall.Variant{zerocall.SIMD128, zerocall.Scalar} {
		c, err := builtinModule(wazeroEngine, m)
		if err != nil {
			t.Fatal(err)
		}
		cm := c.(*wazeroModule).cm
		got := slices.Sorted(maps.Keys(cm.ExportedFunctions()))
		if !slices.Equal(got, want) {
			t.Errorf("%v exports %v, exports.txt lists %v", m, got, want)
		}
		if mems := cm.ExportedMemories(); len(mems) != 1 || mems["memory"] == nil {
			t.Errorf("%v exports memories %v, want one named memory", m, mems)
		}
	}
	called := []string{"zc_abi_version", "zc_reserve"}
	called = append(called, wasmabi.BuiltinNames[:]...)
	for _, k := range []*kernel.Kernel{kernel.Sum, kernel.Dot, kernel.Axpy, kernel.FIR, kernel.MatMul} {
		called = append(called, k.Name+wasmabi.BatchSuffix) // Func.Batch of a built-in Func
	}
	if got := slices.Sorted(slices.Values(called)); !slices.Equal(got, want) {
		t.Errorf("the hosts call %v, exports.txt lists %v", got, want)
	}
}

// TestNoSuchVariant checks that an instance of a variant the module has
// no build of is refused with ErrUnsupported, in words that name it.
func TestNoSuchVariant(t *testing.T) {
	_, err := New(zerocall.Config{Variant: zerocall.AVX2})
	if !errors.Is(err, zerocall.ErrUnsupported) || !strings.Contains(err.Error(), zerocall.AVX2.String()) {
		t.Errorf("err = %v, want ErrUnsupported naming %v", err, zerocall.AVX2)
	}
}
