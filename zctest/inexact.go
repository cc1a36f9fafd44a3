//go:build race || asan

package zctest

// allocsInexact says that allocation counts are not exact in this build:
// the race detector and the address sanitizer move values that the
// compiler otherwise keeps on the stack to the heap, so the kit does not
// count allocations under either.
const allocsInexact = true
