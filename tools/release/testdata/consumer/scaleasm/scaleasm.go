// Package scaleasm is scale.c translated into Go assembly.
package scaleasm

//go:generate zerocall gen -export -code -o scale -funcs ^scale$ -cflags "-std=c11 -O3 -Wall -Wextra -Werror -ffp-contract=off -I../include" ../scalec/scale.c
