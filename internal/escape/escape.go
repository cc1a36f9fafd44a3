// Package escape hides a pointer from the compiler's escape analysis.
//
// A call through a function value the compiler cannot see, such as a
// kernel's Check or a planned path, makes every pointer argument escape,
// so a caller's Args or variadic slices would be moved to the heap on
// each call. Where the callee's contract says it keeps no pointer past
// its return, Pointer keeps them on the caller's stack, as the runtime's
// own noescape does.
package escape

import "unsafe"

// Pointer returns p, unseen by escape analysis: the address is stored as
// a uintptr and read back as a pointer, which escape analysis does not
// follow. The callee p is given to must not keep it past its return. (It
// is not generic: a generic version called through its dictionary, where
// it is not inlined, made its argument escape after all.)
//
// Nothing may run between the store and the read: the goroutine's stack
// may move at a call, and a stack address held as a uintptr would not
// move with it. Under checkptr (which -race turns on) the compiler calls
// the runtime to check the read's conversion; go:nocheckptr leaves it
// out, and keeps Pointer from being inlined into an instrumented caller,
// so that the call passes p as a pointer, which a moving stack updates.
// Elsewhere Pointer is inlined as before.
//
//go:nocheckptr
func Pointer(p unsafe.Pointer) unsafe.Pointer {
	x := uintptr(p)
	return *(*unsafe.Pointer)(unsafe.Pointer(&x))
}
