// Package hostapi is the one door through which the hosts (native, and
// wasm on every runtime) make the handles and batches of package kernel. A handle is
// written once, in package kernel; a host supplies only how one call and
// one batch run and how its memory is released. Package kernel sets these
// hooks when it is initialized, since it cannot export a constructor that
// only the hosts may call; internal/regionset wraps them in typed form.
package hostapi

import "unsafe"

// NewHandle is kernel's newHandle: the kernel (a *kernel.Kernel), the
// regions' capacities and addresses, and the host's runner.
var NewHandle func(k any, caps []int, views []unsafe.Pointer, host any) any

// NewBatch is kernel's newBatch: a handle as NewHandle makes, with a batch
// descriptor of items items at desc, in which the regions' addresses, as
// the foreign side sees them, are base.
var NewBatch func(k any, caps []int, views []unsafe.Pointer, host any, desc unsafe.Pointer, items int, base []uint64) any

// Runner is kernel's: the host a handle made by NewHandle runs on, for a
// caller that has checked a call's lengths itself (the Instance of the
// built-in kernels, which calls it with its own Args).
var Runner func(h any) any

// Validate is kernel's check of a description, as a func value of its
// own type (internal/funcs gives it typed), for a host making a Func.
var Validate any

// VariantOf holds each host's report of the CPU variant its Func f runs,
// if f is one of its Funcs chosen from a table of variants; the hosts add
// theirs through internal/funcs, and zerocall.VariantOf asks them.
var VariantOf []func(f any) (v int, ok bool)
