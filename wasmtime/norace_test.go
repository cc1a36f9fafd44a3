//go:build !race

package wasmtime

const raceEnabled = false
