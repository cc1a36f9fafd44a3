//go:build !race

package zerocall_test

const raceEnabled = false
