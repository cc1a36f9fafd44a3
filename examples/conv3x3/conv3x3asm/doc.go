// Package conv3x3asm is conv3x3.c translated into Go assembly by zerocall
// gen: a package of its own, since a package that uses cgo may not hold
// Go assembly, and one that needs no cgo at all. Conv3x3Code is the
// kernel's code for asm.NewFunc; the generated files are remade by
//
//go:generate zerocall gen -export -code -pkg conv3x3asm -o conv3x3 -cflags "-std=c11 -O3 -Wall -Wextra -Werror -ffp-contract=off -I../../../native" ../conv3x3.c
package conv3x3asm
