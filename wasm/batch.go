package wasm

import (
	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/internal/wasmabi"
	"github.com/zerocall/zerocall/kernel"
)

// Batch instantiates f's module with a region of caps[i] elements for
// each buffer i of f's kernel and a batch descriptor of items items
// beside them; see Handle. Run calls the kernel's batch export
// (<kernel>_batch, which ZC_MODULE_BATCH of zc_module.h defines) once for
// all the queued calls. It fails with zerocall.ErrLoad unless the module
// exports f's batch export with the signature (desc i32, n i32).
func (f *Func) Batch(mem zerocall.Memory, items int, caps ...int) (*kernel.Batch, error) {
	if f == nil || f.lib == nil {
		return nil, funcs.Unmade("wasm.Func")
	}
	return wasmabi.NewBatch(f.k, mem, items, caps, &f.lib.lib, f.lib.lookup, f.export, func(items int) (wasmabi.Instance, error) { return newOwned(f, caps, items) })
}
