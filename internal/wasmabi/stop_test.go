package wasmabi_test

import (
	"bytes"
	"context"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/wasmabi"
	"github.com/zerocall/zerocall/wasm/embed"
)

// interruptibleModules are the modules the hosts load, each of which
// Interruptible must rewrite: the built-ins in both variants, the test
// kernel, every hostile module and the hand-written ones.
func interruptibleModules(t *testing.T) map[string][]byte {
	mods := map[string][]byte{
		"simd":          embed.Bytes(zerocall.SIMD128),
		"scalar":        embed.Bytes(zerocall.Scalar),
		"saxpy":         testkernel.Module(),
		"tiny":          testkernel.Tiny{}.Bytes(),
		"tiny-grow":     testkernel.Tiny{Grow: 1}.Bytes(),
		"tiny-spin":     testkernel.Tiny{Spin: "zc_reserve"}.Bytes(),
		"saxpy-no-name": wasmabi.StripCustom(testkernel.Module()),
	}
	names, err := filepath.Glob("../testing/testkernel/hostile/*.wasm")
	if err != nil || len(names) == 0 {
		t.Fatalf("hostile modules: %v, %v", names, err)
	}
	for _, n := range names {
		n = strings.TrimSuffix(filepath.Base(n), ".wasm")
		mods["hostile-"+n] = testkernel.Hostile(n)
	}
	return mods
}

// TestInterruptible rewrites each module the hosts load: wazero compiles
// the result, which exports the stop global, and a second rewrite of one
// module makes the same bytes. (The hosts' tests run every kernel on
// rewritten modules, under a time limit.)
func TestInterruptible(t *testing.T) {
	ctx := context.Background()
	rt := wazero.NewRuntime(ctx)
	defer rt.Close(ctx)
	for name, bin := range interruptibleModules(t) {
		t.Run(name, func(t *testing.T) {
			out, ok := wasmabi.Interruptible(bin)
			if !ok {
				t.Fatal("not rewritten")
			}
			if _, err := rt.CompileModule(ctx, bin); err != nil {
				t.Skipf("wazero refuses the module itself: %v", err)
			}
			cm, err := rt.CompileModule(ctx, out)
			if err != nil {
				t.Fatalf("wazero refuses the rewritten module: %v", err)
			}
			defer cm.Close(ctx)
			mod, err := rt.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName(""))
			if err != nil {
				t.Skipf("wazero does not instantiate it: %v", err) // a module that imports
			}
			defer mod.Close(ctx)
			g, ok := mod.ExportedGlobal(wasmabi.StopGlobal).(api.MutableGlobal)
			if !ok || g.Type() != api.ValueTypeI32 || g.Get() != 0 {
				t.Fatalf("export %s: %v", wasmabi.StopGlobal, g)
			}
			if !bytes.Equal(out, mustInterruptible(t, bin)) {
				t.Fatal("two rewrites of one module differ")
			}
		})
	}
}

func mustInterruptible(t *testing.T, bin []byte) []byte {
	t.Helper()
	out, ok := wasmabi.Interruptible(bin)
	if !ok {
		t.Fatal("not rewritten")
	}
	return out
}

// TestInterruptibleStops sets the stop global of a module whose export
// loops forever while it runs on another goroutine: the call traps, and
// no sooner. (wazero's compiler; in its interpreter the checks would be
// Go code racing the write.) While it
// loops, the collector stops the world, which needs the loop to let the
// goroutine be preempted, and the goroutine that sets the global runs.
func TestInterruptibleStops(t *testing.T) {
	ctx := context.Background()
	bin := mustInterruptible(t, testkernel.Tiny{Spin: "zc_reserve"}.Bytes())
	rt := wazero.NewRuntime(ctx)
	defer rt.Close(ctx)
	mod, err := rt.InstantiateWithConfig(ctx, bin, wazero.NewModuleConfig().WithName(""))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := mod.ExportedFunction("zc_reserve").Call(ctx, 8, 8)
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("the spinning call returned before it was stopped: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	gc := make(chan struct{})
	go func() {
		runtime.GC()
		close(gc)
	}()
	select {
	case <-gc:
	case <-time.After(10 * time.Second):
		t.Fatal("a collection did not end in 10 s beside the spinning call")
	}
	mod.ExportedGlobal(wasmabi.StopGlobal).(api.MutableGlobal).Set(1)
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "unreachable") {
			t.Fatalf("err = %v, want the trap of the check", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the call ran on 10 s after the stop global was set")
	}
}

// TestInterruptibleRefuses checks the modules Interruptible leaves to the
// engine's own checks, and that it never panics, on any truncation or on
// random changes of the modules: what it rewrites, wazero compiles if
// and only if it compiles the module itself.
func TestInterruptibleRefuses(t *testing.T) {
	tiny := testkernel.Tiny{}.Bytes()
	start, err := testkernel.WithStart(tiny, "zc_test_spin")
	if err != nil {
		t.Fatal(err)
	}
	// zc_test_spin's body, "loop br 0 end unreachable end", begins with
	// no locals (0x00) then loop (0x03 0x40): replace the loop's block
	// type and the branch with a try block (0x06, exceptions) or a
	// global.set past the module's globals.
	spin := []byte{0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b}
	if bytes.Count(tiny, spin) != 1 {
		t.Fatal("zc_test_spin's body not found")
	}
	for _, c := range []struct {
		name string
		bin  []byte
	}{
		{"start section", start},
		{"a 64-bit memory", testkernel.Tiny{Memories: []byte{testkernel.Mem64}}.Bytes()},
		{"an export named as the global", mustInterruptible(t, tiny)},
		{"an unknown instruction", bytes.Replace(tiny, spin, []byte{0x00, 0x06, 0x40, 0x0c, 0x00, 0x0b}, 1)},
		{"a global past the module's", bytes.Replace(tiny, spin, []byte{0x00, 0x41, 0x00, 0x24, 0x01, 0x0b}, 1)},
		{"truncated", tiny[:len(tiny)-1]},
		{"not a module", []byte("\x00asm")},
	} {
		if out, ok := wasmabi.Interruptible(c.bin); ok {
			t.Errorf("%s: rewritten (%d bytes)", c.name, len(out))
		}
	}
	if _, ok := wasmabi.Interruptible(bytes.Replace(tiny, spin, []byte{0x00, 0x41, 0x00, 0x24, 0x00, 0x0b}, 1)); !ok {
		t.Error("a global.set of the module's own global: not rewritten")
	}

	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter())
	defer rt.Close(ctx)
	valid := func(bin []byte) bool {
		cm, err := rt.CompileModule(ctx, bin)
		if err == nil {
			cm.Close(ctx)
		}
		return err == nil
	}
	mods := interruptibleModules(t)
	for i, name := range slices.Sorted(maps.Keys(mods)) {
		bin := mods[name]
		r := rand.New(rand.NewPCG(1, uint64(i)))
		for i := range len(bin) {
			wasmabi.Interruptible(bin[:i])
		}
		if len(bin) > 4096 {
			continue
		}
		rewritten := 0
		for range 300 {
			b := bytes.Clone(bin)
			b[8+r.IntN(len(b)-8)] = byte(r.Uint32())
			out, ok := wasmabi.Interruptible(b)
			if !ok {
				continue
			}
			rewritten++
			if v, w := valid(b), valid(out); v != w {
				t.Errorf("%s changed: wazero compiles it %v, rewritten %v", name, v, w)
			}
		}
		if rewritten == 0 {
			t.Errorf("%s: no changed module was rewritten", name)
		}
	}
}

// TestInterruptibleWeighs runs, with the stop global set from the start,
// loops whose every iteration adds 1 to the i32 at address 0: a short
// body, a body of 6000 bytes, and a memory.fill of 1 MiB. The call traps
// at its first look at the global, which must come after about a
// megabyte of code or 64 MiB of memory: the iterations it ran say when.
func TestInterruptibleWeighs(t *testing.T) {
	ctx := context.Background()
	rt := wazero.NewRuntime(ctx)
	defer rt.Close(ctx)
	pad := bytes.Repeat([]byte{0x41, 0x00, 0x1a}, 2000) // i32.const 0, drop
	fill := []byte{
		0x41, 0x80, 0x08, // i32.const 1024
		0x41, 0x00, // i32.const 0
		0x41, 0x80, 0x80, 0xc0, 0x00, // i32.const 1 << 20
		0xfc, 0x0b, 0x00, // memory.fill
	}
	for _, c := range []struct {
		name     string
		body     []byte
		min, max uint32 // the iterations run
	}{
		{"short", nil, 40000, 70000}, // 18 bytes
		{"long", pad, 100, 250},      // 6018 bytes
		{"fill", fill, 40, 80},       // 31 bytes and 16384 units of memory
	} {
		mod, err := rt.InstantiateWithConfig(ctx, mustInterruptible(t, loopModule(c.body)), wazero.NewModuleConfig().WithName(""))
		if err != nil {
			t.Fatal(err)
		}
		mod.ExportedGlobal(wasmabi.StopGlobal).(api.MutableGlobal).Set(1)
		if _, err := mod.ExportedFunction("run").Call(ctx); err == nil || !strings.Contains(err.Error(), "unreachable") {
			t.Errorf("%s: err = %v, want the trap of the check", c.name, err)
		}
		if n, _ := mod.Memory().ReadUint32Le(0); n < c.min || n > c.max {
			t.Errorf("%s: %d iterations before the check looked at the stop global, want %d to %d", c.name, n, c.min, c.max)
		}
		mod.Close(ctx)
	}
}

// loopModule returns a module with a memory of 32 pages and an export
// run that loops forever: each iteration adds 1 to the i32 at address 0,
// then runs body.
func loopModule(body []byte) []byte {
	code := []byte{
		0x00,       // no locals
		0x03, 0x40, // loop
		0x41, 0x00, 0x41, 0x00, 0x28, 0x02, 0x00, // i32.const 0, i32.load (i32.const 0)
		0x41, 0x01, 0x6a, 0x36, 0x02, 0x00, // i32.const 1, i32.add, i32.store
	}
	code = append(code, body...)
	code = append(code, 0x0c, 0x00, 0x0b, 0x0b) // br 0, end, end
	fn := wasmabi.AppendULEB(nil, uint64(len(code)))
	fn = append(fn, code...)
	codeSec := wasmabi.AppendULEB([]byte{0x01}, 0)[:1] // one function
	codeSec = append(codeSec, fn...)
	bin := []byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}
	section := func(id byte, body []byte) {
		bin = append(bin, id)
		bin = wasmabi.AppendULEB(bin, uint64(len(body)))
		bin = append(bin, body...)
	}
	section(1, []byte{0x01, 0x60, 0x00, 0x00})                // () -> ()
	section(3, []byte{0x01, 0x00})                            // one function of type 0
	section(5, []byte{0x01, 0x00, 0x20})                      // one memory of 32 pages
	section(7, []byte{0x01, 0x03, 'r', 'u', 'n', 0x00, 0x00}) // run: function 0
	section(10, codeSec)
	return bin
}
