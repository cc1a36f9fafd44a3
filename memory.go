package zerocall

// Memory says who owns the regions of a handle: the same choice on every
// host, each taking the kinds it has (Func.Handle and Func.Batch of
// packages native and wasm, on either engine). A kind a host lacks is
// ErrUnsupported.
type Memory int

const (
	// Pinned regions are one Go allocation, pinned once, for the life of
	// the handle (pattern 1; native).
	Pinned Memory = iota
	// COwned regions are one C allocation, freed by C on Close
	// (pattern 3; native).
	COwned
	// Module regions are reserved once in a wasm module's linear
	// memory, which never grows after (pattern 2; wasm and wasmtime).
	Module
)

// String returns the kind's name.
func (m Memory) String() string {
	switch m {
	case Pinned:
		return "pinned"
	case COwned:
		return "cowned"
	case Module:
		return "module"
	}
	return "unknown"
}
