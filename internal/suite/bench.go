package suite

import (
	"fmt"
	"testing"
)

// Benchmark runs kernel on every implementation of impls at every size of
// Sizes, as the sub-benchmarks n=<N>/impl=<name> that the naming contract
// Benchmark<Kernel>/n=<N>/impl=<name> asks for. Each reports its
// allocations, and each result is checked before it is timed.
func Benchmark(b *testing.B, kernel Kernel, impls []Impl) {
	for _, n := range Sizes(kernel) {
		in := NewInputs(kernel, n)
		for _, impl := range impls {
			b.Run(fmt.Sprintf("n=%d/impl=%s", n, impl.Name), func(b *testing.B) {
				k, err := impl.New()
				if err != nil {
					b.Fatal(err)
				}
				defer k.Close()
				call, err := Prepare(impl, k, in)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					if err := call(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
