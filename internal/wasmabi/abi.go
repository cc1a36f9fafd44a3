// Package wasmabi is the zerocall wasm module's ABI as the Go hosts see
// it, written once for every engine that runs the module: the exports and
// their signatures, the sizes an instance may have, and the views of the
// regions the module reserves. The module's side of it is the "wasm32
// module" section of native/zerocall.h.
package wasmabi

import (
	"errors"
	"fmt"
	"slices"
	"unsafe"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/errs"
)

// Type is a wasm value type, numbered as in the binary format.
type Type byte

// The value types the exports use.
const (
	I32 Type = 0x7f
	F64 Type = 0x7c
)

// String returns the type's name in the text format.
func (t Type) String() string {
	switch t {
	case I32:
		return "i32"
	case F64:
		return "f64"
	}
	return fmt.Sprintf("type(%#x)", byte(t))
}

// Export is a function the module must export, with its signature.
type Export struct {
	Name            string
	Params, Results []Type
}

// Exports are the functions every zerocall module exports.
var Exports = []Export{
	{"zc_init", []Type{I32, I32}, []Type{I32}},
	{"zc_x", nil, []Type{I32}},
	{"zc_y", nil, []Type{I32}},
	{"zc_taps", nil, []Type{I32}},
	{"zc_out", nil, []Type{I32}},
	{"sum", []Type{I32}, []Type{F64}},
	{"dot", []Type{I32}, []Type{F64}},
	{"axpy", []Type{F64, I32}, nil},
	{"fir", []Type{I32, I32}, []Type{I32}},
	{"matmul", []Type{I32}, nil},
	{"noop", nil, nil},
}

// ErrModule reports a module that does not have the exports zerocall
// needs, with the signatures it needs.
var ErrModule = errors.New("zerocall: wasm module does not match the zerocall ABI")

// Check fails with ErrModule unless lookup finds every export with its
// signature and the module exports exactly one memory.
func Check(lookup func(name string) (params, results []Type, ok bool), memories int) error {
	for _, want := range Exports {
		params, results, ok := lookup(want.Name)
		if !ok {
			return fmt.Errorf("%w: no export %q", ErrModule, want.Name)
		}
		if !slices.Equal(params, want.Params) || !slices.Equal(results, want.Results) {
			return fmt.Errorf("%w: export %q has type %v -> %v, want %v -> %v",
				ErrModule, want.Name, params, results, want.Params, want.Results)
		}
	}
	if memories != 1 {
		return fmt.Errorf("%w: it must export one memory", ErrModule)
	}
	return nil
}

// The sizes a zero capacity or taps stands for.
const (
	DefaultCapacity = 1 << 16
	DefaultTaps     = 256
)

// MaxCapacity keeps the four regions, X, Y and Out of capacity doubles
// and Taps of at most as many, inside the module's 2 GiB of memory, with
// 1 MiB left below them for the stack and the static data.
const MaxCapacity = (1<<31 - 1<<20) / 8 / 4

// Status returns the error of zc_init's status code s for an instance of
// capacity and taps, or nil when it succeeded.
func Status(s int32, capacity, taps int) error {
	if err := errs.Status("zc_init", int(s)); err != nil {
		return fmt.Errorf("%w (wasm zc_init(%d, %d))", err, capacity, taps)
	}
	return nil
}

// Sizes applies the defaults to an instance's sizes and checks them.
func Sizes(capacity, taps int) (int, int, error) {
	if capacity == 0 {
		capacity = DefaultCapacity
	}
	if taps == 0 {
		taps = min(DefaultTaps, capacity)
	}
	if capacity < 1 || taps < 1 || taps > capacity || capacity > MaxCapacity {
		return 0, 0, zerocall.ErrArgument
	}
	return capacity, taps, nil
}

// LittleEndian reports whether this host stores numbers as wasm memory
// does; the float64 views of the regions depend on it.
func LittleEndian() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}

// Regions returns float64 views of the regions of an instance after
// zc_init. mem is the module's whole linear memory, which never grows
// after zc_init; offset calls one of the zc_x, zc_y, zc_taps, zc_out
// exports.
func Regions(mem []byte, offset func(name string) (uint32, error), capacity, taps int) (zerocall.Regions, error) {
	view := func(name string, n int) ([]float64, error) {
		off, err := offset(name)
		if err != nil {
			return nil, fmt.Errorf("zerocall: wasm %s: %w", name, err)
		}
		if off%8 != 0 || uint64(off)+uint64(n)*8 > uint64(len(mem)) {
			return nil, fmt.Errorf("%w: region %s at %d does not fit memory", ErrModule, name, off)
		}
		return unsafe.Slice((*float64)(unsafe.Pointer(&mem[off])), n), nil
	}
	var r zerocall.Regions
	var err error
	for _, v := range []struct {
		dst  *[]float64
		name string
		n    int
	}{{&r.X, "zc_x", capacity}, {&r.Y, "zc_y", capacity}, {&r.Taps, "zc_taps", taps}, {&r.Out, "zc_out", capacity}} {
		if *v.dst, err = view(v.name, v.n); err != nil {
			return zerocall.Regions{}, err
		}
	}
	return r, nil
}
