// Package escape hides a pointer from the compiler's escape analysis.
//
// A call through a function value the compiler cannot see, such as a
// kernel's Check or a planned path, makes every pointer argument escape,
// so a caller's Args or variadic slices would be moved to the heap on
// each call. Where the callee's contract says it keeps no pointer past
// its return, Hide keeps them on the caller's stack, as the runtime's
// own noescape does.
package escape

import "unsafe"

// Hide returns p, unseen by escape analysis: the address goes through a
// uintptr, which escape analysis does not follow. The callee p is given
// to must not keep it past its return.
func Hide[T any](p *T) *T {
	x := uintptr(unsafe.Pointer(p)) ^ 0
	return *(**T)(unsafe.Pointer(&x))
}

// Slice returns s, unseen by escape analysis, on the same terms as Hide.
func Slice[T any](s []T) []T {
	return unsafe.Slice(Hide(unsafe.SliceData(s)), len(s))
}
