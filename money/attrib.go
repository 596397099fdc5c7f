package money

import "sort"

// step moves the taint one hop: forward, from the transfers that brought
// tainted funds into account n to the transfers that took them out;
// backward, from the outflows to explain to the inflows that funded them.
func (g *Graph) step(n int32, taint map[int32]Amount, o TraceOptions, cache map[int32][]int32) map[int32]Amount {
	events, ok := cache[n]
	if !ok {
		events = g.events(n, o)
		cache[n] = events
	}
	if o.Backward {
		return g.stepBack(events, n, taint, o)
	}
	out := map[int32]Amount{}
	var first int64 = -1
	for e := range taint {
		if first < 0 || g.unix[e] < first {
			first = g.unix[e]
		}
	}
	gap := secs(o.MaxGap)
	var q fifo
	total, tainted := Amount{}, Amount{}
	fifoModel := o.Model != ModelPoison && o.Model != ModelHaircut
	for _, e := range events {
		isIn := g.to[e] == n
		if isIn {
			c, _ := g.Txs[e].Credit()
			var t Amount
			if g.unix[e] >= first {
				t = taint[e] // nothing earlier than the first tainted arrival is tainted
			}
			total, tainted = total.Add(c), tainted.Add(t)
			if fifoModel {
				q.push(t, -1)
				q.push(c.Sub(t), -2)
			}
			continue
		}
		amt := g.Txs[e].Amount
		if g.unix[e] < first || gap > 0 && g.unix[e]-first > gap {
			if fifoModel {
				q.consume(amt, nil)
			}
			continue
		}
		var share Amount
		switch o.Model {
		case ModelPoison:
			share = amt
		case ModelHaircut:
			share = amt.MulFrac(tainted, total).Min(tainted)
		default:
			share = q.take(amt)
		}
		total, tainted = total.Sub(amt), tainted.Sub(share)
		if total.Sign() < 0 {
			total = Amount{}
		}
		if share.Sign() > 0 {
			out[e] = share
		}
	}
	return out
}

// stepBack attributes each outflow to explain to the inflows before it.
func (g *Graph) stepBack(events []int32, n int32, want map[int32]Amount, o TraceOptions) map[int32]Amount {
	out := map[int32]Amount{}
	var q fifo
	var ins []int32
	total := Amount{}
	for _, e := range events {
		if g.to[e] == n {
			c, _ := g.Txs[e].Credit()
			q.push(c, e)
			ins = append(ins, e)
			total = total.Add(c)
			continue
		}
		amt := g.Txs[e].Amount
		w, ok := want[e]
		if !ok {
			q.consume(amt, nil)
			continue
		}
		switch o.Model {
		case ModelFIFO:
			got := map[int32]Amount{}
			q.consume(amt, got)
			for src, a := range got {
				if src >= 0 {
					out[src] = out[src].Add(a.MulFrac(w, amt))
				}
			}
		default:
			for _, src := range ins {
				c, _ := g.Txs[src].Credit()
				if o.Model == ModelPoison {
					out[src] = c
				} else {
					out[src] = out[src].Add(w.MulFrac(c, total))
				}
			}
			q.consume(amt, nil)
		}
	}
	return out
}

// events lists n's non-self transfers in time order within the window
// (a slice of the graph's timeline: read only).
func (g *Graph) events(n int32, o TraceOptions) []int32 {
	tl := g.timeline(n)
	lo, hi := 0, len(tl)
	if !o.After.IsZero() {
		lo = sort.Search(len(tl), func(i int) bool { return !g.Txs[tl[i]].Time.Before(o.After) })
	}
	if !o.Before.IsZero() {
		hi = sort.Search(len(tl), func(i int) bool { return g.Txs[tl[i]].Time.After(o.Before) })
	}
	return tl[lo:max(lo, hi)]
}

// chunk is a part of a balance labelled by where it came from.
type chunk struct {
	amt Amount
	src int32 // inflow index, or -1 tainted / -2 clean
}

// fifo is a balance as a queue of chunks, oldest first.
type fifo struct{ q []chunk }

// push adds a chunk (ignored when not positive).
func (f *fifo) push(a Amount, src int32) {
	if a.Sign() > 0 {
		f.q = append(f.q, chunk{a, src})
	}
}

// take consumes amt like consume and returns the part that was tainted
// (chunks labelled -1), without a map.
func (f *fifo) take(amt Amount) Amount {
	var tainted Amount
	for amt.Sign() > 0 && len(f.q) > 0 {
		c := &f.q[0]
		t := c.amt.Min(amt)
		if c.src == -1 {
			tainted = tainted.Add(t)
		}
		c.amt, amt = c.amt.Sub(t), amt.Sub(t)
		if c.amt.Sign() == 0 {
			f.q = f.q[1:]
		}
	}
	return tainted
}

// consume takes amt from the oldest chunks, adding what it took per
// source to got (nil: just spend). Spending more than the queue holds
// draws on funds of unknown origin, attributed to nothing.
func (f *fifo) consume(amt Amount, got map[int32]Amount) {
	for amt.Sign() > 0 && len(f.q) > 0 {
		c := &f.q[0]
		take := c.amt.Min(amt)
		if got != nil {
			got[c.src] = got[c.src].Add(take)
		}
		c.amt, amt = c.amt.Sub(take), amt.Sub(take)
		if c.amt.Sign() == 0 {
			f.q = f.q[1:]
		}
	}
}
