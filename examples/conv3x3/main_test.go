package main

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/asm"
	"github.com/zerocall/zerocall/examples/internal/progtest"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/native"
	"github.com/zerocall/zerocall/zcbench"
	"github.com/zerocall/zerocall/zctest"
)

// TestMain runs main in place of the tests when TestProgram runs the
// test binary as the program.
func TestMain(m *testing.M) { progtest.Main(m, "conv3x3", main) }

// TestProgram runs the program on command lines it must refuse, each
// refused as the flag package refuses a bad flag: the error, naming what
// is wrong, then the usage, and exit status 2. Then with -plan and a
// wisdom file it cannot write, which it must say.
func TestProgram(t *testing.T) {
	notDir := filepath.Join(t.TempDir(), "afile")
	if err := os.WriteFile(notDir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	progtest.Check(t, "conv3x3", []progtest.Case{
		{Args: "-n 1", Status: 2, Want: "flag -n"},
		{Args: "-n 100000", Status: 2, Want: "flag -n"},
		{Args: "-plan -budget 20ms -wisdom " + filepath.Join(notDir, "c.json"), Status: 0, Want: "wisdom not saved"},
	})
}

// TestConv3x3 runs the kernel, in every variant this machine runs,
// through every native path and as its Go assembly translation with the
// test kit, against the Go version.
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
	zctest.Run(t, testSpec(f, af))
}

// testSpec is the test kit's description of the kernel run by f and also:
// images 3 rows high and n+2 wide, so that a call of size n writes n
// outputs.
func testSpec(f zctest.Func, also ...zctest.Func) zctest.Spec {
	return zctest.Spec{
		Func:      f,
		Also:      also,
		Ref:       ref,
		Lens:      func(n int) []int { return []int{3 * (n + 2), 9, n} },
		Args:      func(n int) kernel.Args { return kernel.Args{I: [kernel.MaxScalars]int64{int64(n + 2)}} },
		Tolerance: 1e-5,
	}
}

// TestRounding runs the C in every variant this machine has, through cgo
// and as its Go assembly translation, and checks that each output is the
// Go version's to the bit: one rounding per product and per sum, as
// conv3x3.c says. A compiler that fused a product into its sum (clang
// does, in the variants with FMA, unless told not to) rounds once less,
// within the test kit's tolerance but not the same.
func TestRounding(t *testing.T) {
	const w, h = 37, 11
	r := rand.New(rand.NewPCG(1, 2))
	img, k := make([]float32, w*h), make([]float32, 9)
	for i := range img {
		img[i] = 2*r.Float32() - 1
	}
	for i := range k {
		k[i] = 2*r.Float32() - 1
	}
	want := make([]float32, (w-2)*(h-2))
	conv3x3Go(img, k, want, w)
	check := func(name string, f interface {
		Call(*kernel.Args, ...kernel.Slice) (kernel.Return, error)
	}) {
		got := make([]float32, len(want))
		a := kernel.Args{I: [kernel.MaxScalars]int64{w}}
		if _, err := f.Call(&a, kernel.SliceOf(img), kernel.SliceOf(k), kernel.SliceOf(got)); err != nil {
			t.Errorf("%s: %v", name, err)
			return
		}
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Errorf("%s: out[%d] = %v, want %v, the Go version's", name, i, got[i], want[i])
				return
			}
		}
	}
	for _, v := range native.Variants() {
		f, err := cFunc(v)
		if err != nil {
			t.Fatalf("cgo %v: %v", v, err)
		}
		check("cgo "+v.String(), f)
	}
	for _, v := range asm.Variants() {
		f, err := asmFunc(v)
		if err != nil {
			t.Fatalf("asm %v: %v", v, err)
		}
		check("asm "+v.String(), f)
	}
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
	p, err := planned(20*time.Millisecond, file, t.Logf)
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
	q, err := planned(20*time.Millisecond, file, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	q.Inputs = nil // it must not measure
	if _, err := q.Choice(100); err != nil {
		t.Errorf("a second plan did not read the wisdom: %v", err)
	}
}

// typed is a typed call of the kernel as a Func of the test kit: the kit
// hands it the slices of each call; those a typed call cannot take
// (slices of another number or type) go to the Func it runs.
type typed struct {
	f interface {
		Call(*kernel.Args, ...kernel.Slice) (kernel.Return, error)
	}
	call func(img, k, out []float32, w int64) (int, error)
}

func (typed) Kernel() *kernel.Kernel { return Conv3x3 }

func (t typed) Call(a *kernel.Args, b ...kernel.Slice) (kernel.Return, error) {
	if len(b) != 3 || b[0].Type() != kernel.Float32 || b[1].Type() != kernel.Float32 || b[2].Type() != kernel.Float32 {
		return t.f.Call(a, b...)
	}
	f32 := kernel.Elems[float32]
	n, err := t.call(f32(b[0]), f32(b[1]), f32(b[2]), a.I[0])
	return kernel.Return{N: int64(n)}, err
}

// TestTyped runs the typed calls zerocall bind wrote (conv3x3_c_bind.go,
// conv3x3_asm_bind.go) through the test kit, and checks that a call they
// refuse says why as the Func's Call does.
func TestTyped(t *testing.T) {
	c, err := newConv3x3C(zerocall.Auto)
	if err != nil {
		t.Fatal(err)
	}
	s, err := newConv3x3Asm(zerocall.Auto)
	if err != nil {
		t.Fatal(err)
	}
	zctest.Run(t, testSpec(typed{c.Func(), c.Call}, typed{s.Func(), s.Call}))
	img, k := make([]float32, 5*5), make([]float32, 9)
	for _, call := range []func(img, k, out []float32, w int64) (int, error){c.Call, s.Call} {
		if _, err := call(img, k, make([]float32, 8), 5); !errors.Is(err, zerocall.ErrLength) {
			t.Errorf("an output too short: err = %v, want zerocall.ErrLength", err)
		}
		if _, err := call(img, k, img[1:10], 5); !errors.Is(err, zerocall.ErrOverlap) {
			t.Errorf("an output over the image: err = %v, want zerocall.ErrOverlap", err)
		}
		if n, err := call(img, k, make([]float32, 9), 5); n != 9 || err != nil {
			t.Errorf("a 5×5 image: %d outputs, %v; want 9, nil", n, err)
		}
	}
}
