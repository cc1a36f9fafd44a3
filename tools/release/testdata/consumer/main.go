// Command consumer is a module of a zerocall user's own, outside the
// zerocall repository: it requires the zerocall modules by version, with
// no replace directive, and runs its own kernel (scalec/scale.c) on every
// path. make test's release dry run builds and runs it against the
// modules of a release, served by a file-based module proxy.
package main

//go:generate zerocall headers -o include
//go:generate zerocall module -simd -kernels scale -o scale.wasm scalec/scale.c

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/asm"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/wasmtime"
	"github.com/zerocall/zerocall/zctest"

	"example.com/consumer/scaleasm"
	"example.com/consumer/scalec"
)

//go:embed scale.wasm
var module []byte

// Scale describes scalec/scale.c.
var Scale = &kernel.Kernel{
	Name: "scale",
	Buffers: []kernel.Buffer{
		{Name: "x", Type: kernel.Float32, Role: kernel.In},
		{Name: "out", Type: kernel.Float32, Role: kernel.Out},
	},
	Floats:  []string{"a"},
	Result:  kernel.Count,
	CountOf: 1,
}

// ref is the Go version of the kernel.
func ref(a *kernel.Args, bufs []kernel.Slice) kernel.Return {
	x, out := kernel.Elems[float32](bufs[0]), kernel.Elems[float32](bufs[1])
	for i := range x {
		out[i] = float32(a.F[0]) * x[i]
	}
	return kernel.Return{N: int64(len(x))}
}

// caller is a one-shot call on the caller's slices (a native or asm
// Func's), or a call of a handle (a wasm Func's, whose regions are in the
// module's memory).
type caller interface {
	Call(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error)
}

// moduleFunc is a wasm Func, of either engine.
type moduleFunc interface {
	zctest.Func
	Handle(mem zerocall.Memory, caps ...int) (*kernel.Handle, error)
}

// path is one way the program calls the kernel.
type path struct {
	name string
	f    zctest.Func
	call caller
}

// paths returns the kernel on every path, built or loaded, and what
// releases them.
func paths(libDir string) ([]path, func(), error) {
	var ps []path
	var closers []func() error
	done := func() {
		for _, c := range closers {
			_ = c()
		}
	}
	fail := func(err error) ([]path, func(), error) { done(); return nil, nil, err }

	f, err := native.NewFunc(Scale, scalec.Scale())
	if err != nil {
		return fail(err)
	}
	ps = append(ps, path{"cgo", f, f})

	so, err := buildShared(libDir)
	if err != nil {
		return fail(err)
	}
	lib, err := native.Load(so) // loaded for the life of the process
	if err != nil {
		return fail(err)
	}
	if f, err := lib.Func(Scale, "scale"); err != nil {
		return fail(err)
	} else {
		ps = append(ps, path{"shared library", f, f})
	}

	// The module on both engines, each call through a handle: a wasm
	// Func's regions are in the module's memory.
	wz, err := wasm.Load(module, zerocall.Config{})
	if err != nil {
		return fail(err)
	}
	closers = append(closers, wz.Close)
	wt, err := wasm.Load(module, zerocall.Config{Engine: wasmtime.Engine})
	if err != nil {
		return fail(err)
	}
	closers = append(closers, wt.Close)
	wf, err1 := wz.Func(Scale, "scale")
	tf, err2 := wt.Func(Scale, "scale")
	if err := errors.Join(err1, err2); err != nil {
		return fail(err)
	}
	for _, m := range []struct {
		name string
		f    moduleFunc
	}{{"wazero", wf}, {"wasmtime", tf}} {
		h, err := m.f.Handle(zerocall.Module, 64, 64)
		if err != nil {
			return fail(err)
		}
		closers = append(closers, h.Close)
		ps = append(ps, path{m.name, m.f, h})
	}

	af, err := asm.NewFunc(Scale, scaleasm.ScaleCode())
	if err != nil {
		return fail(err)
	}
	ps = append(ps, path{"go assembly", af, af})
	return ps, done, nil
}

// buildShared compiles scalec/scale.c into a shared library in dir.
func buildShared(dir string) (string, error) {
	cc := os.Getenv("CC")
	if cc == "" {
		cc = "cc"
	}
	so := filepath.Join(dir, "libscale.so")
	args := []string{"-std=c11", "-O3", "-Wall", "-Wextra", "-Werror", "-fPIC", "-shared", "-Iinclude", "-o", so, "scalec/scale.c"}
	if msg, err := exec.Command(cc, args...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("%s: %v\n%s", cc, err, msg)
	}
	return so, nil
}

func main() {
	dir, err := os.MkdirTemp("", "consumer-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer os.RemoveAll(dir)
	ps, done, err := paths(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer done()
	x := []float32{1, 2, 3, 4}
	failed := false
	for _, p := range ps {
		out := make([]float32, len(x))
		r, err := p.call.Call(&kernel.Args{F: [kernel.MaxScalars]float64{2.5}}, kernel.SliceOf(x), kernel.SliceOf(out))
		ok := err == nil && r.N == 4 && out[3] == 10
		if !ok {
			failed = true
		}
		fmt.Printf("consumer: %-14s scale(2.5, %v) = %v, %d written, err %v: %s\n", p.name, x, out, r.N, err, map[bool]string{true: "ok", false: "WRONG"}[ok])
	}
	if failed {
		os.Exit(1)
	}
}
