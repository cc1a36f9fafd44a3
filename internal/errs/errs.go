// Package errs holds the error values of package zerocall, in a leaf
// package so that the internal packages below zerocall can return them
// without importing it.
package errs

import "errors"

// The values behind zerocall's exported errors; see their documentation
// there.
var (
	Capacity    = errors.New("zerocall: input exceeds the instance's capacity")
	Length      = errors.New("zerocall: operand lengths do not match")
	Argument    = errors.New("zerocall: argument out of range")
	Overlap     = errors.New("zerocall: output overlaps an input")
	Closed      = errors.New("zerocall: instance is closed")
	Unsupported = errors.New("zerocall: variant not supported on this machine")
	Broken      = errors.New("zerocall: instance is broken by an earlier failure")
)
