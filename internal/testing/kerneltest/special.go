package kerneltest

import (
	"errors"
	"math"
	"math/bits"
	"slices"
	"sync"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/gokernels"
	"github.com/zerocall/zerocall/internal/measure"
)

// huge is an order whose square overflows an int: 2⁴⁰ on a 64-bit
// machine, 2²⁴ on a 32-bit one.
const huge = 1 << (bits.UintSize/2 + 8)

// specialLen reaches the vector loops and a remainder of every width.
const specialLen = 37

// specials are inputs whose results every backend must agree on exactly
// in kind: NaN, one infinity, both infinities, subnormals.
func specials() map[string][]float64 {
	inf := math.Inf(1)
	set := func(x []float64, at map[int]float64) []float64 {
		for i, v := range at {
			x[i] = v
		}
		return x
	}
	sub := Data(specialLen, 13)
	for i := range sub {
		sub[i] = math.Ldexp(sub[i], -1040) // subnormal or near it
	}
	return map[string][]float64{
		"NaN first":   set(Data(specialLen, 14), map[int]float64{0: math.NaN()}),
		"NaN middle":  set(Data(specialLen, 14), map[int]float64{17: math.NaN()}),
		"NaN last":    set(Data(specialLen, 14), map[int]float64{specialLen - 1: math.NaN()}),
		"+Inf":        set(Data(specialLen, 15), map[int]float64{5: inf}),
		"-Inf tail":   set(Data(specialLen, 15), map[int]float64{specialLen - 1: -inf}),
		"+Inf -Inf":   set(Data(specialLen, 15), map[int]float64{3: inf, 30: -inf}),
		"subnormal":   sub,
		"max minimum": set(Data(specialLen, 16), map[int]float64{1: math.SmallestNonzeroFloat64, 2: math.MaxFloat64 / 4}),
	}
}

func testSpecial(t *testing.T, p path) {
	for name, x := range specials() {
		y := Data(specialLen, 17)
		if got, err := p.Sum(x); err != nil {
			t.Errorf("%s: Sum: %v", name, err)
		} else if err := CheckSum(x, got); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if got, err := p.Dot(y, x); err != nil {
			t.Errorf("%s: Dot: %v", name, err)
		} else if err := CheckDot(y, x, got); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		out := make([]float64, len(x))
		if err := p.Axpy(0.5, x, y, out); err != nil {
			t.Errorf("%s: Axpy: %v", name, err)
		}
		if err := CheckAxpy(0.5, x, y, out); err != nil {
			t.Errorf("%s: Axpy: %v", name, err)
		}
		const k = 5
		fout := make([]float64, len(x)-k+1)
		if _, err := p.FIR(x, y[:k], fout); err != nil {
			t.Errorf("%s: FIR: %v", name, err)
		} else if err := CheckFIR(x, y[:k], fout); err != nil {
			t.Errorf("%s: FIR: %v", name, err)
		}
		const m = 6 // 36 elements of x as a matrix
		c := make([]float64, m*m)
		if err := p.MatMul(x[:m*m], y[:m*m], c, m); err != nil {
			t.Errorf("%s: MatMul: %v", name, err)
		} else if err := CheckMatMul(x[:m*m], y[:m*m], c, m); err != nil {
			t.Errorf("%s: MatMul: %v", name, err)
		}
	}
}

// testErrors runs every bad input through p and checks that each gives its
// error and leaves the instance giving right answers.
func testErrors(t *testing.T, p path, tg Target) {
	if p.InPlace {
		testInPlaceErrors(t, p.In, tg)
	} else {
		testSliceErrors(t, p, tg)
	}
	x := Data(8, 18)
	if got, err := p.Sum(x); err != nil {
		t.Errorf("Sum after errors: %v", err)
	} else if err := CheckSum(x, got); err != nil {
		t.Errorf("Sum after errors: %v", err)
	}
}

func checkErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: err = %v, want %v", what, err, want)
	}
}

// testSliceErrors passes slices of wrong lengths or overlapping ones.
func testSliceErrors(t *testing.T, p path, tg Target) {
	x, y := Data(8, 18), Data(8, 19)
	out := make([]float64, 8)
	_, err := p.Dot(x[:3], y[:4])
	checkErr(t, "Dot lengths", err, zerocall.ErrLength)
	checkErr(t, "Axpy lengths", p.Axpy(1, x[:3], y[:4], out), zerocall.ErrLength)
	checkErr(t, "Axpy short out", p.Axpy(1, x, y, out[:7]), zerocall.ErrLength)
	checkErr(t, "Axpy partial overlap", p.Axpy(1, x[:4], y[:4], x[1:5]), zerocall.ErrOverlap)
	_, err = p.FIR(x, nil, out)
	checkErr(t, "FIR no taps", err, zerocall.ErrArgument)
	_, err = p.FIR(x[:3], y[:4], out)
	checkErr(t, "FIR k > n", err, zerocall.ErrArgument)
	_, err = p.FIR(x, y[:4], out[:4])
	checkErr(t, "FIR short out", err, zerocall.ErrLength)
	_, err = p.FIR(x, y[:2], x[1:])
	checkErr(t, "FIR out overlaps x", err, zerocall.ErrOverlap)
	checkErr(t, "MatMul m < 0", p.MatMul(x, y, out, -1), zerocall.ErrArgument)
	checkErr(t, "MatMul m*m overflows", p.MatMul(x, y, out, huge), zerocall.ErrArgument)
	checkErr(t, "MatMul short", p.MatMul(x[:3], y, out, 2), zerocall.ErrLength)
	checkErr(t, "MatMul c overlaps a", p.MatMul(x, y, x[2:], 2), zerocall.ErrOverlap)
	// The overlap rules are the generic calls' (kernel.CheckSlices on the
	// built-ins' descriptions): on the whole slices, past the elements the
	// call uses, and only axpy may update in place.
	checkErr(t, "Axpy out x longer", p.Axpy(1, x[:4], y[:4], x[:8]), zerocall.ErrOverlap)
	_, err = p.FIR(x, y[:2], x)
	checkErr(t, "FIR out is x", err, zerocall.ErrOverlap)
	mem := Data(16, 22)
	_, err = p.FIR(Data(6, 23), mem[10:12], mem[:12])
	checkErr(t, "FIR out overlaps taps past its outputs", err, zerocall.ErrOverlap)
	checkErr(t, "MatMul c is a", p.MatMul(x, y, x, 2), zerocall.ErrOverlap)
	checkErr(t, "MatMul c overlaps a past m·m", p.MatMul(x, y, x[4:], 2), zerocall.ErrOverlap)
	// nil slices are empty ones.
	if got, err := p.Sum(nil); got != 0 || err != nil {
		t.Errorf("Sum(nil) = %v, %v", got, err)
	}
	if got, err := p.Dot(nil, nil); got != 0 || err != nil {
		t.Errorf("Dot(nil, nil) = %v, %v", got, err)
	}
	checkErr(t, "Axpy(nil)", p.Axpy(1, nil, nil, nil), nil)
	_, err = p.FIR(nil, y[:1], out)
	checkErr(t, "FIR(nil x)", err, zerocall.ErrArgument)
	checkErr(t, "MatMul(nil, m=0)", p.MatMul(nil, nil, nil, 0), nil)
	checkErr(t, "MatMul(nil, m=1)", p.MatMul(nil, nil, nil, 1), zerocall.ErrLength)
	if tg.Taps > 0 && tg.Taps < tg.Capacity {
		_, err = p.FIR(Data(tg.Taps+1, 21), Data(tg.Taps+1, 20), make([]float64, 1))
		checkErr(t, "FIR taps over capacity", err, zerocall.ErrCapacity)
	}
}

// testInPlaceErrors calls in on views of its regions with arguments its
// kernels refuse. (A view cannot be longer than its region, so the
// capacity is not in question here.)
func testInPlaceErrors(t *testing.T, in *zerocall.Instance, tg Target) {
	r := in.Regions()
	check := func(what string, err, want error) {
		t.Helper()
		checkErr(t, what, err, want)
	}
	if len(r.X) >= 10 {
		_, err := in.FIR(r.X[:10], r.Taps[:0], r.Out)
		check("FIR(k=0)", err, zerocall.ErrArgument)
	}
	if len(r.Taps) >= 6 {
		_, err := in.FIR(r.X[:5], r.Taps[:6], r.Out)
		check("FIR(k>n)", err, zerocall.ErrArgument)
	}
	_, err := in.Dot(r.X[:2], r.Y[:1])
	check("Dot(X[:2], Y[:1])", err, zerocall.ErrLength)
	check("Axpy(X[:2], Y[:1], Out)", in.Axpy(1, r.X[:2], r.Y[:1], r.Out), zerocall.ErrLength)
	check("MatMul(-1)", in.MatMul(r.X, r.Y, r.Out, -1), zerocall.ErrArgument)
	check("MatMul(huge)", in.MatMul(r.X, r.Y, r.Out, huge), zerocall.ErrArgument)
	check("MatMul(over)", in.MatMul(r.X, r.Y, r.Out, int(math.Sqrt(float64(tg.Capacity)))+1), zerocall.ErrLength)
}

// testOwnRegions passes an instance's own regions to its methods, whole
// or in part, as operands and as outputs, other than each operand's view
// of its own region from its start (which runs in place). Copying them in
// would overwrite one operand with another before the kernel reads it,
// and streaming would rewrite Out under a caller's output, so each call
// must fail with ErrOverlap and leave the regions as they were.
func testOwnRegions(t *testing.T, ip *zerocall.Instance) {
	r := ip.Regions()
	for i := range r.X {
		r.X[i], r.Y[i], r.Out[i] = float64(i), -float64(i), 0.5
	}
	for i := range r.Taps {
		r.Taps[i] = 2
	}
	before := [][]float64{slices.Clone(r.X), slices.Clone(r.Y), slices.Clone(r.Taps), slices.Clone(r.Out)}
	n := min(len(r.X), 10)
	k := min(len(r.Taps), 2)
	x, y, out := Data(n, 30), Data(n, 31), make([]float64, n)
	checks := map[string]error{}
	add := func(name string, err error) { checks[name] = err }
	_, err := ip.Sum(r.Taps[:k])
	add("Sum(Taps)", err)
	_, err = ip.Dot(r.Y[:n], r.X[:n])
	add("Dot(Y, X)", err)
	_, err = ip.Dot(x, r.Y[:n])
	add("Dot(x, Y)", err)
	_, err = ip.Dot(r.Out[1:n], y[1:])
	add("Dot(Out[1:], y)", err)
	add("Axpy(Y, X, out)", ip.Axpy(2, r.Y[:n], r.X[:n], out))
	add("Axpy(x, y, Out)", ip.Axpy(2, x, y, r.Out[:n]))
	add("Axpy(x, y, Y)", ip.Axpy(2, x, y, r.Y[:n]))
	_, err = ip.FIR(x, y[:k], r.Out)
	add("FIR(x, taps, Out)", err)
	_, err = ip.FIR(r.X[1:n], y[:k], out)
	add("FIR(X[1:], taps, out)", err)
	_, err = ip.FIR(x, r.Taps[:k], out)
	add("FIR(x, Taps, out)", err)
	if len(r.X) >= 4 {
		add("MatMul(Y, X, c)", ip.MatMul(r.Y[:4], r.X[:4], out, 2))
		add("MatMul(a, b, Out)", ip.MatMul(x[:4], y[:4], r.Out[:4], 2))
	}
	for name, err := range checks {
		if !errors.Is(err, zerocall.ErrOverlap) {
			t.Errorf("%s: err = %v, want ErrOverlap", name, err)
		}
	}
	for i, want := range before {
		got := [][]float64{r.X, r.Y, r.Taps, r.Out}[i]
		if !slices.Equal(got, want) {
			t.Errorf("region %d changed under calls that failed", i)
		}
	}
	if got, err := ip.Sum(x); err != nil {
		t.Errorf("Sum after the rejected calls: %v", err)
	} else if err := CheckSum(x, got); err != nil {
		t.Errorf("Sum after the rejected calls: %v", err)
	}
	// The copy of x is in X now: a view of it runs in place on it.
	if got, err := ip.Sum(r.X[:n]); err != nil {
		t.Errorf("Sum(X[:%d]) in place: %v", n, err)
	} else if err := CheckSum(x, got); err != nil {
		t.Errorf("Sum(X[:%d]) in place: %v", n, err)
	}
}

// testAllocs checks that no call allocates.
func testAllocs(t *testing.T, p path) {
	if raceEnabled {
		t.Skip("allocation counts are not exact under the race detector")
	}
	x, y, out := Data(1000, 22), Data(1000, 23), make([]float64, 1000)
	calls := map[string]func(){
		"Sum":    func() { _, _ = p.Sum(x) },
		"Dot":    func() { _, _ = p.Dot(x, y) },
		"Axpy":   func() { _ = p.Axpy(2, x, y, out) },
		"FIR":    func() { _, _ = p.FIR(x, y[:16], out) },
		"MatMul": func() { _ = p.MatMul(x, y, out, 31) },
		"error":  func() { _, _ = p.Dot(x, y[1:]) },
	}
	for name, f := range calls {
		if a := testing.AllocsPerRun(50, f); a != 0 {
			t.Errorf("%s: %v allocs per call, want 0", name, a)
		}
	}
}

// testConcurrent shares one instance among goroutines that each check
// their results.
func testConcurrent(t *testing.T, k measure.Kernels) {
	const goroutines, calls = 4, 50
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			x := Data(100+g, uint64(g))
			want := gokernels.Sum(x)
			bound := ReductionBound(len(x), absSum(x, nil))
			out := make([]float64, len(x))
			for range calls {
				got, err := k.Sum(x)
				if err != nil || !Agree(got, want, bound) {
					t.Errorf("goroutine %d: Sum = %v, %v; want %v", g, got, err, want)
					return
				}
				if err := k.Axpy(2, x, x, out); err != nil || out[0] != 3*x[0] {
					t.Errorf("goroutine %d: Axpy: %v, out[0] = %v", g, err, out[0])
					return
				}
			}
		})
	}
	wg.Wait()
}

// testClose checks that every call on a closed instance says so, and that
// Close may be repeated.
func testClose(t *testing.T, tg Target) {
	k, err := tg.New()
	if err != nil {
		t.Fatal(err)
	}
	// Views taken before Close point at memory Close may free: a call on
	// them must fail before touching it.
	var r zerocall.Regions
	if in, ok := k.(*zerocall.Instance); ok {
		r = in.Regions()
	}
	if err := k.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := k.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if tg.Stateless {
		return
	}
	x, y, out := Data(8, 24), Data(8, 25), make([]float64, 8)
	var errs []error
	_, err = k.Sum(x)
	errs = append(errs, err)
	_, err = k.Dot(x, y)
	errs = append(errs, err, k.Axpy(1, x, y, out))
	_, err = k.FIR(x, y[:2], out)
	errs = append(errs, err, k.MatMul(x, y, out, 2))
	// Closed comes first: bad arguments after Close get ErrClosed too.
	_, err = k.Dot(x[:3], y)
	errs = append(errs, err, k.Axpy(1, x, y[:2], out), k.MatMul(x, y, out, -1))
	_, err = k.FIR(x, nil, out)
	errs = append(errs, err)
	if in, ok := k.(*zerocall.Instance); ok {
		if r := in.Regions(); r.X != nil || r.Y != nil || r.Taps != nil || r.Out != nil {
			t.Errorf("Regions after Close are not empty")
		}
		_, err = in.Sum(r.X[:1])
		errs = append(errs, err, in.Axpy(1, r.X[:1], r.Y[:1], r.Out[:1]), in.MatMul(r.X, r.Y, r.Out, 1))
		_, err = in.FIR(r.X[:2], r.Taps[:1], r.Out)
		errs = append(errs, err)
	}
	for i, err := range errs {
		if !errors.Is(err, zerocall.ErrClosed) {
			t.Errorf("call %d after Close: err = %v, want ErrClosed", i, err)
		}
	}
}

// testCloseWhileCalling closes an instance while other goroutines call it:
// each call must either finish with the right answer or report ErrClosed,
// and none may touch released memory (the race detector and the C side's
// sanitizers would see it).
func testCloseWhileCalling(t *testing.T, tg Target) {
	k, err := tg.New()
	if err != nil {
		t.Fatal(err)
	}
	x := Data(3000, 26)
	var started, wg sync.WaitGroup
	for g := range 4 {
		started.Add(1)
		wg.Go(func() {
			out := make([]float64, len(x))
			for i := 0; ; i++ {
				if i == 10 {
					started.Done()
				}
				var err error
				if g%2 == 0 {
					var got float64
					if got, err = k.Sum(x); err == nil {
						err = CheckSum(x, got)
					}
				} else if err = k.Axpy(2, x, x, out); err == nil {
					err = CheckAxpy(2, x, x, out)
				}
				if errors.Is(err, zerocall.ErrClosed) {
					if i < 10 {
						started.Done()
					}
					return
				}
				if err != nil {
					t.Errorf("goroutine %d, call %d: %v", g, i, err)
					if i < 10 {
						started.Done()
					}
					return
				}
			}
		})
	}
	started.Wait()
	if err := k.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	wg.Wait()
}
