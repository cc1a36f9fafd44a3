package main

import (
	"bytes"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/zcbench"
	"github.com/zerocall/zerocall/zctest"
)

// TestConv3x3 runs the kernel, in every variant this machine runs,
// through every native path and as its Go assembly translation with the test kit, against the Go version: images
// 3 rows high and n+2 wide, so that a call of size n writes n outputs.
func TestConv3x3(t *testing.T) {
	f, err := cFunc(zerocall.Auto)
	if err != nil {
		t.Fatal(err)
	}
	af, err := asmFunc(zerocall.Auto)
	if err != nil {
		t.Fatal(err)
	}
	// Both were chosen from tables of variants: the test kit runs every
	// variant this machine has, natively and as Go assembly.
	zctest.Run(t, zctest.Spec{
		Func:      f,
		Also:      []zctest.Func{af},
		Ref:       ref,
		Lens:      func(n int) []int { return []int{3 * (n + 2), 9, n} },
		Args:      func(n int) kernel.Args { return kernel.Args{I: [kernel.MaxScalars]int64{int64(n + 2)}} },
		Tolerance: 1e-5,
	})
}

// TestReport runs the program's measurement briefly and checks that it
// prints both tables with every path.
func TestReport(t *testing.T) {
	var out bytes.Buffer
	o := zcbench.Options{N: 64, Sizes: []int{8, 64}, Count: 1, Time: time.Millisecond, Out: t.TempDir()}
	if err := report(&out, o); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Conv3x3 of 64 pixels a side", "| Pure Go ", "| Go asm straight ", "| cgo pinned in-place ", "| cgo C-owned in-place ", "| cgo pinned batched ", "Beats the best pure Go at"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in:\n%s", want, out.String())
		}
	}
}

// TestPlan plans the kernel briefly, checks that a planned call agrees
// with the Go version at sizes on either side of its crossovers, and that
// the report names a path for every size; then that a second plan reads
// the first one's wisdom instead of measuring.
func TestPlan(t *testing.T) {
	file := filepath.Join(t.TempDir(), "conv3x3.json")
	p, err := planned(20*time.Millisecond, file)
	if err != nil {
		t.Fatal(err)
	}
	for _, side := range []int{3, 5, 16, 33, 100, 300} {
		a, bufs := p.Inputs(side * side)
		r, err := p.Call(a, bufs...)
		if err != nil {
			t.Fatalf("n = %d: %v", side, err)
		}
		got := slices.Clone(kernel.Elems[float32](bufs[2]))
		want := ref(a, bufs)
		if r.N != want.N {
			t.Fatalf("n = %d: %d outputs, want %d", side, r.N, want.N)
		}
		for i, w := range kernel.Elems[float32](bufs[2]) {
			if math.Abs(float64(got[i]-w)) > 1e-5*(1+math.Abs(float64(w))) {
				t.Fatalf("n = %d: out[%d] = %v, want %v", side, i, got[i], w)
			}
		}
	}
	var out bytes.Buffer
	if err := planReport(&out, p, []int{3, 64, 1024}); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(out.String()), "\n"); len(lines) != 4 || !strings.Contains(lines[3], "n = 1024: ") {
		t.Errorf("report:\n%s", out.String())
	}
	q, err := planned(20*time.Millisecond, file)
	if err != nil {
		t.Fatal(err)
	}
	q.Inputs = nil // it must not measure
	if _, err := q.Choice(100); err != nil {
		t.Errorf("a second plan did not read the wisdom: %v", err)
	}
}
