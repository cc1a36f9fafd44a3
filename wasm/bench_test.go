package wasm

import (
	"testing"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/wasm/embed"
)

// BenchmarkInit measures the one-time costs of the wasm pattern:
// compiling a module (once per process in New) and instantiating it with
// regions of the default capacity (once per instance).
func BenchmarkInit(b *testing.B) {
	for _, m := range []zerocall.Variant{zerocall.SIMD128, zerocall.Scalar} {
		name := "wazero"
		if m == zerocall.SIMD128 {
			name = "wazero-simd"
		}
		bin := embed.Bytes(m)
		b.Run("impl="+name+"-compile", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m, err := wazeroEngine.Compile(bin, 0, 0)
				if err != nil {
					b.Fatal(err)
				}
				_ = m.Close()
			}
		})
		b.Run("impl="+name+"-instantiate", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				in, err := New(zerocall.Config{Variant: m})
				if err != nil {
					b.Fatal(err)
				}
				in.Close()
			}
		})
	}
}
