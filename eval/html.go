package eval

import (
	"cmp"
	"fmt"
	"html/template"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"time"
)

// heatMapMax is the most intents the confusion heat-map shows; with more,
// it shows those with the most errors.
const heatMapMax = 25

// WriteHTML writes the report as one self-contained HTML page (inline CSS
// and SVG, no scripts, no external URLs): the summary, the per-intent
// table, a confusion heat-map, a confidence histogram and the reliability
// curve.
func (r *Report) WriteHTML(w io.Writer) error {
	if err := pageTemplate.Execute(w, r.page()); err != nil {
		return fmt.Errorf("eval: write HTML report: %w", err)
	}
	return nil
}

type htmlPage struct {
	Title     string
	R         *Report
	Summary   [][2]string
	Heat      heatMap
	Histogram []bar
	HistMax   int // examples in the fullest bin: the histogram's scale
	Curve     curve
}

type heatMap struct {
	Rows, Cols  []axisLabel
	Cells       []cell
	Size        int // px of the square grid
	Left, Top   int // px for the labels
	Width, High int
	Partial     bool
	Shown       int
	Total       int
}

// axisLabel is an intent name beside (rows) or above (columns, turned
// upright) the heat-map.
type axisLabel struct {
	X, Y       int
	Text, Full string
}

type cell struct {
	X, Y, Size    int
	Fill, Tooltip string
}

type bar struct {
	X, Width, YRight, HRight, YWrong, HWrong int
	Label, Tooltip                           string
}

type curve struct {
	Points string
	Dots   []dot
}

type dot struct {
	X, Y    float64
	Tooltip string
}

// Chart geometry of the histogram and the reliability curve (px).
const (
	chartW, chartH = 420, 260
	chartPad       = 40
)

func (r *Report) page() htmlPage {
	title := "Parley NLU evaluation"
	if r.Name != "" {
		title += ": " + r.Name
	}
	p := htmlPage{Title: title, R: r}
	pct := func(f float64) string { return fmt.Sprintf("%.2f%%", 100*f) }
	p.Summary = [][2]string{
		{"Examples", fmt.Sprint(r.N)},
		{"Accuracy", pct(r.Accuracy)},
		{"Macro-F1", pct(r.MacroF1)},
	}
	if r.SlotN > 0 {
		p.Summary = append(p.Summary, [2]string{"Slot F1 (exact span)", fmt.Sprintf("%s (P %s, R %s, %d slots)", pct(r.SlotF1), pct(r.SlotPrecision), pct(r.SlotRecall), r.SlotN)})
	}
	if r.HasOOS {
		p.Summary = append(p.Summary,
			[2]string{"In-scope accuracy", pct(r.InScopeAccuracy)},
			[2]string{"OOS recall", pct(r.OOSRecall)})
	}
	p.Summary = append(p.Summary,
		[2]string{"Threshold", fmt.Sprintf("%.3f", r.Threshold)},
		[2]string{"Training time", r.TrainTime.Round(time.Microsecond).String()},
		[2]string{"Parses per second", fmt.Sprintf("%.0f", r.ParsesPerSecond)})
	if r.Folds > 0 {
		p.Summary = append(p.Summary, [2]string{"Folds", fmt.Sprint(r.Folds)})
	}
	p.Heat = r.heatMap()
	p.Histogram = r.histogram()
	for _, b := range r.Reliability {
		p.HistMax = max(p.HistMax, b.Count)
	}
	p.Curve = r.curve()
	return p
}

// heatMap lays out the confusion matrix: rows expected, columns predicted,
// each row shaded by the share of its examples.
func (r *Report) heatMap() heatMap {
	errs := map[string]int{}
	support := map[string]int{}
	correct := map[string]int{}
	for _, s := range r.PerIntent {
		errs[s.Intent] += 0
		support[s.Intent] = s.Support
		correct[s.Intent] = int(math.Round(s.Recall * float64(s.Support)))
	}
	counts := map[[2]string]int{}
	for _, c := range r.Confusions {
		errs[c.Expected] += c.Count
		errs[c.Predicted] += c.Count
		counts[[2]string{c.Expected, c.Predicted}] = c.Count
	}
	labels := slices.Sorted(maps.Keys(errs))
	h := heatMap{Total: len(labels)}
	if len(labels) > heatMapMax {
		slices.SortStableFunc(labels, func(a, b string) int { return cmp.Compare(errs[b], errs[a]) })
		labels = labels[:heatMapMax]
		slices.Sort(labels)
		h.Partial = true
	}
	h.Shown = len(labels)
	longest := 0
	for _, l := range labels {
		longest = max(longest, len([]rune(short(l))))
	}
	size := max(14, min(40, 600/max(len(labels), 1)))
	h.Left, h.Top = longest*7+10, longest*7+10
	h.Size = size * len(labels)
	h.Width, h.High = h.Left+h.Size+10, h.Top+h.Size+10
	for i, l := range labels {
		mid := i*size + size/2
		h.Rows = append(h.Rows, axisLabel{X: h.Left - 4, Y: h.Top + mid, Text: short(l), Full: l})
		h.Cols = append(h.Cols, axisLabel{X: h.Left + mid, Y: h.Top - 4, Text: short(l), Full: l})
	}
	for i, exp := range labels {
		for j, pred := range labels {
			n := counts[[2]string{exp, pred}]
			if i == j {
				n = correct[exp]
			}
			share := 0.0
			if support[exp] > 0 {
				share = float64(n) / float64(support[exp])
			}
			fill := "#f4f4f4"
			switch {
			case n > 0 && i == j:
				fill = fmt.Sprintf("rgba(33,113,181,%.3f)", 0.15+0.85*share)
			case n > 0:
				fill = fmt.Sprintf("rgba(203,24,29,%.3f)", 0.15+0.85*share)
			}
			h.Cells = append(h.Cells, cell{
				X: h.Left + j*size, Y: h.Top + i*size, Size: size - 1, Fill: fill,
				Tooltip: fmt.Sprintf("%s → %s: %d", exp, pred, n),
			})
		}
	}
	return h
}

// short cuts a label for the heat-map's axes; the tooltips keep it whole.
func short(l string) string {
	if r := []rune(l); len(r) > 24 {
		return string(r[:23]) + "…"
	}
	return l
}

// histogram draws the count of examples per confidence bin, split into
// right (the best in-scope hypothesis was the gold intent) and wrong.
func (r *Report) histogram() []bar {
	most := 1
	for _, b := range r.Reliability {
		most = max(most, b.Count)
	}
	var bars []bar
	bw := (chartW - 2*chartPad) / max(len(r.Reliability), 1)
	plotH := chartH - 2*chartPad
	for i, b := range r.Reliability {
		right := int(math.Round(b.Accuracy * float64(b.Count)))
		wrong := b.Count - right
		hr := plotH * right / most
		hw := plotH * wrong / most
		base := chartH - chartPad
		bars = append(bars, bar{
			X: chartPad + i*bw + 1, Width: bw - 2,
			YRight: base - hr, HRight: hr,
			YWrong: base - hr - hw, HWrong: hw,
			Label:   fmt.Sprintf("%.1f", b.Lo),
			Tooltip: fmt.Sprintf("[%.1f, %.1f): %d examples, %d right, %d wrong", b.Lo, b.Hi, b.Count, right, wrong),
		})
	}
	return bars
}

// curve plots accuracy against mean confidence per non-empty bin.
func (r *Report) curve() curve {
	var c curve
	var pts []string
	plot := float64(chartW - 2*chartPad)
	plotH := float64(chartH - 2*chartPad)
	for _, b := range r.Reliability {
		if b.Count == 0 {
			continue
		}
		x := chartPad + b.Confidence*plot
		y := chartH - chartPad - b.Accuracy*plotH
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
		c.Dots = append(c.Dots, dot{X: x, Y: y, Tooltip: fmt.Sprintf("confidence %.3f, accuracy %.3f, %d examples", b.Confidence, b.Accuracy, b.Count)})
	}
	c.Points = strings.Join(pts, " ")
	return c
}

var pageTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct": func(f float64) string { return fmt.Sprintf("%.1f", 100*f) },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; }
h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; }
td, th { padding: 2px 10px; border-bottom: 1px solid #eee; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.summary th { text-align: left; font-weight: 600; }
svg text { font: 11px system-ui, sans-serif; fill: #333; }
.note { color: #666; }
.right { fill: #2171b5; } .wrong { fill: #cb181d; }
.axis { stroke: #999; } .diag { stroke: #bbb; stroke-dasharray: 4 3; }
.line { fill: none; stroke: #2171b5; stroke-width: 2; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>

<h2 id="summary">Summary</h2>
<table class="summary">
{{range .Summary}}<tr><th>{{index . 0}}</th><td class="num">{{index . 1}}</td></tr>
{{end}}</table>

<h2 id="per-intent">Per intent</h2>
<table class="per-intent">
<tr><th>Intent</th><th class="num">Precision</th><th class="num">Recall</th><th class="num">F1</th><th class="num">Support</th></tr>
{{range .R.PerIntent}}<tr><td>{{.Intent}}</td><td class="num">{{pct .Precision}}</td><td class="num">{{pct .Recall}}</td><td class="num">{{pct .F1}}</td><td class="num">{{.Support}}</td></tr>
{{end}}</table>

<h2 id="confusions">Most confused pairs</h2>
{{if .R.Confusions}}<table>
<tr><th>Expected</th><th>Predicted</th><th class="num">Count</th></tr>
{{range $i, $c := .R.Confusions}}{{if lt $i 20}}<tr><td>{{$c.Expected}}</td><td>{{$c.Predicted}}</td><td class="num">{{$c.Count}}</td></tr>
{{end}}{{end}}</table>{{else}}<p class="note">No confusions.</p>{{end}}

<h2 id="heat-map">Confusion heat-map</h2>
<p class="note">Rows: expected intent; columns: predicted intent; shade: share of the row's examples (blue right, red wrong).{{if .Heat.Partial}} Showing the {{.Heat.Shown}} of {{.Heat.Total}} intents with the most errors.{{end}}</p>
<svg id="heatmap" width="{{.Heat.Width}}" height="{{.Heat.High}}" role="img" aria-label="confusion heat-map">
{{range .Heat.Rows}}<text x="{{.X}}" y="{{.Y}}" text-anchor="end" dominant-baseline="middle">{{.Text}}<title>{{.Full}}</title></text>
{{end}}{{range .Heat.Cols}}<text x="{{.X}}" y="{{.Y}}" transform="rotate(-90 {{.X}} {{.Y}})" dominant-baseline="middle">{{.Text}}<title>{{.Full}}</title></text>
{{end}}{{range .Heat.Cells}}<rect class="cell" x="{{.X}}" y="{{.Y}}" width="{{.Size}}" height="{{.Size}}" fill="{{.Fill}}"><title>{{.Tooltip}}</title></rect>
{{end}}</svg>

<h2 id="histogram">Confidence histogram</h2>
<p class="note">Examples per score of the best in-scope hypothesis: blue when it was the expected intent, red when not (so every out-of-scope example is red).</p>
<svg id="confidence-histogram" width="420" height="260" role="img" aria-label="confidence histogram">
<line class="axis" x1="40" y1="220" x2="380" y2="220"/><line class="axis" x1="40" y1="40" x2="40" y2="220"/>
<text x="34" y="44" text-anchor="end">{{.HistMax}}</text><text x="34" y="220" text-anchor="end">0</text>
{{range .Histogram}}<g><title>{{.Tooltip}}</title><rect class="right" x="{{.X}}" y="{{.YRight}}" width="{{.Width}}" height="{{.HRight}}"/><rect class="wrong" x="{{.X}}" y="{{.YWrong}}" width="{{.Width}}" height="{{.HWrong}}"/></g><text x="{{.X}}" y="235">{{.Label}}</text>
{{end}}<text x="380" y="250" text-anchor="end">confidence</text>
</svg>

<h2 id="reliability">Reliability curve</h2>
<p class="note">Accuracy against mean confidence per bin; the dashed diagonal is perfect calibration. Expected calibration error (ECE): <span id="ece">{{printf "%.3f" .R.ECE}}</span>.</p>
<svg id="reliability-curve" width="420" height="260" role="img" aria-label="reliability curve">
<line class="axis" x1="40" y1="220" x2="380" y2="220"/><line class="axis" x1="40" y1="40" x2="40" y2="220"/>
<line class="diag" x1="40" y1="220" x2="380" y2="40"/>
<text x="40" y="235">0</text><text x="380" y="235" text-anchor="end">1</text><text x="34" y="44" text-anchor="end">1</text>
<text x="210" y="252" text-anchor="middle">confidence</text><text x="12" y="130" transform="rotate(-90 12 130)" text-anchor="middle">accuracy</text>
{{if .Curve.Points}}<polyline class="line" points="{{.Curve.Points}}"/>{{end}}
{{range .Curve.Dots}}<circle cx="{{printf "%.1f" .X}}" cy="{{printf "%.1f" .Y}}" r="4" fill="#2171b5"><title>{{.Tooltip}}</title></circle>
{{end}}</svg>
</body>
</html>
`))
