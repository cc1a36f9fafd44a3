// Command cgotests prints the packages below the current directory whose
// test binaries link a package with cgo files, one import path a line:
// the packages GOEXPERIMENT=cgocheck2 has anything to check in. A new
// package that calls C joins the list by itself.
//
//	go run ./tools/cgotests
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
)

// pkg is what go list -json says of a package that this command reads.
type pkg struct {
	ImportPath string
	CgoFiles   []string
	Deps       []string
}

func main() {
	// What go list says of a package it cannot load goes to stderr: the
	// reason it failed.
	list := exec.Command("go", "list", "-test", "-json=ImportPath,CgoFiles,Deps", "./...")
	list.Stderr = os.Stderr
	out, err := list.Output()
	if err != nil {
		fmt.Fprintln(os.Stderr, "cgotests: go list:", err)
		os.Exit(1)
	}
	var pkgs []pkg
	for d := json.NewDecoder(bytes.NewReader(out)); ; {
		var p pkg
		if err := d.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			fmt.Fprintln(os.Stderr, "cgotests: go list:", err)
			os.Exit(1)
		}
		pkgs = append(pkgs, p)
	}
	for _, p := range cgoTests(pkgs) {
		fmt.Println(p)
	}
}

// cgoTests returns, sorted, the packages whose test binary (the entry
// "<path>.test" of go list -test) depends on a package with cgo files, or
// on a test variant ("<path> [<path>.test]") of one.
func cgoTests(pkgs []pkg) []string {
	cgo := map[string]bool{}
	for _, p := range pkgs {
		if len(p.CgoFiles) > 0 {
			cgo[p.ImportPath] = true
		}
	}
	var tests []string
	for _, p := range pkgs {
		path, ok := strings.CutSuffix(p.ImportPath, ".test")
		if ok && slices.ContainsFunc(p.Deps, func(d string) bool { return cgo[d] }) {
			tests = append(tests, path)
		}
	}
	slices.Sort(tests)
	return tests
}
