package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/zerocall/zerocall/internal/suite"
)

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"frobnicate"},
		{"bench", "-kernel", "nope"},
		{"bench", "-n", "0"},
		{"bench", "-kernel", "fir", "-n", "3"},
		{"bench", "-kernel", "matmul", "-n", "5000"},
		{"bench", "-n", "99999999"},
		{"bench", "-count", "0"},
		{"bench", "-bogus"},
		{"bench", "extra"},
	} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 2 {
			t.Errorf("run(%q) = %d, want 2 (stderr: %s)", args, code, errb.String())
		}
	}
	var out, errb bytes.Buffer
	run([]string{"bench", "-kernel", "nope"}, &out, &errb)
	if !strings.Contains(errb.String(), "sum, dot, axpy, fir, matmul") {
		t.Errorf("unknown kernel error does not name the valid ones: %s", errb.String())
	}
}

// TestBench runs a short real bench and checks that every implementation
// has its row.
func TestBench(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"bench", "-n", "1000", "-count", "1", "-time", "2ms"}, &out, &errb); code != 0 {
		t.Fatalf("bench exited %d: %s", code, errb.String())
	}
	for _, impl := range suite.Impls() {
		if !strings.Contains(out.String(), "| "+impl.Label+" ") {
			t.Errorf("no row for %s in:\n%s", impl.Label, out.String())
		}
	}
	if !strings.Contains(out.String(), "cpu: ") {
		t.Errorf("no machine line in:\n%s", out.String())
	}
}
