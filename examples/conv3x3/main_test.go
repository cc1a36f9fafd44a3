package main

import (
	"bytes"
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
