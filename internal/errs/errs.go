// Package errs holds the error values of package zerocall, in a leaf
// package so that the internal packages below zerocall can return them
// without importing it.
package errs

import (
	"errors"
	"fmt"
)

// The values behind zerocall's exported errors; see their documentation
// there.
var (
	Capacity    = errors.New("zerocall: input exceeds the capacity")
	Length      = errors.New("zerocall: operand lengths do not match")
	Argument    = errors.New("zerocall: invalid argument")
	Overlap     = errors.New("zerocall: operands overlap")
	Closed      = errors.New("zerocall: used after Close (or never made)")
	Unsupported = errors.New("zerocall: not supported on this machine or host")
	Broken      = errors.New("zerocall: foreign code failed or broke its contract")
	NoMemory    = errors.New("zerocall: not enough memory")
	Type        = errors.New("zerocall: element type does not match the kernel's buffer")
	Load        = errors.New("zerocall: cannot load the kernel code")
)

// The status codes of the C library and the wasm module (zc_status in
// native/zerocall.h). A test of package native checks them against the C
// enum.
const (
	StatusOK          = 0
	StatusArg         = 1
	StatusUnsupported = 2
	StatusNoMemory    = 3
	StatusCapacity    = 4
)

// Status returns the error a C or module status code stands for, or nil
// for StatusOK. what names the function that returned it, for codes the
// ABI does not define.
func Status(what string, code int) error {
	switch code {
	case StatusOK:
		return nil
	case StatusArg:
		return Argument
	case StatusUnsupported:
		return Unsupported
	case StatusNoMemory:
		return NoMemory
	case StatusCapacity:
		return Capacity
	}
	return fmt.Errorf("%w: %s returned status %d, which the ABI does not define", Broken, what, code)
}
