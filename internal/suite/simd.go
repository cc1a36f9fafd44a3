//go:build goexperiment.simd && amd64

package suite

import "github.com/zerocall/zerocall/internal/gokernels"

// goSIMD is the pure-Go SIMD rival: Go 1.26's simd/archsimd, which exists
// only under GOEXPERIMENT=simd on amd64.
var goSIMD = Impl{Name: "go-simd", Label: "Go SIMD", Notes: "simd/archsimd, no foreign code", New: newOf(gokernels.SIMD{})}
