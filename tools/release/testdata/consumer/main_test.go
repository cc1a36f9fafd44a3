package main

import (
	"testing"
	"time"

	"github.com/zerocall/zerocall/zcbench"
	"github.com/zerocall/zerocall/zctest"
)

// TestScale runs the test kit on the kernel, every path of every host.
func TestScale(t *testing.T) {
	ps, done, err := paths(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	s := zctest.Spec{Func: ps[0].f, Ref: ref}
	for _, p := range ps[1:] {
		s.Also = append(s.Also, p.f)
	}
	zctest.Run(t, s)
}

// TestMeasure measures the kernel briefly with the benchmark kit, which
// comes with the main module: a row per path, each checked first.
func TestMeasure(t *testing.T) {
	ps, done, err := paths(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	s := zctest.Spec{Func: ps[0].f, Ref: ref}
	for _, p := range ps[1:] {
		s.Also = append(s.Also, p.f)
	}
	tab, err := zcbench.Bench(s, zcbench.Options{Name: "Scale", N: 256, Count: 1, Time: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) < len(ps) {
		t.Errorf("%d rows for %d paths", len(tab.Rows), len(ps))
	}
	t.Logf("%d rows measured", len(tab.Rows))
}
