module github.com/zerocall/zerocall/internal/blasbench

go 1.26.0

// The comparison of zerocall's matmul with OpenBLAS and gonum lives in
// this unpublished module, so that neither library, nor the C one this
// needs at link time, is a dependency of anything zerocall ships. It runs
// against the same checkout.
replace github.com/zerocall/zerocall => ../..

require (
	github.com/zerocall/zerocall v0.0.0-00010101000000-000000000000
	gonum.org/v1/gonum v0.17.0
)

require (
	github.com/tetratelabs/wazero v1.12.0 // indirect
	golang.org/x/sys v0.48.0 // indirect
)
