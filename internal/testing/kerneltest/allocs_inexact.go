//go:build race || asan

package kerneltest

// InexactAllocs: see allocs_exact.go.
const InexactAllocs = true
