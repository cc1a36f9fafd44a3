//go:build !(386 || arm || mips || mipsle)

package wasmabi

import (
	"unsafe"

	"github.com/zerocall/zerocall/kernel"
)

// The frame's lengths and scalars are laid out as kernel.Args is: these
// fail to compile if they are not. (On a 32-bit architecture they are
// not, and arch32.go stops the build with a message of its own.)
var (
	_ [unsafe.Offsetof(kernel.Args{}.F)]struct{} = [unsafe.Offsetof(Frame{}.F) - unsafe.Offsetof(Frame{}.Len)]struct{}{}
	_ [unsafe.Offsetof(kernel.Args{}.I)]struct{} = [unsafe.Offsetof(Frame{}.I) - unsafe.Offsetof(Frame{}.Len)]struct{}{}
)
