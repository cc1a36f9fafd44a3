package abi

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestCopies holds the embedded files to their sources in the repository.
func TestCopies(t *testing.T) {
	root := filepath.Join("..", "..", "..", "..")
	for name, src := range map[string]string{
		"zc_kernel.h": filepath.Join(root, "native", "zc_kernel.h"),
		"zc_module.h": filepath.Join(root, "wasm", "module", "zc_module.h"),
		"zc_module.c": filepath.Join(root, "wasm", "module", "zc_module.c"),
	} {
		want, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Files.ReadFile("files/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("cmd/zerocall/internal/abi/files/%s differs from %s: copy it again (make abi)", name, filepath.ToSlash(src))
		}
	}
}
