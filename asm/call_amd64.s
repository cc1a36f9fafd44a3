#include "textflag.h"

// func callFrame(code uintptr, f *frame) int64
//
// Calls the translated C function at code as int64_t fn(zc_frame *f),
// under the System V ABI. Not NOSPLIT: the stack check leaves the C code
// at least the stack a generated wrapper leaves it (see zerocall gen).
TEXT ·callFrame(SB), 0, $0-24
	MOVQ code+0(FP), AX
	MOVQ f+8(FP), DI
	CALL AX
	MOVQ AX, ret+16(FP)
	RET
