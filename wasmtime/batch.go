package wasmtime

import (
	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/regionset"
	"github.com/zerocall/zerocall/internal/wasmabi"
	"github.com/zerocall/zerocall/kernel"
)

// Batch instantiates f's module with a region of caps[i] elements for
// each buffer i of f's kernel and a batch descriptor of items items
// beside them; see wasm.Func.Batch. Run calls the kernel's batch export once
// for all the queued calls.
func (f *Func) Batch(mem zerocall.Memory, items int, caps ...int) (*kernel.Batch, error) {
	if err := wasmabi.CheckMemoryKind(mem); err != nil {
		return nil, err
	}
	if err := regionset.CheckItems(items); err != nil {
		return nil, err
	}
	name := f.export + wasmabi.BatchSuffix
	if err := wasmabi.CheckBatch(f.lib.funcs, f.export); err != nil {
		return nil, err
	}
	o, views, l, buf, err := newOwned(f, caps, items)
	if err != nil {
		return nil, err
	}
	o.bname, o.items = name, l.Items
	desc, base := wasmabi.BatchAt(buf, l, len(views))
	return regionset.NewBatch(f.k, caps, views, o, desc, items, base), nil
}
