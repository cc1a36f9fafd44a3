//go:build goexperiment.simd && amd64

package gokernels_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/zerocall/zerocall/internal/gokernels"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
)

// TestSIMD runs the simd/archsimd kernels, built under GOEXPERIMENT=simd,
// through the shared table at every vector width this CPU has: the one
// it chose, then narrower down to none.
func TestSIMD(t *testing.T) {
	for _, w := range []int{8, 4, 0} {
		if w > gokernels.SIMDWidth() {
			continue
		}
		t.Run(fmt.Sprintf("width=%d", w), func(t *testing.T) {
			defer gokernels.SetSIMDWidth(w)()
			kerneltest.Run(t, kerneltest.Target{New: func() (measure.Kernels, error) { return gokernels.SIMD{}, nil }, Stateless: true})
		})
	}
}

// TestSIMDWithoutAVX runs TestSIMD on a CPU without AVX, which gets the
// unrolled loops (width 0) and must run no AVX instruction: this test
// binary under qemu's user-mode emulation of a Nehalem, when qemu is
// installed.
func TestSIMDWithoutAVX(t *testing.T) {
	qemu, err := exec.LookPath("qemu-x86_64")
	if err != nil {
		t.Skip("no qemu-x86_64 to emulate a CPU without AVX")
	}
	if testing.Short() {
		t.Skip("emulated: slow")
	}
	out, err := exec.Command(qemu, "-cpu", "Nehalem", os.Args[0], "-test.run", "^TestSIMD$", "-test.count", "1").CombinedOutput()
	if err != nil && bytes.Contains(out, []byte("microarchitecture support")) {
		t.Skip("built for a later amd64 level (GOAMD64) than a Nehalem runs")
	}
	if err != nil {
		t.Fatalf("TestSIMD on a CPU without AVX: %v\n%.2000s", err, out)
	}
}
