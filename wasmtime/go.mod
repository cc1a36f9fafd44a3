module github.com/zerocall/zerocall/wasmtime

go 1.26.0

require (
	github.com/bytecodealliance/wasmtime-go/v39 v39.0.1
	github.com/zerocall/zerocall v0.0.0-00010101000000-000000000000
)

require (
	github.com/tetratelabs/wazero v1.12.0 // indirect
	golang.org/x/sys v0.48.0 // indirect
)

// The main module is this one's parent directory.
replace github.com/zerocall/zerocall => ../
