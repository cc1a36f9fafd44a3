package escape

import (
	"testing"
	"unsafe"
)

// TestPointerMovingStack hides the address of a local at every stack
// depth of a fresh goroutine, where some call must grow (move) the
// stack, and writes through it: the local must see the write. Under
// checkptr (go test -race) an inlined Pointer had the compiler call the
// runtime between the address stored as an integer and its reading back;
// at the depths where that call moved the stack, the write went to the
// old one.
func TestPointerMovingStack(t *testing.T) {
	for depth := range 600 {
		done := make(chan int)
		go func() { done <- at(depth) }()
		if got := <-done; got != 42 {
			t.Fatalf("depth %d: the local holds %d after a write through its hidden address, not 42", depth, got)
		}
	}
}

// at recurses depth times, then hides a local's address and writes
// through it.
//
//go:noinline
func at(depth int) int {
	var pad [16]int64 // a frame of some size at each level
	if depth > 0 {
		return at(depth-1) + int(pad[depth%16])
	}
	var local [4]int64
	write((*[4]int64)(Pointer(unsafe.Pointer(&local))))
	return int(local[1])
}

//go:noinline
func write(p *[4]int64) { p[1] = 42 }
