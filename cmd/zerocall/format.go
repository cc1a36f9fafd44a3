package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/zerocall/zerocall/internal/suite"
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
			return 0, fmt.Errorf("%w: -json and -benchfmt exclude each other", errUsage)
		case *js:
			return formatJSON, nil
		case *bf:
			return formatBench, nil
		}
		return formatTable, nil
	}
}

// runFlags checks the flags every measuring verb shares and returns the
// output format.
func runFlags(count int, d time.Duration, format func() (outputFormat, error)) (outputFormat, error) {
	if count < 1 || d <= 0 {
		return 0, fmt.Errorf("%w: -count and -time must be positive", errUsage)
	}
	return format()
}

// parse parses a verb's flags, refusing stray arguments.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	return nil
}

// report is what a measuring verb prints: a zcbench Table, Result or
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

// kernelNames lists the kernels as the flags take them.
func kernelNames() string {
	var names []string
	for _, k := range suite.Kernels {
		names = append(names, kernelName(k))
	}
	return strings.Join(names, ", ")
}
