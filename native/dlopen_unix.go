//go:build cgo && !windows

package native

/*
#cgo linux LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdlib.h>
*/
import "C"

import (
	"errors"
	"runtime"
	"unsafe"
)

// open loads the library at path with dlopen, resolving all its symbols
// now.
func open(path string) (unsafe.Pointer, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	// dlerror's message belongs to the thread that failed.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	h := C.dlopen(cpath, C.RTLD_NOW|C.RTLD_LOCAL)
	if h == nil {
		return nil, dlerror()
	}
	return h, nil
}

// lookup returns the address of the symbol in the library h.
func lookup(h unsafe.Pointer, symbol string) (unsafe.Pointer, error) {
	csym := C.CString(symbol)
	defer C.free(unsafe.Pointer(csym))
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	C.dlerror() // clear an earlier message
	p := C.dlsym(h, csym)
	if p == nil {
		return nil, dlerror()
	}
	return p, nil
}

// dlerror returns the loader's last message on this thread.
func dlerror() error {
	if msg := C.dlerror(); msg != nil {
		return errors.New(C.GoString(msg))
	}
	return errors.New("unknown error")
}
