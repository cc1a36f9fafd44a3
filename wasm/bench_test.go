package wasm

import (
	"context"
	"testing"
)

// BenchmarkInit measures the one-time costs of the wasm pattern:
// compiling a module (once per process in New) and instantiating it with
// regions of the default capacity (once per instance).
func BenchmarkInit(b *testing.B) {
	for _, m := range []Module{SIMD, Scalar} {
		name := "wazero"
		if m == SIMD {
			name = "wazero-simd"
		}
		bin := m.Bytes()
		b.Run("impl="+name+"-compile", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				cm, err := runtimeOf().CompileModule(context.Background(), bin)
				if err != nil {
					b.Fatal(err)
				}
				cm.Close(context.Background())
			}
		})
		b.Run("impl="+name+"-instantiate", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				in, err := New(Config{Module: m})
				if err != nil {
					b.Fatal(err)
				}
				in.Close()
			}
		})
	}
}
