package money

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"time"
)

// LargeParams configures WriteAMLworld: one AMLworld-schema file of many
// transactions for scale benchmarks, without statements, crypto or story.
type LargeParams struct {
	Seed         uint64
	Transactions int64     // data lines to write (planted ones included)
	Accounts     int       // background accounts (default Transactions/10, at least 1,000)
	Start, End   time.Time // window (default 2022-09-01 to 2022-12-01)
	// Planted is how many of each laundering pattern (fan-in, fan-out,
	// cycle, scatter-gather) to plant, marked "Is Laundering" 1 (default
	// Transactions/50,000, at least 1).
	Planted int
}

// LargeResult says what WriteAMLworld wrote.
type LargeResult struct {
	Transactions, Laundering int64 // lines written; of those, planted
	Accounts                 int   // accounts that can appear
	Bytes                    int64
}

// Streams of WriteAMLworld, apart from Generate's.
const (
	streamLargeAccounts = iota + 101
	streamLargePlan
	streamLargeBackground
)

// largeWorld is the accounts of a large file: number, bank id and
// currency per account; the first 1 % are merchants that take card and
// cheque payments.
type largeWorld struct {
	number  []string
	country []uint8
	shops   int
}

// WriteAMLworld streams a time-ordered AMLworld CSV to w: background
// transfers between persons and merchants in the region's currencies and
// a bounded number of planted fan-in, fan-out, cycle and scatter-gather
// patterns. Memory stays bounded by the accounts and the planted lines;
// the same parameters give byte-identical output.
func WriteAMLworld(w io.Writer, p LargeParams) (*LargeResult, error) {
	p, err := largeDefaults(p)
	if err != nil {
		return nil, err
	}
	rng := func(s uint64) *rand.Rand { return rand.New(rand.NewPCG(p.Seed, s)) }
	lw := newLargeWorld(rng(streamLargeAccounts), p.Accounts)
	start, end := p.Start.Unix(), p.End.Unix()
	planted := planLarge(rng(streamLargePlan), lw, p.Planted, start, end)
	n := max(p.Transactions-int64(len(planted)), 0)
	bw := bufio.NewWriterSize(w, 1<<20)
	res := &LargeResult{Accounts: len(lw.number), Laundering: int64(len(planted))}
	var c clock
	row := make([]byte, 0, 256)
	put := func(x *tx) {
		row = lw.appendRow(&c, row[:0], x)
		bw.Write(row) // errors surface at Flush
		res.Bytes += int64(len(row))
		res.Transactions++
	}
	bw.WriteString(amlHeader + "\n")
	res.Bytes = int64(len(amlHeader) + 1)
	r := rng(streamLargeBackground)
	i := 0
	var x tx
	for k := int64(0); k < n; k++ {
		t := min(max(warp(start+(k*(end-start)+r.Int64N(end-start))/n), start), end-1)
		for i < len(planted) && planted[i].t <= t {
			put(&planted[i])
			i++
		}
		lw.background(r, &x, t)
		put(&x)
	}
	for ; i < len(planted); i++ {
		put(&planted[i])
	}
	if err := bw.Flush(); err != nil {
		return nil, fmt.Errorf("money: write: %w", err)
	}
	return res, nil
}

// largeDefaults validates p and fills its defaults.
func largeDefaults(p LargeParams) (LargeParams, error) {
	if p.Transactions <= 0 {
		return p, errors.New("money: LargeParams.Transactions must be positive")
	}
	if p.Accounts <= 0 {
		p.Accounts = int(max(p.Transactions/10, 1000))
	}
	if p.Accounts < 200 {
		return p, errors.New("money: LargeParams.Accounts must be at least 200")
	}
	if p.Start.IsZero() {
		p.Start = time.Date(2022, 9, 1, 0, 0, 0, 0, time.UTC)
	}
	if p.End.IsZero() {
		p.End = p.Start.AddDate(0, 3, 0)
	}
	if p.End.Sub(p.Start) < 48*time.Hour {
		return p, errors.New("money: LargeParams window is shorter than two days")
	}
	if p.Planted <= 0 {
		p.Planted = int(max(p.Transactions/50000, 1))
	}
	return p, nil
}

// newLargeWorld draws n account numbers (unique: the index is part of the
// number) and their countries.
func newLargeWorld(r *rand.Rand, n int) *largeWorld {
	lw := &largeWorld{number: make([]string, n), country: make([]uint8, n), shops: max(n/100, 10)}
	b := make([]byte, 0, 16)
	for i := range n {
		c := r.IntN(len(countries))
		lw.country[i] = uint8(c)
		b = append(b[:0], '8', byte('0'+c))
		b = appendPadded(b, int64(i), 8)
		b = appendPadded(b, r.Int64N(100), 2)
		lw.number[i] = string(b)
	}
	return lw
}

// cur returns the currency index of account a.
func (lw *largeWorld) cur(a int32) int { return countries[lw.country[a]].cur }

// background fills x with one ordinary transfer at t: card purchases,
// cheques and ACH bills to merchants, person-to-person ACH, remittance
// wires and (rarely) cash deposits.
func (lw *largeWorld) background(r *rand.Rand, x *tx, t int64) {
	n := len(lw.number)
	person := func() int32 { return int32(lw.shops + r.IntN(n-lw.shops)) }
	// Merchants are skewed: a few take most payments.
	shop := func() int32 { return int32(r.IntN(1 + r.IntN(lw.shops))) }
	*x = tx{t: t, typ: -1, rail: railBank}
	var lo, hi int64
	switch k := r.IntN(100); {
	case k < 35:
		x.from, x.to, x.format, lo, hi = person(), shop(), fmtCard, 5, 150
	case k < 45:
		x.from, x.to, x.format, lo, hi = shop(), person(), fmtACH, 300, 1500
	case k < 55:
		x.from, x.to, x.format, lo, hi = person(), shop(), fmtCheque, 15, 900
	case k < 80:
		x.from, x.to, x.format, lo, hi = person(), person(), fmtACH, 10, 300
	case k < 97:
		x.from, x.to, x.format, lo, hi = person(), person(), fmtWire, 100, 600
	default:
		x.from = person()
		x.to, x.format, lo, hi = x.from, fmtCash, 50, 2000
	}
	if x.from == x.to && x.format != fmtCash {
		x.to = (x.to + 1) % int32(n)
	}
	lw.amount(x, (lo+r.Int64N(hi-lo+1))*100+r.Int64N(100))
}

// amount sets paid and received from a US-dollar amount in cents.
func (lw *largeWorld) amount(x *tx, usd int64) {
	x.paid = convert(usd, 0, lw.cur(x.from))
	x.recv = convert(x.paid, lw.cur(x.from), lw.cur(x.to))
}

// appendRow writes one AMLworld line.
func (lw *largeWorld) appendRow(c *clock, b []byte, x *tx) []byte {
	b = c.appendAML(b, x.t)
	b = append(b, ',')
	b = append(b, countries[lw.country[x.from]].bankID...)
	b = append(b, ',')
	b = append(b, lw.number[x.from]...)
	b = append(b, ',')
	b = append(b, countries[lw.country[x.to]].bankID...)
	b = append(b, ',')
	b = append(b, lw.number[x.to]...)
	b = append(b, ',')
	b = appendDecimal(b, x.recv, 2, '.', 0)
	b = append(b, ',')
	b = append(b, currencies[lw.cur(x.to)].name...)
	b = append(b, ',')
	b = appendDecimal(b, x.paid, 2, '.', 0)
	b = append(b, ',')
	b = append(b, currencies[lw.cur(x.from)].name...)
	b = append(b, ',')
	b = append(b, formatNames[x.format]...)
	if x.laundering {
		return append(b, ",1\n"...)
	}
	return append(b, ",0\n"...)
}

// planLarge plants k of each pattern among persons, each inside a few
// days, and returns their transfers in time order.
func planLarge(r *rand.Rand, lw *largeWorld, k int, start, end int64) []tx {
	pl := &largePlan{r: r, lw: lw}
	span := max(end-start-10*86400, 86400)
	for range k {
		for _, f := range []func(int64){pl.fanIn, pl.fanOut, pl.cycle, pl.scatterGather} {
			f(start + r.Int64N(span))
		}
	}
	slices.SortStableFunc(pl.txs, func(a, b tx) int { return cmpInt(a.t, b.t) })
	return pl.txs
}

// largePlan builds planted transfers.
type largePlan struct {
	r   *rand.Rand
	lw  *largeWorld
	txs []tx
}

// persons draws n distinct persons of one country.
func (p *largePlan) persons(n int) []int32 {
	lw := p.lw
	first := int32(lw.shops + p.r.IntN(len(lw.number)-lw.shops))
	out := []int32{first}
	for len(out) < n {
		a := int32(lw.shops + p.r.IntN(len(lw.number)-lw.shops))
		if lw.country[a] == lw.country[first] && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// add plants one transfer of usd cents (or, with paid > 0, paid in the
// payer's currency).
func (p *largePlan) add(from, to int32, t, usd, paid int64, format uint8) *tx {
	x := tx{t: t, from: from, to: to, typ: 0, rail: railBank, format: format, laundering: true}
	if paid > 0 {
		x.paid, x.recv = paid, convert(paid, p.lw.cur(from), p.lw.cur(to))
	} else {
		p.lw.amount(&x, usd)
	}
	p.txs = append(p.txs, x)
	return &p.txs[len(p.txs)-1]
}

// usd draws lo..hi dollars in cents.
func (p *largePlan) usd(lo, hi int64) int64 { return (lo+p.r.Int64N(hi-lo+1))*100 + p.r.Int64N(100) }

// fanIn: 6 to 10 senders pay one hub within two days.
func (p *largePlan) fanIn(t0 int64) {
	acc := p.persons(7 + p.r.IntN(5))
	for _, s := range acc[1:] {
		p.add(s, acc[0], t0+p.r.Int64N(48*3600), p.usd(2000, 9000), 0, fmtACH)
	}
}

// fanOut: one hub pays 6 to 10 receivers within two days.
func (p *largePlan) fanOut(t0 int64) {
	acc := p.persons(7 + p.r.IntN(5))
	for _, d := range acc[1:] {
		p.add(acc[0], d, t0+p.r.Int64N(48*3600), p.usd(2000, 9000), 0, fmtWire)
	}
}

// cycle: funds go round 3 to 6 accounts, each hop 1 to 12 hours after the
// previous one and forwarding 90 to 99 % of it.
func (p *largePlan) cycle(t0 int64) {
	acc := p.persons(3 + p.r.IntN(4))
	t, paid := t0, int64(0)
	usd := p.usd(5000, 20000)
	for i := range acc {
		x := p.add(acc[i], acc[(i+1)%len(acc)], t, usd, paid, fmtWire)
		paid = x.recv * (90 + p.r.Int64N(10)) / 100
		t += 3600 + p.r.Int64N(11*3600)
	}
}

// scatterGather: a source pays 4 to 6 intermediaries that each forward
// 90 to 99 % to one target within three days.
func (p *largePlan) scatterGather(t0 int64) {
	acc := p.persons(6 + p.r.IntN(3))
	src, dst := acc[0], acc[1]
	for _, m := range acc[2:] {
		t := t0 + p.r.Int64N(24*3600)
		x := p.add(src, m, t, p.usd(3000, 9000), 0, fmtACH)
		p.add(m, dst, t+3600+p.r.Int64N(36*3600), 0, x.recv*(90+p.r.Int64N(10))/100, fmtACH)
	}
}
