package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/zctest"
)

// TestHistogram builds the shared library, loads it, and runs the kernel
// through every native path with the test kit, against the Go version;
// then the wasm module built from the same C, on wazero and Wasmtime.
func TestHistogram(t *testing.T) {
	f, err := load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	hosts, release, err := modules()
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	var extra []zctest.Path
	for _, h := range hosts {
		extra = append(extra, zctest.HandlePaths(h.Name, func() (*kernel.Handle, error) {
			hd, err := h.New([]int{8192, 256})
			if err != nil {
				return nil, err
			}
			return hd.(*kernel.Handle), nil
		})...)
	}
	zctest.Run(t, zctest.Spec{
		Func:  f,
		Extra: extra,
		Ref: func(_ *kernel.Args, b []kernel.Slice) kernel.Return {
			return kernel.Return{N: int64(histogramGo(bytesOf(b[0]), int64s(b[1])))}
		},
		Lens:     func(n int) []int { return []int{n, 256} },
		Capacity: 8192,
	})
}

// TestReport runs the program's measurement briefly and checks that it
// prints both tables with every path.
func TestReport(t *testing.T) {
	var out bytes.Buffer
	if err := report(&out, new(bytes.Buffer), t.TempDir(), 4096, []int{256, 4096}, 1, time.Millisecond, ""); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Histogram of 4096 bytes", "| Pure Go ", "| cgo in-place ", "| C-owned in-place ", "| wazero in-place ", "| wasmtime copy ", "Beats the best pure Go at"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in:\n%s", want, out.String())
		}
	}
}
