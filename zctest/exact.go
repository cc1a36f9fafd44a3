//go:build !race && !asan

package zctest

const allocsInexact = false
