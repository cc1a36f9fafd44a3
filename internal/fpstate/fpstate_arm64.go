package fpstate

// Supported reports whether this architecture's control state is read.
const Supported = true

// Name is the register that holds the control state.
const Name = "FPCR"

// FlushToZero is the bit of the control state that flushes subnormal
// results to zero.
const FlushToZero = 1 << 24

var flags = []flag{
	{1 << 24, 0, "flush to zero"},
	{1 << 19, 0, "flush half precision to zero"},
	{1 << 25, 0, "default NaN"},
	{1 << 26, 0, "alternative half precision"},
	{3 << 22, 0, "rounding not to nearest"},
	{0x9f << 8, 0, "exceptions trapped"},
	{7, 0, "alternate float behaviour"},
}

func getFPCR() uint64
func setFPCR(v uint64)

// Control returns the current thread's control state: FPCR, which holds
// no exception flags (FPSR does).
func Control() uint64 { return getFPCR() }

// SetControl sets the current thread's control state to c.
func SetControl(c uint64) { setFPCR(c) }
