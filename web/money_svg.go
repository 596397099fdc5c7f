package web

import (
	"fmt"
	"sort"

	"github.com/rastro/rastro/money"
)

// The money pages draw their charts as inline SVG built here and written by
// the templates: no script, so the strict Content-Security-Policy holds and
// the charts print. Geometry only; every label is escaped by html/template.

// barChart is a chart of money in and out per period.
type barChart struct {
	Width, Height int
	Bars          []svgBar
	Labels        []svgLabel
	Max           string // the amount of the tallest bar
}

// svgBar is one bar.
type svgBar struct {
	X, Y, W, H int
	Class      string // "bar-in" or "bar-out"
	Title      string
}

// svgLabel is one text label.
type svgLabel struct {
	X, Y   int
	Anchor string
	Text   string
}

// Chart geometry.
const (
	chartHeight = 160
	chartBase   = 130 // y of the axis
	chartBar    = 10  // width of one bar
	chartGap    = 8   // between periods
	maxPeriods  = 120 // most recent periods shown
	chartLeft   = 30  // room for the first label
	chartLabel  = 64  // least distance between two labels
)

// flowChart sums the account's payments in currency per month (per ISO
// week when they span less than about three months) and draws in and out
// bars side by side.
func flowChart(g *money.Graph, idx []int32, acct, currency string) *barChart {
	type period struct{ in, out money.Amount }
	var keys []string
	per := map[string]*period{}
	weekly := len(idx) > 0 && g.Txs[idx[len(idx)-1]].Time.Sub(g.Txs[idx[0]].Time).Hours() < 24*90
	for _, i := range idx {
		t := &g.Txs[i]
		if t.Currency != currency {
			continue
		}
		k := monthKey(t.Time, weekly)
		p := per[k]
		if p == nil {
			p = &period{}
			per[k] = p
			keys = append(keys, k)
		}
		if t.To == acct {
			p.in = p.in.Add(t.Amount)
		}
		if t.From == acct {
			p.out = p.out.Add(t.Amount)
		}
	}
	sort.Strings(keys)
	if len(keys) > maxPeriods {
		keys = keys[len(keys)-maxPeriods:]
	}
	var top money.Amount
	for _, k := range keys {
		top = maxAmount(maxAmount(top, per[k].in), per[k].out)
	}
	// A period is at least two bars and a gap wide, wider when there are
	// few; labels are spaced at least chartLabel apart.
	pitch := max(2*chartBar+chartGap, min(80, 640/max(1, len(keys))))
	every := (chartLabel + pitch - 1) / pitch
	c := &barChart{Height: chartHeight, Max: top.String(), Width: max(200, chartLeft+len(keys)*pitch+chartLabel/2)}
	for n, k := range keys {
		x := chartLeft + n*pitch
		for j, side := range []struct {
			amt   money.Amount
			class string
			word  string
		}{{per[k].in, "bar-in", "in"}, {per[k].out, "bar-out", "out"}} {
			h := barHeight(side.amt, top)
			c.Bars = append(c.Bars, svgBar{X: x + j*chartBar, Y: chartBase - h, W: chartBar - 1, H: h, Class: side.class,
				Title: fmt.Sprintf("%s %s: %s %s", k, side.word, side.amt, currency)})
		}
		if n%every == 0 {
			c.Labels = append(c.Labels, svgLabel{X: x + chartBar, Y: chartBase + 16, Anchor: "middle", Text: k})
		}
	}
	return c
}

// barHeight scales an amount against the tallest (at least 1px when > 0).
func barHeight(a, top money.Amount) int {
	if a.Sign() <= 0 || top.Sign() <= 0 {
		return 0
	}
	return max(1, int(a.Ratio(top)*float64(chartBase-10)+0.5))
}

// maxAmount returns the larger amount.
func maxAmount(a, b money.Amount) money.Amount {
	if a.Cmp(b) >= 0 {
		return a
	}
	return b
}

// sankeyChart is a trace drawn as a Sankey diagram: one column per hop,
// one box per account reached, bands as wide as the attributed amount.
type sankeyChart struct {
	Width, Height int
	Nodes         []sankeyNode
	Bands         []sankeyBand
}

// sankeyNode is one account box.
type sankeyNode struct {
	X, Y, W, H     int
	Caption, Title string
	Href           string
	LabelX, LabelY int
	Anchor         string
	Class          string // node, node-root, node-victim
	Account        string
}

// sankeyBand is one edge.
type sankeyBand struct {
	Path  string
	Width int
	Title string
}

// Sankey geometry.
const (
	sankeyCol    = 260 // column pitch
	sankeyNodeW  = 14
	sankeyGap    = 14 // between boxes in a column
	sankeyMaxW   = 60 // widest band
	sankeyMinW   = 2
	sankeyTop    = 20
	sankeyMargin = 10
)

// sankeyInput is what the drawing needs from a trace.
type sankeyInput struct {
	flow    *money.Flow
	caption func(account string) string
	href    func(account string) string
	victim  func(account string) bool
}

// drawSankey lays the flow out. Band widths are relative to the largest
// attributed amount of the same currency, so that two currencies never
// share a scale that would mean nothing.
func drawSankey(in sankeyInput) *sankeyChart {
	f := in.flow
	top := map[string]money.Amount{}
	for _, e := range f.Edges {
		top[e.Currency] = maxAmount(top[e.Currency], e.Amount)
	}
	width := make([]int, len(f.Edges))
	inW, outW := make([]int, len(f.Nodes)), make([]int, len(f.Nodes))
	for i, e := range f.Edges {
		w := sankeyMinW
		if t := top[e.Currency]; t.Sign() > 0 {
			w = max(sankeyMinW, int(e.Amount.Ratio(t)*sankeyMaxW+0.5))
		}
		width[i] = w
		outW[e.Source] += w
		inW[e.Target] += w
	}
	c := &sankeyChart{}
	colY := map[int]int{}
	maxHop := 0
	for _, n := range f.Nodes {
		maxHop = max(maxHop, n.Hop)
	}
	for _, n := range f.Nodes {
		h := max(inW[n.ID], outW[n.ID], 8)
		x := sankeyMargin + n.Hop*sankeyCol
		if f.Back {
			x = sankeyMargin + (maxHop-n.Hop)*sankeyCol
		}
		y := sankeyTop + colY[n.Hop]
		colY[n.Hop] += h + sankeyGap
		node := sankeyNode{X: x, Y: y, W: sankeyNodeW, H: h, Caption: truncate(in.caption(n.Account), 28), Title: in.caption(n.Account),
			Href: in.href(n.Account), LabelX: x + sankeyNodeW + 4, LabelY: y + h/2 + 4, Anchor: "start", Class: "node", Account: n.Account}
		if n.Hop == 0 {
			node.Class = "node node-root"
		} else if in.victim(n.Account) {
			node.Class = "node node-victim"
		}
		c.Nodes = append(c.Nodes, node)
		c.Height = max(c.Height, y+h+sankeyTop)
	}
	c.Width = sankeyMargin*2 + maxHop*sankeyCol + 200
	outOff, inOff := make([]int, len(f.Nodes)), make([]int, len(f.Nodes))
	for i, e := range f.Edges {
		src, dst := c.Nodes[e.Source], c.Nodes[e.Target]
		if f.Back {
			src, dst = dst, src
		}
		w := width[i]
		y0 := src.Y + outOff[e.Source] + w/2
		y1 := dst.Y + inOff[e.Target] + w/2
		if f.Back {
			y0, y1 = src.Y+inOff[e.Target]+w/2, dst.Y+outOff[e.Source]+w/2
		}
		outOff[e.Source] += w
		inOff[e.Target] += w
		x0, x1 := src.X+src.W, dst.X
		mid := (x0 + x1) / 2
		c.Bands = append(c.Bands, sankeyBand{Width: w,
			Path: fmt.Sprintf("M%d %d C%d %d %d %d %d %d", x0, y0, mid, y0, mid, y1, x1, y1),
			Title: fmt.Sprintf("%s → %s: %s %s (%d transfers, gross %s)", in.caption(f.Nodes[e.Source].Account), in.caption(f.Nodes[e.Target].Account),
				e.Amount, e.Currency, len(e.TxIDs), e.Gross)})
	}
	return c
}
