package ckernel

/*
#include "zc_kernel.h"
int64_t zc_test_overcount(zc_frame *f);
int64_t zc_test_status(zc_frame *f);
int64_t zc_test_overlen(zc_frame *f);
int64_t zc_test_cond(zc_frame *f);
*/
import "C"

import "unsafe"

// Overcount returns the address of overcount.c's kernel, which reports
// one output more than the test kernel's out buffer has: a kernel that
// breaks its contract.
func Overcount() unsafe.Pointer { return unsafe.Pointer(C.zc_test_overcount) }

// Status returns the address of overcount.c's kernel that returns its
// integer scalar as its status, for a description with one.
func Status() unsafe.Pointer { return unsafe.Pointer(C.zc_test_status) }

// Overlen returns the address of overcount.c's kernel that raises the
// length of the test kernel's out buffer in its frame, then reports that
// many outputs: a kernel that breaks its contract so that its frame
// agrees with its count.
func Overlen() unsafe.Pointer { return unsafe.Pointer(C.zc_test_overlen) }

// Cond returns the address of cond.c's kernel, which stores its float
// result only when its integer scalar is not zero.
func Cond() unsafe.Pointer { return unsafe.Pointer(C.zc_test_cond) }
