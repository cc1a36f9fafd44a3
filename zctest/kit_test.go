package zctest_test

import (
	"os"
	"strings"
	"testing"

	"github.com/zerocall/zerocall/internal/testing/kerneltest"
	"github.com/zerocall/zerocall/zctest"
)

// TestRunGoKernels runs the kit on kernels that keep their contract, on
// the Go host of gohost_test.go, with capacities under the 100 elements
// of the calls it counts the allocations of: every path passes,
// allocations included.
func TestRunGoKernels(t *testing.T) {
	for _, c := range []struct {
		name string
		s    zctest.Spec
	}{
		{"add", zctest.Spec{Func: newOneShot(&goFunc{k: addKernel, run: add, batches: true}), Ref: add, Capacity: 64}},
		// Lens(100) is past the capacity, Lens(90) not.
		{"half", zctest.Spec{Func: newOneShot(&goFunc{k: halfKernel, run: half, batches: true}), Ref: half, Capacity: 110,
			Lens: func(n int) []int { return []int{n, n, n + 20} }}},
		// Its reference is C's fmaxf, as the kernel is.
		{"max", zctest.Spec{Func: newOneShot(&goFunc{k: maxKernel, run: fmax, batches: true}), Ref: fmax, Capacity: 2048}},
		// Buffer 0 is empty in the calls of size 1 the batch checks
		// make.
		{"half-short", zctest.Spec{Func: newOneShot(&goFunc{k: halfKernel, run: half, batches: true}), Ref: half, Capacity: 64,
			Lens: func(n int) []int { return []int{n / 2, n / 2, n} }}},
		// It writes the first n elements of out, which holds n + 3: a
		// handle's copying call must give back the other three as they
		// were, not as an earlier call left the region.
		{"add-long-out", zctest.Spec{Func: newOneShot(&goFunc{k: addKernel, run: add, batches: true}), Ref: add, Capacity: 64,
			Lens: func(n int) []int { return []int{n, n, n + 3} }}},
		// As a wasm module with no batch export: handles only.
		{"module", zctest.Spec{Func: &goFunc{k: halfKernel, run: half}, Ref: half, Capacity: 50}},
	} {
		t.Run(c.name, func(t *testing.T) { zctest.Run(t, c.s) })
	}
}

// caught is a Spec the kit must fail, and what it must say.
type caught struct {
	name string
	s    zctest.Spec
	want []string
}

// toCatch are the Specs TestRunCatches gives the kit; cgo adds some.
var toCatch = []caught{
	// fmaxf drops a NaN that math.Max keeps: the special inputs must have
	// NaN in one operand only.
	{"fmax", zctest.Spec{Func: newOneShot(&goFunc{k: maxKernel, run: fmax, batches: true}), Ref: goMax, Capacity: 256},
		[]string{"with NaN, ±Inf and subnormals: out["}},
	// Writes x, which it only reads, on handles alone: the in-place path
	// must show it.
	{"writes-input", zctest.Spec{Func: &goFunc{k: addKernel, run: addWritesX}, Ref: add, Capacity: 256},
		[]string{"which the kernel only reads"}},
	// Writes out past the count it returns, on handles alone.
	{"past-count", zctest.Spec{Func: &goFunc{k: halfKernel, run: halfPastCount}, Ref: half, Capacity: 256},
		[]string{"past the 8 elements the kernel reported"}},
	// Writes one element past the end of out, on every path.
	{"past-end", zctest.Spec{Func: newOneShot(&goFunc{k: addKernel, run: addPastEnd, batches: true}), Ref: add, Capacity: 256},
		[]string{
			"the call wrote past the end of buffer out: byte 0 after its last element (of 17) is 0x00", // one-shot
			"the call of 17 elements wrote past them in region out of the handle: element 17",          // handles
			"of region out, 0 past the end of call",                                                    // a batch's calls
			"the series: element 8 of region out, 0 past the end of call 0's, changed",
			"wrote past its 1 elements of region out: element 0 after them changed", // Stream
		}},
	// Writes an element of an empty out, on the one-shot path, whose
	// empty slices have an address, as a caller's do.
	{"at-zero", zctest.Spec{Func: newOneShot(&goFunc{k: addKernel, run: addAtZero}), Ref: add, Capacity: 256},
		[]string{"n=0 off=0: the call wrote past the end of buffer out: byte 0 after its last element (of 0) is 0x00"}},
	// Wrong when x and out are misaligned differently.
	{"aligned-apart", zctest.Spec{Func: newOneShot(&goFunc{k: addKernel, run: addAlignedApart}), Ref: add, Capacity: 256},
		[]string{"off=i+1 for buffer i: out[0] = 99, want "}},
	// Takes every length from x's, with no Check to refuse others.
	{"one-length", zctest.Spec{Func: newOneShot(&goFunc{k: trustKernel, run: addTrusting}), Ref: add, Capacity: 256},
		[]string{"n=17 with buffer out of 16 elements, not 17: the call wrote past the end of buffer out"}},
	// Reads one element past the end of x.
	{"read-past", zctest.Spec{Func: newOneShot(&goFunc{k: addKernel, run: addReadPast}), Ref: add, Capacity: 256},
		[]string{"the same call again, with other bytes around its slices, gave another result: the kernel reads outside its slices"}},
	// Wrong when out is y's slice, which a kernel with no NoAlias allows.
	{"in-place", zctest.Spec{Func: newOneShot(&goFunc{k: addKernel, run: addTwoPass}), Ref: add, Capacity: 256},
		[]string{"buffer out given the slice of y, an update in place: out[0] = "}},
	// Specs the kit cannot run: it must say so, not panic.
	{"lens-short", zctest.Spec{Func: &goFunc{k: addKernel, run: add}, Ref: add, Lens: func(n int) []int { return []int{n, n} }},
		[]string{"zctest: Spec.Lens(0) returns 2 lengths, want 3, one per buffer of kernel go-add"}},
	{"lens-negative", zctest.Spec{Func: &goFunc{k: addKernel, run: add}, Ref: add, Lens: func(n int) []int { return []int{n - 1, n - 1, n - 1} }},
		[]string{"zctest: Spec.Lens(0) returns a length of -1 for buffer x"}},
	{"also-nil", zctest.Spec{Func: &goFunc{k: addKernel, run: add}, Ref: add, Also: []zctest.Func{nil}},
		[]string{"zctest: Spec.Also[0] is nil"}},
	{"typed-nil", zctest.Spec{Func: (*goFunc)(nil), Ref: add},
		[]string{"zctest: Spec.Func is a nil *zctest_test.goFunc"}},
	{"no-kernel", zctest.Spec{Func: &goFunc{run: add}, Ref: add},
		[]string{"zctest: Spec.Func, a *zctest_test.goFunc, has no kernel"}},
	{"capacity-negative", zctest.Spec{Func: newOneShot(&goFunc{k: addKernel, run: add}), Ref: add, Capacity: -1},
		[]string{"zctest: Spec.Capacity is -1"}},
	{"tolerance-negative", zctest.Spec{Func: newOneShot(&goFunc{k: addKernel, run: add}), Ref: add, Tolerance: -1e-6},
		[]string{"zctest: Spec.Tolerance is -1e-06"}},
	{"no-ref", zctest.Spec{Func: &goFunc{k: addKernel, run: add}},
		[]string{"zctest: Spec needs a Ref"}},
}

// TestRunCatches runs, in a test binary of its own, the kit on kernels
// that break their contract in ways only some paths or inputs show, and
// on Specs it cannot run: each must fail, saying what is wrong, and none
// may panic.
func TestRunCatches(t *testing.T) {
	if os.Getenv("ZCTEST_CATCH_CHILD") == "1" {
		for _, c := range toCatch {
			t.Run(c.name, func(t *testing.T) { zctest.Run(t, c.s) })
		}
		return
	}
	cmd := kerneltest.Reexec("-test.run=^TestRunCatches$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), "ZCTEST_CATCH_CHILD=1")
	b, err := cmd.CombinedOutput()
	out := string(b)
	if err == nil {
		t.Errorf("the kit passed them all")
	}
	if strings.Contains(out, "panic:") {
		t.Errorf("the kit panicked")
	}
	for _, c := range toCatch {
		if !strings.Contains(out, "--- FAIL: TestRunCatches/"+c.name+" ") {
			t.Errorf("%s: did not fail", c.name)
		}
		sec := section(out, c.name)
		for _, w := range c.want {
			if !strings.Contains(sec, w) {
				t.Errorf("%s: no %q in its output", c.name, w)
			}
		}
	}
	if t.Failed() {
		if len(out) > 20000 {
			out = "…" + out[len(out)-20000:]
		}
		t.Logf("the kit on them:\n%s", out)
	}
}

// section returns the part of out, the verbose output of the child of
// TestRunCatches, from the start of its subtest name to the next.
func section(out, name string) string {
	const run = "=== RUN   TestRunCatches/"
	i := strings.Index(out, run+name+"\n")
	if i < 0 {
		return ""
	}
	sec := out[i:]
	for j := len(run); ; {
		k := strings.Index(sec[j:], run)
		if k < 0 {
			return sec
		}
		j += k + len(run)
		if line, _, _ := strings.Cut(sec[j:], "\n"); !strings.Contains(line, "/") {
			return sec[:j-len(run)]
		}
	}
}
