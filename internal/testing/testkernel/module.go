package testkernel

import (
	"embed"
	"errors"
	"fmt"
	"slices"

	"github.com/zerocall/zerocall/internal/wasmabi"
)

// Export is the name the kernel has in the wasm modules.
const Export = Symbol

var (
	//go:embed saxpy.wasm
	module []byte
	//go:embed hostile/*.wasm
	hostile embed.FS
)

// Module returns the kernel built into a module of the zerocall module
// ABI (wasm/module/zc_module.h), from the same C as the native tests.
func Module() []byte { return module }

// Hostile returns the module hostile/<name>.wasm, which breaks the module
// ABI in the way hostile.c describes.
func Hostile(name string) []byte {
	b, err := hostile.ReadFile("hostile/" + name + ".wasm")
	if err != nil {
		panic(err)
	}
	return b
}

// WithStart returns a copy of the module bin with a start section that
// calls its exported function export, which must take and return
// nothing. The start section (id 8) goes after the exports and before the
// first of the element, data count, code and data sections (ids 9–12).
func WithStart(bin []byte, export string) ([]byte, error) {
	if len(bin) < 8 {
		return nil, errors.New("testkernel: not a wasm module")
	}
	idx, insert := exportFunc(bin, export)
	if idx < 0 || insert < 0 {
		return nil, fmt.Errorf("testkernel: no function export %q, or no place for a start section", export)
	}
	sec := append([]byte{8}, leb(uint32(len(leb(uint32(idx)))))...)
	sec = append(sec, leb(uint32(idx))...)
	out := append([]byte{}, bin[:insert]...)
	out = append(out, sec...)
	return append(out, bin[insert:]...), nil
}

// WithName returns a copy of the module bin with a name section, at its
// end, that names the function of its export export name.
func WithName(bin []byte, export, name string) []byte {
	idx, _ := exportFunc(bin, export)
	if idx < 0 {
		panic("testkernel: no function export " + export)
	}
	names := joined(leb(1), leb(uint32(idx)), leb(uint32(len(name))), []byte(name)) // one name
	sub := joined([]byte{1}, leb(uint32(len(names))), names)                        // the functions' names
	return encSection(slices.Clone(bin), 0, joined(leb(4), []byte("name"), sub))
}

// exportFunc returns the function index of the module bin's export
// named export, or -1, and the offset of its first element, data count,
// code or data section (ids 9–12), before which a start section goes, or
// -1.
func exportFunc(bin []byte, export string) (idx, insert int) {
	idx, insert = -1, -1
	for p := 8; p < len(bin); {
		id := bin[p]
		size, n := uleb(bin[p+1:])
		body := p + 1 + n
		if id == 7 {
			idx = exportIndex(bin[body:body+int(size)], export)
		}
		if insert < 0 && id >= 9 && id <= 12 {
			insert = p
		}
		p = body + int(size)
	}
	return idx, insert
}

// exportIndex returns the function index of the export named name in an
// export section's body, or -1.
func exportIndex(b []byte, name string) int {
	count, n := uleb(b)
	b = b[n:]
	for range count {
		l, n := uleb(b)
		nm := string(b[n : n+int(l)])
		b = b[n+int(l):]
		kind := b[0]
		i, n := uleb(b[1:])
		b = b[1+n:]
		if kind == 0 && nm == name {
			return int(i)
		}
	}
	return -1
}

// uleb decodes an unsigned LEB128 number and returns it with its length.
func uleb(b []byte) (uint32, int) {
	var v uint32
	for i, c := range b {
		v |= uint32(c&0x7f) << (7 * i)
		if c < 0x80 {
			return v, i + 1
		}
	}
	return 0, len(b)
}

// leb encodes v as unsigned LEB128.
func leb(v uint32) []byte { return wasmabi.AppendULEB(nil, uint64(v)) }
