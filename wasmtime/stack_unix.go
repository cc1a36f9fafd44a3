//go:build linux || darwin

package wasmtime

import "syscall"

// wasmStack is the stack wasm code may use: Wasmtime's own bound, or a
// quarter of the thread's stack if that is less. Wasm runs on the stack
// of the thread that calls it, and a thread of ulimit -s 512 (say) would
// fault on its guard page, ending the process, before Wasmtime's check
// traps; a quarter leaves the rest to the host's frames. Threads start
// with the soft limit glibc read at start, the one read here.
func wasmStack() int {
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_STACK, &rl) != nil || rl.Cur == ^uint64(0) {
		return defaultWasmStack
	}
	return int(min(uint64(defaultWasmStack), rl.Cur/4))
}
