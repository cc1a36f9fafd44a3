#include "textflag.h"

// func callFrame(code uintptr, f *frame) int64
//
// Calls the translated C function at code as int64_t fn(zc_frame *f),
// under the AAPCS64. Not NOSPLIT: the stack check leaves the C code at
// least the stack a generated wrapper leaves it (see zerocall gen). The
// call runs 16 bytes below the stack pointer, as a generated wrapper's
// does: the prologue keeps the caller's frame pointer just below it,
// where the C code's frame would begin.
TEXT ·callFrame(SB), 0, $0-24
	MOVD code+0(FP), R9
	MOVD f+8(FP), R0
	SUB $16, RSP
	CALL (R9)
	ADD $16, RSP
	MOVD R0, ret+16(FP)
	RET
