//go:build goexperiment.simd && amd64

package gokernels

// SetSIMDWidth makes SIMD use vectors of w float64 (8, 4, or 0 for none)
// until the returned function restores the CPU's choice.
func SetSIMDWidth(w int) (restore func()) {
	old := simdWidth
	simdWidth = w
	return func() { simdWidth = old }
}
