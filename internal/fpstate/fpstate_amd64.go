package fpstate

// Supported reports whether this architecture's control state is read.
const Supported = true

// Name is the register that holds the control state.
const Name = "MXCSR"

// FlushToZero is the bit of the control state that flushes subnormal
// results to zero.
const FlushToZero = 1 << 15

// control are MXCSR's control bits; the six below them are the
// exception flags, which every float operation may set, and which
// decide no result.
const control = 0xffc0

var flags = []flag{
	{1 << 15, 0, "flush to zero"},
	{1 << 6, 0, "denormals are zero"},
	{3 << 13, 0, "rounding not to nearest"},
	{0x3f << 7, 0x3f << 7, "exceptions unmasked"},
}

func getMXCSR() uint32
func setMXCSR(v uint32)

// Control returns the current thread's control state: MXCSR without its
// exception flags.
func Control() uint64 { return uint64(getMXCSR() & control) }

// SetControl sets the current thread's control state to c, keeping
// MXCSR's exception flags.
func SetControl(c uint64) { setMXCSR(getMXCSR()&^control | uint32(c)&control) }
