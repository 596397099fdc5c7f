package money

import (
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/rastro/rastro/synth/ident"
	"github.com/rastro/rastro/synth/truth"
)

// Red-flag ids cited in truth.Typology.RedFlags. FinCEN advisory
// FIN-2020-A008 (2020-10-15) lists its red flags without numbers; these ids
// number them by position (1-based) in its "financial" list, and the
// FIN-2014-A008 flags it supplements by position, as transcribed in
// shared/data/indicators/fincen_fin-2020-a008.json. Embedded here so the
// generator needs no file at run time.
const (
	flagGeography   = "FIN-2020-A008/financial/1"  // customers move through and transact from different locations
	flagLivingCosts = "FIN-2020-A008/financial/2"  // paying victims' housing, hotels, transport, food
	flagOffHours    = "FIN-2020-A008/financial/3"  // activity outside business hours, almost always cash
	flagCashNoACH   = "FIN-2020-A008/financial/4"  // frequent cash deposits with no ACH payments
	flagPrepaid     = "FIN-2020-A008/financial/5"  // frequent purchases of prepaid access cards
	flagForeignAds  = "FIN-2020-A008/financial/7"  // frequent transactions with foreign online classified sites
	flagDarknet     = "FIN-2020-A008/financial/8"  // crypto to/from darknet or illicit-ad services
	flagAvoidReport = "FIN-2020-A008/financial/10" // avoids transactions that trigger reporting requirements
	flag2014Abroad  = "FIN-2014-A008/1"            // funds that seem to be salaries sent to other countries
	flag2014AdFees  = "FIN-2014-A008/2"            // frequent small posting fees to online classifieds
	flag2014Lodging = "FIN-2014-A008/3"            // sustenance: housing, lodging, vehicle rentals, food
	flag2014Funnel  = "FIN-2014-A008/7"            // funnel account: cash in other cities, quickly withdrawn
)

// victimNote is added to every typology that moves a possible victim's money.
const victimNote = " Possible victims' accounts take part only as victims (their earnings are collected); they are never the subject (FinCEN: a potential victim is not the subject of a SAR)."

// planner builds the planted and story transactions (bounded in number).
type planner struct {
	r          *rand.Rand
	w          *world
	start, end int64
	h          int64 // one "hour" of typology time, shrunk for short windows
	txs        []tx
	typs       []truth.Typology
	threshold  string
}

// usd converts whole US dollars plus random cents to minor units of cur.
func (p *planner) usd(lo, hi int, cur int) int64 {
	v := int64(lo+p.r.IntN(hi-lo+1))*100 + int64(p.r.IntN(100))
	return convert(v, 0, cur)
}

// bank adds a bank transfer paying amount (minor units of the payer's currency).
func (p *planner) bank(from, to int, t int64, amount int64, format, kind uint8, typ int, memo string) *tx {
	a, b := p.w.accts[from], p.w.accts[to]
	x := tx{t: p.clamp(t), from: int32(from), to: int32(to), paid: amount, recv: convert(amount, a.cur, b.cur),
		typ: int32(typ), rail: railBank, format: format, kind: kind, laundering: typ >= 0, story: a.story || b.story, memo: memo}
	p.txs = append(p.txs, x)
	return &p.txs[len(p.txs)-1]
}

// crypto adds a BTC (satoshi) or token transfer.
func (p *planner) crypto(from, to int, t int64, amount, fee int64, token uint8, typ int) {
	a, b := p.w.accts[from], p.w.accts[to]
	x := tx{t: p.clamp(t), from: int32(from), to: int32(to), paid: amount, recv: amount, fee: fee, typ: int32(typ),
		rail: uint8(a.rail), token: token, laundering: typ >= 0, story: a.story || b.story}
	p.txs = append(p.txs, x)
}

// clamp keeps t inside the window.
func (p *planner) clamp(t int64) int64 { return max(p.start, min(t, p.end-1)) }

// typology opens a planted pattern and returns its index.
func (p *planner) typology(kind, desc string, flags ...string) int {
	p.typs = append(p.typs, truth.Typology{ID: "typ-" + strconv.Itoa(len(p.typs)+1), Kind: kind, RedFlags: flags, Description: desc})
	return len(p.typs) - 1
}

// slot returns the start of the k-th of n equal segments of the window.
func (p *planner) slot(k, n int) int64 {
	return p.start + (p.end-p.start)*int64(k+1)/int64(n+2)
}

// jitter returns a random duration in [lo, hi) typology hours.
func (p *planner) jitter(lo, hi int) int64 {
	return int64(lo)*p.h + p.r.Int64N(int64(hi-lo)*p.h+1)
}

// night moves t to a time between 22:00 and 03:59 of the same night.
func night(r *rand.Rand, t int64) int64 {
	day := floorDiv(t, 86400) * 86400
	return day + 22*3600 + r.Int64N(6*3600)
}

// plan builds every planted typology and the story's everyday activity,
// sorted by time.
func (p *planner) plan() {
	steps := []func(int64){p.fanIn, p.fanOut, p.cycle, p.scatterGather, p.gatherScatter, p.structuring,
		p.funnel, p.passThrough, p.adPayments, p.livingCosts, p.manySenders, p.offHours, p.darknetCrypto}
	for k, step := range steps {
		step(p.slot(k, len(steps)))
	}
	p.everyday()
	p.tripPayments(p.slot(2, len(steps)))
	slices.SortStableFunc(p.txs, func(a, b tx) int { return cmpInt(a.t, b.t) })
	p.accountsOfTypologies()
}

// cmpInt compares two int64.
func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// accountsOfTypologies lists the accounts of each typology's transactions.
func (p *planner) accountsOfTypologies() {
	seen := make([]map[int32]bool, len(p.typs))
	for _, x := range p.txs {
		if x.typ < 0 {
			continue
		}
		if seen[x.typ] == nil {
			seen[x.typ] = map[int32]bool{}
		}
		for _, a := range []int32{x.from, x.to} {
			if !seen[x.typ][a] {
				seen[x.typ][a] = true
				p.typs[x.typ].Accounts = append(p.typs[x.typ].Accounts, p.w.accts[a].ID)
			}
		}
	}
}

// fanIn: buyers pay possible victims at night; each victim's earnings are
// collected by the controller shortly after they arrive.
func (p *planner) fanIn(t0 int64) {
	c := p.w.controllers[0]
	typ := p.typology("fan_in", "Fan-in: possible victims' earnings from clients collected by the controller within hours."+victimNote, flag2014Abroad)
	for _, v := range p.w.victims {
		cur := p.w.accts[v].cur
		t := t0 + p.jitter(0, 24)
		var got int64
		for range 2 + p.r.IntN(3) {
			t = night(p.r, t+p.jitter(1, 20))
			amt := p.usd(40, 160, cur)
			got += amt
			buyer := pick(p.r, p.w.persons[p.w.accts[v].country])
			p.bank(buyer, v, t, amt, fmtACH, kEarnings, -1, "")
		}
		p.bank(v, c, t+p.jitter(1, 6), got*int64(80+p.r.IntN(21))/100, fmtACH, kCollect, typ, "")
	}
}

// fanOut: the controller pays many accounts within a few hours.
func (p *planner) fanOut(t0 int64) {
	c := p.w.controllers[0]
	typ := p.typology("fan_out", "Fan-out: the controller pays several mule and suspect accounts within hours.")
	targets := append(slices.Clone(p.w.mules[:5]), p.w.suspects...)
	t := t0
	for _, m := range targets {
		if m == c {
			continue
		}
		t += p.jitter(0, 1) + 60
		p.bank(c, m, t, p.usd(200, 900, p.w.accts[c].cur), fmtACH, kTransfer, typ, "")
	}
}

// cycle: money goes round controller → mules → controller, hop after hop.
func (p *planner) cycle(t0 int64) {
	c := p.w.controllers[0]
	typ := p.typology("cycle", "Cycle: funds leave the controller and return through three mules; each hop follows the previous one.")
	path := []int{c, p.w.mules[0], p.w.mules[1], p.w.mules[2], c}
	amt := p.usd(2000, 5000, p.w.accts[c].cur)
	t := t0
	for i := 0; i+1 < len(path); i++ {
		t += p.jitter(2, 12) + 60
		p.bank(path[i], path[i+1], t, amt, fmtWire, kTransfer, typ, "")
		amt = convert(amt, p.w.accts[path[i]].cur, p.w.accts[path[i+1]].cur) * int64(97+p.r.IntN(3)) / 100
	}
}

// scatterGather: the controller splits money over mules, which all forward
// to the financier.
func (p *planner) scatterGather(t0 int64) {
	c, f := p.w.controllers[0], p.w.financiers[0]
	typ := p.typology("scatter_gather", "Scatter-gather: the controller splits funds over four mules; each forwards its share to the financier after receiving it.")
	for i, m := range p.w.mules[3:7] {
		t := t0 + int64(i)*p.h/2 + 60
		amt := p.usd(500, 1500, p.w.accts[c].cur)
		p.bank(c, m, t, amt, fmtACH, kTransfer, typ, "")
		out := convert(amt, p.w.accts[c].cur, p.w.accts[m].cur) * 98 / 100
		p.bank(m, f, t+p.jitter(3, 24)+60, out, fmtWire, kTransfer, typ, "")
	}
}

// gatherScatter: mules pay one hub, which then pays several accounts.
func (p *planner) gatherScatter(t0 int64) {
	hub := p.w.mules[7]
	typ := p.typology("gather_scatter", "Gather-scatter: four accounts pay one hub, which pays four others only after all funds arrived.")
	t := t0
	var total int64
	for _, m := range p.w.mules[0:4] {
		t += p.jitter(1, 4) + 60
		amt := p.usd(300, 800, p.w.accts[m].cur)
		total += convert(amt, p.w.accts[m].cur, p.w.accts[hub].cur)
		p.bank(m, hub, t, amt, fmtACH, kTransfer, typ, "")
	}
	outs := []int{p.w.controllers[0], p.w.financiers[0], p.w.mules[4], p.w.mules[5]}
	for _, o := range outs {
		t += p.jitter(1, 6) + 60
		p.bank(hub, o, t, total/5, fmtWire, kTransfer, typ, "")
	}
}

// structuring: many cash deposits just under the reporting threshold.
func (p *planner) structuring(t0 int64) {
	s := p.w.controllers[0]
	for _, i := range p.w.suspects {
		if p.w.accts[i].cur == 0 {
			s = i // prefer a USD account: the threshold is read in its currency
			break
		}
	}
	thr, ok := parseDecimal(p.threshold, 2)
	if !ok || thr < 10000 {
		thr = 1000000
	}
	typ := p.typology("structuring", "Structuring: repeated cash deposits just under the reporting threshold of "+p.threshold+" "+p.w.accts[s].Currency+".", flagAvoidReport, flagCashNoACH)
	t := t0
	city := countries[p.w.accts[s].country].cities
	for range 8 + p.r.IntN(6) {
		t = floorDiv(t+p.jitter(6, 20), 86400)*86400 + 9*3600 + p.r.Int64N(8*3600)
		amt := thr * int64(900+p.r.IntN(99)) / 1000
		p.bank(s, s, t, amt, fmtCash, kCashDeposit, typ, "SUC. "+upper(city[p.r.IntN(len(city))]))
	}
}

// funnel: cash paid in at branches in many cities, then wired abroad quickly.
func (p *planner) funnel(t0 int64) {
	m := p.w.mules[3] // US mule
	typ := p.typology("funnel", "Funnel account: cash deposits at branches in several cities, wired out to another country within a day of the last deposit.", flag2014Funnel, flagGeography, flagCashNoACH)
	cities := countries[p.w.accts[m].country].cities
	t := t0
	var total int64
	for i := range 6 {
		t += p.jitter(2, 10) + 60
		amt := p.usd(900, 3000, p.w.accts[m].cur)
		total += amt
		p.bank(m, m, t, amt, fmtCash, kCashDeposit, typ, "SUC. "+upper(cities[i%len(cities)]))
	}
	p.bank(m, p.w.controllers[0], t+p.jitter(2, 20)+60, total*95/100, fmtWire, kTransfer, typ, "")
}

// passThrough: USDT from an exchange lands in a suspect's TRON wallet and
// leaves for another of the financier's wallets within the hour.
func (p *planner) passThrough(t0 int64) {
	in, out := p.w.storyWallets["tron"][0], p.w.storyWallets["tron"][1]
	typ := p.typology("rapid_pass_through", "Rapid pass-through: USDT received from an exchange leaves the wallet again within an hour.")
	for i := range 3 {
		t := t0 + int64(i)*p.jitter(6, 24)
		amt := int64(1500+p.r.IntN(6000)) * 1000000
		p.crypto(p.w.exchangeTron, in, t, amt, 0, tokUSDT, typ)
		p.crypto(in, out, t+600+p.r.Int64N(3000), amt-1000000, 0, tokUSDT, typ)
	}
}

// adPayments: frequent small card payments to foreign online classified
// sites, plus prepaid card top-ups with the card number in the memo. Every
// second ad is paid with a possible victim's own card, as when ads are
// posted in her name: the red flag then names her account too, and she must
// appear in it as a victim, never as its subject.
func (p *planner) adPayments(t0 int64) {
	a := p.w.advertisers[0]
	typ := p.typology("fincen_ad_payments", "FinCEN red flags: frequent small payments to foreign online classified and ad sites, and prepaid card purchases; some paid with a possible victim's card, whose account takes part only as a victim's, never as the subject (FinCEN: a potential victim is not the subject of a SAR).", flagForeignAds, flag2014AdFees, flagPrepaid)
	t := t0
	for i := range 12 + p.r.IntN(10) {
		t += p.jitter(4, 30) + 60
		site := pick(p.r, p.w.adSites)
		payer := a
		if i%2 == 1 && len(p.w.victims) > 0 {
			payer = p.w.victims[0]
		}
		p.bank(payer, site, t, p.usd(5, 45, p.w.accts[payer].cur), fmtCard, kPurchase, typ, "COMPRA INTERNET "+p.w.accts[site].name+" PUBLICACION")
	}
	for range 3 {
		t += p.jitter(4, 30) + 60
		card := ident.Card(p.r)
		x := p.bank(a, p.w.prepaid, t, p.usd(50, 200, p.w.accts[a].cur), fmtCard, kPurchase, typ, "RECARGA TARJETA PREPAGO "+card)
		x.card = card
	}
}

// livingCosts: rooms, bus and flight tickets paid for several people, by
// the financier: the one who pays for hotels and travel (issue 6's roles).
func (p *planner) livingCosts(t0 int64) {
	c := p.w.financiers[0]
	typ := p.typology("fincen_living_costs", "FinCEN red flags: hotel rooms, bus and flight tickets paid by one suspect, the financier, for several people.", flagLivingCosts, flag2014Lodging)
	t := t0
	for range 8 + p.r.IntN(6) {
		t += p.jitter(3, 18) + 60
		n := 3 + p.r.IntN(5)
		var dest int
		var memo string
		switch p.r.IntN(3) {
		case 0:
			dest = pick(p.r, p.w.hotels)
			memo = "HOSPEDAJE " + p.w.accts[dest].name + " " + strconv.Itoa(n) + " HABITACIONES"
		case 1:
			dest = pick(p.r, p.w.buses)
			memo = "BOLETOS " + p.w.accts[dest].name + " " + strconv.Itoa(n) + " PASAJEROS"
		default:
			dest = pick(p.r, p.w.air)
			memo = "BOLETOS AEREOS " + p.w.accts[dest].name + " " + strconv.Itoa(n) + " PASAJEROS"
		}
		p.bank(c, dest, t, p.usd(25*n, 90*n, p.w.accts[c].cur), fmtCard, kPurchase, typ, memo)
	}
}

// tripPayments: the financier pays the transporter for each crossing, by
// the number of people moved, the trip in the memo. Not a laundering
// typology: the everyday money of a smuggling route, which tells the
// transporter apart (issue 6's roles). Cases without a transporter's bank
// account have none.
func (p *planner) tripPayments(t0 int64) {
	if len(p.w.transporters) == 0 {
		return
	}
	f, tr := p.w.financiers[0], p.w.transporters[0]
	t := t0
	for range 4 + p.r.IntN(4) {
		t += p.jitter(12, 72) + 60
		n := 2 + p.r.IntN(5)
		p.bank(f, tr, t, p.usd(150*n, 400*n, p.w.accts[f].cur), fmtWire, kTransfer, -1, "PAGO TRASLADO "+strconv.Itoa(n)+" PERSONAS")
	}
}

// manySenders: senders in several countries wire money to one beneficiary.
func (p *planner) manySenders(t0 int64) {
	b := p.w.suspects[p.r.IntN(len(p.w.suspects))]
	typ := p.typology("fincen_many_senders", "FinCEN red flags: many senders in different countries wire money to one beneficiary.", flagGeography, flag2014Abroad)
	t := t0
	for i := range 10 {
		t += p.jitter(1, 10) + 60
		from := pick(p.r, p.w.persons[(i*3+1)%len(countries)])
		p.bank(from, b, t, p.usd(150, 600, p.w.accts[from].cur), fmtWire, kRemit, typ, "")
	}
}

// offHours: a front business receives cash and card payments late at night
// and at weekends.
func (p *planner) offHours(t0 int64) {
	f := p.w.business[0]
	typ := p.typology("fincen_off_hours", "FinCEN red flags: a business takes cash and card payments late at night and at weekends, far above its size.", flagOffHours, flagCashNoACH)
	t := t0
	for i := range 16 {
		t = night(p.r, t+p.jitter(10, 30))
		if i%2 == 0 {
			p.bank(f, f, t, p.usd(600, 2500, p.w.accts[f].cur), fmtCash, kCashDeposit, typ, "CAJERO NOCTURNO")
		} else {
			buyer := pick(p.r, p.w.persons[p.w.accts[f].country])
			p.bank(buyer, f, t, p.usd(60, 300, p.w.accts[f].cur), fmtCard, kGrocery, typ, "")
		}
	}
}

// darknetCrypto: BTC payments from a suspect's wallet to a darknet service.
func (p *planner) darknetCrypto(t0 int64) {
	w := p.w.storyWallets["btc"][0]
	typ := p.typology("fincen_darknet_crypto", "FinCEN red flags: BTC bought at an exchange and paid to a darknet ad-hosting service.", flagDarknet)
	t := t0
	for range 4 {
		t += p.jitter(6, 30) + 60
		sat := int64(200000 + p.r.IntN(3000000))
		p.crypto(p.w.exchangeBTC, w, t, sat, 1200+int64(p.r.IntN(4000)), 0, typ)
		p.crypto(w, p.w.darknet, t+p.jitter(1, 4)+60, sat-20000, 1200+int64(p.r.IntN(4000)), 0, typ)
	}
}

// everyday gives every story bank account ordinary activity: groceries,
// rent, utilities and, for victims, small purchases only.
func (p *planner) everyday() {
	days := (p.end - p.start) / 86400
	for i, a := range p.w.accts {
		if !a.story || a.rail != railBank {
			continue
		}
		c := a.country
		for d := int64(0); d < min(days, 400); d++ {
			t := p.start + d*86400 + 8*3600 + p.r.Int64N(12*3600)
			switch {
			case p.r.IntN(3) == 0:
				p.bank(i, pick(p.r, p.w.shops[c]), t, p.usd(5, 60, a.cur), fmtCard, kGrocery, -1, "")
			case d%30 == 3:
				p.bank(i, pick(p.r, p.w.landlords[c]), t, p.usd(150, 500, a.cur), fmtACH, kRent, -1, "")
			case d%30 == 10:
				p.bank(i, pick(p.r, p.w.utilities[c]), t, p.usd(15, 80, a.cur), fmtACH, kUtility, -1, "")
			case d%15 == 14 && !isVictim(a.Role):
				p.bank(pick(p.r, p.w.employers[c]), i, t, p.usd(400, 1200, a.cur), fmtACH, kSalary, -1, "")
			}
		}
	}
}

// upper upper-cases ASCII letters.
func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}
