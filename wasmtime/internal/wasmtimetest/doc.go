// Package wasmtimetest holds the Wasmtime host's benchmarks (the main
// module's naming contract, Benchmark<Kernel>/n=<N>/impl=<name>) and its
// fuzz targets (the differential kernel target and the module loader's).
// It has no code of its own: its tests use the main module's internal
// test kits, which the published wasmtime module does not import.
package wasmtimetest
