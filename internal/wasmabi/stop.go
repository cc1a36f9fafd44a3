package wasmabi

import (
	"math"
	"slices"
)

// StopGlobal is the name under which Interruptible exports the global
// that stops a call.
const StopGlobal = "zc_stop"

// The ids of the sections Interruptible rewrites or must see, and the
// order in which the binary format places them (custom sections aside).
const (
	typeSection     = 1
	importSection   = 2
	functionSection = 3
	globalSection   = 6
	exportSection   = 7
	startSection    = 8
	codeSection     = 10
)

// sectionOrder is the rank of each known section id in a module (the
// tag section, 13, comes between the memory and global sections); 0 for
// an id Interruptible does not know.
var sectionOrder = [...]int{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13}

// Interruptible returns bin with checks at the start of each function
// and at the head of each loop, which let a host stop a call from
// another goroutine: it sets a new mutable i32 global, exported as
// StopGlobal, and the call traps (unreachable) at a check. A check counts
// the code that runs (in a local of its function for a loop, in a global
// for a call; see function), and about every megabyte of it looks at
// the global, after a memory.grow by 0 pages: wazero runs memory.grow in Go,
// so that a goroutine stuck in a module's loop still lets the collector
// stop the world, and the goroutine that sets the global run. (wazero's
// own checks call out of the code at every loop iteration, for the same
// reason, and start a goroutine for every call.) In a loop, a check is
// five instructions on registers and a branch. The checks are for an
// engine that compiles the module to machine code: in an interpreter,
// they would be Go code reading a global that another goroutine writes.
//
// ok is false, and the caller uses its engine's own checks, for a module
// it cannot rewrite so: one it cannot read to the end, one with an
// instruction or type it does not know, a start function (it runs before
// the host can reach the global), no memory or a 64-bit one, or an
// export of that name already. An index of a global or local past the
// module's own, in code or an export, fails as well, so that a module
// the engine would refuse does not become valid by naming one that
// Interruptible adds.
func Interruptible(bin []byte) (out []byte, ok bool) {
	secs, ok := sections(bin)
	if !ok {
		return nil, false
	}
	var (
		globals  uint32   // imported and defined
		memories uint32   // imported and defined
		params   []uint32 // of each function type
		types    []uint32 // the type of each defined function
	)
	last := 0
	for _, s := range secs {
		if s.id == customSection {
			continue
		}
		if int(s.id) >= len(sectionOrder) || sectionOrder[s.id] == 0 || sectionOrder[s.id] <= last {
			return nil, false
		}
		last = sectionOrder[s.id]
		body := bin[s.body:s.end]
		switch s.id {
		case startSection:
			return nil, false
		case typeSection:
			if params, ok = funcParams(body); !ok {
				return nil, false
			}
		case importSection:
			var g, m uint32
			if g, m, ok = imports(body); !ok {
				return nil, false
			}
			globals += g
			memories += m
		case functionSection:
			if types, ok = indices(body); !ok {
				return nil, false
			}
		case globalSection:
			n, k := uleb32(body)
			if k == 0 {
				return nil, false
			}
			globals += n
		case memorySection:
			n, p := uleb32(body)
			if p == 0 {
				return nil, false
			}
			for range n {
				if p >= len(body) || body[p]&mem64 != 0 { // its lengths are i64
					return nil, false
				}
				if p, ok = skipLimits(body, p); !ok {
					return nil, false
				}
			}
			memories += n
		}
	}
	if memories == 0 || globals > 1<<30 {
		return nil, false
	}
	stop, tick := globals, globals+1
	fns := make([]uint32, len(types)) // the parameters of each defined function
	for i, t := range types {
		if t >= uint32(len(params)) {
			return nil, false
		}
		fns[i] = params[t]
	}
	r := rewriter{stop: stop, tick: tick, params: fns}

	out = slices.Clone(bin[:8])
	added := map[byte]bool{}
	// add appends the sections id that bin lacks and that come before
	// rank, made from an empty body.
	add := func(rank int) bool {
		for _, id := range []byte{globalSection, exportSection} {
			if !added[id] && sectionOrder[id] < rank {
				added[id] = true
				var ok bool
				if out, ok = r.appendSection(out, id, []byte{0}); !ok {
					return false
				}
			}
		}
		return true
	}
	for _, s := range secs {
		if s.id == customSection {
			out = append(out, bin[s.at:s.end]...)
			continue
		}
		if !add(sectionOrder[s.id]) {
			return nil, false
		}
		switch s.id {
		case globalSection, exportSection, codeSection:
			added[s.id] = true
			if out, ok = r.appendSection(out, s.id, bin[s.body:s.end]); !ok {
				return nil, false
			}
		default:
			out = append(out, bin[s.at:s.end]...)
		}
	}
	if !add(len(sectionOrder) + 1) {
		return nil, false
	}
	return out, true
}

// rewriter is what Interruptible's rewriting of sections needs: the
// indices of the globals it adds, and the number of parameters of each
// function the module defines (its locals come after them).
type rewriter struct {
	stop, tick uint32
	params     []uint32
}

// checkEvery is how much a check counts between its looks at the stop
// global: bytes of code, or units of 64 bytes of bulk memory. A look
// leaves the code (memory.grow): every megabyte of code, it is rare in a
// tight loop, and still comes within a few hundred microseconds of the
// global being set.
const checkEvery = 1 << 20

// appendSection appends to out section id, rewritten from body: the
// global section with the two globals, the export section with the stop
// global's export, the code section with the checks.
func (r *rewriter) appendSection(out []byte, id byte, body []byte) ([]byte, bool) {
	n, k := uleb32(body)
	if k == 0 || n > 1<<30 {
		return nil, false
	}
	var nb []byte
	switch id {
	case globalSection:
		nb = AppendULEB(nil, uint64(n)+2)
		nb = append(nb, body[k:]...)
		for range 2 {
			nb = append(nb, 0x7f, 0x01, 0x41, 0x00, 0x0b) // mut i32 = i32.const 0
		}
	case exportSection:
		if exports(body[k:], n, r.stop) {
			return nil, false
		}
		nb = AppendULEB(nil, uint64(n)+1)
		nb = append(nb, body[k:]...)
		nb = AppendULEB(nb, uint64(len(StopGlobal)))
		nb = append(nb, StopGlobal...)
		nb = append(nb, 0x03) // a global
		nb = AppendULEB(nb, uint64(r.stop))
	case codeSection:
		if int(n) != len(r.params) {
			return nil, false
		}
		nb = AppendULEB(nil, uint64(n))
		p := k
		for i := range n {
			size, m := uleb32(body[p:])
			if m == 0 || uint64(size) > uint64(len(body)-p-m) {
				return nil, false
			}
			p += m
			f, ok := r.function(body[p:p+int(size)], r.params[i])
			if !ok {
				return nil, false
			}
			nb = AppendULEB(nb, uint64(len(f)))
			nb = append(nb, f...)
			p += int(size)
		}
		if p != len(body) {
			return nil, false
		}
	}
	out = append(out, id)
	out = AppendULEB(out, uint64(len(nb)))
	return append(out, nb...), true
}

// exports reports whether the n entries of an export section's body b
// name StopGlobal, export a global from index stop on, or cannot be read.
func exports(b []byte, n, stop uint32) bool {
	p := 0
	for range n {
		l, k := uleb32(b[p:])
		if k == 0 || uint64(l) > uint64(len(b)-p-k) {
			return true
		}
		name := string(b[p+k : p+k+int(l)])
		p += k + int(l)
		if name == StopGlobal || p >= len(b) {
			return true
		}
		i, m := uleb32(b[p+1:])
		if m == 0 || b[p] == 0x03 && i >= stop {
			return true
		}
		p += 1 + m
	}
	return false
}

// imports returns the numbers of globals and memories an import
// section's body imports.
func imports(b []byte) (globals, memories uint32, ok bool) {
	n, p := uleb32(b)
	if p == 0 {
		return 0, 0, false
	}
	for range n {
		for range 2 { // module and name
			l, k := uleb32(b[p:])
			if k == 0 || uint64(l) > uint64(len(b)-p-k) {
				return 0, 0, false
			}
			p += k + int(l)
		}
		if p >= len(b) {
			return 0, 0, false
		}
		kind := b[p]
		p++
		ok = false
		switch kind {
		case 0x00: // a function: its type
			p, ok = skipLEB(b, p, 5)
		case 0x01: // a table: its element type, then limits
			if p >= len(b) || !refType(b[p]) {
				return 0, 0, false
			}
			p, ok = skipLimits(b, p+1)
		case 0x02: // a memory: limits, not of a 64-bit one
			if p >= len(b) || b[p]&mem64 != 0 {
				return 0, 0, false
			}
			p, ok = skipLimits(b, p)
			memories++
		case 0x03: // a global: its type, and whether it is mutable
			if p+1 >= len(b) || !valType(b[p]) || b[p+1] > 1 {
				return 0, 0, false
			}
			p, ok = p+2, true
			globals++
		}
		if !ok {
			return 0, 0, false
		}
	}
	return globals, memories, p == len(b)
}

// funcParams returns the number of parameters of each function type of a
// type section's body.
func funcParams(b []byte) ([]uint32, bool) {
	n, p := uleb32(b)
	if p == 0 || uint64(n) > uint64(len(b)) {
		return nil, false
	}
	params := make([]uint32, 0, n)
	for range n {
		if p >= len(b) || b[p] != 0x60 {
			return nil, false
		}
		p++
		for i := range 2 { // parameters, results
			l, k := uleb32(b[p:])
			if k == 0 || uint64(l) > uint64(len(b)-p-k) {
				return nil, false
			}
			p += k
			if slices.ContainsFunc(b[p:p+int(l)], func(t byte) bool { return !valType(t) }) {
				return nil, false
			}
			p += int(l)
			if i == 0 {
				params = append(params, l)
			}
		}
	}
	return params, p == len(b)
}

// indices returns the vector of indices of a function section's body.
func indices(b []byte) ([]uint32, bool) {
	n, p := uleb32(b)
	if p == 0 || uint64(n) > uint64(len(b)) {
		return nil, false
	}
	v := make([]uint32, n)
	for i := range v {
		x, k := uleb32(b[p:])
		if k == 0 {
			return nil, false
		}
		v[i], p = x, p+k
	}
	return v, p == len(b)
}

// skipLimits returns the position past the limits at b[p:]: flags, a
// minimum, a maximum if the flags say so, a page size if they say so.
func skipLimits(b []byte, p int) (int, bool) {
	if p >= len(b) || b[p]&^(memMax|memShared|mem64|memPage) != 0 {
		return 0, false
	}
	flags := b[p]
	p, ok := skipLEB(b, p+1, 10)
	if ok && flags&memMax != 0 {
		p, ok = skipLEB(b, p, 10)
	}
	if ok && flags&memPage != 0 {
		p, ok = skipLEB(b, p, 5)
	}
	return p, ok
}

// function returns the function body f (its locals, then its code),
// whose function has params parameters, with its checks: two locals
// added (a count and a length), the call's check at its start, a loop's
// check after each loop's block type, and before each bulk memory
// operation the count of its length. It returns false if f holds what it
// does not know, or an index of a global or local that it adds.
//
// A check weighs what it counts by the code it stands for: a call by
// its function's size in bytes, a loop's iteration by its body's, bulk
// memory by its length in units of 64 bytes; so that at most about
// checkEvery bytes of code (or 64 times that of memory) run between two
// looks at the stop global, however long a loop's body.
func (r *rewriter) function(f []byte, params uint32) ([]byte, bool) {
	n, p := uleb32(f)
	if p == 0 || n >= math.MaxUint32-1 {
		return nil, false
	}
	locals, entries := uint64(params), p
	for range n { // a count, then a value type
		c, k := uleb32(f[p:])
		if k == 0 || p+k >= len(f) || !valType(f[p+k]) {
			return nil, false
		}
		locals += uint64(c)
		p += k + 1
	}
	if locals >= math.MaxUint32-1 { // no indices left for the two locals
		return nil, false
	}
	count, length := uint32(locals), uint32(locals)+1
	code := p

	// First the size of each loop's body, from its loop to its end, in
	// the order of the loops; and the checks of the indices.
	var sizes []int
	var open []int // for each open block, its loop's index in sizes, or -1
	for p < len(f) {
		in, ok := next(f, p)
		switch {
		case !ok:
			return nil, false
		case in.op == 0x03:
			open = append(open, len(sizes))
			sizes = append(sizes, p)
		case in.op == 0x02 || in.op == 0x04:
			open = append(open, -1)
		case in.op == 0x0b && len(open) > 0:
			if l := open[len(open)-1]; l >= 0 {
				sizes[l] = in.end - sizes[l]
			}
			open = open[:len(open)-1]
		case in.op == 0x23 || in.op == 0x24:
			if in.index >= r.stop {
				return nil, false
			}
		case in.op >= 0x20 && in.op <= 0x22:
			if uint64(in.index) >= locals {
				return nil, false
			}
		}
		p = in.end
	}
	if len(open) > 0 {
		return nil, false
	}

	out := make([]byte, 0, len(f)+len(f)/4+64)
	out = AppendULEB(out, uint64(n)+1)
	out = append(out, f[entries:code]...)
	out = append(out, 0x02, 0x7f) // two i32s: the count and a length
	out = r.callCheck(out, len(f))
	loop := 0
	for p = code; p < len(f); {
		in, _ := next(f, p)
		switch {
		case in.op == 0x03:
			out = append(out, f[p:in.end]...)
			out = r.loopCheck(out, count, sizes[loop])
			loop++
		case in.op == 0xfc && (in.sub == 8 || in.sub == 10 || in.sub == 11): // memory.init, copy, fill
			out = countLength(out, count, length)
			out = append(out, f[p:in.end]...)
		default:
			out = append(out, f[p:in.end]...)
		}
		p = in.end
	}
	return out, true
}

// instruction is an instruction of a function's code, as next reads it.
type instruction struct {
	op    byte
	sub   uint32 // the sub-opcode after a prefix (0xfc, 0xfd)
	index uint32 // the global's or local's index, for the instructions on them
	end   int    // the position past it
}

// next returns the instruction at f[p:], or false if it cannot read one
// or does not know it.
func next(f []byte, p int) (instruction, bool) {
	in := instruction{op: f[p]}
	op := in.op
	p++
	var ok bool
	switch {
	case op == 0x02 || op == 0x03 || op == 0x04: // block, loop, if
		p, ok = skipBlockType(f, p)
	case op <= 0x01, op == 0x05, op == 0x0b, op == 0x0f, op == 0x1a, op == 0x1b, op == 0xd1,
		op >= 0x45 && op <= 0xc4: // no immediate
		ok = true
	case op >= 0x20 && op <= 0x24: // local.get, local.set, local.tee, global.get, global.set
		var m int
		in.index, m = uleb32(f[p:])
		p, ok = p+m, m > 0
	case op == 0x0c, op == 0x0d, op == 0x10, op == 0x12,
		op == 0x25, op == 0x26, op == 0x3f, op == 0x40, op == 0xd2: // one index
		p, ok = skipLEB(f, p, 5)
	case op == 0x11 || op == 0x13: // call_indirect, return_call_indirect: type, table
		if p, ok = skipLEB(f, p, 5); ok {
			p, ok = skipLEB(f, p, 5)
		}
	case op == 0x0e: // br_table: the labels, then the default
		l, m := uleb32(f[p:])
		p, ok = p+m, m > 0
		for i := uint64(0); ok && i <= uint64(l); i++ {
			p, ok = skipLEB(f, p, 5)
		}
	case op == 0x1c: // select with types
		l, m := uleb32(f[p:])
		if m == 0 || uint64(l) > uint64(len(f)-p-m) {
			return in, false
		}
		p += m
		ok = !slices.ContainsFunc(f[p:p+int(l)], func(t byte) bool { return !valType(t) })
		p += int(l)
	case op >= 0x28 && op <= 0x3e: // loads and stores
		p, ok = skipMemArg(f, p)
	case op == 0x41: // i32.const
		p, ok = skipLEB(f, p, 5)
	case op == 0x42: // i64.const
		p, ok = skipLEB(f, p, 10)
	case op == 0x43: // f32.const
		p, ok = p+4, p+4 <= len(f)
	case op == 0x44: // f64.const
		p, ok = p+8, p+8 <= len(f)
	case op == 0xd0: // ref.null
		ok = p < len(f) && refType(f[p])
		p++
	case op == 0xfc:
		in.sub, p, ok = skipMisc(f, p)
	case op == 0xfd:
		p, ok = skipSIMD(f, p)
	}
	in.end = p
	return in, ok && p <= len(f)
}

// callCheck appends the check at the start of a function of size bytes:
// the tick global counts them, and past checkEvery the slow part runs.
func (r *rewriter) callCheck(b []byte, size int) []byte {
	b = append(b, 0x23) // global.get tick
	b = AppendULEB(b, uint64(r.tick))
	b = append(b, 0x41) // i32.const
	b = appendSLEB32(b, weight(size))
	b = append(b, 0x6a, 0x24) // i32.add, global.set tick
	b = AppendULEB(b, uint64(r.tick))
	b = append(b, 0x23) // global.get tick
	b = AppendULEB(b, uint64(r.tick))
	b = r.past(b)
	b = append(b, 0x41, 0x00, 0x24) // i32.const 0, global.set tick
	b = AppendULEB(b, uint64(r.tick))
	return r.slow(b)
}

// loopCheck appends the check at the head of a loop whose body is size
// bytes: the local count counts them, and past checkEvery the slow part
// runs.
func (r *rewriter) loopCheck(b []byte, count uint32, size int) []byte {
	b = append(b, 0x20) // local.get count
	b = AppendULEB(b, uint64(count))
	b = append(b, 0x41) // i32.const
	b = appendSLEB32(b, weight(size))
	b = append(b, 0x6a, 0x22) // i32.add, local.tee count
	b = AppendULEB(b, uint64(count))
	b = r.past(b)
	b = append(b, 0x41, 0x00, 0x21) // i32.const 0, local.set count
	b = AppendULEB(b, uint64(count))
	return r.slow(b)
}

// countLength appends, before a bulk memory operation, whose length is
// on top of the stack, the count of that length in units of 64 bytes,
// kept on the stack through the local length.
func countLength(b []byte, count, length uint32) []byte {
	b = append(b, 0x22) // local.tee length
	b = AppendULEB(b, uint64(length))
	b = append(b, 0x20) // local.get length
	b = AppendULEB(b, uint64(length))
	b = append(b, 0x41, 0x06, 0x76, 0x20) // i32.const 6, i32.shr_u, local.get count
	b = AppendULEB(b, uint64(count))
	b = append(b, 0x6a, 0x21) // i32.add, local.set count
	return AppendULEB(b, uint64(count))
}

// weight is what a check counts for size bytes of code: at least 1, and
// at most checkEvery, when every pass runs the slow part.
func weight(size int) int32 { return int32(min(max(size, 1), checkEvery)) }

// past appends the test of the count on the stack: if it is checkEvery or
// more, the block that follows runs.
func (r *rewriter) past(b []byte) []byte {
	b = append(b, 0x41) // i32.const
	b = appendSLEB32(b, checkEvery)
	return append(b, 0x4f, 0x04, 0x40) // i32.ge_u, if
}

// slow appends the slow part of a check, and the end of the block past
// opened: memory.grow by 0 pages, then the trap if the stop global is
// set.
func (r *rewriter) slow(b []byte) []byte {
	b = append(b, 0x41, 0x00, 0x40, 0x00, 0x1a, 0x23) // i32.const 0, memory.grow 0, drop, global.get stop
	b = AppendULEB(b, uint64(r.stop))
	return append(b, 0x04, 0x40, 0x00, 0x0b, 0x0b) // if unreachable end, end
}

// appendSLEB32 appends v to b as signed LEB128.
func appendSLEB32(b []byte, v int32) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 && c&0x40 == 0 || v == -1 && c&0x40 != 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// skipMisc returns the sub-opcode of an instruction of prefix 0xfc (the
// saturating conversions, bulk memory and tables) whose sub-opcode is at
// b[p:], and the position past the instruction.
func skipMisc(b []byte, p int) (uint32, int, bool) {
	sub, m := uleb32(b[p:])
	if m == 0 {
		return 0, 0, false
	}
	p += m
	var indices int
	switch {
	case sub <= 7: // trunc_sat
	case sub == 9 || sub == 11 || sub == 13 || sub >= 15 && sub <= 17: // data.drop, memory.fill, elem.drop, table.grow/size/fill
		indices = 1
	case sub == 8 || sub == 10 || sub == 12 || sub == 14: // memory.init, memory.copy, table.init, table.copy
		indices = 2
	default:
		return 0, 0, false
	}
	ok := true
	for range indices {
		if p, ok = skipLEB(b, p, 5); !ok {
			return 0, 0, false
		}
	}
	return sub, p, true
}

// skipSIMD returns the position past an instruction of prefix 0xfd (fixed
// and relaxed SIMD) whose sub-opcode is at b[p:].
func skipSIMD(b []byte, p int) (int, bool) {
	sub, m := uleb32(b[p:])
	if m == 0 {
		return 0, false
	}
	p += m
	switch {
	case sub <= 11 || sub == 92 || sub == 93: // loads and stores
		return skipMemArg(b, p)
	case sub == 12 || sub == 13: // v128.const, i8x16.shuffle
		return p + 16, p+16 <= len(b)
	case sub >= 21 && sub <= 34: // extract and replace a lane
		return p + 1, p+1 <= len(b)
	case sub >= 84 && sub <= 91: // load or store a lane
		p, ok := skipMemArg(b, p)
		return p + 1, ok && p+1 <= len(b)
	case sub <= 0x113:
		return p, true
	}
	return 0, false
}

// skipMemArg returns the position past a memory argument at b[p:]: the
// alignment, a memory's index if it says so, the offset.
func skipMemArg(b []byte, p int) (int, bool) {
	align, m := uleb32(b[p:])
	if m == 0 {
		return 0, false
	}
	p += m
	ok := true
	if align&0x40 != 0 {
		if p, ok = skipLEB(b, p, 5); !ok {
			return 0, false
		}
	}
	return skipLEB(b, p, 10)
}

// skipBlockType returns the position past a block type at b[p:]: empty,
// a value type, or a type's index.
func skipBlockType(b []byte, p int) (int, bool) {
	if p >= len(b) {
		return 0, false
	}
	if b[p] == 0x40 || valType(b[p]) {
		return p + 1, true
	}
	if b[p]&0x40 != 0 && b[p] < 0x80 { // a negative one-byte number: a type this does not know
		return 0, false
	}
	return skipLEB(b, p, 5)
}

// skipLEB returns the position past a LEB128 number of at most max bytes
// at b[p:].
func skipLEB(b []byte, p, max int) (int, bool) {
	for i := 0; i < max && p+i < len(b); i++ {
		if b[p+i] < 0x80 {
			return p + i + 1, true
		}
	}
	return 0, false
}

// valType reports whether t is a value type of one byte: a number, a
// vector, a reference to a function or to something external.
func valType(t byte) bool { return t >= 0x7b && t <= 0x7f || refType(t) }

func refType(t byte) bool { return t == 0x70 || t == 0x6f }
