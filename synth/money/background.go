package money

import "math/rand/v2"

// background streams benign transactions in time order: slot i of n gets a
// random instant inside its slice of the window, then a monotonic warp moves
// most activity into the day, so no sorting or buffering is needed.
type background struct {
	r          *rand.Rand
	w          *world
	start, end int64
	n, i       int64
	hot        [3]int // shops with a statement, one per layout, that take many payments
}

// dayWarp maps a uniform fraction of the day (in 1/1000) to seconds: 4% of
// activity before 06:00, 16% 06-09, 55% 09-18, 20% 18-22, 5% after 22:00.
var dayWarp = [...]struct{ mass, from, to int64 }{
	{40, 0, 6 * 3600}, {160, 6 * 3600, 9 * 3600}, {550, 9 * 3600, 18 * 3600}, {200, 18 * 3600, 22 * 3600}, {50, 22 * 3600, 86400},
}

// warp moves t within its day according to dayWarp, keeping order.
func warp(t int64) int64 {
	day := floorDiv(t, 86400) * 86400
	u := (t - day) * 1000 // in 1/1000 of a second-of-day unit
	acc := int64(0)
	for _, s := range dayWarp {
		m := s.mass * 86400
		if u < acc+m || s.to == 86400 {
			return day + s.from + (u-acc)*(s.to-s.from)/m
		}
		acc += m
	}
	return t
}

// next fills x with the next background transaction; false when done.
func (b *background) next(x *tx) bool {
	if b.i >= b.n {
		return false
	}
	span := b.end - b.start
	t := b.start + (b.i*span+b.r.Int64N(span))/b.n
	b.i++
	*x = tx{t: min(max(warp(t), b.start), b.end-1), typ: -1}
	b.fill(x)
	return true
}

// fill chooses the kind, the parties and the amount.
func (b *background) fill(x *tx) {
	r, w := b.r, b.w
	c := r.IntN(len(countries))
	k := r.IntN(100)
	switch {
	case k < 30:
		shop := pick(r, w.shops[c])
		if r.IntN(3) == 0 {
			shop = b.hot[countries[c].layout]
			c = w.accts[shop].country
		}
		b.bank(x, pick(r, w.persons[c]), shop, 5, 150, fmtCard, kGrocery)
	case k < 40:
		b.bank(x, pick(r, w.employers[c]), pick(r, w.persons[c]), 300, 1500, fmtACH, kSalary)
	case k < 48:
		format := uint8(fmtACH)
		if r.IntN(3) == 0 {
			format = fmtCheque
		}
		b.bank(x, pick(r, w.persons[c]), pick(r, w.landlords[c]), 150, 900, format, kRent)
	case k < 60:
		b.bank(x, pick(r, w.persons[c]), pick(r, w.utilities[c]), 15, 120, fmtACH, kUtility)
	case k < 75:
		from, to := pickTwo(r, w.persons[c])
		b.bank(x, from, to, 10, 300, fmtACH, kP2P)
	case k < 87:
		src := len(countries) - 1 - r.IntN(2) // US or MX
		b.bank(x, pick(r, w.persons[src]), pick(r, w.persons[c]), 100, 600, fmtWire, kRemit)
	case k < 91:
		from, to := pickTwo(r, w.btcBG)
		x.rail, x.from, x.to = railBTC, int32(from), int32(to)
		x.paid = 10000 + r.Int64N(5000000)
		x.recv, x.fee = x.paid, 500+r.Int64N(5000)
	default:
		b.token(x)
	}
}

// bank fills a bank transfer of lo..hi US dollars.
func (b *background) bank(x *tx, from, to int, lo, hi int64, format, kind uint8) {
	a, c := &b.w.accts[from], &b.w.accts[to]
	usd := (lo+b.r.Int64N(hi-lo+1))*100 + b.r.Int64N(100)
	x.rail, x.from, x.to, x.format, x.kind = railBank, int32(from), int32(to), format, kind
	x.paid = convert(usd, 0, a.cur)
	x.recv = convert(x.paid, a.cur, c.cur)
}

// token fills a USDT (either chain) or ETH transfer between background wallets.
func (b *background) token(x *tx) {
	r, w := b.r, b.w
	x.rail = railToken
	if r.IntN(2) == 0 {
		from, to := pickTwo(r, w.tronBG)
		x.from, x.to = int32(from), int32(to)
		x.paid = (5 + r.Int64N(3000)) * 1000000
	} else {
		from, to := pickTwo(r, w.ethBG)
		x.from, x.to = int32(from), int32(to)
		if r.IntN(2) == 0 {
			x.token = tokETH
			x.paid = 1000000 + r.Int64N(3000000000) // gwei
		} else {
			x.paid = (5 + r.Int64N(3000)) * 1000000
		}
	}
	x.recv = x.paid
}

// pickTwo returns two different elements of s (len(s) >= 2).
func pickTwo(r *rand.Rand, s []int) (int, int) {
	i := r.IntN(len(s))
	j := (i + 1 + r.IntN(len(s)-1)) % len(s)
	return s[i], s[j]
}
