package main

import (
	"testing"

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
