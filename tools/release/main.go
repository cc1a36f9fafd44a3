// Command release prepares a release of the zerocall modules, and proves
// one before it is made.
//
// The repository holds the published modules github.com/zerocall/zerocall
// (the root, with the toolchain command and the test and benchmark kits)
// and …/wasmtime; the zcbench command, the examples, the Wasmtime host's
// tests that use the root's internal test kits and this tool are
// modules of their own that are not published (a command whose go.mod
// has replace directives cannot be installed at a version anyway). The
// nested modules require the root, and the zcbench command and the
// examples require wasmtime, by version; each also replaces them with their directories,
// so that go build works in every module of a checkout (a dependency's
// replace directives are ignored, so they do not reach users).
//
// Usage:
//
//	release set -version vX.Y.Z
//	release proxy -version vX.Y.Z -o dir
//	release readme -o dir
//
// set writes vX.Y.Z into every requirement of one zerocall module by
// another, in the go.mod files of the checkout: the first step of a
// release (docs/platforms.md says the rest: commit, then tag vX.Y.Z,
// and wasmtime/vX.Y.Z on that commit).
//
// proxy writes into dir, in the layout of a file-based module proxy
// (GOPROXY=file://dir), the published modules at vX.Y.Z as set would make
// them: the zips of their files that git tracks, made with
// golang.org/x/mod/zip, their go.mod files and .info files. make test's
// release dry run (tools/release/dryrun.sh) serves them, with the
// third-party modules of the module cache, to a fresh GOPATH.
//
// readme writes into dir README.md's own-kernel example as a program of
// a new module would hold it (readme.go says how), which the dry run
// builds and runs against the release.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"golang.org/x/mod/zip"
)

// The published modules: their paths, and their directories in the
// checkout.
var published = []struct{ path, dir string }{
	{"github.com/zerocall/zerocall", "."},
	{"github.com/zerocall/zerocall/wasmtime", "wasmtime"},
}

// The modules that require the published ones but are not published.
var unpublished = []string{"zcbench/cmd/zcbench", "examples", "wasmtime/internal/wasmtimetest", "internal/blasbench"}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "release: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: release set -version vX.Y.Z | release proxy -version vX.Y.Z -o dir | release readme -o dir")
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	version := fs.String("version", "", "the version of the release, vX.Y.Z")
	root := fs.String("root", "../..", "the checkout's root")
	out := fs.String("o", "", "proxy, readme: the directory to write")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if args[0] == "readme" {
		if *out == "" {
			return errors.New("readme: -o is required")
		}
		return readme(*root, *out)
	}
	if !semver.IsValid(*version) || semver.Build(*version) != "" {
		return fmt.Errorf("%q is not a module version (vX.Y.Z, perhaps with a -pre-release)", *version)
	}
	switch args[0] {
	case "set":
		return set(*root, *version)
	case "proxy":
		if *out == "" {
			return errors.New("proxy: -o is required")
		}
		return proxy(*root, *version, *out)
	}
	return fmt.Errorf("unknown verb %q", args[0])
}

// isPublished reports whether p is the path of a published module.
func isPublished(p string) bool {
	for _, m := range published {
		if m.path == p {
			return true
		}
	}
	return false
}

// withVersion returns the go.mod file data with every requirement of a
// published module at version v.
func withVersion(file string, data []byte, v string) ([]byte, error) {
	f, err := modfile.Parse(file, data, nil)
	if err != nil {
		return nil, err
	}
	for _, r := range f.Require {
		if isPublished(r.Mod.Path) {
			if err := f.AddRequire(r.Mod.Path, v); err != nil {
				return nil, err
			}
		}
	}
	f.Cleanup()
	return f.Format()
}

// set writes version v into the requirements of the checkout's go.mod
// files.
func set(root, v string) error {
	dirs := unpublished
	for _, m := range published {
		dirs = append(dirs, m.dir)
	}
	for _, d := range dirs {
		file := filepath.Join(root, d, "go.mod")
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		b, err := withVersion(file, data, v)
		if err != nil {
			return err
		}
		if !bytes.Equal(b, data) {
			if err := os.WriteFile(file, b, 0o644); err != nil {
				return err
			}
			fmt.Printf("%s: requires the zerocall modules at %s\n", file, v)
		}
	}
	return nil
}

// proxy writes the published modules at version v into dir, in the
// layout of a module proxy.
func proxy(root, v, dir string) error {
	info, err := json.Marshal(struct {
		Version string
		Time    time.Time
	}{v, time.Now().UTC().Truncate(time.Second)})
	if err != nil {
		return err
	}
	for _, m := range published {
		files, err := tracked(root, m.dir)
		if err != nil {
			return err
		}
		if err := ownImports(root, m.dir, m.path, files); err != nil {
			return err
		}
		mod, err := os.ReadFile(filepath.Join(root, m.dir, "go.mod"))
		if err != nil {
			return err
		}
		if mod, err = withVersion(m.path+"/go.mod", mod, v); err != nil {
			return err
		}
		esc, err := module.EscapePath(m.path)
		if err != nil {
			return err
		}
		at := filepath.Join(dir, filepath.FromSlash(esc), "@v")
		if err := os.MkdirAll(at, 0o755); err != nil {
			return err
		}
		var zf []zip.File
		for _, f := range files {
			zf = append(zf, file{rel: f, abs: filepath.Join(root, m.dir, filepath.FromSlash(f)), mod: mod})
		}
		var buf bytes.Buffer
		if err := zip.Create(&buf, module.Version{Path: m.path, Version: v}, zf); err != nil {
			return fmt.Errorf("%s: %w", m.path, err)
		}
		for name, data := range map[string][]byte{
			v + ".zip":  buf.Bytes(),
			v + ".mod":  mod,
			v + ".info": info,
			"list":      []byte(v + "\n"),
		} {
			if err := os.WriteFile(filepath.Join(at, name), data, 0o644); err != nil {
				return err
			}
		}
		fmt.Printf("%s@%s: %d files, %d bytes\n", m.path, v, len(files), buf.Len())
	}
	return nil
}

// ownImports refuses a published module whose Go files, its tests
// included, import a package internal to another zerocall module: the go
// command allows it (the import paths share a prefix), but once the
// modules are released separately it is an unversioned contract between
// them, and a user with other versions of the two would fail to build.
func ownImports(root, dir, modPath string, files []string) error {
	fset := token.NewFileSet()
	for _, f := range files {
		if !strings.HasSuffix(f, ".go") {
			continue
		}
		src, err := parser.ParseFile(fset, filepath.Join(root, dir, filepath.FromSlash(f)), nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range src.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if owner := zerocallModule(p); owner != "" && owner != modPath &&
				(strings.Contains(p, "/internal/") || strings.HasSuffix(p, "/internal")) {
				return fmt.Errorf("%s: %s imports %s, internal to module %s", modPath, f, p, owner)
			}
		}
	}
	return nil
}

// zerocallModule returns the published module that holds package p, or ""
// for a package of no zerocall module.
func zerocallModule(p string) string {
	owner := ""
	for _, m := range published {
		if (p == m.path || strings.HasPrefix(p, m.path+"/")) && len(m.path) > len(owner) {
			owner = m.path
		}
	}
	return owner
}

// tracked lists the files git tracks in the module at dir, relative to
// it, without those of the modules nested in it.
func tracked(root, dir string) ([]string, error) {
	c := exec.Command("git", "ls-files", "-z", "--", dir)
	c.Dir = root
	out, err := c.Output()
	if err != nil {
		return nil, fmt.Errorf("git ls-files %s: %w", dir, err)
	}
	all := strings.Split(strings.TrimRight(string(out), "\x00"), "\x00")
	// The nested modules: the directories below dir with a go.mod.
	var nested []string
	for _, f := range all {
		if d := path.Dir(f); path.Base(f) == "go.mod" && d != path.Clean(dir) {
			nested = append(nested, d+"/")
		}
	}
	var files []string
next:
	for _, f := range all {
		for _, n := range nested {
			if strings.HasPrefix(f, n) {
				continue next
			}
		}
		rel := f
		if dir != "." {
			rel = strings.TrimPrefix(f, dir+"/")
		}
		files = append(files, rel)
	}
	return files, nil
}

// file is one file of a module zip: from the checkout, but for go.mod,
// whose contents are mod.
type file struct {
	rel, abs string
	mod      []byte
}

func (f file) Path() string { return f.rel }

func (f file) Lstat() (os.FileInfo, error) {
	fi, err := os.Lstat(f.abs)
	if err != nil || f.rel != "go.mod" {
		return fi, err
	}
	return sized{fi, int64(len(f.mod))}, nil
}

// sized is a file's information with the size of what Open returns.
type sized struct {
	os.FileInfo
	n int64
}

func (s sized) Size() int64 { return s.n }

func (f file) Open() (io.ReadCloser, error) {
	if f.rel == "go.mod" {
		return io.NopCloser(bytes.NewReader(f.mod)), nil
	}
	return os.Open(f.abs)
}
