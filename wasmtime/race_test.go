//go:build race

package wasmtime

const raceEnabled = true
