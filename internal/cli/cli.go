// Package cli runs the verbs of zerocall's commands (zerocall, and the
// benchmark kit's zcbench): the same usage, help and exit statuses.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// ErrUsage marks an error in the command line: the command exits with
// status 2, as for an unknown verb.
var ErrUsage = errors.New("usage")

// A Verb is one verb of a command: its name, the line the command's
// usage shows for it, and how it runs on its arguments.
type Verb struct {
	Name, Summary string
	Run           func(args []string, stdout, stderr io.Writer) error
}

// Run runs the verb args[0] of the command name and returns the exit
// status: 0 on success or when help was asked for, 2 for an error in the
// command line (an unknown verb, an error wrapping ErrUsage or
// flag.ErrHelp's), 1 for any other error, which it prints as
// "<name> <verb>: <error>" (or the status of a program the verb ran
// and whose exit the error wraps). The command's usage lists the verbs
// in the order given.
func Run(name string, verbs []Verb, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage(name, verbs))
		return 2
	}
	switch args[0] {
	case "help":
		if len(args) == 2 && slices.ContainsFunc(verbs, func(v Verb) bool { return v.Name == args[1] }) {
			return Run(name, verbs, []string{args[1], "-h"}, stdout, stderr) // help gen: gen's flags
		}
		fallthrough
	case "-h", "-help", "--help":
		fmt.Fprint(stdout, usage(name, verbs))
		return 0
	}
	i := slices.IndexFunc(verbs, func(v Verb) bool { return v.Name == args[0] })
	if i < 0 {
		fmt.Fprintf(stderr, "%s: unknown verb %q\n%s", name, args[0], usage(name, verbs))
		return 2
	}
	err := verbs[i].Run(args[1:], stdout, stderr)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, ErrUsage):
		fmt.Fprintf(stderr, "%s %s: %v\n", name, args[0], err)
		return 2
	}
	fmt.Fprintf(stderr, "%s %s: %v\n", name, args[0], err)
	// A program the verb ran (zerocall wisdom's) that exited with a
	// status: the command exits with it.
	var exit interface{ ExitCode() int }
	if errors.As(err, &exit) && exit.ExitCode() > 0 {
		return exit.ExitCode()
	}
	return 1
}

// usage is the usage text of the command name.
func usage(name string, verbs []Verb) string {
	var b strings.Builder
	fmt.Fprintf(&b, "usage: %s <verb> [flags]\n\nverbs:\n", name)
	w := 0
	for _, v := range verbs {
		w = max(w, len(v.Name))
	}
	for _, v := range verbs {
		fmt.Fprintf(&b, "  %-*s  %s\n", w, v.Name, v.Summary)
	}
	fmt.Fprintf(&b, "\nrun \"%s <verb> -h\" or \"%s help <verb>\" for a verb's flags\n", name, name)
	return b.String()
}

// Flags returns the flag set of verb, which reports its errors on stderr
// and returns them to the caller (Parse) rather than exiting. On -h or a
// bad flag it prints usage, then "flags:" and the flags' defaults if the
// verb has flags; usage starts with a line "usage: <command> <verb> ...".
func Flags(verb, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, strings.TrimRight(usage, "\n")+"\n")
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprint(stderr, "\nflags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// Parse parses a verb's flags in args into fs: flag.ErrHelp for -h, which
// Run takes as help asked for, or an error wrapping ErrUsage for a bad
// flag. The arguments after the flags are fs.Args.
func Parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	return nil
}

// Set reports whether the flag name was given on the command line.
func Set(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
