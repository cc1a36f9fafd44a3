package wasm

// CheckBinary lets the external tests read modules as Load does first.
var CheckBinary = checkBinary
