package zcbench

import (
	"errors"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Plot draws time per call against size, log-log, one line per
// implementation, with a ring where each foreign path's fitted line
// crosses below the best pure-Go path. It writes <kernel>.svg and
// <kernel>.png into dir, the kernel's name in lower case, and returns
// their names.
func (r *Result) Plot(dir string) ([]string, error) {
	if len(r.Curves) == 0 {
		return nil, errors.New("zcbench: no measurements to plot")
	}
	p := plot.New()
	name := strings.ToLower(r.Kernel)
	p.Title.Text = fmt.Sprintf("%s: time per call (%s)", name, r.Machine)
	p.Title.TextStyle.Font.Size = vg.Points(8)
	p.X.Label.Text = r.spec.XLabel
	p.Y.Label.Text = "time per call (ns)"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.LogTicks{Prec: -1}, plot.LogTicks{Prec: -1}
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.TextStyle.Font.Size = vg.Points(7)
	p.Add(plotter.NewGrid())

	var marks plotter.XYs
	for i, c := range r.Curves {
		xys := make(plotter.XYs, len(c.Points))
		for j, pt := range c.Points {
			xys[j] = plotter.XY{X: float64(pt.N), Y: pt.Ns}
		}
		line, points, err := plotter.NewLinePoints(xys)
		if err != nil {
			return nil, err
		}
		line.Color = plotutil.Color(i)
		line.Dashes = plotutil.Dashes(i / len(plotutil.DefaultColors))
		points.Color = line.Color
		points.Shape = plotutil.Shape(i)
		points.Radius = vg.Points(2)
		if c.Go {
			line.Width = vg.Points(2)
		}
		p.Add(line, points)
		label := c.Label
		if c.inRange {
			label += " (faster than Go: " + c.Crossover + ")"
		}
		p.Legend.Add(label, line, points)
		if c.inRange && c.cross.From > 0 {
			n := r.spec.Size(c.cross.From)
			marks = append(marks, plotter.XY{X: n, Y: c.Fit.at(c.cross.From)})
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
		p.Legend.Add("crossover of the fitted lines", s)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var files []string
	for _, ext := range []string{"svg", "png"} {
		f := filepath.Join(dir, name+"."+ext)
		if err := p.Save(8*vg.Inch, 5.5*vg.Inch, f); err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}
