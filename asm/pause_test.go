package asm_test

import (
	"math/rand/v2"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/asm"
	"github.com/zerocall/zerocall/internal/measure"
	"github.com/zerocall/zerocall/internal/testing/kerneltest"
)

// The work of BenchmarkPause: a sum of 10⁸ values (800 MB) and a 512×512
// matmul.
const (
	pauseN = 100_000_000
	pauseM = 512
)

var (
	pauseOnce sync.Once
	pauseX    []float64
)

// BenchmarkPause measures what assembly that cannot be preempted does to
// the garbage collector: while one goroutine calls a long kernel in a
// loop, the benchmark runs b.N collections, each at a random moment, and
// reports the longest and the mean stop-the-world pause among them
// (runtime/metrics' /sched/pauses/total/gc:seconds: from the request to
// stop to the restart, so the wait for the kernel is in it).
// calls=bounded is the package as it is, splitting every call into
// pieces of asm.Work; calls=whole makes each call of the kernel one
// call into assembly. Run it as
//
//	go test -run '^$' -bench Pause -benchtime 20x ./asm
func BenchmarkPause(b *testing.B) {
	k, err := measure.Asm(zerocall.Auto)
	if err != nil {
		b.Skip(err)
	}
	pauseOnce.Do(func() { pauseX = kerneltest.Data(pauseN, 1) })
	a, bm := kerneltest.Data(pauseM*pauseM, 2), kerneltest.Data(pauseM*pauseM, 3)
	c := make([]float64, pauseM*pauseM)
	kernels := []struct {
		name string
		call func()
	}{
		{"Sum/n=1e8", func() { _, _ = k.Sum(pauseX) }},
		{"MatMul/m=512", func() { _ = k.MatMul(a, bm, c, pauseM) }},
	}
	for _, kn := range kernels {
		for _, calls := range []string{"bounded", "whole"} {
			b.Run(kn.name+"/calls="+calls+"/variant="+k.(interface{ Variant() zerocall.Variant }).Variant().String(), func(b *testing.B) {
				if calls == "whole" {
					defer asm.SetWork(1 << 40)()
				}
				start := time.Now()
				kn.call()
				took := time.Since(start)
				var stop atomic.Bool
				done := make(chan struct{})
				go func() {
					defer close(done)
					for !stop.Load() {
						kn.call()
					}
				}()
				before := pauses()
				b.ResetTimer()
				for range b.N {
					time.Sleep(time.Duration(rand.Int64N(int64(took) + 1)))
					runtime.GC()
				}
				b.StopTimer()
				after := pauses()
				stop.Store(true)
				<-done
				worst, mean := diff(before, after)
				b.ReportMetric(worst.Seconds()*1e6, "max-pause-µs")
				b.ReportMetric(mean.Seconds()*1e6, "mean-pause-µs")
				b.ReportMetric(took.Seconds()*1e3, "kernel-ms")
			})
		}
	}
}

// pauses reads the histogram of stop-the-world pauses of the collector.
func pauses() *metrics.Float64Histogram {
	s := []metrics.Sample{{Name: "/sched/pauses/total/gc:seconds"}}
	metrics.Read(s)
	return s[0].Value.Float64Histogram()
}

// diff returns the longest pause between two readings (the upper bound
// of the highest bucket that grew) and the mean (bucket midpoints).
func diff(before, after *metrics.Float64Histogram) (worst, mean time.Duration) {
	var n uint64
	var sum float64
	for i, c := range after.Counts {
		d := c - before.Counts[i]
		if d == 0 {
			continue
		}
		lo, hi := after.Buckets[i], after.Buckets[i+1]
		if hi > 1e9 {
			hi = lo
		}
		worst = time.Duration(hi * 1e9)
		n += d
		sum += float64(d) * (lo + hi) / 2
	}
	if n > 0 {
		mean = time.Duration(sum / float64(n) * 1e9)
	}
	return worst, mean
}
