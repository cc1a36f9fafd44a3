package zerocall

// Config sizes an Instance of the built-in kernels and picks its code,
// the same on every host (native.New, wasm.New,
// wasmtime.New).
type Config struct {
	// Capacity is the number of elements in each of the regions X, Y and
	// Out: the longest input a call handles in one piece, and the largest
	// m·m of a matmul. 0 means 65536.
	Capacity int
	// Taps is the number of elements in the region Taps, the most taps
	// an fir can have; at most Capacity. 0 means 256, or Capacity if
	// smaller.
	Taps int
	// Variant is the code to run: for native, Auto (the best this CPU
	// runs), Scalar, AVX2, AVX512 or NEON; for wasm, the module built for
	// Scalar or SIMD128 (which Auto stands for).
	Variant Variant
}
