//go:build cgo && !windows

package native

/*
#cgo linux LDFLAGS: -ldl
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <link.h>
#endif

// zcg_defines reports whether the object of handle h defines the symbol
// at p, rather than a library it depends on, whose symbols dlsym also
// finds: 1 if so, or if it cannot tell (glibc can, by the link maps).
static int zcg_defines(void *h, void *p) {
#ifdef __GLIBC__
	struct link_map *lib = NULL, *in = NULL;
	Dl_info info;
	if (dlinfo(h, RTLD_DI_LINKMAP, &lib) != 0 || !dladdr1(p, &info, (void **)&in, RTLD_DL_LINKMAP)) {
		return 1;
	}
	return in == lib;
#else
	(void)h;
	(void)p;
	return 1;
#endif
}
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

// lookup returns the address of the symbol the library h defines.
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
	if C.zcg_defines(h, p) == 0 {
		return nil, errors.New("it is defined by a library it depends on, not by it")
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
