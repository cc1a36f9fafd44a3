package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"testing"
)

// TestRun checks the exit status and what is printed for each way a verb
// can end.
func TestRun(t *testing.T) {
	verbs := []Verb{
		{"ok", "succeeds", func([]string, io.Writer, io.Writer) error { return nil }},
		{"asks", "asks for help", func([]string, io.Writer, io.Writer) error { return flag.ErrHelp }},
		{"usage", "misses a flag", func([]string, io.Writer, io.Writer) error { return fmt.Errorf("%w: -o is required", ErrUsage) }},
		{"fail", "fails", func([]string, io.Writer, io.Writer) error { return errors.New("it broke") }},
		{"echo", "prints its arguments", func(args []string, stdout, _ io.Writer) error { _, err := fmt.Fprint(stdout, args); return err }},
		{"exits", "runs a program that exits 3", func([]string, io.Writer, io.Writer) error { return fmt.Errorf("prog: %w", exitError(3)) }},
	}
	for _, c := range []struct {
		args   []string
		status int
		stdout string
		stderr string
	}{
		{nil, 2, "", "usage: cmd <verb>"},
		{[]string{"-h"}, 0, "  ok     succeeds\n  asks   asks for help\n", ""},
		{[]string{"ok"}, 0, "", ""},
		{[]string{"asks"}, 0, "", ""},
		{[]string{"usage"}, 2, "", "cmd usage: usage: -o is required"},
		{[]string{"fail"}, 1, "", "cmd fail: it broke"},
		{[]string{"nope"}, 2, "", `cmd: unknown verb "nope"`},
		{[]string{"help", "echo"}, 0, "[-h]", ""},
		{[]string{"exits"}, 3, "", "cmd exits: prog: exit status 3"},
		{[]string{"help", "nope"}, 0, "  ok     succeeds\n", ""},
	} {
		var out, errOut bytes.Buffer
		status := Run("cmd", verbs, c.args, &out, &errOut)
		if status != c.status || !strings.Contains(out.String(), c.stdout) || !strings.Contains(errOut.String(), c.stderr) ||
			(c.stdout == "" && out.Len() > 0) || (c.stderr == "" && errOut.Len() > 0) {
			t.Errorf("%v: status %d, stdout %q, stderr %q", c.args, status, out.String(), errOut.String())
		}
	}
}

// TestParse checks what a verb's flags parse to: help, a usage error
// naming the flag, or the arguments after the flags.
func TestParse(t *testing.T) {
	for _, c := range []struct {
		args []string
		want error
		rest int
	}{
		{[]string{"-h"}, flag.ErrHelp, 0},
		{[]string{"-bogus"}, ErrUsage, 0},
		{[]string{"-n", "x"}, ErrUsage, 0},
		{[]string{"-n", "3", "a", "b"}, nil, 2},
	} {
		fs := flag.NewFlagSet("verb", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		fs.Int("n", 0, "a number")
		err := Parse(fs, c.args)
		if !errors.Is(err, c.want) || (c.want == nil) != (err == nil) || fs.NArg() != c.rest {
			t.Errorf("Parse(%q) = %v with %d arguments, want %v with %d", c.args, err, fs.NArg(), c.want, c.rest)
		}
	}
}

// TestFlags checks what a verb prints on -h: its usage, then its flags'
// defaults under "flags:", or the usage alone for a verb with no flags.
// One usage ends in a newline and one does not: each prints one.
func TestFlags(t *testing.T) {
	for _, c := range []struct {
		flags bool
		want  string
	}{
		{true, "usage: cmd verb [-n 3] file\n\nflags:\n  -n int\n    \ta number\n"},
		{false, "usage: cmd verb file\n"},
	} {
		var errOut bytes.Buffer
		usage := "usage: cmd verb file\n"
		if c.flags {
			usage = "usage: cmd verb [-n 3] file"
		}
		fs := Flags("verb", usage, &errOut)
		if c.flags {
			fs.Int("n", 0, "a number")
		}
		if err := Parse(fs, []string{"-h"}); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("Parse(-h) = %v, want flag.ErrHelp", err)
		}
		if errOut.String() != c.want {
			t.Errorf("-h printed %q, want %q", errOut.String(), c.want)
		}
	}
}

// exitError is an error with an exit status, as exec.ExitError is.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }
func (e exitError) ExitCode() int { return int(e) }
