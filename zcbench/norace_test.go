//go:build !race

package zcbench_test

const raceEnabled = false
