//go:build race

package zctest

const raceEnabled = true
