package kernel

// The checks the hosts reach through internal/hostapi, for the tests of
// package kernel_test.
var (
	Validate    = (*Kernel).validate
	CheckSlices = (*Kernel).checkSlices
	Returned    = (*Kernel).returned
)
