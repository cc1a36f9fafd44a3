package zerocall_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/funcs"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/suite"
	"github.com/zerocall/zerocall/internal/testing/testkernel"
	"github.com/zerocall/zerocall/internal/testing/testkernel/asmkernel"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/plan"
)

// plannedSizes are the sizes of BenchmarkPlanned's rows.
var plannedSizes = []int{1, 8, 64, 512, 4096, 100000}

// BenchmarkPlanned measures a planned call (package plan) against each
// of its paths called alone, with the same checks, at each size:
// Planned/<kernel>/n=<N>/impl=<planned|path>. The built-in sum is planned
// over its Go version with eight accumulators (go), its Go assembly (asm)
// and cgo straight (cgo); the clamp-and-scale kernel of your own
// (testkernel.Clamp) over its Go version, its Go assembly and its cgo
// Func, each in the best variant. Each plan is calibrated once per
// process, before its first row.
func BenchmarkPlanned(b *testing.B) {
	for _, name := range []string{"sum", "clamp"} {
		b.Run(name, func(b *testing.B) {
			p, err := plannedOf(name)
			if err != nil {
				b.Fatal(err)
			}
			for _, n := range plannedSizes {
				a, bufs := p.Inputs(n)
				b.Run(fmt.Sprintf("n=%d/impl=planned", n), func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if _, err := p.Call(a, bufs...); err != nil {
							b.Fatal(err)
						}
					}
				})
				rows := map[string]func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error){"go": funcs.Checked(p.Kernel, p.Go)}
				maps.Copy(rows, p.Paths)
				for _, name := range slices.Sorted(maps.Keys(rows)) {
					call := rows[name]
					b.Run(fmt.Sprintf("n=%d/impl=%s", n, name), func(b *testing.B) {
						b.ReportAllocs()
						for b.Loop() {
							if _, err := call(a, bufs...); err != nil {
								b.Fatal(err)
							}
						}
					})
				}
				if c, err := p.Choice(n); err == nil {
					b.Logf("%s at n = %d: %s", name, n, c)
				}
			}
		})
	}
}

var (
	plannedOnce sync.Once
	planned     map[string]*plan.Plan
	plannedErr  error
)

// plannedOf returns the calibrated plan of BenchmarkPlanned's kernel
// name, made once per process so that every -count run takes the same
// paths.
func plannedOf(name string) (*plan.Plan, error) {
	plannedOnce.Do(func() {
		planned = map[string]*plan.Plan{}
		for name, make := range map[string]func() (*plan.Plan, error){"sum": sumPlan, "clamp": clampPlan} {
			p, err := make()
			if err == nil {
				p.MaxSize = 1 << 17
				err = p.Calibrate()
			}
			if err != nil {
				plannedErr = fmt.Errorf("plan %s: %w", name, err)
				return
			}
			planned[name] = p
		}
	})
	return planned[name], plannedErr
}

// sumPlan plans the built-in sum over the typed Go, Go assembly and cgo
// straight sums of the benchmarks.
func sumPlan() (*plan.Plan, error) {
	p := &plan.Plan{Kernel: kernel.Sum, Inputs: func(n int) (*kernel.Args, []kernel.Slice) {
		x := make([]float64, n)
		for i := range x {
			x[i] = rand.Float64()
		}
		return new(kernel.Args), []kernel.Slice{kernel.SliceOf(x)}
	}}
	p.Paths = map[string]func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error){}
	for _, impl := range suite.Impls() {
		name := map[string]string{"go-unrolled": "go", "asm": "asm", "cgo-simd": "cgo"}[impl.Name]
		if name == "" {
			continue
		}
		k, err := impl.New()
		if err != nil {
			return nil, err
		}
		if name == "go" {
			p.Go = sumOf(k)
		} else {
			p.Paths[name] = funcs.Checked(kernel.Sum, sumOf(k))
		}
	}
	return p, nil
}

// sumOf is the typed sum of k as a Go path of a plan.
func sumOf(k measure.Kernels) func(a *kernel.Args, bufs []kernel.Slice) kernel.Return {
	return func(a *kernel.Args, bufs []kernel.Slice) kernel.Return {
		s, _ := k.Sum(kernel.Elems[float64](bufs[0]))
		return kernel.Return{F: s}
	}
}

// clampPlan plans testkernel.Clamp over its Go version, its Go assembly
// and its cgo Func (in a build with cgo), each in the best variant.
func clampPlan() (*plan.Plan, error) {
	p := &plan.Plan{
		Kernel: testkernel.Clamp,
		Go:     testkernel.ClampRef,
		Paths:  map[string]func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error){},
		Inputs: func(n int) (*kernel.Args, []kernel.Slice) {
			x := make([]float32, n)
			for i := range x {
				x[i] = 4*rand.Float32() - 2
			}
			a := testkernel.ClampArgs
			return &a, []kernel.Slice{kernel.SliceOf(x), kernel.SliceOf(make([]float32, n))}
		},
	}
	if f, err := asmkernel.Clamp(zerocall.Auto); err == nil {
		p.Paths["asm"] = f.Call
	}
	if call := clampNative(); call != nil {
		p.Paths["cgo"] = call
	}
	return p, nil
}

// BenchmarkCalibrate measures a calibration of each of BenchmarkPlanned's
// plans with the default budget (200 ms) and sizes: one op is one
// calibration.
func BenchmarkCalibrate(b *testing.B) {
	for _, c := range []struct {
		name string
		make func() (*plan.Plan, error)
	}{{"sum", sumPlan}, {"clamp", clampPlan}} {
		b.Run(c.name, func(b *testing.B) {
			p, err := c.make()
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if err := p.Calibrate(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
