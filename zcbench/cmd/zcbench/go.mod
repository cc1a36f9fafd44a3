module github.com/zerocall/zerocall/zcbench/cmd/zcbench

go 1.26.0

// The command lives in a module of its own so that its plotting library
// and the Wasmtime host, whose rows it measures, are not dependencies of
// the zerocall module, where the benchmark kit (package zcbench) is.
replace github.com/zerocall/zerocall => ../../..

replace github.com/zerocall/zerocall/wasmtime => ../../../wasmtime

require (
	github.com/zerocall/zerocall v0.0.0-00010101000000-000000000000
	github.com/zerocall/zerocall/wasmtime v0.0.0-00010101000000-000000000000
	golang.org/x/perf v0.0.0-20260908200009-22c9c6c9d4da
	gonum.org/v1/plot v0.17.0
)

require (
	codeberg.org/go-fonts/liberation v0.5.0 // indirect
	codeberg.org/go-latex/latex v0.2.0 // indirect
	codeberg.org/go-pdf/fpdf v0.11.1 // indirect
	git.sr.ht/~sbinet/gg v0.7.0 // indirect
	github.com/aclements/go-moremath v0.0.0-20210112150236-f10218a38794 // indirect
	github.com/ajstarks/svgo v0.0.0-20211024235047-1546f124cd8b // indirect
	github.com/bytecodealliance/wasmtime-go/v39 v39.0.1 // indirect
	github.com/golang/freetype v0.0.0-20170609003504-e2365dfdc4a0 // indirect
	github.com/tetratelabs/wazero v1.12.0 // indirect
	golang.org/x/image v0.46.0 // indirect
	golang.org/x/sys v0.48.0 // indirect
	golang.org/x/text v0.42.0 // indirect
)
