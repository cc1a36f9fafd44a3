package plan

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zerocall/zerocall"
	"github.com/zerocall/zerocall/kernel"
)

// TestCalibrateLastSize checks that a calibration with room in its budget
// measures every size up to MaxSize when Inputs takes time: the sizes'
// slots once filled the whole ladder, and Inputs' time on top of them
// left no room for the last size, whatever the budget.
func TestCalibrateLastSize(t *testing.T) {
	for _, budget := range []time.Duration{20 * time.Millisecond, time.Second} {
		p := planOf("go", "call")
		p.Budget = budget
		advance, restore := fakeClock(p, linearCost)
		inputs := p.Inputs
		p.Inputs = func(n int) (*kernel.Args, []kernel.Slice) {
			advance(10 * time.Microsecond)
			return inputs(n)
		}
		err := p.Calibrate()
		restore()
		if err != nil {
			t.Fatal(err)
		}
		for _, pw := range p.state.Load().w.Paths {
			if len(pw.Sizes) == 0 || pw.Sizes[len(pw.Sizes)-1] != p.MaxSize {
				t.Errorf("budget %v: path %s measured sizes %v, not up to MaxSize %d", budget, pw.Name, pw.Sizes, p.MaxSize)
			}
		}
	}
}

// TestProbeBroken gives a plan wisdom whose handle path has broken since
// (it fails every call with ErrBroken): ReadFrom refuses it, and a plan
// given it in File calibrates again, leaves the broken path out, and runs
// every size.
func TestProbeBroken(t *testing.T) {
	w, _ := staleWisdom(t)
	broken := func(*kernel.Args, ...kernel.Slice) (kernel.Return, error) {
		return kernel.Return{}, zerocall.ErrBroken
	}
	p := planOf("go", "handle")
	p.Paths["handle"] = broken
	if _, err := p.ReadFrom(bytes.NewReader(w)); !errors.Is(err, zerocall.ErrArgument) || !strings.Contains(err.Error(), "path handle fails") {
		t.Errorf("ReadFrom of wisdom for a path broken since: %v, want ErrArgument naming the path", err)
	}
	if p.state.Load() != nil {
		t.Error("the refused wisdom was used")
	}
	q := planOf("go", "handle")
	q.Paths["handle"] = broken
	q.File = t.TempDir() + "/wisdom.json"
	if err := writeFile(q.File, w); err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= 256; n *= 2 {
		a, bufs := scaleInputs(n)
		if r, err := q.Call(a, bufs...); err != nil || r.N != int64(n) {
			t.Errorf("n = %d: %v, %v", n, r, err)
		}
	}
}

// TestProbeMaxSize gives a plan of MaxSize 256 wisdom measured up to
// 2¹⁶ (by a plan of a larger MaxSize sharing its file): it is refused
// before Inputs is asked for more than MaxSize, as a real Inputs, with
// buffers made for MaxSize, could not give it.
func TestProbeMaxSize(t *testing.T) {
	large := planOf("go", "call")
	large.MaxSize = 1 << 16
	w := wisdomOf(t, large)
	p := planOf("go", "call")
	inputs := p.Inputs
	p.Inputs = func(n int) (*kernel.Args, []kernel.Slice) {
		if n > p.MaxSize {
			t.Errorf("Inputs(%d) past MaxSize %d", n, p.MaxSize)
		}
		return inputs(n)
	}
	if _, err := p.ReadFrom(bytes.NewReader(w)); !errors.Is(err, zerocall.ErrArgument) || !strings.Contains(err.Error(), "past the plan's MaxSize of 256") {
		t.Errorf("ReadFrom of wisdom measured past MaxSize: %v", err)
	}
}

// TestCalibratePanics calibrates a path that panics from 64 elements on:
// the panic does not reach the caller, and the path is used below 64 and
// not from there, the panic in its wisdom. An Inputs that panics fails
// the plan with an error that says so, once: later calls return it, and
// do not calibrate (and panic) again.
func TestCalibratePanics(t *testing.T) {
	p := planOf("go", "call")
	call := p.Paths["call"]
	p.Paths["call"] = func(a *kernel.Args, bufs ...kernel.Slice) (kernel.Return, error) {
		if bufs[0].Len() >= 64 {
			panic("index out of range")
		}
		return call(a, bufs...)
	}
	// The other path is cheaper than Go at every size.
	calibrateOn(t, p, "go", func(n int) time.Duration { return time.Duration(1000 * n) })
	for n, want := range map[int]string{1: "call", 32: "call", 64: "go", 1000: "go"} {
		if c, _ := p.Choice(n); c != want {
			t.Errorf("a call of %d goes to %s, not %s", n, c, want)
		}
	}
	if pw := p.state.Load().w.Paths[1]; pw.FailsFrom != 64 || !strings.Contains(pw.Error, "path call of plan test-clamp panicked: index out of range") {
		t.Errorf("the panicking path's wisdom: %+v", pw)
	}

	q := planOf("go", "call")
	made := 0
	q.Inputs = func(n int) (*kernel.Args, []kernel.Slice) {
		made++
		panic("no inputs")
	}
	a, bufs := scaleInputs(4)
	for range 3 {
		if _, err := q.Call(a, bufs...); !errors.Is(err, zerocall.ErrArgument) || !strings.Contains(err.Error(), "Inputs(1) panicked: no inputs") {
			t.Errorf("a call of a plan whose Inputs panics: %v", err)
		}
	}
	if made != 1 {
		t.Errorf("Inputs was called %d times, not once", made)
	}
}

// TestNoCacheDir checks that a plan with Cache set and no cache directory
// says so once, and runs.
func TestNoCacheDir(t *testing.T) {
	for _, v := range []string{"XDG_CACHE_HOME", "HOME", "LocalAppData"} {
		t.Setenv(v, "")
	}
	p := planOf("go", "call")
	p.Cache = true
	var logged []string
	p.Logf = func(format string, args ...any) { logged = append(logged, format) }
	_, restore := fakeClock(p, linearCost)
	a, bufs := scaleInputs(4)
	_, err := p.Call(a, bufs...)
	restore()
	if err != nil {
		t.Fatal(err)
	}
	said := 0
	for _, l := range logged {
		if strings.Contains(l, "no cache directory") {
			said++
		}
	}
	if said != 1 {
		t.Errorf("told Logf %d times that there is no cache directory: %q", said, logged)
	}
}

// TestNilPlan: every method of a nil *Plan returns ErrArgument, as the
// other types' methods on a nil value do, rather than panic.
func TestNilPlan(t *testing.T) {
	var p *Plan
	_, err := p.Call(nil)
	_, err2 := p.Choice(1)
	_, err3 := p.WriteTo(new(bytes.Buffer))
	_, err4 := p.ReadFrom(strings.NewReader("{}"))
	for i, err := range []error{err, err2, p.Calibrate(), err3, err4} {
		if !errors.Is(err, zerocall.ErrArgument) || !strings.Contains(err.Error(), "a nil *plan.Plan") {
			t.Errorf("method %d of a nil *Plan: %v, want ErrArgument", i, err)
		}
	}
}

// TestNilIO: WriteTo a nil io.Writer and ReadFrom a nil io.Reader fail
// with ErrArgument rather than panic, and leave the plan as it was.
func TestNilIO(t *testing.T) {
	p := planOf("go", "a")
	inject(t, p, map[string][]float64{"go": {1, 2}, "a": {3, 3}}, nil)
	if _, err := p.WriteTo(nil); !errors.Is(err, zerocall.ErrArgument) {
		t.Errorf("WriteTo(nil): %v, want ErrArgument", err)
	}
	if _, err := p.ReadFrom(nil); !errors.Is(err, zerocall.ErrArgument) {
		t.Errorf("ReadFrom(nil): %v, want ErrArgument", err)
	}
	if c, err := p.Choice(1); c != "go" || err != nil {
		t.Errorf("Choice(1) after them: %q, %v, want go", c, err)
	}
}
