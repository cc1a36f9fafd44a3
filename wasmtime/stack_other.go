//go:build !(linux || darwin)

package wasmtime

// wasmStack is Wasmtime's own bound on the stack wasm code may use.
func wasmStack() int { return defaultWasmStack }
