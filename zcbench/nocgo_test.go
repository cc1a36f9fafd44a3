//go:build !cgo

package zcbench_test

import (
	"strings"
	"testing"
	"time"

	"github.com/zerocall/zerocall/asm"
	"github.com/zerocall/zerocall/kernel"
	"github.com/zerocall/zerocall/zcbench"
)

// TestNoCgoHeader checks the header of a build without cgo: the
// built-ins' Go assembly runs the variant it names.
func TestNoCgoHeader(t *testing.T) {
	// Without cgo the native Func is missing, which Builtin says, and
	// the other rows are there.
	s, o, release, err := zcbench.Builtin(kernel.Sum)
	t.Log(err)
	defer release()
	o.N, o.Count, o.Time = 64, 1, time.Millisecond
	r, err := zcbench.Bench(s, o)
	if err != nil {
		t.Fatal(err)
	}
	want := "C variant: none (no cgo)"
	if vs := asm.Variants(); len(vs) > 0 {
		want = "C variant: " + vs[0].String() + " (Go assembly; no cgo)"
	}
	if !strings.Contains(r.Machine, want) {
		t.Errorf("header %q, want %q in it", r.Machine, want)
	}
}
