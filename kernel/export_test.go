package kernel

// Validate is what the hosts reach through internal/hostapi, for the
// tests of package kernel_test.
var Validate = (*Kernel).validate
