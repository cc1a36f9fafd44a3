//go:build cgo

package zctest

import (
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
)

// nativePaths returns the paths of a *native.Func.
func nativePaths(fn Func, caps []int) []Path {
	f, ok := fn.(*native.Func)
	if !ok {
		return nil
	}
	owned := func(mem native.Memory) func() (Handle, error) {
		return func() (Handle, error) { return native.NewOwned(f, mem, caps...) }
	}
	paths := []Path{
		{Name: "straight", New: func() (Caller, error) { return funcCaller{f.Straight}, nil }},
		{Name: "direct", New: func() (Caller, error) { return funcCaller{measure.PinPerCall(f)}, nil }},
	}
	paths = append(paths, HandlePaths("pinned", owned(native.Pinned))...)
	paths = append(paths, HandlePaths("cowned", owned(native.COwned))...)
	return append(paths, Path{Name: "shared-copy", New: func() (Caller, error) {
		s, err := native.NewShared(f, native.Pinned, caps...)
		return sharedCaller{s}, err
	}, Bounded: true, Closes: true})
}

// sharedCaller copies through a Shared.
type sharedCaller struct{ s *native.Shared }

func (c sharedCaller) Call(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
	return c.s.Copy(a, bufs...)
}
func (c sharedCaller) Close() error { return c.s.Close() }
