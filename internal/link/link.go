// Package link lets package backend construct the instances of package
// zerocall without zerocall importing backend: zerocall sets Instance at
// init, and backend, which imports zerocall, calls it.
package link

// Instance makes a *zerocall.Instance (returned as any) over hs, the
// *kernel.Handle of each built-in kernel in backend.Kernels' order, all
// over the regions x, y, taps and out, released by closeFn or, when
// unreachable, by unreachable.
var Instance func(hs [5]any, x, y, taps, out []float64, closeFn func() error, unreachable func()) (any, error)
