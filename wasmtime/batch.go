package wasmtime

import (
	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/wasmabi"
	"github.com/zerocall/zerocall/kernel"
)

// Batch instantiates f's module with a region of caps[i] elements for
// each buffer i of f's kernel and a batch descriptor of items items
// beside them; see wasm.Func.Batch. Run calls the kernel's batch export
// once for all the queued calls.
func (f *Func) Batch(mem zerocall.Memory, items int, caps ...int) (*kernel.Batch, error) {
	return wasmabi.NewBatch(f.k, mem, items, caps, &f.lib.lib, f.lib.funcs, f.export, func(items int) (wasmabi.Instance, error) { return newOwned(f, caps, items) })
}
