package wasmtime

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	wt "github.com/bytecodealliance/wasmtime-go/v39"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm"
	"github.com/zerocall/zerocall/wasm/embed"
	"github.com/zerocall/zerocall/wasm/engine"
	"github.com/zerocall/zerocall/wasm/enginetest"
)

// TestEngine runs the tests every runtime passes (package
// wasm/enginetest) on Wasmtime: the built-ins' Instance, Funcs through the
// test kit (under a time limit too: epochs cost no allocation), the
// hostile modules, sizes, messages, the backstops, which keep the store
// of a dropped instance so that views still reach its memory.
func TestEngine(t *testing.T) { enginetest.Run(t, Engine) }

// TestConfig checks that the zero Config gives the default sizes.
func TestConfig(t *testing.T) {
	in, err := wasm.New(zerocall.Config{Engine: Engine})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if r := in.Regions(); len(r.X) != 1<<16 || len(r.Taps) != 256 {
		t.Errorf("zerocall.Config{}: capacity %d, taps %d", len(r.X), len(r.Taps))
	}
}

// TestTrap makes the module trap by calling the sum export with a frame
// past the end of memory, as a bug on the Go side would: the call fails
// with Wasmtime's message, and the instance still closes. Package wasm
// turns such a failure into a broken instance, the same on every runtime
// (its TestTrap).
func TestTrap(t *testing.T) {
	in := builtinInstance(t, zerocall.SIMD128)
	defer in.Close()
	call, err := in.Export("sum", 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := call(uint32(len(in.Memory())-4), 0); err == nil || !strings.Contains(err.Error(), "out of bounds") {
		t.Errorf("sum of a frame past the end of memory: err = %v, want Wasmtime's out-of-bounds trap", err)
	}
}

// builtinInstance returns an instance of the built-in module of variant v on
// Engine.
func builtinInstance(t *testing.T, v zerocall.Variant) engine.Instance {
	t.Helper()
	m, err := Engine.Compile(embed.Bytes(v), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	in, err := m.Instantiate()
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// TestMalformedModule checks that a module without zerocall's exports, or
// with one of the wrong type, is refused with zerocall.ErrLoad, by Load
// or by Library.Func.
func TestMalformedModule(t *testing.T) {
	// module returns the text of a module with a memory and a trapping
	// function for each export zerocall needs, with sum's type replaced and
	// the export skip left out.
	module := func(skip, sum string) string {
		var b strings.Builder
		b.WriteString(`(module (memory (export "memory") 1)`)
		exports := map[string]string{
			"zc_abi_version": " (result i32)",
			"zc_reserve":     " (param i32) (param i32) (result i32)",
			"sum":            " (param i32) (result i64)",
			"matmul":         " (param i32) (result i64)",
		}
		if sum != "" {
			exports["sum"] = sum
		}
		for _, name := range slices.Sorted(maps.Keys(exports)) {
			if name != skip {
				fmt.Fprintf(&b, ` (func (export %q)%s unreachable)`, name, exports[name])
			}
		}
		return b.String() + ")"
	}
	for name, tc := range map[string]struct{ wat, want string }{
		"no exports":      {`(module (memory (export "memory") 1))`, `no exported function "zc_abi_version"`},
		"no matmul":       {module("matmul", ""), `no exported function "matmul"`},
		"sum returns i32": {module("", " (param i32) (result i32)"), `export "sum" has type`},
		"no memory":       {strings.Replace(module("", ""), `(memory (export "memory") 1)`, "", 1), `no memory named "memory"`},
	} {
		t.Run(name, func(t *testing.T) {
			bin, err := wt.Wat2Wasm(tc.wat)
			if err != nil {
				t.Fatal(err)
			}
			lib, err := wasm.Load(bin, zerocall.Config{Engine: Engine})
			if err == nil {
				defer lib.Close()
				if _, err = lib.Func(kernel.Sum, "sum"); err == nil {
					_, err = lib.Func(kernel.MatMul, "matmul")
				}
			}
			if !errors.Is(err, zerocall.ErrLoad) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want zerocall.ErrLoad saying %s", err, tc.want)
			}
		})
	}
	// The well-formed text passes the checks.
	bin, err := wt.Wat2Wasm(module("", ""))
	if err != nil {
		t.Fatal(err)
	}
	lib, err := wasm.Load(bin, zerocall.Config{Engine: Engine})
	if err != nil {
		t.Fatalf("the full module: %v", err)
	}
	defer lib.Close()
	for _, k := range []*kernel.Kernel{kernel.Sum, kernel.MatMul} {
		if _, err := lib.Func(k, k.Name); err != nil {
			t.Errorf("the full module's %s: %v", k.Name, err)
		}
	}
}

// TestTypesOfExports loads modules whose zc_abi_version takes a value
// of a type outside the ABI: Wasmtime numbers each type as the binary
// format does, as the engine interface asks, so that Load refuses the
// module with the same words as on wazero.
func TestTypesOfExports(t *testing.T) {
	for _, ty := range []string{"v128", "funcref", "externref"} {
		bin, err := wt.Wat2Wasm(`(module (memory (export "memory") 1)
  (func (export "zc_abi_version") (param ` + ty + `) (result i32) i32.const 1)
  (func (export "zc_reserve") (param i32 i32) (result i32) i32.const 0))`)
		if err != nil {
			t.Fatal(err)
		}
		_, want := wasm.Load(bin, zerocall.Config{})
		_, err = wasm.Load(bin, zerocall.Config{Engine: Engine})
		if want == nil || err == nil || err.Error() != want.Error() {
			t.Errorf("a parameter of type %s: err = %v, want %v as on wazero", ty, err, want)
		}
	}
}

// TestCallAfterClose calls an export after its instance is closed: the
// shim's part is freed with the store, and the call says the instance is
// closed rather than reach freed memory.
func TestCallAfterClose(t *testing.T) {
	in := builtinInstance(t, zerocall.SIMD128)
	call, err := in.Export("noop", 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := call(0, 0); err != nil {
		t.Fatal(err)
	}
	if err := in.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if _, err := call(0, 0); !errors.Is(err, zerocall.ErrClosed) {
		t.Errorf("call after close: err = %v, want ErrClosed", err)
	}
}

// TestDroppedLibraryStopsTicker drops a Library under a time limit, and a
// handle of it, without closing either: once the collector has found
// them, the epoch ticker stops, rather than run for the life of the
// process.
func TestDroppedLibraryStopsTicker(t *testing.T) {
	before := settledTickers()
	func() {
		lib, h := sumHandle(t, embed.Bytes(zerocall.Scalar), zerocall.Config{TimeLimit: time.Second})
		// Counted while the Library is still reachable (once it is not, a
		// collection can stop the ticker before it is seen), and waited
		// for: a goroutine that has not run yet shows no tick frame.
		n := tickers()
		for i := 0; i < 500 && n != before+1; i++ {
			time.Sleep(time.Millisecond)
			n = tickers()
		}
		if n != before+1 {
			t.Fatalf("%d epoch tickers after Load under a time limit, want %d", n, before+1)
		}
		runtime.KeepAlive(lib)
		runtime.KeepAlive(h)
	}()
	if !tickersBack(before) {
		t.Errorf("the epoch ticker of a dropped Library still runs after 5 s")
	}
}

// recursive returns a module of the module ABI whose export sum (for
// kernel.Sum) recurses depth deep through a function of a name name
// bytes long, then spins, or with depth 0 recurses until the stack runs
// out.
func recursive(t *testing.T, name, depth int) []byte {
	t.Helper()
	fn := strings.Repeat("f", name)
	body := fmt.Sprintf(`(func $%[1]s (param $d i32) (result i64)
	  local.get $d i32.eqz
	  if (result i64) (loop $spin br $spin) i64.const 0
	  else local.get $d i32.const 1 i32.sub call $%[1]s end)`, fn)
	if depth == 0 {
		body = fmt.Sprintf(`(func $%[1]s (param $d i32) (result i64) local.get $d call $%[1]s)`, fn)
	}
	return sumModule(t, 2, body, fmt.Sprintf("i32.const %d call $%s", max(depth, 1), fn))
}

// sumHandle loads bin under cfg on Wasmtime and returns the Library and
// a handle of its sum, with room for 4 elements.
func sumHandle(t *testing.T, bin []byte, cfg zerocall.Config) (*wasm.Library, *kernel.Handle) {
	t.Helper()
	cfg.Engine = Engine
	lib, err := wasm.Load(bin, cfg)
	if err != nil {
		t.Fatal(err)
	}
	f, err := lib.Func(kernel.Sum, "sum")
	if err != nil {
		t.Fatal(err)
	}
	h, err := f.Handle(zerocall.Module, 4)
	if err != nil {
		t.Fatal(err)
	}
	return lib, h
}

// settledTickers counts the epoch tickers that run once those that other
// tests stopped have ended.
func settledTickers() int {
	n := tickers()
	for range 100 {
		time.Sleep(2 * time.Millisecond)
		m := tickers()
		if m == n {
			break
		}
		n = m
	}
	return n
}

// tickers counts the epoch tickers that run.
func tickers() int {
	buf := make([]byte, 1<<20)
	return strings.Count(string(buf[:runtime.Stack(buf, true)]), "zerocall/wasmtime.tick(")
}

// tickersBack runs the collector until no more tickers run than before
// (those of other tests may stop meanwhile), for at most 5 s, and reports
// whether it came to that.
func tickersBack(before int) bool {
	for range 500 {
		runtime.GC()
		if tickers() <= before {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false
}

// callSum makes a handle of bin's sum under cfg and calls it once.
func callSum(t *testing.T, bin []byte, cfg zerocall.Config) error {
	t.Helper()
	lib, h := sumHandle(t, bin, cfg)
	defer lib.Close()
	defer h.Close()
	_, err := h.Call(nil, kernel.SliceOf(kernel.Elems[float64](h.Region(0))[:4]))
	return err
}

// TestTrapMessage overflows the stack through a function with a long
// name: the error says what trapped, in a few words, where Wasmtime's
// message holds a backtrace of every frame with its name (megabytes).
func TestTrapMessage(t *testing.T) {
	err := callSum(t, recursive(t, 1000, 0), zerocall.Config{MemoryLimit: 1 << 20})
	if err == nil || !strings.Contains(err.Error(), "call stack exhausted") || len(err.Error()) > 1024 {
		t.Errorf("a stack overflow's error (%d bytes): %.200s", len(fmt.Sprint(err)), err)
	}
}

// TestTimeLimitDeepStack stops a call that spins 10000 frames deep, each
// of a function with a long name: the stop does not copy the names into
// a backtrace, seconds past the limit.
func TestTimeLimitDeepStack(t *testing.T) {
	const limit = 250 * time.Millisecond
	start := time.Now()
	err := callSum(t, recursive(t, 30000, 10000), zerocall.Config{TimeLimit: limit, MemoryLimit: 1 << 20})
	if took := time.Since(start); !errors.Is(err, zerocall.ErrBroken) || took > 10*limit {
		t.Errorf("a call under a time limit of %v: %v after %v", limit, err, took)
	}
}

// TestClosedHandleStopsTicker keeps a closed handle of a Library that is
// dropped: the Library's epoch ticker stops once the collector has found
// it, the closed handle holding nothing of it.
func TestClosedHandleStopsTicker(t *testing.T) {
	before := settledTickers()
	var h *kernel.Handle
	func() {
		_, h = sumHandle(t, embed.Bytes(zerocall.Scalar), zerocall.Config{TimeLimit: time.Second})
		if err := h.Close(); err != nil {
			t.Fatal(err)
		}
	}()
	if !tickersBack(before) {
		t.Errorf("a dropped Library's ticker runs on for a closed handle of it")
	}
	runtime.KeepAlive(h)
}

// sumModule returns a module of the module ABI, of pages pages of memory,
// with the functions funcs, whose export sum (for kernel.Sum) runs body.
func sumModule(t *testing.T, pages int, funcs, body string) []byte {
	t.Helper()
	bin, err := wt.Wat2Wasm(fmt.Sprintf(`(module
  %s
  (memory (export "memory") %d)
  (global $next (mut i32) (i32.const 1024))
  (func (export "zc_abi_version") (result i32) i32.const 1)
  (func (export "zc_reserve") (param $size i32) (param $align i32) (result i32) (local $at i32)
    global.get $next local.get $align i32.add i32.const 1 i32.sub
    i32.const 0 local.get $align i32.sub i32.and local.tee $at
    local.get $size i32.add global.set $next local.get $at)
  (func (export "sum") (param $f i32) (result i64) %s))`, funcs, pages, body))
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// TestTimeLimitBulkMemory runs a kernel of 400 memory.fill instructions
// of 16 MiB each, with no loop or call, where Wasmtime checks the epoch:
// it cannot be stopped, but having run past the limit it fails with
// ErrBroken, as a stopped call does (it returned success).
func TestTimeLimitBulkMemory(t *testing.T) {
	body := strings.Repeat("i32.const 0 i32.const 1 i32.const 16777216 memory.fill\n", 400) + "i64.const 0"
	if err := callSum(t, sumModule(t, 257, "", body), zerocall.Config{TimeLimit: 10 * time.Millisecond}); !errors.Is(err, zerocall.ErrBroken) {
		t.Errorf("bulk memory past the time limit: %v, want ErrBroken", err)
	}
}

// TestTrapNames traps with an atomic wait on a memory that is not shared,
// which Wasmtime runs (wazero refuses the module): the error names the
// trap, as for the traps of every code Wasmtime has.
func TestTrapNames(t *testing.T) {
	err := callSum(t, sumModule(t, 2, "", "i32.const 0 i32.const 0 i64.const -1 memory.atomic.wait32 drop i64.const 0"), zerocall.Config{})
	if !errors.Is(err, zerocall.ErrBroken) || !strings.Contains(err.Error(), "atomic wait on non-shared memory") {
		t.Errorf("an atomic wait: %v, want ErrBroken naming it", err)
	}
	if n := len(trapMessages); n != 21 {
		t.Errorf("%d trap messages, want one for each of Wasmtime's 21 codes", n)
	}
}

// TestSmallThreadStack recurses without end on threads of 512 KiB of
// stack (ulimit -s 512, in a child process): wasm's stack is bounded
// within the thread's, so the call traps (ErrBroken), where the thread's
// guard page ended the process with SIGSEGV.
func TestSmallThreadStack(t *testing.T) {
	if os.Getenv("ZEROCALL_TEST_SMALL_STACK") != "" {
		if err := callSum(t, recursive(t, 10, 0), zerocall.Config{}); !errors.Is(err, zerocall.ErrBroken) || !strings.Contains(err.Error(), "call stack exhausted") {
			t.Errorf("recursion without end: %v, want ErrBroken, the stack exhausted", err)
		}
		return
	}
	if runtime.GOOS != "linux" || os.Getenv("ZEROCALL_TEST_EXEC") != "" {
		t.Skip("a thread's stack is set by ulimit -s on Linux, natively")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	cmd := exec.Command("sh", "-c", `ulimit -s 512 && exec "$0" -test.run '^TestSmallThreadStack$' -test.count=1`, exe)
	cmd.Env = append(os.Environ(), "ZEROCALL_TEST_SMALL_STACK=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("recursion on threads of 512 KiB: %v\n%.2000s", err, out)
	}
}
