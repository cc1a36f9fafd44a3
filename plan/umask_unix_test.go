//go:build unix

package plan

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
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
