package testkernel

import (
	"errors"
	"strings"
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/kernel"
)

// Unchecked is Saxpy without its Go Check, so that the C kernel sees
// lengths that do not match and returns its own error: the way to make
// one call of a batch fail.
var Unchecked = func() *kernel.Kernel {
	k := *Saxpy
	k.Name, k.Check = "test-saxpy-unchecked", nil
	return &k
}()

// RunBatchErrors checks that the failure of one call of a batch is that
// call's alone, on a batch of f, which is Unchecked's code, in memory of
// kind mem, with room for 8 calls of 16 elements. Calls 2 and 5 have
// lengths the kernel refuses; the others must succeed with their outputs
// written, and the batch must stay usable.
func RunBatchErrors(t *testing.T, f Func, mem zerocall.Memory) {
	t.Helper()
	b, err := f.Batch(mem, 8, 128, 128, 128)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	x, y, out := f32(b.Region(0)), f32(b.Region(1)), f32(b.Region(2))
	for i := range x {
		x[i], y[i], out[i] = float32(i), 1, -1
	}
	for j := range 8 {
		a := kernel.Args{Len: [8]int{16, 16, 16}, F: [kernel.MaxScalars]float64{2}}
		if j == 2 || j == 5 {
			a.Len[1] = 15
		}
		if _, err := b.Add(&a, At(b.Handle, 16*j, &a)...); err != nil {
			t.Fatalf("Add %d: %v", j, err)
		}
	}
	if _, err := b.Run(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	for j := range 8 {
		r, err := b.Result(j)
		if j == 2 || j == 5 {
			if !errors.Is(err, zerocall.ErrArgument) || out[16*j] != -1 {
				t.Errorf("call %d, with lengths the kernel refuses: %v, %v, out = %v; want ErrArgument and out untouched", j, r, err, out[16*j])
			}
			continue
		}
		if err != nil || r.N != 16 || out[16*j+15] != 2*float32(16*j+15)+1 {
			t.Errorf("call %d beside failing ones: %v, %v, out[15] = %v", j, r, err, out[16*j+15])
		}
	}
	if b.Err() != nil {
		t.Errorf("Err() = %v after calls that failed on their own", b.Err())
	}
}

// RunHostileBatch runs the hostile modules whose kernel misbehaves in a
// call (grows memory, reports a count past its buffer, traps, loops)
// through a batch of four calls: Run must fail with the failure, every
// call's Result must report it, and the batch must stay broken.
func RunHostileBatch(t *testing.T, load Load) {
	t.Helper()
	for _, c := range []struct {
		name    string
		cfg     zerocall.Config
		message string
	}{
		{"grows", zerocall.Config{}, "grew the module's memory"},
		{"count", zerocall.Config{}, "in batch item 0"},
		{"traps", zerocall.Config{}, "unreachable"},
		{"loops", zerocall.Config{TimeLimit: StopLimit}, "time limit"},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := mustLoad(t, load, Hostile(c.name), c.cfg).Batch(64)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			a := kernel.Args{Len: [8]int{8, 8, 8}, F: [kernel.MaxScalars]float64{2}}
			for j := range 4 {
				if _, err := b.Add(&a, At(b.Handle, 8*j, &a)...); err != nil {
					t.Fatal(err)
				}
			}
			_, err = b.Run()
			if !errors.Is(err, zerocall.ErrBroken) || !strings.Contains(err.Error(), c.message) {
				t.Fatalf("Run: %v, want ErrBroken saying %q", err, c.message)
			}
			for j := range 4 {
				if _, rerr := b.Result(j); !errors.Is(rerr, zerocall.ErrBroken) {
					t.Errorf("Result(%d) = %v, want the batch's failure", j, rerr)
				}
			}
			if _, err := b.Add(&a, At(b.Handle, 0, &a)...); !errors.Is(err, zerocall.ErrBroken) {
				t.Errorf("Add after the failure: %v, want ErrBroken", err)
			}
		})
	}
}
