//go:build !cgo

package suite

import "github.com/zerocall/zerocall/internal/measure"

// cgoImpls is empty without cgo: Impls has no cgo rows.
var cgoImpls map[string]func() (measure.Kernels, error)
