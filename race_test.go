//go:build race

package zerocall_test

const raceEnabled = true
