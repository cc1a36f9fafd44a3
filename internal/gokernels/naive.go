package gokernels

// This file holds the naive loops: index order, one rounding per
// operation. They are the reference every other implementation is tested
// against, and they give the same bits as the scalar C kernels. The
// explicit float64 conversions round each product before it is added: Go
// may otherwise fuse x*y + z into one multiply-add (it does on arm64), and
// the spec lets a conversion forbid that.

// Sum returns the in-order sum of x.
func Sum(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s
}

// Dot returns the in-order inner product of x and y[:len(x)].
func Dot(x, y []float64) float64 {
	y = y[:len(x)]
	var s float64
	for i, v := range x {
		s += float64(v * y[i])
	}
	return s
}

// Axpy sets out[i] = a·x[i] + y[i] for i < len(x).
func Axpy(a float64, x, y, out []float64) {
	y, out = y[:len(x)], out[:len(x)]
	for i, v := range x {
		out[i] = float64(a*v) + y[i]
	}
}

// FIR sets out[i] = Σ_{j<k} taps[j]·x[i+j] for i ≤ len(x)-k and returns
// the number of outputs (0 when there are no taps or too few inputs).
func FIR(x, taps, out []float64) int {
	k, nout := len(taps), firOutputs(len(x), len(taps))
	if nout == 0 {
		return 0
	}
	out = out[:nout]
	for i := range out {
		w := x[i : i+k]
		var s float64
		for j, t := range taps {
			s += float64(t * w[j])
		}
		out[i] = s
	}
	return nout
}

// MatMul sets c = a·b for square row-major m×m matrices, each element an
// in-order sum over the inner index.
func MatMul(a, b, c []float64, m int) {
	for i := 0; i < m; i++ {
		row := a[i*m : i*m+m]
		for j := 0; j < m; j++ {
			var s float64
			for p, v := range row {
				s += float64(v * b[p*m+j])
			}
			c[i*m+j] = s
		}
	}
}

// firOutputs is the number of outputs of a valid-mode filter of k taps
// over n inputs: none without taps or with fewer inputs than taps.
func firOutputs(n, k int) int {
	if k == 0 || k > n {
		return 0
	}
	return n - k + 1
}
