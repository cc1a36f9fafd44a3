package wasm

import (
	"fmt"

	"github.com/zerocall/zerocall"
)

// checkBinary reads the structure of the module bin before wazero decodes
// it, and fails with zerocall.ErrLoad unless every section, and every
// vector, name and function body in it, lies within its bytes. wazero
// sizes what it decodes by the counts and lengths a module declares before
// reading the items: a module of a few bytes that declares 2³² imports, a
// name of 4 GiB or a body of as many locals would have it allocate that
// much, and the process dies of it. A module that holds what it declares
// cannot do that; the rest wazero checks (validation, the ABI's checks) as
// before.
//
// It also refuses a function, imported function or tag whose type index
// is past the type section, which wazero v1.12's validation indexes with
// before it checks it, and panics.
//
// It reads the binary format of WebAssembly 2.0, as wazero decodes it
// with the features the runtimes enable; a construct outside it (a type
// other than a function type, say) is refused, as a module of the ABI has
// none. Function bodies are read as far as their locals, of which each
// may declare at most maxLocals, as Wasmtime allows, and all of them
// together no more than the module has bytes (moduleLocals); their code
// is left to wazero's validation, which allocates nothing by what it
// declares.
func checkBinary(bin []byte) error {
	const header = 8 // the magic number and the version
	if len(bin) < header || string(bin[:header]) != "\x00asm\x01\x00\x00\x00" {
		return nil // wazero says what is wrong
	}
	nlocals := moduleLocals(len(bin))
	r := &binReader{b: bin, p: header, types: new(uint32), elems: new(uint64), nlocals: &nlocals}
	for r.p < len(bin) && r.err == nil {
		id := r.byte()
		size := r.u32()
		if r.err != nil {
			break
		}
		if uint64(size) > uint64(len(bin)-r.p) {
			r.fail("section %d of %d bytes past the end of the module", id, size)
			break
		}
		r.part("section", uint32(id), size, func(s *binReader) { s.section(id) })
	}
	return r.err
}

// maxLocals is the most locals a function may declare, Wasmtime's limit.
const maxLocals = 50000

// moduleLocals returns the most locals the functions of a module of n
// bytes may declare between them: one a byte, or maxLocals if that is
// more. wazero keeps a byte for each local of every function from the
// module's decoding on, and its compiler clears each: a module of
// functions of 8 bytes that each declare maxLocals would have it allocate
// thousands of times its size (a gigabyte for 160 KB). A function that
// clang makes uses each local it declares, in two bytes or more.
func moduleLocals(n int) uint64 { return uint64(max(n, maxLocals)) }

// maxTableElems is the most elements a module's tables may hold between
// them, by their maximum sizes: a runtime allocates a table's elements
// when it instantiates the module (wazero fills them too, for a table
// with an initializer), outside the memory limit, and table.grow adds
// more. A C module has one table, of its function pointers.
const maxTableElems = 1 << 16

// binReader reads a module's bytes b from offset p on, up to the end of
// b; the first failure stays in err, and every read after it returns
// zero.
type binReader struct {
	b       []byte
	p       int
	err     error
	types   *uint32 // the number of types in the module, shared by every part
	elems   *uint64 // the elements of the tables read so far, likewise
	nlocals *uint64 // the locals the functions not yet read may declare, likewise
}

// part reads the next size bytes of r, which the caller has found are
// there: the contents of a section, a name subsection or a function
// body (what), number id. read reads them on a reader of their own, and
// must reach their end; r goes on after them, or keeps read's failure.
func (r *binReader) part(what string, id, size uint32, read func(s *binReader)) {
	end := r.p + int(size)
	s := &binReader{b: r.b[:end], p: r.p, types: r.types, elems: r.elems, nlocals: r.nlocals}
	read(s)
	if s.err == nil && s.p != end {
		s.fail("%s %d of %d bytes, which holds %d", what, id, size, s.p-r.p)
	}
	r.p, r.err = end, s.err
}

// fail records the first failure, at the current offset.
func (r *binReader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: malformed module: %s, at byte %d", zerocall.ErrLoad, fmt.Sprintf(format, args...), r.p)
	}
}

func (r *binReader) byte() byte {
	if r.err != nil {
		return 0
	}
	if r.p >= len(r.b) {
		r.fail("unexpected end")
		return 0
	}
	r.p++
	return r.b[r.p-1]
}

// u32 reads an unsigned LEB128 number of at most 32 bits.
func (r *binReader) u32() uint32 {
	v := r.uleb(32)
	if r.err == nil && v > 1<<32-1 {
		r.fail("a number past 32 bits")
		return 0
	}
	return uint32(v)
}

// u64 reads an unsigned LEB128 number of at most 64 bits; one whose bits
// do not fit is the largest.
func (r *binReader) u64() uint64 { return r.uleb(64) }

// uleb reads an unsigned LEB128 number in the bytes that hold a number
// of bits bits (32 or 64), which saturates past 64 bits; more bytes fail.
func (r *binReader) uleb(bits int) uint64 {
	var v uint64
	for i := range (bits + 6) / 7 {
		c := r.byte()
		if r.err != nil {
			return 0
		}
		if i == 9 && c&0x7f > 1 {
			v = 1<<64 - 1
		} else {
			v |= uint64(c&0x7f) << (7 * i)
		}
		if c < 0x80 {
			return v
		}
	}
	r.fail("a number past %d bits", bits)
	return 0
}

// leb skips a LEB128 number of at most 64 bits, signed or not.
func (r *binReader) leb() {
	for i := 0; i < 10; i++ {
		if c := r.byte(); c < 0x80 || r.err != nil {
			return
		}
	}
	r.fail("a number past 64 bits")
}

// typeIndex reads the type index of what: one of the types before it.
func (r *binReader) typeIndex(what string) {
	if i := r.u32(); r.err == nil && i >= *r.types {
		r.fail("%s of type %d, and the module has %d types", what, i, *r.types)
	}
}

// skip skips n bytes.
func (r *binReader) skip(n uint32) {
	if r.err == nil && uint64(n) > uint64(len(r.b)-r.p) {
		r.fail("%d bytes past the end of their section", n)
		return
	}
	r.p += int(n)
}

// count reads the length of a vector of what, each at least one byte:
// no more than the bytes left.
func (r *binReader) count(what string) uint32 {
	n := r.u32()
	if r.err == nil && uint64(n) > uint64(len(r.b)-r.p) {
		r.fail("%d %s in %d bytes", n, what, len(r.b)-r.p)
		return 0
	}
	return n
}

// name reads a name and returns it.
func (r *binReader) name() string {
	n := r.u32()
	start := r.p
	r.skip(n)
	if r.err != nil {
		return ""
	}
	return string(r.b[start:r.p])
}

// valType reads a value type: a number, vector or reference type.
func (r *binReader) valType() {
	switch b := r.byte(); b {
	case 0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f, 0x69: // i32 i64 f32 f64 v128 funcref externref exnref
	case 0x63, 0x64: // (ref null ht), (ref ht)
		r.leb()
	default:
		if r.err == nil {
			r.fail("value type %#x", b)
		}
	}
}

// refType reads a reference type.
func (r *binReader) refType() {
	switch b := r.byte(); b {
	case 0x70, 0x6f, 0x69:
	case 0x63, 0x64:
		r.leb()
	default:
		if r.err == nil {
			r.fail("reference type %#x", b)
		}
	}
}

// limits reads the limits of a memory or table type and returns the
// maximum, if there is one (a number past 64 bits is the largest).
func (r *binReader) limits() (max uint64, hasMax bool) {
	flags := r.byte()
	if flags > 0x0f {
		r.fail("limits flags %#x", flags)
		return 0, false
	}
	r.leb() // the minimum
	if flags&0x01 != 0 {
		max, hasMax = r.u64(), true
	}
	if flags&0x08 != 0 {
		r.u32() // the page size
	}
	return max, hasMax
}

// tableType reads a table type, with its initializer if it has one, and
// adds its maximum size to the module's: a table with none, or tables
// past maxTableElems between them, are refused.
func (r *binReader) tableType(init bool) {
	r.refType()
	max, hasMax := r.limits()
	switch {
	case r.err != nil:
		return
	case !hasMax:
		r.fail("a table with no maximum size, which could grow past any memory limit")
		return
	case max > maxTableElems-*r.elems:
		r.fail("tables of more than %d elements between them", maxTableElems)
		return
	}
	*r.elems += max
	if init {
		r.expr()
	}
}

// table reads a table of the table section: a table type, or 0x40 0x00
// and a table type with an initializer.
func (r *binReader) table() {
	if r.p < len(r.b) && r.b[r.p] == 0x40 {
		r.p++
		if r.byte() != 0 && r.err == nil {
			r.fail("table prefix")
		}
		r.tableType(true)
		return
	}
	r.tableType(false)
}

// expr reads a constant expression, up to its end: the instructions wazero
// accepts in one.
func (r *binReader) expr() {
	for r.err == nil {
		switch op := r.byte(); op {
		case 0x0b: // end
			return
		case 0x41, 0x42, 0xd0: // i32.const, i64.const, ref.null: one LEB128
			r.leb()
		case 0x23, 0xd2: // global.get, ref.func
			r.u32()
		case 0x43: // f32.const
			r.skip(4)
		case 0x44: // f64.const
			r.skip(8)
		case 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e: // extended constants: add, sub, mul
		case 0xfd: // v128.const
			if r.u32() != 0x0c && r.err == nil {
				r.fail("opcode 0xfd in a constant expression")
			}
			r.skip(16)
		default:
			if r.err == nil {
				r.fail("opcode %#x in a constant expression", op)
			}
		}
	}
}

// section reads the contents of section id, which are all of r.
func (r *binReader) section(id byte) {
	switch id {
	case 0: // custom
		if r.name() == "name" {
			r.names()
		}
		r.p = len(r.b)
	case 1: // type
		*r.types = r.count("types")
		for range *r.types {
			if f := r.byte(); f != 0x60 && r.err == nil {
				r.fail("type form %#x, not a function type", f)
			}
			for range 2 { // the parameters, then the results
				for range r.count("value types") {
					r.valType()
				}
			}
		}
	case 2: // import
		for range r.count("imports") {
			mod, name := r.name(), r.name()
			switch kind := r.byte(); kind {
			case 0x00:
				r.typeIndex("an imported function")
			case 0x01:
				r.table()
			case 0x02:
				r.limits()
			case 0x03:
				r.valType()
				r.byte()
			case 0x04:
				r.byte()
				r.typeIndex("an imported tag")
			default:
				r.fail("import kind %#x", kind)
			}
			if r.err == nil {
				// The hosts provide no imports, of any kind: the engines
				// list functions and memories, and not every one lists
				// tables and globals, which fail at instantiation.
				r.err = fmt.Errorf("%w: it imports %s.%s, and zerocall provides no imports", zerocall.ErrLoad, mod, name)
			}
		}
	case 3: // function
		for i := range r.count("functions") {
			r.typeIndex(fmt.Sprintf("function %d", i))
		}
	case 4: // table
		for range r.count("tables") {
			r.table()
		}
	case 5: // memory
		for range r.count("memories") {
			r.limits()
		}
	case 6: // global
		for range r.count("globals") {
			r.valType()
			r.byte()
			r.expr()
		}
	case 7: // export
		for range r.count("exports") {
			r.name()
			r.byte()
			r.u32()
		}
	case 8, 12: // start, data count
		r.u32()
	case 9: // element
		for range r.count("element segments") {
			r.element()
		}
	case 10: // code
		for i := range r.count("function bodies") {
			size := r.count("bytes of a function body")
			if r.err != nil {
				return
			}
			r.part("function body", i, size, (*binReader).locals)
		}
	case 11: // data
		for range r.count("data segments") {
			switch flags := r.u32(); flags {
			case 0:
				r.expr()
			case 1:
			case 2:
				r.u32()
				r.expr()
			default:
				r.fail("data segment flags %d", flags)
			}
			r.skip(r.u32())
		}
	case 13: // tag
		for range r.count("tags") {
			r.byte()
			r.typeIndex("a tag")
		}
	default:
		r.fail("section id %d", id)
	}
}

// element reads an element segment, in any of its eight forms.
func (r *binReader) element() {
	flags := r.u32()
	if flags > 7 {
		r.fail("element segment flags %d", flags)
		return
	}
	if flags&0x02 != 0 && flags&0x01 == 0 {
		r.u32() // the table index
	}
	if flags&0x01 == 0 {
		r.expr() // the offset of an active segment
	}
	if flags&0x03 != 0 {
		if flags&0x04 != 0 {
			r.refType()
		} else {
			r.byte() // the element kind
		}
	}
	if flags&0x04 != 0 {
		for range r.count("element expressions") {
			r.expr()
		}
	} else {
		for range r.count("function indices") {
			r.u32()
		}
	}
}

// locals reads the local declarations of a function body, which are
// all of r; the code after them is not read.
func (r *binReader) locals() {
	var sum uint64
	for range r.count("local declarations") {
		n := uint64(r.u32())
		sum += n
		r.valType()
		switch {
		case sum > maxLocals:
			r.fail("a function of %d locals or more, past the limit of %d", sum, maxLocals)
		case n > *r.nlocals:
			r.fail("functions of more locals between them than the module has bytes (or %d, in a smaller module)", maxLocals)
		}
		*r.nlocals -= min(n, *r.nlocals)
	}
	if r.err == nil {
		r.p = len(r.b)
	}
}

// names reads the name section, up to its end: each subsection within
// its size, those wazero decodes (the module's, the functions' and the
// locals' names) in full.
func (r *binReader) names() {
	for r.p < len(r.b) && r.err == nil {
		id := r.byte()
		size := r.count("bytes of a name subsection")
		if r.err != nil {
			return
		}
		r.part("name subsection", uint32(id), size, func(s *binReader) { s.nameSubsection(id) })
	}
}

// nameSubsection reads the contents of name subsection id, which are all
// of r.
func (r *binReader) nameSubsection(id byte) {
	switch id {
	case 0:
		r.name()
	case 1:
		r.nameMap()
	case 2:
		for range r.count("local name maps") {
			r.u32()
			r.nameMap()
		}
	default:
		r.p = len(r.b)
	}
}

// nameMap reads a name map: indices, each with a name.
func (r *binReader) nameMap() {
	for range r.count("names") {
		r.u32()
		r.name()
	}
}
