package wasmabi

import (
	"fmt"
	"slices"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/errs"
)

// The flags of a memory type's limits in the binary format.
const (
	memMax    = 0x01 // a maximum follows the minimum
	memShared = 0x02 // shared between threads (the threads proposal)
	mem64     = 0x04 // addressed by i64 (the memory64 proposal)
	memPage   = 0x08 // a page size follows (the custom-page-sizes proposal)
)

// The ids of the sections read here: custom sections, and the memory
// section.
const (
	customSection = 0
	memorySection = 5
)

// CheckMemory fails with ErrModule unless the module bin defines at most
// one memory, and that one a plain wasm32 memory: 32-bit, not shared,
// with pages of 64 KiB, starting within limit bytes if limit is positive
// (zerocall.Config.MemoryLimit). The hosts rely on it: the frame holds
// 32-bit offsets, the views of the regions are taken once and are valid
// only while the memory's base does not move (a 64-bit memory may move
// when it grows), and one memory is the one exported as "memory". A
// module with no memory, or one it imports, is CheckModule's to refuse.
//
// CheckMemory reads only the section headers and the memory section; it
// accepts bytes it cannot read, for the engine to refuse as malformed.
func CheckMemory(bin []byte, limit int) error {
	secs, _ := sections(bin)
	for _, s := range secs {
		if s.id == memorySection {
			return checkMemories(bin[s.body:s.end], limit)
		}
	}
	return nil
}

// section is one section of a module: its id, and where in the module's
// bytes it starts, its body starts, and it ends.
type section struct {
	id            byte
	at, body, end int
}

// sections returns the sections of the module bin, in order, as far as
// their headers can be read, and whether that is to its end (false for
// bytes too short for the magic number and version, or a section whose
// size runs past the end).
func sections(bin []byte) ([]section, bool) {
	const header = 8 // the magic number and the version
	if len(bin) < header {
		return nil, false
	}
	var secs []section
	for p := header; p < len(bin); {
		size, n := uleb32(bin[p+1:])
		if n == 0 || uint64(size) > uint64(len(bin)-(p+1+n)) {
			return secs, false
		}
		secs = append(secs, section{id: bin[p], at: p, body: p + 1 + n, end: p + 1 + n + int(size)})
		p += 1 + n + int(size)
	}
	return secs, true
}

// StripCustom returns bin without its custom sections (names, debug
// information, producers), which mean nothing to the module ABI and which
// an engine may read at a cost the module chooses: Wasmtime copies each
// frame's function name into a trap's backtrace, seconds and hundreds of
// megabytes for a deep recursion with long names. Bytes it cannot read
// to the end are returned as they are, for the engine to refuse.
func StripCustom(bin []byte) []byte {
	secs, ok := sections(bin)
	if !ok || !slices.ContainsFunc(secs, func(s section) bool { return s.id == customSection }) {
		return bin
	}
	out := slices.Clone(bin[:secs[0].at])
	for _, s := range secs {
		if s.id != customSection {
			out = append(out, bin[s.at:s.end]...)
		}
	}
	return out
}

// checkMemories checks the body of a memory section: a count, then each
// memory's limits (flags, then the minimum in pages), of which only the
// first one's matter.
func checkMemories(body []byte, limit int) error {
	count, n := uleb32(body)
	switch {
	case n == 0 || count == 0:
		return nil
	case count > 1:
		return fmt.Errorf("%w: it defines %d memories, and a module of the ABI has one", ErrModule, count)
	case n == len(body):
		return nil
	}
	switch flags := body[n]; {
	case flags&mem64 != 0:
		return fmt.Errorf("%w: its memory is 64-bit (memory64), and the ABI's is a wasm32 memory", ErrModule)
	case flags&memShared != 0:
		return fmt.Errorf("%w: its memory is shared, and the ABI's is not", ErrModule)
	case flags&memPage != 0:
		return fmt.Errorf("%w: its memory has a custom page size, and the ABI's has pages of 64 KiB", ErrModule)
	case flags&^memMax != 0:
		return fmt.Errorf("%w: its memory's limits have the flags %#x, and the ABI's memory is a plain wasm32 memory", ErrModule, flags)
	}
	min, m := uleb32(body[n+1:])
	if m == 0 || limit <= 0 {
		return nil
	}
	if bytes := uint64(min) * PageSize; bytes > MemoryBytes(0, false, limit) {
		return fmt.Errorf("%w: its memory starts at %d pages (%d bytes), past the memory limit of %d bytes",
			ErrModule, min, bytes, limit)
	}
	return nil
}

// uleb32 decodes an unsigned LEB128 number of at most 32 bits and returns
// it with its length, or a length of 0 if b does not start with one.
func uleb32(b []byte) (uint32, int) {
	var v uint64
	for i := 0; i < len(b) && i < 5; i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i] < 0x80 {
			if v > 1<<32-1 {
				return 0, 0
			}
			return uint32(v), i + 1
		}
	}
	return 0, 0
}

// CheckLoad is what Load checks on every wasm host before it compiles
// bin: a little-endian host (the views of the regions depend on it),
// limits that are not negative, the host's own check of the binary
// (check, if not nil), and the module's memory (CheckMemory).
func CheckLoad(bin []byte, cfg zerocall.Config, check func([]byte) error) error {
	if !LittleEndian() {
		return fmt.Errorf("%w: wasm memory is little-endian and this host is not", errs.Unsupported)
	}
	if cfg.TimeLimit < 0 {
		return fmt.Errorf("%w: negative time limit", errs.Argument)
	}
	if cfg.MemoryLimit < 0 {
		return fmt.Errorf("%w: negative memory limit", errs.Argument)
	}
	if check != nil {
		if err := check(bin); err != nil {
			return err
		}
	}
	return CheckMemory(bin, cfg.MemoryLimit)
}

// PageSize is the size of a page of wasm32 memory.
const PageSize = 65536

// MemoryBytes is the most bytes a memory whose maximum is max pages (none
// if !hasMax) may reach under a memory limit of limit bytes (none unless
// positive; zerocall.Config.MemoryLimit), in whole pages: 4 GiB with
// neither.
func MemoryBytes(max uint64, hasMax bool, limit int) uint64 {
	bytes := uint64(1 << 32)
	if hasMax {
		bytes = min(bytes, max*PageSize)
	}
	if limit > 0 {
		bytes = min(bytes, uint64(limit)/PageSize*PageSize)
	}
	return bytes
}

// CapMemory returns bin with its memory's maximum lowered to the pages
// limit bytes hold (zerocall.Config.MemoryLimit), if limit is positive
// and the declared maximum, if any, is higher; otherwise bin itself. The
// engine then refuses to grow the memory past the limit on its own, in
// every state of an instance: the allocator that also holds the limit is
// detached when a time limit closes an instance under a running call,
// and a memory.grow in that call must still fail. bin has passed
// CheckMemory; bytes it cannot read are left for the engine to refuse.
func CapMemory(bin []byte, limit int) []byte {
	if limit <= 0 {
		return bin
	}
	pages := MemoryBytes(0, false, limit) / PageSize
	secs, _ := sections(bin)
	for _, s := range secs {
		if s.id != memorySection {
			continue
		}
		p, end, body := s.at, s.end, bin[s.body:s.end]
		count, c := uleb32(body)
		if c == 0 || count != 1 || c == len(body) || body[c]&^memMax != 0 {
			return bin
		}
		min, m := uleb32(body[c+1:])
		if m == 0 {
			return bin
		}
		max, hasMax := uint64(0), body[c]&memMax != 0
		if hasMax {
			v, k := uleb32(body[c+1+m:])
			if k == 0 {
				return bin
			}
			max = uint64(v)
		}
		if hasMax && max <= pages || uint64(min) > pages {
			return bin
		}
		// One memory, its flags saying a maximum follows, its minimum as
		// it was, the new maximum; then what followed its limits.
		rest := body[c+1+m:]
		if hasMax {
			_, k := uleb32(rest)
			rest = rest[k:]
		}
		nb := append([]byte{1, memMax}, body[c+1:c+1+m]...)
		nb = AppendULEB(nb, pages)
		nb = append(nb, rest...)
		out := append([]byte{}, bin[:p]...)
		out = append(out, memorySection)
		out = AppendULEB(out, uint64(len(nb)))
		out = append(out, nb...)
		return append(out, bin[end:]...)
	}
	return bin
}

// AppendULEB appends v to b as unsigned LEB128.
func AppendULEB(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
