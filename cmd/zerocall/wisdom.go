package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/zerocall/zerocall/internal/cli"
)

// wisdomCmd writes the wisdom of a program's plans (package plan) into a
// directory, by running the program with ZEROCALL_WISDOM naming it, and
// prints what each plan chose. With no program, it prints the directory's
// wisdom only.
func wisdomCmd(args []string, stdout, stderr io.Writer) error {
	fs := cli.Flags("wisdom", "usage: zerocall wisdom -dir dir [-fresh] [command [arg...]]", stderr)
	dir := fs.String("dir", "", "the directory of the wisdom files (required)")
	fresh := fs.Bool("fresh", false, "remove the directory's wisdom before the run, so that every plan calibrates again (or takes its cache's, if it has Cache set)")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *dir == "" {
		return fmt.Errorf("%w: -dir is required", cli.ErrUsage)
	}
	abs, err := filepath.Abs(*dir)
	if err != nil {
		return err
	}
	if *fresh && fs.NArg() == 0 {
		return fmt.Errorf("%w: -fresh needs a command to run", cli.ErrUsage)
	}
	if fs.NArg() > 0 {
		// The command is found first: -fresh must not remove the wisdom
		// for a run that cannot start.
		if _, err := exec.LookPath(fs.Arg(0)); err != nil {
			return fmt.Errorf("%s: %w", fs.Arg(0), err)
		}
		if *fresh {
			if err := removeWisdom(abs); err != nil {
				return err
			}
		}
		if err := os.MkdirAll(abs, 0o755); err != nil {
			return err
		}
		cmd := exec.Command(fs.Arg(0), fs.Args()[1:]...)
		// -count=1 for a go test the command runs (go's other commands
		// ignore it): a result from the test cache runs nothing, and
		// writes no wisdom where -fresh removed it.
		cmd.Env = append(os.Environ(), "ZEROCALL_WISDOM="+abs, "GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -count=1"))
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %w", fs.Arg(0), err)
		}
	}
	ws, err := readWisdom(abs)
	if err != nil {
		return err
	}
	if len(ws) == 0 {
		return fmt.Errorf("no wisdom in %s: did the program call a plan with no File of its own?", *dir)
	}
	for _, w := range ws {
		fmt.Fprintln(stdout, w.summary())
	}
	return nil
}

// wisdomFile is what the summary reads of a wisdom file: its key and
// each path's times (package plan writes the whole).
type wisdomFile struct {
	name    string
	Version int `json:"zerocall_wisdom"`
	Key     struct {
		CPU     string   `json:"cpu"`
		Variant string   `json:"variant"`
		Kernel  string   `json:"kernel"`
		Paths   []string `json:"paths"`
	} `json:"key"`
	Paths []struct {
		Name  string    `json:"name"`
		Sizes []int     `json:"sizes"`
		NS    []float64 `json:"ns"`
	} `json:"paths"`
	Chose string `json:"chose"` // what the plan chose, as it says it
}

// readWisdom returns the wisdom files in dir, by name; other files are
// left out, and a missing dir has none. (dir is a name, not a pattern:
// its brackets and stars are its own.)
func readWisdom(dir string) ([]*wisdomFile, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ws []*wisdomFile
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		b, err := readSmall(filepath.Join(dir, e.Name()))
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) || errors.Is(err, errTooLarge) {
			continue // removed meanwhile (by another -fresh), another user's, or larger than wisdom is
		}
		if err != nil {
			return nil, err
		}
		// A file with no kernel in its key is not a plan's wisdom.
		w := &wisdomFile{name: e.Name()}
		if json.Unmarshal(b, w) != nil || w.Version == 0 || w.Key.Kernel == "" {
			continue
		}
		ws = append(ws, w)
	}
	return ws, nil
}

// removeWisdom removes the wisdom files in dir, and nothing else (a
// missing dir has none).
func removeWisdom(dir string) error {
	ws, err := readWisdom(dir)
	if err != nil {
		return err
	}
	for _, w := range ws {
		if err := os.Remove(filepath.Join(dir, w.name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// summary says what w's plan chose, as the plan says it (its size
// classes and a handle's capacity included), or, in a file without that,
// the fastest path at each measured size, as "path from size" wherever
// the fastest changes; then the sizes measured and the machine the times
// are of.
func (w *wisdomFile) summary() string {
	var sizes []int
	for _, p := range w.Paths {
		sizes = append(sizes, p.Sizes...)
	}
	slices.Sort(sizes)
	sizes = slices.Compact(sizes)
	// Each path's time at each of its sizes (the first, as slices.Index
	// found it), looked up rather than searched for: a file of 1 MiB holds
	// 10⁵ sizes, and a search for each would take seconds.
	at := make([]map[int]float64, len(w.Paths))
	for j, p := range w.Paths {
		at[j] = make(map[int]float64, len(p.NS))
		for i, n := range p.Sizes[:min(len(p.Sizes), len(p.NS))] {
			if _, ok := at[j][n]; !ok {
				at[j][n] = p.NS[i]
			}
		}
	}
	var runs []string
	last := ""
	for _, n := range sizes {
		best, bestNS := "", 0.0
		for j, p := range w.Paths {
			if ns, ok := at[j][n]; ok && (best == "" || ns < bestNS) {
				best, bestNS = p.Name, ns
			}
		}
		if best != "" && best != last { // "": a size with no time (not as plan writes it)
			runs = append(runs, fmt.Sprintf("%s from n = %d", best, n))
			last = best
		}
	}
	if w.Chose != "" {
		runs = []string{w.Chose}
	}
	measured := "nothing measured"
	if len(sizes) > 0 {
		measured = fmt.Sprintf("measured n = %d to %d", sizes[0], sizes[len(sizes)-1])
	}
	return printable(fmt.Sprintf("%s (%s): %s; %s, on %s · %s [%s]", w.Key.Kernel, strings.Join(w.Key.Paths, ", "),
		strings.Join(runs, ", "), measured, w.Key.CPU, w.Key.Variant, w.name))
}

// printable writes each rune of s that is not printable (a control
// character, such as a terminal's escape or a newline) as its Go escape:
// a wisdom file's names and a folder's file names are anyone's, and a
// summary goes to a terminal.
func printable(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsPrint(r) {
			b.WriteRune(r)
		} else {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		}
	}
	return b.String()
}

// errTooLarge is readSmall's error for a file larger than wisdom is.
var errTooLarge = errors.New("larger than wisdom is")

// readSmall reads name, if it is no larger than a plan reads wisdom
// (1 MiB): a large file in the folder is not read whole.
func readSmall(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 1<<20+1))
	if err == nil && len(b) > 1<<20 {
		err = errTooLarge
	}
	return b, err
}
