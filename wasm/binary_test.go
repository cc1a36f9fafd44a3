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
// Load refuses each with zerocall.ErrLoad, saying what is wrong, and a
// module the reader cannot read, or that is outside the ABI, too.
func TestLoadDeclaresTooMuch(t *testing.T) {
	hdr := []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}
	bin := func(b ...byte) []byte { return append(append([]byte{}, hdr...), b...) }
	sec := func(id byte, b ...byte) []byte { return bin(append([]byte{id, byte(len(b))}, b...)...) }
	// The modules of testkernel.MalformedModules are every runtime's
	// (package wasm/enginetest); these are the reader's own.
	for _, c := range []testkernel.Malformed{
		{Name: "type form", Bin: sec(1, 1, 0x4e), Message: "type form 0x4e"},
		{Name: "locals", Bin: manyLocals(1000, 50000), Message: "more locals between them than the module has bytes"},
		{Name: "end in a section header", Bin: bin(1), Message: "unexpected end"},
		{Name: "size past 32 bits", Bin: bin(1, 0xff, 0xff, 0xff, 0xff, 0x7f), Message: "a number past 32 bits"},
		{Name: "size of 6 bytes", Bin: bin(1, 0x80, 0x80, 0x80, 0x80, 0x80, 0), Message: "a number past 32 bits"},
		{Name: "value type", Bin: sec(1, 1, 0x60, 1, 0x55, 0), Message: "value type 0x55"},
		{Name: "table with no maximum", Bin: sec(4, 1, 0x70, 0x00, 0x01), Message: "no maximum size"},
		{Name: "tables too large", Bin: sec(4, 1, 0x70, 0x01, 0x00, 0xff, 0xff, 0xff, 0xff, 0x0f), Message: "tables of more than"},
		{Name: "limits flags", Bin: sec(4, 1, 0x70, 0x10, 0x00), Message: "limits flags 0x10"},
		{Name: "reference type", Bin: sec(4, 1, 0x7f, 0x01, 0x00, 0x01), Message: "reference type 0x7f"},
		{Name: "table prefix", Bin: sec(4, 1, 0x40, 0x01, 0x70, 0x01, 0x00, 0x01), Message: "table prefix"},
		{Name: "table's initial value", Bin: sec(4, 1, 0x40, 0x00, 0x70, 0x01, 0x00, 0x01, 0x99), Message: "opcode 0x99 in a constant expression"},
		{Name: "v128 global", Bin: sec(6, 1, 0x7b, 0x00, 0xfd, 0x0d), Message: "opcode 0xfd in a constant expression"},
		{Name: "number past 64 bits", Bin: sec(6, 1, 0x7f, 0x00, 0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00), Message: "a number past 64 bits"},
		{Name: "element flags", Bin: sec(9, 1, 0x08), Message: "element segment flags 8"},
		{Name: "data flags", Bin: sec(11, 1, 0x03), Message: "data segment flags 3"},
		{Name: "section id", Bin: sec(14), Message: "section id 14"},
		{Name: "import kind", Bin: sec(2, 1, 1, 'e', 1, 'f', 0x05), Message: "import kind 0x5"},
	} {
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
