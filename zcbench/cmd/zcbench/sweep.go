package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/zerocall/zerocall/internal/cli"
	"github.com/zerocall/zerocall/zcbench"
	"github.com/zerocall/zerocall/zctest"
)

func sweepCmd(args []string, stdout, stderr io.Writer) error {
	fs := cli.Flags("sweep", "usage: zcbench sweep [-kernel sum] [-sizes 1,16,...] [-out dir] [-best] [-noplot] [-json | -benchfmt]", stderr)
	common := addMeasureFlags(fs, 3, "timed runs per size and implementation; the median is used", 20*time.Millisecond)
	sizes := fs.String("sizes", "", "comma-separated sizes (default: powers of 4 up to about 10⁶, or m up to 256 for matmul)")
	out := fs.String("out", ".", "directory for the plot, <kernel>.svg and <kernel>.png")
	noPlot := fs.Bool("noplot", false, "do not write the plot")
	best := fs.Bool("best", false, "plot only the fastest implementation of each family (pure Go, cgo, wazero, wasmtime, batched)")
	k, err := common.parse(fs, args)
	if err != nil {
		return err
	}
	_, o, release, _ := benchmark(k, stderr)
	defer release()
	if *sizes != "" {
		if o.Sizes, err = parseSizes(*sizes, func(n int) error { return checkSize(o, n) }); err != nil {
			return err
		}
	}
	f, err := common.check()
	if err != nil {
		return err
	}
	if !*noPlot {
		if err := makeOut(*out); err != nil {
			return err
		}
	}
	o.Count, o.Time, o.Progress = *common.count, *common.d, stderr
	res, err := zcbench.Sweep(zctest.Spec{}, o)
	if err != nil {
		return err
	}
	// The results are printed before the plot is drawn, so that a plot
	// that cannot be written does not lose the measurements.
	if err := writeReport(stdout, f, res); err != nil {
		return err
	}
	if *noPlot {
		return nil
	}
	files, err := plotResult(res, *out, strings.ToLower(res.Kernel), *best)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s\n", strings.Join(files, ", "))
	return nil
}

// parseSizes parses -sizes, rising and each once, as the sweep measures
// them; check refuses, for the kernel, a size out of range, before the
// sizes are counted (-sizes 0 is a size out of range, not too few).
func parseSizes(s string, check func(int) error) ([]int, error) {
	ns, err := parseInts("sizes", s, "a size", math.MinInt)
	if err != nil {
		return nil, err
	}
	for _, n := range ns {
		if err := check(n); err != nil {
			return nil, err
		}
	}
	// Counted once each: a size given twice adds no point to the fit.
	slices.Sort(ns)
	ns = slices.Compact(ns)
	if len(ns) < 2 {
		return nil, fmt.Errorf("%w: -sizes needs at least two sizes to fit a line", cli.ErrUsage)
	}
	return ns, nil
}

// plotCmd draws sweeps saved as JSON (sweep -json, or the benchmark kit's
// Report with Options.Out), each as plotResult does.
func plotCmd(args []string, stderr io.Writer) error {
	fs := cli.Flags("plot", "usage: zcbench plot [-out dir] [-best] sweep.json...", stderr)
	out := fs.String("out", ".", "directory for the plots, <kernel>.svg and <kernel>.png")
	best := fs.Bool("best", false, "plot only the fastest implementation of each family")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: plot takes the sweeps' JSON files", cli.ErrUsage)
	}
	if err := makeOut(*out); err != nil {
		return err
	}
	// All the inputs are read and named before any plot is drawn, so that
	// two that would write the same files are refused before either does.
	type sweep struct {
		file, name string
		r          zcbench.Result
	}
	var sweeps []sweep
	// from maps each plot's name to its input, in lower case, as a file
	// system that ignores case would see it.
	from := map[string]string{}
	for _, file := range fs.Args() {
		b, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		s := sweep{file: file}
		if err := json.Unmarshal(b, &s.r); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if s.name, err = plotName(s.r.Kernel, file); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		key := strings.ToLower(s.name)
		if prev, ok := from[key]; ok {
			return fmt.Errorf("%w: %s and %s would both be drawn as %s: plot them into different -out directories",
				cli.ErrUsage, prev, file, filepath.Join(*out, s.name+".svg"))
		}
		from[key] = file
		sweeps = append(sweeps, s)
	}
	for _, s := range sweeps {
		files, err := plotResult(&s.r, *out, s.name, *best)
		if err != nil {
			return fmt.Errorf("%s: %w", s.file, err)
		}
		fmt.Fprintf(stderr, "wrote %s\n", strings.Join(files, ", "))
	}
	return nil
}
