package asm

import (
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
)

// TestMatmulShape checks the parts a matmul is split into: each within
// maxWork multiply-adds, a whole product in one call where it fits, rows
// in whole tiles of every variant, one tile where the terms are split (so
// that a part takes as many as it can), and terms split evenly.
func TestMatmulShape(t *testing.T) {
	for m := 1; m <= 2100; m++ {
		rows, cols, depth := matmulShape(m, maxWork)
		switch {
		case rows < 1 || cols < 1 || depth < 1 || rows > m || cols > m || depth > m:
			t.Fatalf("m=%d: parts of %d×%d×%d", m, rows, cols, depth)
		case m*m*m <= maxWork && (rows != m || cols != m || depth != m):
			t.Errorf("m=%d fits one call, split into %d×%d×%d", m, rows, cols, depth)
		case rows*cols*depth > maxWork:
			t.Errorf("m=%d: parts of %d×%d×%d are %d multiply-adds, more than %d", m, rows, cols, depth, rows*cols*depth, maxWork)
		case rows != m && rows%matmulTile != 0:
			t.Errorf("m=%d: %d rows cut a tile", m, rows)
		case depth != m && rows != matmulTile:
			t.Errorf("m=%d: terms split in parts of %d rows, not one tile's %d", m, rows, matmulTile)
		case depth != m && (m+depth-1)/depth*depth-m >= (m+depth-1)/depth:
			t.Errorf("m=%d: %d terms in parts of %d are not even", m, m, depth)
		}
	}
}

// TestMatmulAllocs checks that a split matmul allocates nothing, packed
// (from matmulPackFrom on) or not.
func TestMatmulAllocs(t *testing.T) {
	kerneltest.NeedExactAllocs(t)
	k, err := newKernels(zerocall.Auto)
	if err != nil {
		t.Skip(err)
	}
	for _, m := range []int{100, matmulPackFrom + 3} {
		a, b, c := make([]float64, m*m), make([]float64, m*m), make([]float64, m*m)
		if n := testing.AllocsPerRun(3, func() { _ = k.MatMul(a, b, c, m) }); n != 0 {
			t.Errorf("matmul m=%d: %v allocations a call", m, n)
		}
	}
}
