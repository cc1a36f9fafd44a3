//go:build 386 || arm || mips || mipsle

package wasmabi

// A module's frame holds 64-bit lengths, which the hosts read as
// kernel.Args, whose lengths are ints: package wasm (and what builds on
// it) needs a 64-bit architecture, and a build for a 32-bit one stops at
// this line, saying so.
var _ = package_wasm_needs_a_64_bit_architecture
