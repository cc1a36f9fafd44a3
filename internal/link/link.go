// Package link lets package backend construct the instances of package
// zerocall without zerocall importing backend: zerocall sets Instance at
// init, and backend, which imports zerocall, calls it.
package link

// Instance makes a *zerocall.Instance (returned as any) over the engine
// e, which must have the methods of backend.Engine, and the regions
// x, y, taps and out, released by closeFn or, unreachable, by
// unreachable.
var Instance func(e any, x, y, taps, out []float64, closeFn func() error, unreachable func()) (any, error)
