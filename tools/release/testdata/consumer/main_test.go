package main

import (
	"testing"
	"time"

	"github.com/zerocall/zerocall/zcbench"
	"github.com/zerocall/zerocall/zctest"
)

// TestScale runs the test kit on the kernel, every path of every host.
func TestScale(t *testing.T) {
	s, _ := spec(t)
	zctest.Run(t, s)
}

// spec describes the kernel on every path of every host to the kits,
// and returns how many paths it has.
func spec(t *testing.T) (zctest.Spec, int) {
	ps, done, err := paths(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(done)
	s := zctest.Spec{Func: ps[0].f, Ref: ref}
	for _, p := range ps[1:] {
		s.Also = append(s.Also, p.f)
	}
	return s, len(ps)
}

// TestMeasure measures the kernel briefly with the benchmark kit, which
// comes with the main module: a row per path, each checked first.
func TestMeasure(t *testing.T) {
	s, n := spec(t)
	tab, err := zcbench.Bench(s, zcbench.Options{Name: "Scale", N: 256, Count: 1, Time: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Curves) < n {
		t.Errorf("%d rows for %d paths", len(tab.Curves), n)
	}
	t.Logf("%d rows measured", len(tab.Curves))
}
