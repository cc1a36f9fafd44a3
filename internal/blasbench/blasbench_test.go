package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/zerocall/zerocall/zcbench"
)

func TestMain(m *testing.M) {
	openblasInit()
	os.Exit(m.Run())
}

// TestRows prepares every row at orders that reach each variant's edges
// and more than one part of the Go assembly's split: each checks its
// first call against the naive Go loop, OpenBLAS's and gonum's included.
func TestRows(t *testing.T) {
	_, o, release, err := rows()
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	var names []string
	for _, im := range o.Impls {
		names = append(names, im.Name)
		for _, m := range []int{1, 7, 31, 33, 100} {
			call, done, err := im.Prepare(m)
			if err != nil {
				t.Errorf("%s: %v", im.Name, err)
				continue
			}
			if err := call(); err != nil {
				t.Errorf("%s m=%d: %v", im.Name, m, err)
			}
			if done != nil {
				done()
			}
		}
	}
	if got, want := strings.Join(names, " "), "cgo-simd asm openblas gonum"; got != want {
		t.Errorf("rows %s, want %s", got, want)
	}
}

// TestRatios checks the table: each row over the base, by order.
func TestRatios(t *testing.T) {
	r := &zcbench.Result{Curves: []zcbench.Curve{
		{Impl: "cgo-simd", Label: "cgo SIMD", Points: []zcbench.Point{{N: 16, Ns: 50}, {N: 31, Ns: 300}}},
		{Impl: "openblas", Label: "OpenBLAS", Points: []zcbench.Point{{N: 16, Ns: 100}, {N: 31, Ns: 200}}},
	}}
	var b strings.Builder
	if err := ratios(&b, r, "openblas"); err != nil {
		t.Fatal(err)
	}
	want := "| m | 16 | 31 |\n|---|---|---|\n| cgo SIMD (cgo-simd) | 0.50 | 1.50 |\n| OpenBLAS, µs per call | 0.1 | 0.2 |\n"
	if b.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", b.String(), want)
	}
	if err := ratios(&b, r, "gonum"); err == nil {
		t.Error("a table over a row not measured: no error")
	}
}

// BenchmarkMatMul times every row at every order of Sizes, the rows in
// turn at each order, under the names of the main module's benchmarks:
// BenchmarkMatMul/n=<m>/impl=<cgo-simd|asm|openblas|gonum>. GOMAXPROCS
// is 1 while it runs, so that gonum's Dgemm runs on one thread too.
func BenchmarkMatMul(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	_, o, release, err := rows()
	if err != nil {
		b.Fatal(err)
	}
	defer release()
	for _, m := range Sizes {
		for _, im := range o.Impls {
			b.Run(fmt.Sprintf("n=%d/impl=%s", m, im.Name), func(b *testing.B) {
				call, done, err := im.Prepare(m)
				if err != nil {
					b.Fatal(err)
				}
				if done != nil {
					defer done()
				}
				b.ReportAllocs()
				for b.Loop() {
					if err := call(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
