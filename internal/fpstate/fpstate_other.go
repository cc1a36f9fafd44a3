//go:build !amd64 && !arm64

package fpstate

// Supported reports whether this architecture's control state is read:
// not on this one.
const Supported = false

// Name is the register that holds the control state: none read here.
const Name = ""

// FlushToZero is the bit of the control state that flushes subnormal
// results to zero: none here.
const FlushToZero = 0

var flags []flag

// Control returns 0: the state is not read on this architecture.
func Control() uint64 { return 0 }

// SetControl does nothing on this architecture.
func SetControl(uint64) {}
