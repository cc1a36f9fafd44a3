// Command blasbench compares zerocall's matmul with OpenBLAS and with
// gonum's Dgemm on this machine: in one process, on the same data, with
// every row's result checked against the naive Go loop first, and the rows
// taking turns within each round (the benchmark kit's Sweep), so that the
// ratios come from one run. OpenBLAS runs on one thread and gonum with
// GOMAXPROCS 1, as zerocall's kernels run on the calling thread.
//
// It prints the CPU line, the C variant and the OpenBLAS build, then each
// row's time per call over OpenBLAS's at each order, medians of -count
// runs of about -time each; -benchfmt prints Go benchmark lines instead,
// named as the benchmarks of this module are
// (BenchmarkMatMul/n=<m>/impl=<cgo-simd|asm|openblas|gonum>).
//
// It is a module of its own, never published: it needs Debian's
// libopenblas-dev at build time, and OPENBLAS_CORETYPE and
// OPENBLAS_L2_SIZE unset, so that OpenBLAS picks its kernel for this CPU
// itself.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/zerocall/zerocall/zcbench"
)

func main() {
	count := flag.Int("count", 6, "timed runs of each row at each order; the median is used")
	d := flag.Duration("time", 50*time.Millisecond, "duration of each timed run")
	bf := flag.Bool("benchfmt", false, "print Go benchmark lines (benchfmt) instead of the table")
	flag.Parse()
	if err := run(os.Stdout, *count, *d, *bf); err != nil {
		fmt.Fprintln(os.Stderr, "blasbench:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, count int, d time.Duration, benchfmt bool) error {
	runtime.GOMAXPROCS(1)
	blas := openblasInit()
	s, o, release, err := rows()
	if err != nil {
		return err
	}
	defer release()
	o.Count, o.Time, o.Progress = count, d, os.Stderr
	r, err := zcbench.Sweep(s, o)
	if err != nil {
		return err
	}
	if benchfmt {
		r.Benchfmt(w)
		return nil
	}
	fmt.Fprintf(w, "%s\n\nOpenBLAS: %s", r.Machine, blas)
	var set []string
	for _, v := range []string{"OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"} {
		if s, ok := os.LookupEnv(v); ok {
			set = append(set, v+"="+s)
		}
	}
	if len(set) > 0 {
		fmt.Fprintf(w, " (set in the environment: %s; unset, OpenBLAS chooses for this CPU)", strings.Join(set, ", "))
	}
	fmt.Fprintf(w, ". Time per call ÷ OpenBLAS's, medians of %d runs:\n\n", count)
	return ratios(w, r, "openblas")
}

// ratios prints, for each row of r but base, its time per call over
// base's at each size, as a Markdown table with the sizes as columns.
func ratios(w io.Writer, r *zcbench.Result, base string) error {
	var ref *zcbench.Curve
	for i := range r.Curves {
		if r.Curves[i].Impl == base {
			ref = &r.Curves[i]
		}
	}
	if ref == nil {
		return fmt.Errorf("no row %s measured", base)
	}
	fmt.Fprint(w, "| m |")
	for _, p := range ref.Points {
		fmt.Fprintf(w, " %d |", p.N)
	}
	fmt.Fprint(w, "\n|---|")
	for range ref.Points {
		fmt.Fprint(w, "---|")
	}
	fmt.Fprintln(w)
	for _, c := range r.Curves {
		if c.Impl == base {
			continue
		}
		fmt.Fprintf(w, "| %s (%s) |", c.Label, c.Impl)
		for i, p := range c.Points {
			fmt.Fprintf(w, " %.2f |", p.Ns/ref.Points[i].Ns)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "| %s, µs per call |", ref.Label)
	for _, p := range ref.Points {
		fmt.Fprintf(w, " %.3g |", p.Ns/1e3)
	}
	fmt.Fprintln(w)
	return nil
}
