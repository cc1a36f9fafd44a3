package wasm

// ExpectedLeaks lets the external tests count the instances they drop on
// purpose.
var ExpectedLeaks = &expectedLeaks
