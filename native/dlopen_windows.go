//go:build cgo

package native

import (
	"fmt"
	"path/filepath"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
)

// open loads the library at path with LoadLibraryEx. A path with a
// folder in it has the library's own folder searched for the libraries it
// depends on, as dlopen finds them by their run path. That search
// (LOAD_WITH_ALTERED_SEARCH_PATH) takes an absolute path written with
// backslashes: with a relative one, or one written with forward slashes,
// the dependencies are not found, so the path is made so first.
func open(path string) (unsafe.Pointer, error) {
	var flags uintptr
	if strings.ContainsAny(path, `/\:`) {
		abs, err := filepath.Abs(path) // cleaned: backslashes
		if err != nil {
			return nil, err
		}
		path, flags = abs, windows.LOAD_WITH_ALTERED_SEARCH_PATH
	}
	h, err := windows.LoadLibraryEx(path, 0, flags)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return handlePointer(uintptr(h)), nil
}

// lookup returns the address of the symbol in the library h.
func lookup(h unsafe.Pointer, symbol string) (unsafe.Pointer, error) {
	p, err := windows.GetProcAddress(windows.Handle(uintptr(h)), symbol)
	if err != nil {
		return nil, err
	}
	return handlePointer(p), nil
}

// handlePointer turns an address the loader returned, of memory the Go
// runtime does not manage, into the pointer C takes.
func handlePointer(p uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&p)) }
