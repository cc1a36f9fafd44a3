// Package cli runs the verbs of zerocall's commands (zerocall, and the
// benchmark kit's zcbench): the same usage, help and exit statuses.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// ErrUsage marks an error in the command line: the command exits with
// status 2, as for an unknown verb.
var ErrUsage = errors.New("usage")

// Verb runs one verb of a command on its arguments.
type Verb func(args []string, stdout, stderr io.Writer) error

// Run runs the verb args[0] of the command name, whose verbs and usage
// text are given, and returns the exit status: 0 on success or when help
// was asked for, 2 for an error in the command line (an unknown verb, an
// error wrapping ErrUsage or flag.ErrHelp's), 1 for any other error,
// which it prints as "<name> <verb>: <error>".
func Run(name, usage string, verbs map[string]Verb, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	verb, ok := verbs[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "%s: unknown verb %q\n%s", name, args[0], usage)
		return 2
	}
	err := verb(args[1:], stdout, stderr)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, ErrUsage):
		fmt.Fprintf(stderr, "%s %s: %v\n", name, args[0], err)
		return 2
	}
	fmt.Fprintf(stderr, "%s %s: %v\n", name, args[0], err)
	return 1
}

// Flags returns the flag set of verb, which reports its errors and usage
// on stderr and returns them to the caller (Parse) rather than exiting.
func Flags(verb string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
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
