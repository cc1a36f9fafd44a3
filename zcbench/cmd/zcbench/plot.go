package main

import (
	"cmp"
	"errors"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/zerocall/zerocall/internal/cli"
	"github.com/zerocall/zerocall/zcbench"
)

// families are the families of rows (zcbench.Curve.Family) in the
// legend's order, with their hues: light and dark shades for the
// members, in turn.
var families = []struct {
	name   string
	shades []color.RGBA
}{
	{"pure Go", []color.RGBA{{0x33, 0x33, 0x33, 0xff}, {0x88, 0x88, 0x88, 0xff}}},
	{"cgo", []color.RGBA{{0x1f, 0x5f, 0xbf, 0xff}, {0x6a, 0xa8, 0xf0, 0xff}}},
	{"wazero", []color.RGBA{{0x1a, 0x8a, 0x3a, 0xff}, {0x6c, 0xc6, 0x6e, 0xff}}},
	{"wasmtime", []color.RGBA{{0xd0, 0x6a, 0x00, 0xff}, {0xf5, 0xa6, 0x3c, 0xff}}},
	{"batched", []color.RGBA{{0x8e, 0x2b, 0xb8, 0xff}, {0xc3, 0x7f, 0xe6, 0xff}}},
	{"Go asm", []color.RGBA{{0xc0, 0x1f, 0x3a, 0xff}, {0xf0, 0x6f, 0x84, 0xff}}},
	{"other", []color.RGBA{{0x00, 0x80, 0x80, 0xff}, {0x5f, 0xc4, 0xc4, 0xff}}},
}

// familyIn returns c's family as the plot draws it: "other" for one it
// does not know.
func familyIn(c *zcbench.Curve) string {
	for _, f := range families {
		if f.name == c.Family {
			return f.name
		}
	}
	return "other"
}

// dashes are the line styles of a family's members, in turn.
var dashes = [][]vg.Length{nil, {vg.Points(6), vg.Points(3)}, {vg.Points(2), vg.Points(2)}, {vg.Points(8), vg.Points(3), vg.Points(2), vg.Points(3)}}

// glyphs are the markers of a family's members, in turn.
var glyphs = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}, draw.RingGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{}}

// plotResult draws the sweep r, time per call against size, log-log, one
// line per row: the families (pure Go, cgo, wazero, wasmtime, Go asm,
// batched) in hues of their own, their members by line style and marker,
// the legend beside the data; with best, only the fastest row of each
// family (the least time per call over the sizes, as a geometric mean). A
// ring marks where each foreign path's fitted line crosses below the best
// pure-Go path. The size axis is labelled r.XLabel. Rows without points
// are left out. It writes <name>.svg and <name>.png into dir, which must
// exist, and returns their names.
func plotResult(r *zcbench.Result, dir, name string, best bool) ([]string, error) {
	curves := plotted(r, best)
	if len(curves) == 0 {
		return nil, errors.New("no row has points to plot")
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s: time per call\n%s", name, r.Machine)
	p.Title.TextStyle.Font.Size = vg.Points(8)
	p.X.Label.Text = cmp.Or(r.XLabel, "n")
	p.Y.Label.Text = "time per call (ns)"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.LogTicks{Prec: -1}, plot.LogTicks{Prec: -1}
	p.Add(plotter.NewGrid())
	leg := plot.NewLegend()
	leg.Top, leg.Left = true, true
	leg.TextStyle.Font.Size = vg.Points(7)

	var marks plotter.XYs
	for _, fam := range families {
		member := 0
		for _, c := range curves {
			if familyIn(c) != fam.name {
				continue
			}
			line, points, err := styled(c, fam.shades[member%len(fam.shades)], member)
			if err != nil {
				return nil, err
			}
			member++
			p.Add(line, points)
			label := fam.name + ": " + c.Label
			if best {
				label = "best " + fam.name + ": " + c.Label
			}
			if c.Beats {
				label += " (beats Go " + c.Crossover + ")"
			}
			leg.Add(label, line, points)
			if c.CrossAt.N > 0 && c.CrossAt.Ns > 0 {
				marks = append(marks, plotter.XY{X: c.CrossAt.N, Y: c.CrossAt.Ns})
			}
		}
	}
	if len(marks) > 0 {
		s, err := plotter.NewScatter(marks)
		if err != nil {
			return nil, err
		}
		s.Shape = draw.RingGlyph{}
		s.Radius = vg.Points(5)
		s.Color = color.Black
		p.Add(s)
		leg.Add("crossover of the fitted lines", s)
	}
	logRange(&p.X)
	logRange(&p.Y)
	var files []string
	for _, ext := range []string{"svg", "png"} {
		f := filepath.Join(dir, name+"."+ext)
		if err := save(p, leg, f, ext); err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// plotted returns the curves of r to draw: all those with points, or the
// best of each family. A curve without points has no line to draw, and
// no mean time to rank it by.
func plotted(r *zcbench.Result, best bool) []*zcbench.Curve {
	var cs []*zcbench.Curve
	for i := range r.Curves {
		if len(r.Curves[i].Points) > 0 {
			cs = append(cs, &r.Curves[i])
		}
	}
	if !best {
		return cs
	}
	byFam := map[string]*zcbench.Curve{}
	score := func(c *zcbench.Curve) float64 {
		s := 0.0
		for _, pt := range c.Points {
			s += math.Log(pt.Ns)
		}
		return s / float64(len(c.Points))
	}
	for _, c := range cs {
		if b, ok := byFam[familyIn(c)]; !ok || score(c) < score(b) {
			byFam[familyIn(c)] = c
		}
	}
	cs = cs[:0]
	for _, c := range byFam {
		cs = append(cs, c)
	}
	return cs
}

// styled returns curve c's line and markers, in color col and the
// member'th style of its family; the pure-Go lines are thicker, as the
// baseline.
func styled(c *zcbench.Curve, col color.RGBA, member int) (*plotter.Line, *plotter.Scatter, error) {
	xys := make(plotter.XYs, len(c.Points))
	for j, pt := range c.Points {
		// A log scale has no place for 0, and gonum/plot panics on one.
		if pt.N <= 0 || !(pt.Ns > 0) || math.IsInf(pt.Ns, 0) {
			return nil, nil, fmt.Errorf("%s at n = %d took %v ns per call, which a log scale cannot show", c.Impl, pt.N, pt.Ns)
		}
		xys[j] = plotter.XY{X: float64(pt.N), Y: pt.Ns}
	}
	line, points, err := plotter.NewLinePoints(xys)
	if err != nil {
		return nil, nil, err
	}
	line.Color, points.Color = col, col
	line.Dashes = dashes[member%len(dashes)]
	points.Shape = glyphs[member%len(glyphs)]
	points.Radius = vg.Points(2.2)
	line.Width = vg.Points(1.2)
	if c.Family == "pure Go" {
		line.Width = vg.Points(2.2)
	}
	return line, points, nil
}

// The size of the picture: the plot, and the legend in a column at its
// right as wide as its longest entry.
const (
	plotWidth  = 10 * vg.Inch
	plotHeight = 5.5 * vg.Inch
)

// logRange gives a log axis a range it can draw: one value alone (a
// sweep of one size), which gonum would widen by 1 on each side to 0 and
// below, spans an octave each way instead, and a range that reaches 0 or
// below starts a thousandth of its top.
func logRange(a *plot.Axis) {
	if a.Max <= 0 {
		a.Max = 1
	}
	if a.Min == a.Max {
		a.Min, a.Max = a.Min/2, a.Max*2
	}
	if a.Min <= 0 {
		a.Min = a.Max / 1000
	}
}

// save draws the plot and, to its right, outside the data, the legend,
// into file in format ext.
func save(p *plot.Plot, leg plot.Legend, file, ext string) error {
	c, err := draw.NewFormattedCanvas(plotWidth, plotHeight, ext)
	if err != nil {
		return err
	}
	dc := draw.New(c)
	r := leg.Rectangle(dc)
	lw := min(r.Max.X-r.Min.X+vg.Points(16), plotWidth/2)
	p.Draw(draw.Crop(dc, 0, -lw, 0, 0))
	leg.Draw(draw.Crop(dc, plotWidth-lw+vg.Points(8), 0, 0, -vg.Points(24)))
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := c.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// plotName returns the name of the plot of the sweep of kernel read from
// file: the kernel's name in lower case or, when that is empty or not a
// plain file name, the file's name without its extension. The name comes
// from the file's contents, which must not choose where the plot goes:
// "../x" would write outside -out, and "" would write hidden files.
func plotName(kernel, file string) (string, error) {
	if name := strings.ToLower(kernel); plainName(name) {
		return name, nil
	}
	base := filepath.Base(file)
	if name := strings.TrimSuffix(base, filepath.Ext(base)); plainName(name) {
		return name, nil
	}
	return "", fmt.Errorf("neither the kernel's name, %q, nor the file's makes a name for the plot", kernel)
}

// plainName reports whether name names a file of its own in a directory:
// one element of a path, not hidden.
func plainName(name string) bool {
	return filepath.IsLocal(name) && !strings.ContainsAny(name, `/\`) && !strings.HasPrefix(name, ".")
}

// makeOut makes dir, the directory of flag -out, before anything is
// measured or drawn, so that a path that cannot be a directory fails at
// once rather than after the measurements.
func makeOut(dir string) error {
	if dir == "" {
		return fmt.Errorf("%w: -out is empty: it names the directory for the plots (. for this one)", cli.ErrUsage)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("-out: %w", err)
	}
	return nil
}
