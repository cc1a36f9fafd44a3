//go:build cgo

package suite

import (
	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/native"
)

// cgoImpls makes the rows of Impls that call C through cgo.
var cgoImpls = map[string]func() (measure.Kernels, error){
	"cgo-simd":     func() (measure.Kernels, error) { return measure.Straight(zerocall.Auto) },
	"cgo-direct":   func() (measure.Kernels, error) { return measure.Direct(zerocall.Auto) },
	"cgo-prealloc": pinned,
	"cgo-inplace":  pinned,
	"cgo-cowned-inplace": func() (measure.Kernels, error) {
		return native.New(zerocall.COwned, zerocall.Config{Capacity: Capacity, Taps: Taps})
	},
	"cgo-scalar": func() (measure.Kernels, error) { return measure.Straight(zerocall.Scalar) },
}

func pinned() (measure.Kernels, error) {
	return native.New(zerocall.Pinned, zerocall.Config{Capacity: Capacity, Taps: Taps})
}
