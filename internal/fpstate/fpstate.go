// Package fpstate reads and sets the floating-point control state of the
// current thread: MXCSR on amd64 and FPCR on arm64, which hold flush to
// zero, denormals are zero, the rounding mode and the exception masks.
// Go's own float math assumes the state every thread starts with; a
// kernel that changes it and does not restore it changes the results of
// the Go code that runs on the thread after it.
//
// The state belongs to the thread: a caller that reads it before and
// after a call locks the goroutine to its thread in between
// (runtime.LockOSThread). On other architectures Supported is false,
// Control returns 0 and SetControl does nothing.
package fpstate

import (
	"fmt"
	"strings"
)

// flag is a setting of the control state: its bits, their value in the
// state a thread starts with, and its name.
type flag struct {
	mask, def uint64
	name      string
}

// Describe spells the control state c: the register's name, its value,
// and the settings in which it differs from the state a thread starts
// with, such as "MXCSR 0x9f80 (flush to zero)".
func Describe(c uint64) string {
	if !Supported {
		return "no floating-point control state read on this architecture"
	}
	var diff []string
	rest := c
	for _, f := range flags {
		if c&f.mask != f.def {
			diff = append(diff, f.name)
		}
		rest &^= f.mask
	}
	if rest != 0 {
		diff = append(diff, fmt.Sprintf("other bits %#x", rest))
	}
	s := fmt.Sprintf("%s %#x", Name, c)
	if len(diff) > 0 {
		s += " (" + strings.Join(diff, ", ") + ")"
	}
	return s
}
