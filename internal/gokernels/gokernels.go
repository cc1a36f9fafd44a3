// Package gokernels is every zerocall kernel in plain Go: Naive,
// the plain loops that give the reference results, and Unrolled, the
// fastest plain Go. Both implement measure.Kernels with the same argument
// checks as every other backend, and they hold no resources.
package gokernels

//go:generate go run gen.go

import (
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/sealed"
)

// Naive runs the in-order loops of naive.go.
type Naive struct{ sealed.Type }

// Unrolled runs the unrolled loops of unrolled.go.
type Unrolled struct{ sealed.Type }

var (
	_ measure.Kernels = Naive{}
	_ measure.Kernels = Unrolled{}
)
