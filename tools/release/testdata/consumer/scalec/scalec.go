// Package scalec compiles scale.c into the program through cgo, with the
// headers zerocall headers wrote into ../include.
package scalec

/*
#cgo CFLAGS: -std=c11 -O3 -Wall -Wextra -Werror -I${SRCDIR}/../include
#include "zc_kernel.h"
int64_t scale(zc_frame *f);
*/
import "C"

import "unsafe"

// Scale is the address of the C function scale.
func Scale() unsafe.Pointer { return C.scale }
