package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/zerocall/zerocall/examples/internal/progtest"
	"github.com/zerocall/zerocall/zcbench"
	"github.com/zerocall/zerocall/zctest"
)

// TestMain runs main in place of the tests when TestProgram runs the
// test binary as the program.
func TestMain(m *testing.M) { progtest.Main(m, "histogram", main) }

// TestProgram runs the program on command lines it must refuse, each
// refused as the flag package refuses a bad flag: the error, naming what
// is wrong, then the usage, and exit status 2.
func TestProgram(t *testing.T) {
	progtest.Check(t, "histogram", []progtest.Case{
		{Args: "-n 4611686018427387904", Status: 2, Want: "flag -n"},
	})
}

// TestHistogram builds the shared library, loads it, and runs the kernel
// through every native path with the test kit, against the Go version;
// then the wasm module built from the same C, on wazero and Wasmtime.
func TestHistogram(t *testing.T) {
	f, err := load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	wasmFuncs, release, err := modules()
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	zctest.Run(t, zctest.Spec{
		Func:     f,
		Also:     wasmFuncs,
		Ref:      ref,
		Lens:     func(n int) []int { return []int{n, 256} },
		Capacity: 8192,
	})
}

// TestReport runs the program's measurement briefly and checks that it
// prints both tables with every path.
func TestReport(t *testing.T) {
	var out bytes.Buffer
	o := zcbench.Options{N: 4096, Sizes: []int{256, 4096}, Count: 1, Time: time.Millisecond}
	if err := report(&out, t.TempDir(), o); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Histogram of 4096 bytes", "| Pure Go ", "| dlopen pinned in-place ", "| dlopen C-owned in-place ", "| wazero module in-place ", "| wasmtime module copy ", "Beats the best pure Go at"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in:\n%s", want, out.String())
		}
	}
}
