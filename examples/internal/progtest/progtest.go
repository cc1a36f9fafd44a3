// Package progtest runs an example's main as a program from its own
// tests: the test binary runs itself again with the program's arguments
// in the environment, and main runs in place of the tests. So a test sees
// what the program prints and how it exits, with no build of its own.
package progtest

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
)

// envVar is the variable that carries the program's arguments to the
// test binary run as the program.
const envVar = "ZEROCALL_EXAMPLE_ARGS"

// Main runs main as the program name when the test binary was run so by
// Run, and the tests otherwise. An example's TestMain calls it.
func Main(m *testing.M, name string, main func()) {
	if args, ok := os.LookupEnv(envVar); ok {
		os.Args = append([]string{name}, strings.Fields(args)...)
		flag.CommandLine = flag.NewFlagSet(name, flag.ExitOnError)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Case is a command line of the program and what it must do with it:
// exit with Status, saying Want on stderr, and with status 2, refused
// as the flag package refuses a bad flag, print its usage too.
type Case struct {
	Args   string
	Status int
	Want   string
}

// Refusals are the command lines every example program refuses, as the
// flag package refuses a bad flag: an argument after the flags, and a
// -count, -time or -n that is not positive. Check runs them first.
var Refusals = []Case{
	{Args: "extra -count 1", Status: 2, Want: `unexpected argument "extra"`},
	{Args: "-count 1 extra", Status: 2, Want: `unexpected argument "extra"`},
	{Args: "-count 0", Status: 2, Want: "flag -count"},
	{Args: "-time 0", Status: 2, Want: "flag -time"},
	{Args: "-time -1s", Status: 2, Want: "flag -time"},
	{Args: "-n 0", Status: 2, Want: "flag -n"},
}

// Check runs the program name on the command line of each case of
// Refusals and cases (Run) and checks what it does.
func Check(t *testing.T, name string, cases []Case) {
	t.Helper()
	for _, c := range slices.Concat(Refusals, cases) {
		status, stderr := Run(t, c.Args)
		if status != c.Status || !strings.Contains(stderr, c.Want) ||
			status == 2 && !strings.Contains(stderr, "Usage of "+name) {
			t.Errorf("%s %s: exit status %d, want %d, saying %q; stderr:\n%s", name, c.Args, status, c.Status, c.Want, stderr)
		}
	}
}

// Run runs the program with args (split at spaces) and returns its exit
// status and what it wrote to stderr. It runs through the runner the
// tests run under, if any ($ZEROCALL_TEST_EXEC: qemu-user), and gives up
// after a minute.
func Run(t *testing.T, args string) (status int, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	program := append(strings.Fields(os.Getenv("ZEROCALL_TEST_EXEC")), os.Args[0])
	cmd := exec.CommandContext(ctx, program[0], program[1:]...)
	cmd.Env = append(os.Environ(), envVar+"="+args)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	err := cmd.Run()
	if e, ok := errors.AsType[*exec.ExitError](err); ok {
		return e.ExitCode(), errb.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, errb.String()
}
