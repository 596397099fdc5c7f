package ads

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/rastro/rastro/synth/truth"
)

// Fields of an ad that can hold identifiers.
const (
	fTitle = iota
	fBody
	fPhones
	fContacts
)

// mark is an identifier written inside a field of the ad being built.
type mark struct {
	field, idx, pos int // field, element of phones/contacts, byte position in the raw field
	sel             truth.Selector
}

// adv is the ad being built; its buffers are reused from ad to ad.
type adv struct {
	id               int64
	site             site
	city             city
	category, lang   string
	tmpl             string
	posted           time.Time
	title, body      []byte
	phones, contacts []string
	price            int64
	cur              currency
	images           int
	marks            []mark
	org              *orgState
	market           string // dark-web market onion, "" on the clear web
	vals             [nSlots]string
}

// reset empties a for the next ad.
func (a *adv) reset() {
	a.title, a.body = a.title[:0], a.body[:0]
	a.phones, a.contacts, a.marks = a.phones[:0], a.contacts[:0], a.marks[:0]
	a.org, a.market, a.price = nil, "", 0
}

// buildStory fills g.a with an ad of organisation o posted at at.
func (g *gen) buildStory(r *rand.Rand, o *orgState, at time.Time, html bool) {
	a := &g.a
	a.reset()
	a.org = o
	t := &o.tmpls[r.IntN(len(o.tmpls))]
	if html && o.dark != nil && r.IntN(2) == 0 {
		t, a.market = o.dark, o.market
	}
	a.tmpl, a.category, a.lang = t.id, t.category, t.lang
	a.city = o.cities[r.IntN(len(o.cities))]
	a.site = g.sites[r.IntN(3)]
	if t.lang == "en" {
		a.site = g.sites[3]
	}
	a.cur = currencyOf(a.city.country)
	if o.Purpose != "labour" && o.Purpose != "begging" {
		a.price = roundPrice(int64(40+r.IntN(110)) * int64(a.cur.scale))
	}
	a.posted = at.In(g.zone(a.city.country))
	a.id = g.newID(r)
	a.images = r.IntN(5)
	g.drawWords(r, a)
	a.vals[sDest] = o.destination(r, a.vals[sDest])
	a.title = g.render(r, a.title, t.title, fTitle)
	a.body = g.render(r, a.body, t.body, fBody)
	g.structuredContacts(r, o)
}

// structuredContacts fills the site's own phone and contact fields, which
// show an org identifier in plain or lightly separated form.
func (g *gen) structuredContacts(r *rand.Rand, o *orgState) {
	a := &g.a
	if a.market != "" {
		return
	}
	if r.IntN(2) == 0 {
		ph := o.Phones[r.IntN(len(o.Phones))]
		obf := [...]string{ObfNone, ObfSeparators}[r.IntN(2)]
		form := phoneForm(r, ph, obf)
		a.marks = append(a.marks, mark{field: fPhones, idx: len(a.phones), sel: o.sel("phone", ph, form, obf)})
		a.phones = append(a.phones, form)
	}
	if len(o.Handles) > 0 && r.IntN(2) == 0 {
		h := o.Handles[r.IntN(len(o.Handles))]
		form := "@" + strings.TrimPrefix(h, "@")
		a.marks = append(a.marks, mark{field: fContacts, idx: len(a.contacts), sel: o.sel("handle", normHandle(h), form, ObfNone)})
		a.contacts = append(a.contacts, form)
	}
}

// destination returns a US or Mexican city of the org if it names one.
func (o *orgState) destination(r *rand.Rand, fallback string) string {
	for _, c := range o.cities {
		if c.country == "US" || c.country == "MX" {
			return c.name
		}
	}
	return fallback
}

// sel returns a selector owned by the org's poster; File and Offset are set when written.
func (o *orgState) sel(kind, value, form, obf string) truth.Selector {
	return truth.Selector{Kind: kind, Value: value, Form: form, Obfuscation: obf, Owner: o.Poster}
}

// normHandle is the normalised form of a handle: lower case, no "@".
func normHandle(h string) string { return strings.ToLower(strings.TrimPrefix(h, "@")) }

// drawWords picks this ad's value for every word-list slot, so a slot
// used twice (title and body) reads the same.
func (g *gen) drawWords(r *rand.Rand, a *adv) {
	for s, list := range g.words {
		if len(list) > 0 {
			a.vals[s] = list[r.IntN(len(list))]
		}
	}
}

// render appends the filled segments to dst; literal text of story ads
// goes through the org's spelling variants half of the time.
func (g *gen) render(r *rand.Rand, dst []byte, segs []seg, field int) []byte {
	a := &g.a
	o := a.org
	vary := o != nil && r.IntN(2) == 0
	for _, s := range segs {
		switch {
		case s.slot == sLit && vary:
			dst = append(dst, o.spelling.Replace(s.lit)...)
		case s.slot == sLit:
			dst = append(dst, s.lit...)
		case s.slot == sCity:
			dst = append(dst, a.city.name...)
		case s.slot == sPrice:
			dst = appendPrice(dst, a.cur, a.price)
		case s.slot == sPhone || s.slot == sPhone2 || s.slot == sEmail || s.slot == sHandle || s.slot == sOnion:
			dst = g.identifier(r, dst, s.slot, field)
		default:
			dst = append(dst, a.vals[s.slot]...)
		}
	}
	return dst
}

// identifier appends an identifier slot: the org's, obfuscated and
// recorded as a mark, or the background poster's, written plainly.
func (g *gen) identifier(r *rand.Rand, dst []byte, slot, field int) []byte {
	a := &g.a
	o := a.org
	if o == nil {
		return append(dst, a.vals[slot]...)
	}
	var sel truth.Selector
	switch slot {
	case sPhone, sPhone2:
		ph := o.Phones[r.IntN(len(o.Phones))]
		if slot == sPhone2 && len(o.Phones) > 1 {
			ph = o.Phones[1+r.IntN(len(o.Phones)-1)]
		}
		obf := o.obfs[r.IntN(len(o.obfs))]
		sel = o.sel("phone", ph, phoneForm(r, ph, obf), obf)
	case sEmail:
		if len(o.Emails) == 0 {
			return g.identifier(r, dst, sPhone, field)
		}
		e := o.Emails[r.IntN(len(o.Emails))]
		obf := [...]string{ObfNone, ObfAtDot}[r.IntN(2)]
		sel = o.sel("email", strings.ToLower(e), emailForm(r, e, obf), obf)
	case sHandle:
		if len(o.Handles) == 0 {
			return g.identifier(r, dst, sPhone, field)
		}
		h := strings.TrimPrefix(o.Handles[r.IntN(len(o.Handles))], "@")
		sel = o.sel("handle", normHandle(h), h, ObfNone)
	case sOnion:
		sel = o.sel("onion", strings.ToLower(o.onion), o.onion, ObfNone)
	}
	a.marks = append(a.marks, mark{field: field, pos: len(dst), sel: sel})
	return append(dst, sel.Form...)
}

// buildBackground fills g.a with an ordinary ad by a background poster.
func (g *gen) buildBackground(r *rand.Rand, at time.Time) {
	a := &g.a
	a.reset()
	p := &g.posters[r.IntN(len(g.posters))]
	n := len(g.bgTmpl) - 1 // the last template is in English: US posters only
	if p.city.country == "US" {
		n++
	}
	t := &g.bgTmpl[r.IntN(n)]
	a.tmpl, a.category, a.lang, a.city = t.id, t.category, t.lang, p.city
	a.site = g.sites[r.IntN(3)]
	if p.city.country == "US" {
		a.site = g.sites[3]
	}
	a.cur = currencyOf(p.city.country)
	a.price = roundPrice(backgroundPrice(r, t.category) * int64(a.cur.scale))
	a.posted = at.In(g.zone(p.city.country))
	a.id = g.newID(r)
	a.images = r.IntN(6)
	g.drawWords(r, a)
	a.vals[sPhone], a.vals[sEmail] = p.display, p.email
	a.title = g.render(r, a.title, t.title, fTitle)
	a.body = g.render(r, a.body, t.body, fBody)
	if r.IntN(3) > 0 {
		a.phones = append(a.phones, p.display)
	}
}

// backgroundPrice draws a price in US dollars for an ad category.
func backgroundPrice(r *rand.Rand, category string) int64 {
	switch category {
	case "autos":
		return 2500 + r.Int64N(22500)
	case "alquileres":
		return 200 + r.Int64N(700)
	case "servicios":
		return 10 + r.Int64N(30)
	case "empleos":
		return 0
	}
	return 20 + r.Int64N(680)
}

// roundPrice rounds a price to two significant digits, as people write them.
func roundPrice(n int64) int64 {
	m := int64(1)
	for n/m >= 100 {
		m *= 10
	}
	return n / m * m
}

// appendPrice writes an amount with the currency symbol and thousands commas.
func appendPrice(dst []byte, c currency, n int64) []byte {
	dst = append(dst, c.symbol...)
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], n, 10)
	for i, d := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, d)
	}
	return dst
}
