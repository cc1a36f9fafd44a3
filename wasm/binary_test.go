package wasm_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/wasmabi"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/wasm/embed"
)

// TestCheckBinaryGood reads every module the tests have: each holds
// what it declares.
func TestCheckBinaryGood(t *testing.T) {
	bins := map[string][]byte{
		"saxpy":  testkernel.Module(),
		"simd":   embed.Bytes(zerocall.SIMD128),
		"scalar": embed.Bytes(zerocall.Scalar),
		"tiny":   testkernel.Tiny{}.Bytes(),
	}
	for _, name := range []string{"outside", "overlap", "misaligned", "version", "signature", "grows", "count", "traps", "loops", "small"} {
		bins[name] = testkernel.Hostile(name)
	}
	// The tiny module with custom sections after its code: a name section
	// with the module's, a function's and a local's name, and another.
	bins["named"] = append(testkernel.Tiny{}.Bytes(),
		0x00, 26, 4, 'n', 'a', 'm', 'e',
		0x00, 5, 4, 't', 'i', 'n', 'y', // the module's name
		0x01, 4, 1, 0, 1, 'v', // function 0 is v
		0x02, 6, 1, 1, 1, 2, 1, 'n', // local 2 of function 1 is n
		0x00, 5, 3, 'a', 'b', 'c', 0x99)
	for name, bin := range bins {
		if err := wasm.CheckBinary(bin); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	lib, err := wasm.Load(bins["named"], zerocall.Config{})
	if err != nil {
		t.Fatalf("the tiny module with a name section: %v", err)
	}
	lib.Close()
}

// TestLoadDeclaresTooMuch loads modules of a few bytes that declare
// vectors, names or bodies far past their bytes, each of which wazero
// would allocate in full before reading it, and the process die of:
// Load refuses each with zerocall.ErrLoad, saying what is wrong, and a type
// outside the ABI's too.
func TestLoadDeclaresTooMuch(t *testing.T) {
	// The modules of testkernel.MalformedModules are every runtime's
	// (package wasm/enginetest); this one is the reader's own.
	for _, c := range []testkernel.Malformed{{
		Name: "type form", Bin: []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00, 1, 2, 1, 0x4e}, Message: "type form 0x4e"}, {
		Name: "locals", Bin: manyLocals(1000, 50000), Message: "more locals between them than the module has bytes"}} {
		_, err := wasm.Load(c.Bin, zerocall.Config{})
		if !errors.Is(err, zerocall.ErrLoad) || !strings.Contains(err.Error(), c.Message) {
			t.Errorf("%s: err = %v, want zerocall.ErrLoad saying %q", c.Name, err, c.Message)
		}
	}
}

// TestLoadRefusesImports loads the tiny module with an import of each
// kind besides a function and a memory: a table and a global. Each fails
// Load, naming the import, as a function's does; not every engine lists
// them, and they would fail later, at instantiation.
func TestLoadRefusesImports(t *testing.T) {
	tiny := testkernel.Tiny{}.Bytes()
	end := 10 + int(tiny[9]) // past the type section, which comes first
	for name, desc := range map[string][]byte{
		"table":  {0x01, 0x70, 0x01, 0x01, 0x01}, // funcref, 1 to 1
		"global": {0x03, 0x7f, 0x01},             // a mutable i32
	} {
		imp := append([]byte{1, 3, 'e', 'n', 'v', byte(len(name))}, name...)
		imp = append(imp, desc...)
		bin := append(append(append([]byte{}, tiny[:end]...), 2, byte(len(imp))), imp...)
		bin = append(bin, tiny[end:]...)
		_, err := wasm.Load(bin, zerocall.Config{})
		if !errors.Is(err, zerocall.ErrLoad) || !strings.Contains(err.Error(), "it imports env."+name) {
			t.Errorf("a module that imports a %s: %v, want ErrLoad naming env.%s", name, err, name)
		}
	}
}

// manyLocals returns a module of n functions that hold nothing but the
// declaration of k i32 locals each: 8 bytes a function, which wazero
// decodes into a byte a local, k of them.
func manyLocals(n, k int) []byte {
	vec := func(n int, item []byte) []byte {
		out := wasmabi.AppendULEB(nil, uint64(n))
		for range n {
			out = append(out, item...)
		}
		return out
	}
	section := func(out []byte, id byte, contents []byte) []byte {
		out = wasmabi.AppendULEB(append(out, id), uint64(len(contents)))
		return append(out, contents...)
	}
	body := append(wasmabi.AppendULEB([]byte{1}, uint64(k)), 0x7f, 0x0b) // k i32 locals; end
	out := []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}
	out = section(out, 1, []byte{1, 0x60, 0, 0}) // () -> ()
	out = section(out, 3, vec(n, []byte{0}))
	return section(out, 10, vec(n, append(wasmabi.AppendULEB(nil, uint64(len(body))), body...)))
}
