package main

// The few functions of OpenBLAS this program calls are declared here, so
// that it builds against the library alone (Debian's libopenblas-dev)
// whatever cblas.h the machine has; the enumerations are CBLAS's values.

// #cgo LDFLAGS: -lopenblas
// void cblas_dgemm(int order, int transa, int transb, int m, int n, int k,
//                  double alpha, const double *a, int lda,
//                  const double *b, int ldb, double beta, double *c, int ldc);
// void openblas_set_num_threads(int n);
// char *openblas_get_corename(void);
// char *openblas_get_config(void);
import "C"

import "unsafe"

const (
	cblasRowMajor = 101
	cblasNoTrans  = 111
)

// openblasInit makes OpenBLAS run on the calling thread alone, as
// zerocall's kernels do, and describes the build and the kernel it chose
// for this CPU.
func openblasInit() string {
	C.openblas_set_num_threads(1)
	return C.GoString(C.openblas_get_config()) + ", " + C.GoString(C.openblas_get_corename()) + " kernel, 1 thread"
}

// openblasMatMul sets c = a·b for m×m row-major matrices through
// cblas_dgemm. The slices are Go memory that C reads during the call only.
func openblasMatMul(a, b, c []float64, m int) {
	if m == 0 {
		return
	}
	ci := C.int(m)
	C.cblas_dgemm(cblasRowMajor, cblasNoTrans, cblasNoTrans, ci, ci, ci,
		1, (*C.double)(unsafe.Pointer(&a[0])), ci,
		(*C.double)(unsafe.Pointer(&b[0])), ci,
		0, (*C.double)(unsafe.Pointer(&c[0])), ci)
}
