module github.com/zerocall/zerocall/wasmtime/internal/wasmtimetest

go 1.26.0

// The tests of the Wasmtime host that use the main module's internal test
// kits (the benchmark suite, the differential and loader fuzz targets)
// live in this unpublished module, so that the published wasmtime module
// imports nothing internal to another module, in its tests included. Both
// modules are replaced with their directories: these tests always run
// against the same checkout.
replace github.com/zerocall/zerocall => ../../..

replace github.com/zerocall/zerocall/wasmtime => ../..

require (
	github.com/zerocall/zerocall v0.0.0-00010101000000-000000000000
	github.com/zerocall/zerocall/wasmtime v0.0.0-00010101000000-000000000000
)

require (
	github.com/bytecodealliance/wasmtime-go/v39 v39.0.1 // indirect
	github.com/tetratelabs/wazero v1.12.0 // indirect
	golang.org/x/sys v0.48.0 // indirect
)
