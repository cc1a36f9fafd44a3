module github.com/zerocall/zerocall/examples

go 1.26.0

// The examples use the zerocall packages, the benchmark kit among them,
// and the Wasmtime host from this repository.
replace (
	github.com/zerocall/zerocall => ..
	github.com/zerocall/zerocall/wasmtime => ../wasmtime
)

require (
	github.com/zerocall/zerocall v0.0.0-00010101000000-000000000000
	github.com/zerocall/zerocall/wasmtime v0.0.0-00010101000000-000000000000
)

require (
	github.com/bytecodealliance/wasmtime-go/v39 v39.0.1 // indirect
	github.com/tetratelabs/wazero v1.12.0 // indirect
	golang.org/x/sys v0.48.0 // indirect
)
