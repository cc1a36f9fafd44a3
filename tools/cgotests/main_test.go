package main

import (
	"slices"
	"testing"
)

// TestCgoTests checks which test binaries count as linking C: through a
// dependency, through the test variant of one, or not at all.
func TestCgoTests(t *testing.T) {
	pkgs := []pkg{
		{ImportPath: "m/c", CgoFiles: []string{"c.go"}},
		{ImportPath: "m/c [m/c.test]", CgoFiles: []string{"c.go"}},
		{ImportPath: "m/c.test", Deps: []string{"m/c [m/c.test]", "testing"}},
		{ImportPath: "m/user"},
		{ImportPath: "m/user.test", Deps: []string{"m/c", "m/user"}},
		{ImportPath: "m/pure"},
		{ImportPath: "m/pure.test", Deps: []string{"m/pure", "testing"}},
		{ImportPath: "m/nocgotests", CgoFiles: []string{"k.go"}},
	}
	got, want := cgoTests(pkgs), []string{"m/c", "m/user"}
	if !slices.Equal(got, want) {
		t.Errorf("cgoTests = %q, want %q", got, want)
	}
}
