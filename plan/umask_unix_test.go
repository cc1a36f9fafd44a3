//go:build unix

package plan

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestWisdomFileMode writes wisdom under a umask of 077: the file has the
// mode a file of its own gets, 0600, not a 0644 that ignores the umask.
func TestWisdomFileMode(t *testing.T) {
	defer syscall.Umask(syscall.Umask(0o077))
	dir := t.TempDir()
	ref := filepath.Join(dir, "ref")
	if err := os.WriteFile(ref, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := planOf("a", "b")
	p.File = filepath.Join(dir, "w.json")
	if _, err := p.Choice(1); err != nil {
		t.Fatal(err)
	}
	want, err := os.Stat(ref)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.Stat(p.File)
	if err != nil {
		t.Fatal(err)
	}
	if got.Mode().Perm() != want.Mode().Perm() {
		t.Errorf("wisdom file mode %v, a file of its own has %v", got.Mode().Perm(), want.Mode().Perm())
	}
}

// TestFileNotRegular gives a plan a File that is a FIFO, whose opening
// would wait for a writer with the plan's lock held, and one that is a
// character device, as os.DevNull is (made only as root): the plan
// refuses each, says why, calibrates and runs, and leaves the file as it
// was rather than replace it with wisdom.
func TestFileNotRegular(t *testing.T) {
	for name, mknod := range map[string]func(f string) error{
		"fifo":   func(f string) error { return syscall.Mkfifo(f, 0o644) },
		"device": func(f string) error { return syscall.Mknod(f, syscall.S_IFCHR|0o666, 1<<8|3) }, // makedev(1, 3)
	} {
		t.Run(name, func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "wisdom.json")
			if err := mknod(f); err != nil {
				t.Skip(err)
			}
			before, _ := os.Lstat(f)
			p := planOf("a", "b")
			p.File = f
			var logged []string
			p.Logf = func(format string, args ...any) { logged = append(logged, fmt.Sprintf(format, args...)) }
			done := make(chan error, 1)
			go func() { _, err := p.Choice(1); done <- err }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(10 * time.Second):
				os.WriteFile(f, nil, 0) // a writer, which ends the wait
				t.Fatal("the plan still waits on its File after 10 s")
			}
			if !slices.ContainsFunc(logged, func(s string) bool { return strings.Contains(s, "not a regular file") }) {
				t.Errorf("logged %q, want the reason the File was not used", logged)
			}
			if after, err := os.Lstat(f); err != nil || after.Mode() != before.Mode() {
				t.Errorf("the File was %v, and is %v after the plan (%v)", before.Mode(), after.Mode(), err)
			}
		})
	}
}
