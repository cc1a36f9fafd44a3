package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/zerocall/zerocall/internal/cli"
	"github.com/zerocall/zerocall/kernel"
)

// outputFormat is how a verb prints its results.
type outputFormat int

const (
	formatTable outputFormat = iota // Markdown, for people
	formatJSON                      // one JSON document
	formatBench                     // Go benchmark lines, for benchstat
)

// formatFlags adds -json and -benchfmt to fs and returns the choice.
func formatFlags(fs *flag.FlagSet) func() (outputFormat, error) {
	js := fs.Bool("json", false, "print JSON")
	bf := fs.Bool("benchfmt", false, "print Go benchmark lines (benchfmt), which benchstat compares across runs")
	return func() (outputFormat, error) {
		switch {
		case *js && *bf:
			return 0, fmt.Errorf("%w: -json and -benchfmt exclude each other", cli.ErrUsage)
		case *js:
			return formatJSON, nil
		case *bf:
			return formatBench, nil
		}
		return formatTable, nil
	}
}

// measureFlags are the flags every measuring verb shares: the kernel,
// the timed runs and the output format.
type measureFlags struct {
	kernel *string
	count  *int
	d      *time.Duration
	format func() (outputFormat, error)
}

// addMeasureFlags adds the shared flags to fs, with the verb's defaults
// for -count, which countUsage describes, and -time.
func addMeasureFlags(fs *flag.FlagSet, count int, countUsage string, d time.Duration) measureFlags {
	return measureFlags{
		kernel: fs.String("kernel", "sum", "kernel: "+kernelNames()),
		count:  fs.Int("count", count, countUsage),
		d:      fs.Duration("time", d, "duration of each timed run"),
		format: formatFlags(fs),
	}
}

// parse parses the verb's flags, fs, as parse does, and returns the
// kernel -kernel names.
func (m measureFlags) parse(fs *flag.FlagSet, args []string) (*kernel.Kernel, error) {
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	return parseKernel(*m.kernel)
}

// check checks -count and -time and returns the output format.
func (m measureFlags) check() (outputFormat, error) {
	if *m.count < 1 || *m.d <= 0 {
		return 0, fmt.Errorf("%w: -count and -time must be positive", cli.ErrUsage)
	}
	return m.format()
}

// parse parses a verb's flags, refusing stray arguments.
func parse(fs *flag.FlagSet, args []string) error {
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", cli.ErrUsage, fs.Arg(0))
	}
	return nil
}

// report is what a measuring verb prints: a zcbench Result or
// ParallelTable.
type report interface {
	Markdown(w io.Writer)
	Benchfmt(w io.Writer)
}

// writeReport prints r to w in format f.
func writeReport(w io.Writer, f outputFormat, r report) error {
	switch f {
	case formatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case formatBench:
		r.Benchfmt(w)
		return nil
	}
	r.Markdown(w)
	return nil
}

// parseInts parses the value s of flag -name: comma-separated whole
// numbers, none less than least. what says what one is, in the error for
// one that is not.
func parseInts(name, s, what string, least int) ([]int, error) {
	var ns []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < least {
			return nil, fmt.Errorf("%w: -%s: %q is not %s", cli.ErrUsage, name, f, what)
		}
		ns = append(ns, n)
	}
	return ns, nil
}

// kernelNames lists the kernels as the flags take them.
func kernelNames() string {
	var names []string
	for _, k := range builtins {
		names = append(names, k.Name)
	}
	return strings.Join(names, ", ")
}
