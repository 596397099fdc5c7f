// Package extract finds selectors — phone numbers, e-mail addresses, URLs,
// domains, onion services, social handles, crypto addresses, IBANs, payment
// cards, IP addresses and coordinates — in text, including the obfuscated
// forms traffickers use to evade filters (numbers written as words, emoji
// keycap digits, separators, "arroba"/"punto").
//
// Every selector carries the exact byte range of its written form in the
// input, so a statement built from it can point back to the original bytes
// ("bytes:Start-End"). The package is pure: no I/O besides the optional
// io.Reader of Scanner, no mutable globals, no regular expressions (only
// libphonenumber, once per distinct candidate number, uses them).
//
// Phone numbers written without a calling code (how people dictate them,
// and how every obfuscated form is written) are resolved against, in
// order: numbers with a calling code on the same line, countries named near
// them, the regions most written with a calling code in the same input,
// Options.Region, and Options.KnownPhones.
package extract

import (
	"cmp"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Selector kinds, spelled as in the training generator's truth.json.
const (
	KindPhone       = "phone"
	KindEmail       = "email"
	KindURL         = "url"
	KindDomain      = "domain"
	KindOnion       = "onion"
	KindHandle      = "handle"
	KindBTC         = "btc"
	KindETH         = "eth"
	KindTRON        = "tron"
	KindIBAN        = "iban"
	KindCard        = "card"
	KindIPv4        = "ipv4"
	KindIPv6        = "ipv6"
	KindCoordinates = "coordinates"
)

// AllKinds lists every kind the package extracts, in a stable order.
func AllKinds() []string {
	return []string{KindPhone, KindEmail, KindURL, KindDomain, KindOnion, KindHandle,
		KindBTC, KindETH, KindTRON, KindIBAN, KindCard, KindIPv4, KindIPv6, KindCoordinates}
}

// Obfuscation kinds, spelled as in the training generator's truth.json.
const (
	ObfNone          = ""
	ObfWordsES       = "words_es"
	ObfWordsEN       = "words_en"
	ObfSeparators    = "separators"
	ObfEmojiDigits   = "emoji_digits"
	ObfUnicodeDigits = "unicode_digits"
	ObfAtDot         = "at_dot"
)

// Selector is one identifier found in the input.
type Selector struct {
	Kind        string // one of the Kind constants
	Value       string // normalised: E.164, lower-case e-mail, handle without "@", electronic IBAN, ...
	Raw         string // exactly the bytes of the input between Start and End
	Start, End  int64  // byte offsets of Raw in the input (absolute for Scanner)
	Obfuscation string // one of the Obf constants
	Valid       bool   // passed its checksum or numbering-plan validation
	Reason      string // why it is not valid (only when Valid is false)
	Platform    string // for handles: instagram, telegram, whatsapp, ...; "" when unknown
	Context     string // a snippet of the input around the selector, valid UTF-8
}

// Locator is the selector's place in its input, "bytes:Start-End" (End
// exclusive), the form a statement's locator takes for byte ranges.
func (s Selector) Locator() string {
	return "bytes:" + strconv.FormatInt(s.Start, 10) + "-" + strconv.FormatInt(s.End, 10)
}

// Options tune a scan.
type Options struct {
	// Region is an ISO 3166 alpha-2 hint for phone numbers written without
	// a calling code, e.g. the case's jurisdiction ("CR"). Hints found in the
	// text itself (a "+506" number or "Costa Rica" on the same line) come first.
	Region string
	// Kinds restricts the scan to these kinds; empty means all.
	Kinds []string
	// Decoys also returns near-misses (right shape, failed validation) with
	// Valid=false and a Reason.
	Decoys bool
	// ContextBytes is the number of bytes of context kept on each side; 0
	// means 40, a negative number no context at all.
	ContextBytes int
	// KnownPhones are E.164 numbers already known in the case (e.g. from
	// other evidence). A number written without its calling code whose
	// digits equal a known number's national number resolves to it first.
	KnownPhones []string
}

// Scan returns the selectors found in text, ordered by Start. It never
// modifies text. Invalid near-misses are returned only with opts.Decoys.
func Scan(text []byte, opts Options) []Selector {
	return ScanAppend(nil, text, opts)
}

// ScanAppend appends the selectors found in text, ordered by Start, to dst
// and returns the extended slice, so a caller scanning many buffers can
// reuse one slice. It never modifies text.
func ScanAppend(dst []Selector, text []byte, opts Options) []Selector {
	s := newScan(text, opts, 0, nil)
	s.out = dst
	s.run()
	s.fillContext(s.out[len(dst):])
	return s.out
}

// scan is the state of one pass over a buffer.
type scan struct {
	text       []byte
	opts       Options
	base       int64 // absolute offset of text[0]
	want       uint32
	out        []Selector
	first      int    // s.out[first:] are this scan's selectors
	done, pass []span // byte ranges claimed by earlier passes and by this one
	passSorted bool
	ph         *phoneState
	hints      []hint
	idx        index
}

type span struct{ start, end int }

func newScan(text []byte, opts Options, base int64, ph *phoneState) *scan {
	if ph == nil {
		ph = newPhoneState(opts.KnownPhones)
	}
	s := &scan{text: text, opts: opts, base: base, ph: ph}
	s.want = kindMask(opts.Kinds)
	return s
}

func kindMask(kinds []string) uint32 {
	if len(kinds) == 0 {
		return ^uint32(0)
	}
	var m uint32
	for _, k := range kinds {
		if i := kindIndex(k); i >= 0 {
			m |= 1 << i
		}
	}
	return m
}

func (s *scan) wants(kind string) bool {
	i := kindIndex(kind)
	return i >= 0 && s.want&(1<<i) != 0
}

// run applies the extractors in order of strength: what a stronger,
// checksummed kind claims is not re-read as a weaker one.
func (s *scan) run() {
	s.first = len(s.out)
	s.idx.build(s.text)
	for _, pass := range []func(){
		s.scanURLs, s.scanEmails, s.scanObfuscatedEmails, s.scanHandles,
		s.scanWords,  // crypto addresses, IBANs, onions
		s.scanColons, // IPv6
		s.scanDigits, // cards, IPv4, coordinates, phones
		s.scanDomains,
	} {
		s.beginPass()
		pass()
	}
	slices.SortStableFunc(s.out[s.first:], func(a, b Selector) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(b.End, a.End))
	})
}

// Claims: base holds the ranges of earlier passes, sorted and merged; pass
// holds the current pass's claims, sorted by start because every pass
// moves left to right (passSorted says when one did not).

// beginPass merges the previous pass's claims into base.
func (s *scan) beginPass() {
	s.done = append(s.done, s.pass...)
	slices.SortFunc(s.done, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	out := s.done[:0]
	for _, t := range s.done {
		if n := len(out); n > 0 && t.start < out[n-1].end {
			out[n-1].end = max(out[n-1].end, t.end)
			continue
		}
		out = append(out, t)
	}
	s.done, s.pass, s.passSorted = out, s.pass[:0], true
}

// claim marks [start,end) as taken by a selector.
func (s *scan) claim(start, end int) {
	if n := len(s.pass); n > 0 && start < s.pass[n-1].end {
		s.passSorted = false
	}
	s.pass = append(s.pass, span{start, end})
}

// claimed reports whether [start,end) overlaps a range already claimed.
func (s *scan) claimed(start, end int) bool {
	if overlaps(s.done, start, end) {
		return true
	}
	if !s.passSorted {
		s.beginPass()
		return overlaps(s.done, start, end)
	}
	return overlaps(s.pass, start, end)
}

// overlaps searches disjoint spans sorted by start.
func overlaps(spans []span, start, end int) bool {
	k, _ := slices.BinarySearchFunc(spans, start, func(t span, x int) int { return cmp.Compare(t.end, x+1) })
	return k < len(spans) && spans[k].start < end
}

// emit records a selector over text[start:end] and claims its range.
func (s *scan) emit(kind string, start, end int, value, obf string, valid bool, reason string) *Selector {
	if valid {
		s.claim(start, end)
	}
	return s.emitInner(kind, start, end, value, obf, valid, reason)
}

// emitInner records a selector inside a range its caller claims (the
// domain of a URL, the handle of a profile link).
func (s *scan) emitInner(kind string, start, end int, value, obf string, valid bool, reason string) *Selector {
	if !valid && !s.opts.Decoys || !s.wants(kind) {
		return nil
	}
	s.out = append(s.out, Selector{
		Kind: kind, Value: value, Raw: string(s.text[start:end]),
		Start: s.base + int64(start), End: s.base + int64(end),
		Obfuscation: obf, Valid: valid, Reason: reason,
	})
	return &s.out[len(s.out)-1]
}

// fillContext sets the Context of sels, selectors of this scan, once
// they are final (the Scanner drops those of the overlap first).
func (s *scan) fillContext(sels []Selector) {
	if s.opts.ContextBytes < 0 {
		return
	}
	for k := range sels {
		sel := &sels[k]
		sel.Context = s.context(int(sel.Start-s.base), int(sel.End-s.base))
	}
}

// context returns the bytes around [start,end), cut on rune boundaries.
func (s *scan) context(start, end int) string {
	n := s.opts.ContextBytes
	if n == 0 {
		n = 40
	}
	a, b := max(0, start-n), min(len(s.text), end+n)
	for a < start && !utf8.RuneStart(s.text[a]) {
		a++
	}
	for b > end && b < len(s.text) && !utf8.RuneStart(s.text[b]) {
		b--
	}
	return string(s.text[a:b])
}

// kindIndex is the bit of kind in a kind mask, -1 when unknown.
func kindIndex(kind string) int {
	switch kind {
	case KindPhone:
		return 0
	case KindEmail:
		return 1
	case KindURL:
		return 2
	case KindDomain:
		return 3
	case KindOnion:
		return 4
	case KindHandle:
		return 5
	case KindBTC:
		return 6
	case KindETH:
		return 7
	case KindTRON:
		return 8
	case KindIBAN:
		return 9
	case KindCard:
		return 10
	case KindIPv4:
		return 11
	case KindIPv6:
		return 12
	case KindCoordinates:
		return 13
	}
	return -1
}
