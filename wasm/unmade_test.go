package wasm_test

import (
	"errors"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/wasm/engine"
)

// TestUnmade calls the methods of a nil Func, what a failed constructor
// returns, of a zero Func and of a nil or zero Library: each says so with
// ErrArgument rather than panic, and Close is harmless. An Engine whose
// type is comparable but whose value is not fails New with ErrArgument.
func TestUnmade(t *testing.T) {
	for name, f := range map[string]*wasm.Func{"nil": nil, "zero": new(wasm.Func)} {
		kerneltest.Unmade(t, name, f, zerocall.Module)
	}
	for name, l := range map[string]*wasm.Library{"nil": nil, "zero": new(wasm.Library)} {
		if _, err := l.Func(kernel.Sum, "sum"); !errors.Is(err, zerocall.ErrArgument) {
			t.Errorf("Func of a %s Library: %v, want ErrArgument", name, err)
		}
		if err := l.Close(); err != nil {
			t.Errorf("Close of a %s Library: %v", name, err)
		}
	}
	e := taggedEngine{Engine: wasm.Wazero, tag: []int{1}}
	if _, err := wasm.New(zerocall.Config{Capacity: 16, Engine: e}); !errors.Is(err, zerocall.ErrArgument) {
		t.Errorf("New on an engine that cannot be compared: %v, want ErrArgument", err)
	}
}

// taggedEngine is an engine of a comparable type whose value is not.
type taggedEngine struct {
	engine.Engine
	tag any
}
