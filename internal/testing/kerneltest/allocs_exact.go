//go:build !race && !asan

package kerneltest

// InexactAllocs says that allocation counts are not exact in this build:
// the race detector and the address sanitizer move to the heap values
// the compiler otherwise keeps on the stack, so a test that counts
// allocations skips the count under either.
const InexactAllocs = false
