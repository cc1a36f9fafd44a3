package testkernel

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/wasm/embed"
)

// FuzzLoadTarget is the whole of a runtime's FuzzLoad target: the seeds
// (loadSeeds), then FuzzLoad of each input on load.
func FuzzLoadTarget(f *testing.F, load Load) {
	loadSeeds(f)
	f.Fuzz(func(t *testing.T, bin []byte) { FuzzLoad(t, load, bin) })
}

// loadSeeds adds the seeds of a host's loader fuzz target to f: the test
// kernel's module, the built-in modules, the hostile modules and the
// tiny one, each a valid module for the fuzzer to mutate.
func loadSeeds(f *testing.F) {
	f.Add(Module())
	f.Add(embed.Bytes(zerocall.SIMD128))
	f.Add(embed.Bytes(zerocall.Scalar))
	f.Add(Tiny{}.Bytes())
	for _, name := range []string{"loops", "grows", "count", "small"} {
		f.Add(Hostile(name))
	}
}

// FuzzLimit is the time limit of a fuzzed module's calls.
const FuzzLimit = 50 * time.Millisecond

// AmpleLimit is the time limit of the tests whose calls must finish: far
// past what any of them takes, so that a machine whose host pauses it for
// a second does not stop a call that was never going to hang.
const AmpleLimit = 20 * time.Second

// StopLimit is the time limit of the tests that need one to stop a call
// that never returns, once set-up (whose calls run under the same limit)
// has finished: long enough that a loaded machine does not stop set-up.
// Under qemu-user, with other packages' tests on both cores, a limit of
// 50 ms stopped a module's zc_abi_version, whose thread had waited that
// long to run.
const StopLimit = 500 * time.Millisecond

// FuzzMemory is the memory limit of a fuzzed module's instances. Without
// one, a module may declare 4 GiB of memory, which the host allocates and
// clears for each instance: seconds each, and the fuzzer's workers run
// out of memory.
const FuzzMemory = 16 << 20

// fuzzErrors are the errors a host may fail with for a module, whatever
// its bytes: it breaks the ABI, its code fails, its memory cannot hold
// the regions, or its kernel returns one of the ABI's statuses.
var fuzzErrors = []error{
	zerocall.ErrLoad, zerocall.ErrBroken, zerocall.ErrNoMemory, zerocall.ErrArgument,
	zerocall.ErrClosed, zerocall.ErrUnsupported, zerocall.ErrCapacity,
}

// fuzzHang is how long a module may take through FuzzLoad before it
// counts as hanging the host: far past the time limit, as compiling is
// not bounded by it.
const fuzzHang = 20 * time.Second

// FuzzLoad loads the module bin through load, with time and memory
// limits (FuzzLimit, FuzzMemory), and if
// it loads makes an instance and a batch of the test kernel with small
// regions and calls them: whatever the bytes, nothing panics, hangs or
// faults, and every failure wraps one of the hosts' errors. It releases
// everything it made.
func FuzzLoad(t *testing.T, load Load, bin []byte) {
	// The work runs on a goroutine of its own, so that a hang is reported
	// rather than waited for; it reports its failures here, as a test's
	// goroutine must not report once the test has ended.
	done := make(chan []string, 1)
	go func() { done <- fuzzLoad(load, bin) }()
	select {
	case failures := <-done:
		for _, f := range failures {
			t.Error(f)
		}
	case <-time.After(fuzzHang):
		t.Fatalf("the module held the host for %v", fuzzHang)
	}
}

// fuzzLoad is FuzzLoad's work, which returns its failures.
func fuzzLoad(load Load, bin []byte) (failures []string) {
	// check reports whether err is nil, and records a failure unless err
	// wraps one of the hosts' errors.
	check := func(what string, err error) bool {
		if err == nil {
			return true
		}
		for _, e := range fuzzErrors {
			if errors.Is(err, e) {
				return false
			}
		}
		failures = append(failures, fmt.Sprintf("%s: %v, which wraps none of the hosts' errors", what, err))
		return false
	}
	inst, release, err := load(bin, zerocall.Config{TimeLimit: FuzzLimit, MemoryLimit: FuzzMemory})
	if !check("Load", err) {
		return failures
	}
	defer release()
	const c = 16
	a := kernel.Args{Len: [8]int{c, c, c}, F: [kernel.MaxScalars]float64{2}}
	if h, err := inst.Owned(c); check("Func.Handle", err) {
		touch(h)
		_, err := h.Call(&a, Views(h, &a)...)
		touch(h)
		if check("Call", err) {
			_, err = h.Call(&a, Views(h, &a)...)
			check("a second Call", err)
		}
		touch(h)
		check("Close", h.Close())
	}
	if b, err := inst.Batch(c); check("Func.Batch", err) {
		for range 2 {
			_, err := b.Add(&a, At(b.Handle, 0, &a)...)
			check("Add", err)
		}
		_, err := b.Run()
		check("Run", err)
		check("Close", b.Close())
	}
	return failures
}

// touch writes and reads every element of h's regions, as a caller in
// place does, before and after calls: the views must still reach the
// module's memory.
func touch(h *kernel.Handle) {
	for i := range 3 {
		x := f32(h.Region(i))
		for j := range x {
			x[j]++
		}
	}
}
