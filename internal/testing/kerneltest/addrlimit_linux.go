package kerneltest

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// addressLimitEnv names, in the child UnderAddressLimit runs, the test
// that runs under the limit.
const addressLimitEnv = "ZEROCALL_TEST_ADDRESS_LIMIT"

// UnderAddressLimit runs f in a child process of the test binary whose
// address space is limited (RLIMIT_AS, as ulimit -v sets it) to what the
// child maps already and headroom bytes more, and fails t if the child
// fails, or dies, as a Go program does on an allocation the system
// refuses. The child runs the test of t's name alone; the child's own
// runner is ZEROCALL_TEST_EXEC's, as the parent's. It skips under the race
// detector, whose shadow memory needs the address space, and where the
// limit does not take (an emulator may ignore it).
func UnderAddressLimit(t *testing.T, headroom uint64, f func(t *testing.T)) {
	t.Helper()
	if os.Getenv(addressLimitEnv) == t.Name() {
		var rl syscall.Rlimit
		if err := syscall.Getrlimit(syscall.RLIMIT_AS, &rl); err != nil {
			t.Skipf("getrlimit: %v", err)
		}
		limit := vmSize(t) + headroom
		if limit > rl.Max {
			t.Skipf("the hard limit of the address space, %d bytes, is below %d", rl.Max, limit)
		}
		if err := syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: limit, Max: rl.Max}); err != nil {
			t.Skipf("setrlimit: %v", err)
		}
		if syscall.Getrlimit(syscall.RLIMIT_AS, &rl) != nil || rl.Cur != limit {
			t.Skip("the address-space limit did not take")
		}
		f(t)
		return
	}
	if raceEnabled {
		t.Skip("the race detector's shadow memory needs more address space than the limit leaves")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	name := strings.Fields(os.Getenv("ZEROCALL_TEST_EXEC"))
	run := strings.Split(t.Name(), "/")
	for i, s := range run {
		run[i] = "^" + regexp.QuoteMeta(s) + "$"
	}
	name = append(name, exe, "-test.run="+strings.Join(run, "/"), "-test.v", "-test.count=1")
	cmd := exec.Command(name[0], name[1:]...)
	cmd.Env = append(os.Environ(), addressLimitEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	switch {
	case err != nil:
		t.Fatalf("under an address-space limit: %v\n%s", err, tail(out))
	case bytes.Contains(out, []byte("--- SKIP")):
		t.Skipf("under an address-space limit:\n%s", tail(out))
	case !bytes.Contains(out, []byte("--- PASS")):
		t.Fatalf("under an address-space limit, the child ran no test:\n%s", tail(out))
	}
	t.Logf("under an address-space limit:\n%s", tail(out))
}

// vmSize returns the bytes the process maps: VmSize of /proc/self/status.
func vmSize(t *testing.T) uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmSize:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	t.Skip("no VmSize in /proc/self/status")
	return 0
}

// tail returns the last lines of a child's output, for a message.
func tail(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return strings.Join(lines[max(0, len(lines)-20):], "\n")
}
