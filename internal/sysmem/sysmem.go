// Package sysmem tells whether an allocation of a given size can succeed,
// before it is tried. A Go allocation the operating system refuses is not
// an error the program can handle: the runtime stops the process with
// "fatal error: runtime: out of memory". Constructors that size buffers
// from the caller's configuration ask here first, and report
// ErrNoMemory instead.
package sysmem

import (
	"fmt"

	"github.com/zerocall/zerocall/internal/errs"
)

// Check returns nil when bytes more bytes fit within what the machine can
// provide, and an error wrapping errs.NoMemory when they certainly do not.
// Where the limits cannot be read, it returns nil.
func Check(bytes uint64) error {
	if limit, what, ok := Limit(); ok && bytes > limit {
		return fmt.Errorf("%w: %d bytes asked for, and %s is %d bytes", errs.NoMemory, bytes, what, limit)
	}
	return nil
}
