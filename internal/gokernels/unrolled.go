package gokernels

// This file holds the fastest plain Go we know how to write for each
// kernel: several independent accumulators so that additions overlap in
// the pipeline instead of waiting on each other, bounds checks hoisted by
// reslicing, and a cache-friendly loop order for matmul. The results are
// reassociated, within the bound documented by package zerocall.

// SumUnrolled returns the sum of x using eight partial sums.
func SumUnrolled(x []float64) float64 {
	var s0, s1, s2, s3, s4, s5, s6, s7 float64
	for len(x) >= 8 {
		v := x[:8:8]
		s0 += v[0]
		s1 += v[1]
		s2 += v[2]
		s3 += v[3]
		s4 += v[4]
		s5 += v[5]
		s6 += v[6]
		s7 += v[7]
		x = x[8:]
	}
	for _, v := range x {
		s0 += v
	}
	return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
}

// DotUnrolled returns the inner product of x and y[:len(x)] using eight
// partial sums.
func DotUnrolled(x, y []float64) float64 {
	y = y[:len(x)]
	var s0, s1, s2, s3, s4, s5, s6, s7 float64
	for len(x) >= 8 {
		u, v := x[:8:8], y[:8:8]
		s0 += u[0] * v[0]
		s1 += u[1] * v[1]
		s2 += u[2] * v[2]
		s3 += u[3] * v[3]
		s4 += u[4] * v[4]
		s5 += u[5] * v[5]
		s6 += u[6] * v[6]
		s7 += u[7] * v[7]
		x, y = x[8:], y[8:]
	}
	for i, v := range x {
		s0 += v * y[i]
	}
	return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
}

// AxpyUnrolled sets out[i] = a·x[i] + y[i] for i < len(x), four at a time.
func AxpyUnrolled(a float64, x, y, out []float64) {
	y, out = y[:len(x)], out[:len(x)]
	for len(x) >= 4 {
		u, v, o := x[:4:4], y[:4:4], out[:4:4]
		o0, o1, o2, o3 := a*u[0]+v[0], a*u[1]+v[1], a*u[2]+v[2], a*u[3]+v[3]
		o[0], o[1], o[2], o[3] = o0, o1, o2, o3
		x, y, out = x[4:], y[4:], out[4:]
	}
	for i, v := range x {
		out[i] = a*v + y[i]
	}
}

// FIRUnrolled computes the valid-mode filter four outputs at a time, so
// that each tap is loaded once for four independent sums.
func FIRUnrolled(x, taps, out []float64) int {
	k, nout := len(taps), firOutputs(len(x), len(taps))
	if nout == 0 {
		return 0
	}
	out = out[:nout]
	i := 0
	for ; i+4 <= nout; i += 4 {
		w := x[i : i+k+3]
		var s0, s1, s2, s3 float64
		for j, t := range taps {
			v := w[j : j+4 : j+4]
			s0 += t * v[0]
			s1 += t * v[1]
			s2 += t * v[2]
			s3 += t * v[3]
		}
		o := out[i : i+4 : i+4]
		o[0], o[1], o[2], o[3] = s0, s1, s2, s3
	}
	for ; i < nout; i++ {
		w := x[i : i+k]
		var s float64
		for j, t := range taps {
			s += t * w[j]
		}
		out[i] = s
	}
	return nout
}

// MatMulUnrolled computes c = a·b in i-p-j order: each row of c
// accumulates a[i][p] times row p of b, so every inner loop runs over
// contiguous memory. Each element still sums over p in order.
func MatMulUnrolled(a, b, c []float64, m int) {
	for i := 0; i < m; i++ {
		ci := c[i*m : i*m+m]
		clear(ci)
		for p, av := range a[i*m : i*m+m] {
			bp := b[p*m : p*m+m]
			bp = bp[:len(ci)]
			for j, bv := range bp {
				ci[j] += av * bv
			}
		}
	}
}
