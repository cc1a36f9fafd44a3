package testkernel

import "slices"

// Malformed is a module of a few bytes that declares far more than it
// holds: a vector, a name or a body past its bytes, or a type past its
// types. An engine that sizes what it decodes by what the module declares
// would allocate gigabytes for it; one that indexes by what it declares
// would panic (wazero v1.12 does, for a function's type).
type Malformed struct {
	Name string
	Bin  []byte
	// Message is what package wasm says of it, which reads the module's
	// structure before wazero does.
	Message string
}

// oneType is a type section of one type, () -> ().
var oneType = []byte{1, 1, 0x60, 0, 0}

// maxU32 is 2³² - 1 as LEB128.
var maxU32 = []byte{0xff, 0xff, 0xff, 0xff, 0x0f}

// MalformedModules returns the modules that declare too much, one way
// each.
func MalformedModules() []Malformed {
	return []Malformed{
		{"imports", moduleOf(joined([]byte{2}, maxU32)), "4294967295 imports in 0 bytes"},
		{"params", moduleOf(joined([]byte{1, 1, 0x60}, maxU32)), "4294967295 value types"},
		{"export name", moduleOf(joined([]byte{7, 1}, maxU32)), "4294967295 bytes past the end"},
		{"globals", moduleOf(joined([]byte{6}, maxU32, []byte{0x7f, 0x00, 0x41, 0x00, 0x0b})), "4294967295 globals in 5 bytes"},
		{"body", moduleOf(oneType, []byte{3, 1, 0}, joined([]byte{10, 1}, maxU32)), "4294967295 bytes of a function body"},
		{"locals", moduleOf(oneType, []byte{3, 1, 0}, joined([]byte{10, 1, 7, 1}, maxU32, []byte{0x7f})), "past the limit of 50000"},
		{"type index", moduleOf(oneType, []byte{3, 1, 5}, []byte{10, 1, 2, 0, 0x0b}), "function 0 of type 5, and the module has 1 types"},
		{"import type", moduleOf(oneType, []byte{2, 1, 1, 'm', 1, 'f', 0, 1}), "an imported function of type 1, and the module has 1 types"},
		{"data", moduleOf(joined([]byte{11, 1, 1}, maxU32)), "4294967295 bytes past the end"},
		{"elements", moduleOf(joined([]byte{9, 1, 1, 0}, maxU32)), "4294967295 function indices"},
		{"custom", moduleOf(joined([]byte{0}, maxU32)), "4294967295 bytes past the end"},
		{"function names", moduleOf(joined([]byte{0, 4, 'n', 'a', 'm', 'e', 1, 5}, maxU32)), "4294967295 names"},
		{"section", joined(moduleOf(), []byte{1}, maxU32), "section 1 of 4294967295 bytes past the end"},
		// Tables are allocated at instantiation (and filled, with an
		// initializer), outside the memory limit, and grow.
		{"table of no maximum", moduleOf([]byte{4, 1, 0x40, 0x00, 0x70, 0x00, 0x80, 0x80, 0x80, 0x40, 0xd2, 0x00, 0x0b}), "a table with no maximum size"},
		{"tables", moduleOf([]byte{4, 2, 0x70, 0x01, 0x00, 0x80, 0x80, 0x04, 0x70, 0x01, 0x00, 0x01}), "tables of more than 65536 elements between them"},
		{"table maximum", moduleOf([]byte{4, 1, 0x70, 0x01, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}), "tables of more than 65536 elements between them"},
	}
}

// moduleOf returns a module of the given sections, each its id and its
// contents.
func moduleOf(secs ...[]byte) []byte {
	out := []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}
	for _, s := range secs {
		out = encSection(out, s[0], s[1:])
	}
	return out
}

// joined concatenates bs.
func joined(bs ...[]byte) []byte {
	var out []byte
	for _, b := range bs {
		out = append(out, b...)
	}
	return out
}

// SlowToCompile returns a module of n functions, each a loop that
// branches back from k places, each after reading another of its k
// locals: a few kilobytes that an optimizing compiler may take time of
// the order of k³ on (wazero's, about half a second a function at k =
// 500 here, and half a minute at k = 2000). It has none of the ABI's
// exports.
func SlowToCompile(n, k int) []byte {
	locals := append(append([]byte{1}, leb(uint32(k))...), 0x7f)
	code := []byte{0x03, 0x40} // loop
	for i := range k {
		code = append(append(append(code, 0x20), leb(uint32(i))...), 0x0d, 0x00) // local.get i; br_if 0
	}
	code = append(code, 0x0b) // the loop's end
	funcs, bodies := make([]byte, n), make([][]byte, n)
	for i := range bodies {
		bodies[i] = encBody(slices.Clone(locals), code)
	}
	out := moduleOf(oneType)
	out = encSection(out, 3, encVec(bytesOf(funcs)...))
	return encSection(out, 10, encVec(bodies...))
}

// bytesOf returns each byte of b as a slice of its own.
func bytesOf(b []byte) [][]byte {
	out := make([][]byte, len(b))
	for i := range b {
		out[i] = b[i : i+1]
	}
	return out
}
