package wasmtime

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	wt "github.com/bytecodealliance/wasmtime-go/v39"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/purego"
)

// The main module's shared test table (internal/kerneltest) is out of a
// nested module's reach, so these tests check every kernel against the
// naive pure-Go reference, purego, under the bound of the main module's
// package documentation, on their own.

// TestMain fails the run if any instance was left for the garbage
// collector instead of being closed.
func TestMain(m *testing.M) {
	code := m.Run()
	for range 5 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if n := zerocall.Leaked(); code == 0 && n != 0 {
		fmt.Fprintf(os.Stderr, "%d instances were never closed\n", n)
		code = 1
	}
	os.Exit(code)
}

// The documented bound: a reduction of n terms whose magnitudes add up to
// abs may differ from the in-order sum by 2·n·u·abs + 2·n·2⁻¹⁰⁷⁴, and each
// axpy output from a·x+y by 4·u·(|a·x|+|y|) + 2·2⁻¹⁰⁷⁴.
const (
	u    = 0x1p-53
	tiny = 0x1p-1074
)

func reductionBound(n int, abs float64) float64 { return 2*float64(n)*u*abs + 2*float64(n)*tiny }

func axpyBound(a, x, y float64) float64 { return 4*u*(math.Abs(a*x)+math.Abs(y)) + 2*tiny }

// agree fails unless got matches want within bound; NaN only matches NaN,
// an infinity only itself.
func agree(what string, got, want, bound float64) error {
	ok := math.Abs(got-want) <= bound
	switch {
	case math.IsNaN(want):
		ok = math.IsNaN(got)
	case math.IsInf(want, 0):
		ok = got == want
	}
	if !ok {
		return fmt.Errorf("%s = %v, want %v ± %.3g", what, got, want, bound)
	}
	return nil
}

// absSum returns Σ|x[i]|, or Σ|x[i]·y[i]| when y is not nil.
func absSum(x, y []float64) float64 {
	var s float64
	for i, v := range x {
		if y != nil {
			v *= y[i]
		}
		s += math.Abs(v)
	}
	return s
}

// data returns n deterministic values in [-1, 1) scaled by 2^-20 to 2^20,
// so that sums cancel.
func data(n int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	x := make([]float64, n)
	for i := range x {
		x[i] = math.Ldexp(2*r.Float64()-1, r.IntN(41)-20)
	}
	return x
}

func checkSum(x []float64, got float64) error {
	return agree("sum", got, purego.Sum(x), reductionBound(len(x), absSum(x, nil)))
}

func checkDot(x, y []float64, got float64) error {
	return agree("dot", got, purego.Dot(x, y), reductionBound(len(x), absSum(x, y)))
}

func checkAxpy(a float64, x, y, got []float64) error {
	for i := range x {
		if err := agree(fmt.Sprintf("out[%d]", i), got[i], a*x[i]+y[i], axpyBound(a, x[i], y[i])); err != nil {
			return err
		}
	}
	return nil
}

func checkFIR(x, taps, got []float64) error {
	k := len(taps)
	want := make([]float64, len(x)-k+1)
	purego.FIR(x, taps, want)
	for i := range want {
		if err := agree(fmt.Sprintf("out[%d]", i), got[i], want[i], reductionBound(k, absSum(x[i:i+k], taps))); err != nil {
			return err
		}
	}
	return nil
}

func checkMatMul(a, b, got []float64, m int) error {
	want := make([]float64, m*m)
	purego.MatMul(a, b, want, m)
	col := make([]float64, m)
	for j := range m {
		for p := range col {
			col[p] = b[p*m+j]
		}
		for i := range m {
			bound := reductionBound(m, absSum(a[i*m:i*m+m], col))
			if err := agree(fmt.Sprintf("c[%d][%d]", i, j), got[i*m+j], want[i*m+j], bound); err != nil {
				return err
			}
		}
	}
	return nil
}

// path is one way of calling an instance's kernels: copy-in, or in place
// through the regions.
type path struct {
	name    string
	inPlace bool
	sum     func(x []float64) (float64, error)
	dot     func(x, y []float64) (float64, error)
	axpy    func(a float64, x, y, out []float64) error
	fir     func(x, taps, out []float64) (int, error)
	matmul  func(a, b, c []float64, m int) error
}

// paths returns both paths of in. The in-place one fills the regions as a
// caller would, except with what does not fit, so that the kernel's own
// capacity check is what fails.
func paths(in *zerocall.Instance) []path {
	r := in.Regions()
	fill := func(dst, src []float64) {
		if len(src) <= len(dst) {
			copy(dst, src)
		}
	}
	return []path{
		{name: "copy", sum: in.Sum, dot: in.Dot, axpy: in.Axpy, fir: in.FIR, matmul: in.MatMul},
		{
			name: "inplace", inPlace: true,
			sum: func(x []float64) (float64, error) { fill(r.X, x); return in.SumN(len(x)) },
			dot: func(x, y []float64) (float64, error) {
				fill(r.X, x)
				fill(r.Y, y)
				return in.DotN(len(x))
			},
			axpy: func(a float64, x, y, out []float64) error {
				fill(r.X, x)
				fill(r.Y, y)
				err := in.AxpyN(a, len(x))
				if err == nil {
					copy(out, r.Out[:len(x)])
				}
				return err
			},
			fir: func(x, taps, out []float64) (int, error) {
				fill(r.X, x)
				fill(r.Taps, taps)
				n, err := in.FIRN(len(x), len(taps))
				if err == nil {
					copy(out, r.Out[:n])
				}
				return n, err
			},
			matmul: func(a, b, c []float64, m int) error {
				fill(r.X, a[:m*m])
				fill(r.Y, b[:m*m])
				err := in.MatMulN(m)
				if err == nil {
					copy(c, r.Out[:m*m])
				}
				return err
			},
		},
	}
}

// sizes are the lengths every kernel is tested at: empty, each remainder of
// 2-, 4-, 8- and 16-wide loops on both sides of a block, long, and around
// and over the capacity c. Under the race detector, which slows the Go
// side tenfold, those over 5000 are left out.
func sizes(c int) []int {
	var ns []int
	for _, n := range []int{0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 1000, 100003, c - 1, c, c + 1, 2*c + 3} {
		if !raceEnabled || n <= 5000 {
			ns = append(ns, n)
		}
	}
	return ns
}

// want returns the error a call of n elements (m·m for matmul) and k taps
// must give on p, in an instance of capacity c and taps taps: the copy
// path streams everything but matmul.
func want(p path, c, taps, n, k int, streams bool) error {
	if n > c && (p.inPlace || !streams) || k > taps {
		return zerocall.ErrCapacity
	}
	return nil
}

// vectorKernels are the kernels over whole vectors, each run on x and y
// and checked; they return the call's error.
var vectorKernels = []struct {
	name string
	run  func(t *testing.T, p path, x, y []float64) error
}{
	{"Sum", func(t *testing.T, p path, x, _ []float64) error {
		got, err := p.sum(x)
		if err == nil {
			report(t, checkSum(x, got))
		}
		return err
	}},
	{"Dot", func(t *testing.T, p path, x, y []float64) error {
		got, err := p.dot(x, y)
		if err == nil {
			report(t, checkDot(x, y, got))
		}
		return err
	}},
	{"Axpy", func(t *testing.T, p path, x, y []float64) error {
		const a = -1.75
		out := make([]float64, len(x))
		err := p.axpy(a, x, y, out)
		if err == nil {
			report(t, checkAxpy(a, x, y, out))
		}
		return err
	}},
}

func report(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Error(err)
	}
}

// firTaps are the tap counts tested, below, at and past vector widths.
var firTaps = []int{1, 2, 3, 5, 16, 17}

// matmulOrders are the matrix orders tested, besides those around the
// capacity.
var matmulOrders = []int{0, 1, 2, 3, 5, 8, 17, 33}

func TestKernels(t *testing.T) {
	for _, m := range []Module{SIMD, Scalar} {
		for _, cfg := range []Config{{Capacity: 1000, Taps: 20}, {Capacity: 1 << 17}} {
			cfg.Module = m
			t.Run(fmt.Sprintf("%v/cap=%d", m, cfg.Capacity), func(t *testing.T) {
				in, err := New(cfg)
				if err != nil {
					t.Fatal(err)
				}
				defer in.Close()
				c, taps := in.Capacity()
				for _, p := range paths(in) {
					t.Run(p.name, func(t *testing.T) {
						for _, k := range vectorKernels {
							t.Run(k.name, func(t *testing.T) {
								for _, n := range sizes(c) {
									for off := range 2 { // aligned and not
										x, y := data(n+off, 1)[off:], data(n+1-off, 2)[1-off:]
										if err := k.run(t, p, x, y); !errors.Is(err, want(p, c, taps, n, 0, true)) {
											t.Fatalf("n=%d: err = %v", n, err)
										}
									}
								}
							})
						}
						t.Run("FIR", func(t *testing.T) { testFIR(t, p, c, taps) })
						t.Run("MatMul", func(t *testing.T) { testMatMul(t, p, c) })
						t.Run("Special", func(t *testing.T) { testSpecial(t, p) })
						t.Run("Errors", func(t *testing.T) { testErrors(t, p, in) })
						t.Run("Allocs", func(t *testing.T) { testAllocs(t, p) })
					})
				}
				t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, in) })
			})
		}
	}
}

func testFIR(t *testing.T, p path, c, taps int) {
	for _, n := range sizes(c) {
		for _, k := range append(firTaps, taps+1) {
			if k > n || n > 1000 && k != 1 && k != 16 && k != taps+1 {
				continue // the large sizes take a few tap counts
			}
			x, h := data(n, 3), data(k, 4)
			out := make([]float64, n-k+2)
			out[n-k+1] = 42 // a canary past the last output
			got, err := p.fir(x, h, out)
			if !errors.Is(err, want(p, c, taps, n, k, true)) {
				t.Fatalf("n=%d k=%d: err = %v", n, k, err)
			}
			if err != nil {
				continue
			}
			if got != n-k+1 || out[n-k+1] != 42 {
				t.Fatalf("n=%d k=%d: %d outputs, canary %v", n, k, got, out[n-k+1])
			}
			if err := checkFIR(x, h, out); err != nil {
				t.Fatalf("n=%d k=%d: %v", n, k, err)
			}
		}
	}
}

func testMatMul(t *testing.T, p path, c int) {
	s := int(math.Sqrt(float64(c)))
	for _, m := range append(matmulOrders, s, s+1) {
		a, b := data(m*m, 5), data(m*m, 6)
		out := make([]float64, m*m+1)
		out[m*m] = 42
		err := p.matmul(a, b, out, m)
		if !errors.Is(err, want(p, c, c, m*m, 0, false)) {
			t.Fatalf("m=%d: err = %v", m, err)
		}
		if err != nil {
			continue
		}
		if out[m*m] != 42 {
			t.Fatalf("m=%d: wrote past c[m*m-1]", m)
		}
		if err := checkMatMul(a, b, out, m); err != nil {
			t.Fatalf("m=%d: %v", m, err)
		}
	}
}

// testSpecial runs NaN, infinities and subnormals through every kernel:
// results must agree in kind with the reference.
func testSpecial(t *testing.T, p path) {
	const n, m, k = 37, 6, 5
	inf, nan := math.Inf(1), math.NaN()
	set := func(at map[int]float64) []float64 {
		x := data(n, 7)
		for i, v := range at {
			x[i] = v
		}
		return x
	}
	sub := data(n, 8)
	for i := range sub {
		sub[i] = math.Ldexp(sub[i], -1040)
	}
	for name, x := range map[string][]float64{
		"NaN first": set(map[int]float64{0: nan}), "NaN middle": set(map[int]float64{17: nan}),
		"NaN last": set(map[int]float64{n - 1: nan}), "+Inf": set(map[int]float64{5: inf}),
		"-Inf last": set(map[int]float64{n - 1: -inf}), "+Inf -Inf": set(map[int]float64{3: inf, 30: -inf}),
		"subnormal": sub,
	} {
		y := data(n, 9)
		for _, kern := range vectorKernels {
			if err := kern.run(t, p, x, y); err != nil {
				t.Errorf("%s: %s: %v", name, kern.name, err)
			}
			if err := kern.run(t, p, y, x); err != nil {
				t.Errorf("%s: %s swapped: %v", name, kern.name, err)
			}
		}
		out := make([]float64, n)
		if _, err := p.fir(x, y[:k], out); err != nil {
			t.Errorf("%s: FIR: %v", name, err)
		} else {
			report(t, checkFIR(x, y[:k], out))
		}
		if err := p.matmul(x, y, out, m); err != nil {
			t.Errorf("%s: MatMul: %v", name, err)
		} else {
			report(t, checkMatMul(x, y, out, m))
		}
	}
}

// testErrors passes every kind of bad argument and checks each error, and
// that the instance still works after them.
func testErrors(t *testing.T, p path, in *zerocall.Instance) {
	c, taps := in.Capacity()
	x, y, out := data(8, 10), data(8, 11), make([]float64, 8)
	cases := []struct {
		what string
		err  func() error
		want error
	}{
		{"FIR no taps", func() error { _, err := p.fir(x, nil, out); return err }, zerocall.ErrArgument},
		{"FIR k > n", func() error { _, err := p.fir(x[:3], y[:4], out); return err }, zerocall.ErrArgument},
		{"MatMul m < 0", func() error { return in.MatMul(x, y, out, -1) }, zerocall.ErrArgument},
		{"MatMulN m < 0", func() error { return in.MatMulN(-1) }, zerocall.ErrArgument},
		{"SumN(-1)", func() error { _, err := in.SumN(-1); return err }, zerocall.ErrArgument},
		{"FIRN k = 0", func() error { _, err := in.FIRN(10, 0); return err }, zerocall.ErrArgument},
		{"SumN over", func() error { _, err := in.SumN(c + 1); return err }, zerocall.ErrCapacity},
		{"DotN over", func() error { _, err := in.DotN(c + 1); return err }, zerocall.ErrCapacity},
		{"AxpyN over", func() error { return in.AxpyN(1, c+1) }, zerocall.ErrCapacity},
		{"FIRN over", func() error { _, err := in.FIRN(c+1, 1); return err }, zerocall.ErrCapacity},
		{"FIRN taps over", func() error { _, err := in.FIRN(c, taps+1); return err }, zerocall.ErrCapacity},
		{"MatMulN over", func() error { return in.MatMulN(int(math.Sqrt(float64(c))) + 1) }, zerocall.ErrCapacity},
	}
	if !p.inPlace { // the in-place path does its own length checks
		cases = append(cases, []struct {
			what string
			err  func() error
			want error
		}{
			{"Dot lengths", func() error { _, err := p.dot(x[:3], y[:4]); return err }, zerocall.ErrLength},
			{"Axpy lengths", func() error { return p.axpy(1, x[:3], y[:4], out) }, zerocall.ErrLength},
			{"Axpy short out", func() error { return p.axpy(1, x, y, out[:7]) }, zerocall.ErrLength},
			{"FIR short out", func() error { _, err := p.fir(x, y[:4], out[:4]); return err }, zerocall.ErrLength},
			{"MatMul short", func() error { return p.matmul(x[:3], y, out, 2) }, zerocall.ErrLength},
			{"Axpy overlap", func() error { return p.axpy(1, x[:4], y[:4], x[1:5]) }, zerocall.ErrOverlap},
		}...)
	}
	for _, tc := range cases {
		if err := tc.err(); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.what, err, tc.want)
		}
	}
	x = data(33, 12)
	if got, err := p.sum(x); err != nil {
		t.Errorf("Sum after the errors: %v", err)
	} else {
		report(t, checkSum(x, got))
	}
}

// testAllocs checks that no kernel call allocates, on either path.
func testAllocs(t *testing.T, p path) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	const n, k, m = 1000, 16, 8
	x, y, out := data(n, 13), data(n, 14), make([]float64, n)
	var err error
	for name, call := range map[string]func(){
		"Sum":    func() { _, err = p.sum(x) },
		"Dot":    func() { _, err = p.dot(x, y) },
		"Axpy":   func() { err = p.axpy(2, x, y, out) },
		"FIR":    func() { _, err = p.fir(x, y[:k], out) },
		"MatMul": func() { err = p.matmul(x, y, out, m) },
	} {
		if a := testing.AllocsPerRun(100, call); a != 0 || err != nil {
			t.Errorf("%s: %v allocations per call, err %v", name, a, err)
		}
	}
}

// testConcurrent shares one instance between goroutines, each checking
// its own results.
func testConcurrent(t *testing.T, in *zerocall.Instance) {
	const n, m, iters = 3000, 7, 20
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			x, y := data(n, uint64(100+g)), data(n, uint64(200+g))
			out := make([]float64, n)
			steps := []func() error{
				func() error { s, err := in.Sum(x); return errors.Join(err, checkSum(x, s)) },
				func() error { s, err := in.Dot(x, y); return errors.Join(err, checkDot(x, y, s)) },
				func() error { return errors.Join(in.Axpy(3, x, y, out), checkAxpy(3, x, y, out)) },
				func() error { _, err := in.FIR(x, y[:5], out); return errors.Join(err, checkFIR(x, y[:5], out)) },
				func() error { return errors.Join(in.MatMul(x, y, out, m), checkMatMul(x, y, out, m)) },
			}
			for range iters {
				for _, step := range steps {
					if err := step(); err != nil {
						t.Errorf("goroutine %d: %v", g, err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

func TestClose(t *testing.T) {
	in, err := New(Config{Capacity: 100, Taps: 10})
	if err != nil {
		t.Fatal(err)
	}
	if err := in.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := in.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if r := in.Regions(); len(r.X) != 0 {
		t.Errorf("Regions after Close: %d elements", len(r.X))
	}
	x := []float64{1, 2}
	for what, err := range map[string]error{
		"Sum":     func() error { _, err := in.Sum(x); return err }(),
		"Dot":     func() error { _, err := in.Dot(x, x); return err }(),
		"Axpy":    in.Axpy(1, x, x, make([]float64, 2)),
		"FIR":     func() error { _, err := in.FIR(x, x[:1], make([]float64, 2)); return err }(),
		"MatMul":  in.MatMul(x, x, make([]float64, 1), 1),
		"SumN":    func() error { _, err := in.SumN(1); return err }(),
		"MatMulN": in.MatMulN(1),
	} {
		if !errors.Is(err, zerocall.ErrClosed) {
			t.Errorf("%s after Close: err = %v, want ErrClosed", what, err)
		}
	}
}

func TestConfig(t *testing.T) {
	for _, cfg := range []Config{
		{Capacity: -1},
		{Taps: -1},
		{Capacity: 10, Taps: 11},
		{Capacity: maxCapacity + 1},
	} {
		if _, err := New(cfg); !errors.Is(err, zerocall.ErrArgument) {
			t.Errorf("New(%+v): err = %v, want ErrArgument", cfg, err)
		}
	}
	if _, err := New(Config{Module: 7}); !errors.Is(err, zerocall.ErrUnsupported) {
		t.Errorf("New(Module 7): err = %v, want ErrUnsupported", err)
	}
	in, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if c, taps := in.Capacity(); c != DefaultCapacity || taps != DefaultTaps {
		t.Errorf("Config{}: capacity %d, taps %d", c, taps)
	}
}

// TestTrap makes the module trap by calling an export past the checks of
// the Go side, as a bug there would: the error says the instance is broken
// and carries Wasmtime's message, every later call says so too, and Close
// still works.
func TestTrap(t *testing.T) {
	mod, err := compile(SIMD)
	if err != nil {
		t.Fatal(err)
	}
	e, r, err := start(mod, 100, 10)
	if err != nil {
		t.Fatal(err)
	}
	in := zerocall.NewInstance(e, r, e.close)
	defer in.Close()
	if _, err := e.Sum(101); !errors.Is(err, zerocall.ErrBroken) || !strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("Sum past capacity: err = %v, want ErrBroken from the module's trap", err)
	}
	if _, err := in.Sum([]float64{1, 2}); !errors.Is(err, zerocall.ErrBroken) {
		t.Errorf("Sum after the trap: err = %v, want ErrBroken", err)
	}
	if err := in.Close(); err != nil {
		t.Errorf("Close after a trap: %v", err)
	}
	other, err := New(Config{Capacity: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if s, err := other.Sum([]float64{1, 2}); err != nil || s != 3 {
		t.Errorf("another instance after the trap: %v, %v", s, err)
	}
}

// TestMalformedModule checks that a module without zerocall's exports, or
// with one of the wrong type, is refused with ErrModule.
func TestMalformedModule(t *testing.T) {
	// module returns the text of a module with a memory and a trapping
	// function for each export zerocall needs, with sum's type replaced and
	// the export skip left out.
	module := func(skip, sum string) string {
		var b strings.Builder
		b.WriteString(`(module (memory (export "memory") 1)`)
		for _, e := range exports {
			if e.name == skip {
				continue
			}
			ty := ""
			for _, p := range e.params {
				ty += " (param " + p.String() + ")"
			}
			for _, r := range e.results {
				ty += " (result " + r.String() + ")"
			}
			if e.name == "sum" && sum != "" {
				ty = sum
			}
			fmt.Fprintf(&b, ` (func (export %q)%s unreachable)`, e.name, ty)
		}
		return b.String() + ")"
	}
	for name, tc := range map[string]struct{ wat, want string }{
		"no exports":      {`(module (memory (export "memory") 1))`, `no export "zc_init"`},
		"no matmul":       {module("matmul", ""), `no export "matmul"`},
		"sum returns i32": {module("", " (param i32) (result i32)"), `export "sum" has type`},
		"no memory":       {strings.Replace(module("", ""), `(memory (export "memory") 1)`, "", 1), "one memory"},
	} {
		t.Run(name, func(t *testing.T) {
			bin, err := wt.Wat2Wasm(tc.wat)
			if err != nil {
				t.Fatal(err)
			}
			mod, err := wt.NewModule(engineOf(), bin)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := instantiate(mod, 10, 1); !errors.Is(err, ErrModule) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want ErrModule saying %s", err, tc.want)
			}
		})
	}
	// The well-formed text passes the check.
	bin, err := wt.Wat2Wasm(module("", ""))
	if err != nil {
		t.Fatal(err)
	}
	mod, err := wt.NewModule(engineOf(), bin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := checkExports(mod); err != nil {
		t.Errorf("the full module: %v", err)
	}
}

func TestNoop(t *testing.T) {
	for _, m := range []Module{SIMD, Scalar} {
		call, done, err := Noop(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := call(); err != nil {
			t.Errorf("%v: %v", m, err)
		}
		if !raceEnabled {
			if a := testing.AllocsPerRun(100, func() { _ = call() }); a != 0 {
				t.Errorf("%v: %v allocations per call", m, a)
			}
		}
		if err := done(); err != nil {
			t.Errorf("%v: close: %v", m, err)
		}
		if err := call(); !errors.Is(err, zerocall.ErrClosed) {
			t.Errorf("%v: call after close: err = %v, want ErrClosed", m, err)
		}
	}
	if _, _, err := Noop(7); !errors.Is(err, zerocall.ErrUnsupported) {
		t.Errorf("Noop(7): err = %v, want ErrUnsupported", err)
	}
}
