package extract

import (
	"slices"
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// phoneState is what phone resolution keeps across the buffers of one
// input: parse results (libphonenumber is the slow part) and how often
// each region's numbers were written with a calling code.
type phoneState struct {
	cache    map[string]string   // region + "|" + digits → E.164, "" when invalid
	region   map[string]string   // E.164 → region of a valid number
	regions  map[string]int      // region → numbers written with calling code
	national map[string][]string // national significant number → regions of known numbers
	learned  map[string]bool
	written  map[string][]string // national significant number → regions of numbers written with a calling code in this input
	wrote    map[string]bool     // the E.164 numbers counted in written
}

func newPhoneState(known []string) *phoneState {
	p := &phoneState{cache: map[string]string{}, region: map[string]string{}, regions: map[string]int{}, national: map[string][]string{}, learned: map[string]bool{}, written: map[string][]string{}, wrote: map[string]bool{}}
	for _, k := range known {
		p.learn(k)
	}
	return p
}

// learn remembers the national number of a valid E.164 number.
func (p *phoneState) learn(e164 string) {
	if p.learned[e164] {
		return
	}
	p.learned[e164] = true
	n, err := phonenumbers.Parse(e164, "")
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return
	}
	nsn := phonenumbers.GetNationalSignificantNumber(n)
	r := phonenumbers.GetRegionCodeForNumber(n)
	if !slices.Contains(p.national[nsn], r) {
		p.national[nsn] = append(p.national[nsn], r)
	}
}

// write records that e, a valid number of region, was written with its
// calling code in this input.
func (p *phoneState) write(e, region string) {
	if p.wrote[e] {
		return
	}
	p.wrote[e] = true
	cc := strconv.Itoa(phonenumbers.GetCountryCodeForRegion(region))
	if !strings.HasPrefix(e[1:], cc) {
		return
	}
	nsn := e[1+len(cc):]
	if !slices.Contains(p.written[nsn], region) {
		p.written[nsn] = append(p.written[nsn], region)
	}
}

// parse validates digits in region ("" for "+digits") and returns the
// E.164 form and the number's region, or "" when invalid.
func (p *phoneState) parse(number, region string) (string, string) {
	var buf [64]byte
	return p.parseKey(append(append(append(buf[:0], region...), '|'), number...), len(region)+1)
}

// parseKey is parse with region + "|" + number in key, the number from
// key[n:]; a cached result costs no allocation.
func (p *phoneState) parseKey(key []byte, n int) (string, string) {
	if v, ok := p.cache[string(key)]; ok {
		if v == "" {
			return "", ""
		}
		return v, p.region[v]
	}
	region, number := string(key[:n-1]), string(key[n:])
	num, err := phonenumbers.Parse(number, region)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		p.cache[string(key)] = ""
		return "", ""
	}
	e := phonenumbers.Format(num, phonenumbers.E164)
	p.cache[string(key)] = e
	p.region[e] = phonenumbers.GetRegionCodeForNumber(num)
	return e, p.region[e]
}

// phoneCandidate applies the shape rules that keep dates, times, prices,
// amounts and reference numbers from becoming phones.
func (s *scan) phoneCandidate(r *run) bool {
	if r.overflow || r.nd < 7 || r.nd > 15 {
		return false
	}
	words, emoji, uni := r.counts[tWord], r.counts[tEmoji], r.counts[tUni]
	switch {
	case words > 0:
		return words >= 4
	case emoji > 0 || uni > 0:
		return true
	}
	if !s.plainBoundaries(r) || !plausibleGroups(r) {
		return false
	}
	if r.ng == 1 && !r.plus && !(r.nd >= 7 && s.phoneKeywordBefore(r.start)) {
		return false
	}
	return true
}

// plainBoundaries rejects digit runs glued to words, or that continue a
// date, time, decimal or price.
func (s *scan) plainBoundaries(r *run) bool {
	b := s.text
	if p := r.start - 1; p >= 0 && !r.plus && b[r.start] != '(' {
		c := b[p]
		if isWordByte(c) && c < 0x80 || c == '$' || c == '#' {
			return false
		}
		if strings.IndexByte("/:.,-", c) >= 0 && p > 0 && isDigit(b[p-1]) {
			return false
		}
		if (c == '-' || c == '/') && p > 0 && isAlpha(b[p-1]) {
			return false // a reference such as "HTC-HN-2025-0001"
		}
		if c == ' ' && p > 0 && (b[p-1] == '$' || b[p-1] == '#') {
			return false
		}
	}
	if e := r.end; e < len(b) {
		c := b[e]
		if isAlnum(c) || c == '%' || c == '_' {
			return false
		}
		if strings.IndexByte("/:.,", c) >= 0 && e+1 < len(b) && isDigit(b[e+1]) {
			return false
		}
	}
	return true
}

// plausibleGroups checks the digit groups of a separated run.
func plausibleGroups(r *run) bool {
	if r.ng <= 1 {
		return true
	}
	g := r.groups[:r.ng]
	singles := 0
	for k, n := range g {
		if n == 1 && !(k == 0 && r.plus) {
			singles++
		}
	}
	if singles > 0 && singles != r.ng {
		return false
	}
	dot, comma := r.seps[2], r.seps[3]
	if (dot || comma) && !r.seps[0] && !r.seps[1] {
		thousands := true
		for _, n := range g[1:] {
			thousands = thousands && n == 3
		}
		if thousands || (r.ng == 2 && !evenSplit(r)) {
			return false // 2.909.810 or 2743.000000: an amount
		}
	}
	if r.ng == 3 && !r.plus && (g[0] == 4 && g[1] == 2 && g[2] == 2 || g[0] <= 2 && g[1] <= 2 && (g[2] == 4 || g[2] == 2)) && singles == 0 {
		return false
	}
	return true
}

// evenSplit reports whether a number in two dotted groups was split in
// halves ("9555.0147") rather than being a decimal amount ("2743.000000").
func evenSplit(r *run) bool {
	a, b := int(r.groups[0]), int(r.groups[1])
	if a < 3 || b < 3 || (b != 4 || a > 8) && (b-a > 1 || a-b > 1) {
		return false
	}
	for _, d := range r.d[a:r.nd] {
		if d != '0' {
			return true
		}
	}
	return false
}

// phoneKeywords announce a number written as bare digits.
var phoneKeywords = []string{"tel", "cel", "phone", "movil", "móvil", "whatsapp", "wsp", "whats", "wa",
	"llam", "call", "text", "sms", "número", "numero", "num", "contact", "fono", "teléfono", "telefono", "number", "escrib"}

func (s *scan) phoneKeywordBefore(start int) bool {
	ls, _ := lineBounds(s.text, start)
	w := s.text[max(ls, start-40):start]
	for i := range w {
		c := lower(w[i])
		if !strings.ContainsRune("tcpmwlsnef", rune(c)) {
			continue
		}
		for _, k := range phoneKeywords {
			if k[0] != c || !hasPrefixFold(w, i, k) {
				continue
			}
			// Short keywords must stand alone ("tel", not "hotel").
			if len(k) > 3 || wordAt(w, i, k) {
				return true
			}
		}
	}
	return false
}

func (r *run) obfuscation() string {
	switch {
	case r.counts[tWord] > 0 && r.es >= r.en:
		return ObfWordsES
	case r.counts[tWord] > 0:
		return ObfWordsEN
	case r.counts[tEmoji] > 0:
		return ObfEmojiDigits
	case r.counts[tUni] > 0:
		return ObfUnicodeDigits
	case r.ng > 1 && !r.plus:
		return ObfSeparators
	}
	return ObfNone
}

// intlPhone validates a number written with its calling code.
func (s *scan) intlPhone(r *run) bool {
	var key [32]byte
	e, region := s.ph.parseKey(append(append(key[:0], "|+"...), r.d[:r.nd]...), 1)
	if e == "" {
		return false
	}
	s.ph.regions[region]++
	s.ph.learn(e)
	s.ph.write(e, region)
	s.hints = append(s.hints, hint{pos: r.start, region: region})
	s.emit(KindPhone, r.start, r.end, e, r.obfuscation(), true, "")
	return true
}

// phoneFromDigits validates "+digits" found in a link such as wa.me/….
func (s *scan) phoneFromDigits(start, end int, number string) {
	e, _ := s.ph.parse(number, "")
	s.emitInner(KindPhone, start, end, cmpOr(e, number), "", e != "", reasonIf(e == "", "not a valid number in any numbering plan"))
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// hint is a region seen at a position: a number with calling code.
type hint struct {
	pos    int
	region string
}

// countryWords name a country, or its people, in Spanish and English.
var countryWords = []struct{ word, region string }{
	{"costa rica", "CR"}, {"tico", "CR"}, {"tica", "CR"}, {"honduras", "HN"}, {"catrach", "HN"},
	{"nicaragua", "NI"}, {"nica", "NI"}, {"guatemala", "GT"}, {"chapin", "GT"}, {"chapín", "GT"},
	{"el salvador", "SV"}, {"guanac", "SV"}, {"panam", "PA"}, {"méxico", "MX"}, {"mexico", "MX"},
	{"cdmx", "MX"}, {"dominicana", "DO"}, {"estados unidos", "US"}, {"usa", "US"}, {"colombia", "CO"},
	{"españa", "ES"}, {"venezuela", "VE"}, {"belice", "BZ"}, {"belize", "BZ"},
}

// regionsFor orders the regions to try for a national number at r: numbers
// with a calling code on the same line (nearest first), countries named
// around it, the regions most written with a calling code in this input,
// the caller's hint, then the regions of known numbers with these national
// digits. Known numbers come last on purpose: a bystander's number one digit
// off a suspect's (another calling code) must not capture the suspect's.
func (s *scan) regionsFor(r *run) []string {
	var out []string
	add := func(x string) {
		if x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	ls, le := lineBounds(s.text, r.start)
	var near []hint
	k, _ := slices.BinarySearchFunc(s.hints, ls, func(h hint, x int) int { return h.pos - x })
	for ; k < len(s.hints) && s.hints[k].pos < le; k++ {
		near = append(near, s.hints[k])
	}
	slices.SortFunc(near, func(a, b hint) int { return abs(a.pos-r.start) - abs(b.pos-r.start) })
	for _, h := range near {
		add(h.region)
	}
	countriesNamed(s.text[max(ls, r.start-200):min(le, r.end+200)], add)
	for _, x := range s.rankedRegions() {
		add(x)
	}
	add(strings.ToUpper(s.opts.Region))
	for _, x := range s.ph.national[strings.TrimLeft(string(r.d[:r.nd]), "0")] {
		add(x)
	}
	return out
}

// rankedRegions lists the regions of numbers written with a calling code
// so far, most frequent first.
func (s *scan) rankedRegions() []string {
	ranked := make([]string, 0, len(s.ph.regions))
	for k := range s.ph.regions {
		ranked = append(ranked, k)
	}
	slices.SortFunc(ranked, func(a, b string) int {
		if d := s.ph.regions[b] - s.ph.regions[a]; d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return ranked
}

// countriesNamed calls add with the region of every country word that
// starts a word of b (ASCII case folded): "ticos" and "Tica" name Costa
// Ricans, "política" does not.
func countriesNamed(b []byte, add func(string)) {
	for i := 0; i < len(b); i++ {
		if i > 0 && isWordByte(b[i-1]) || !isAlpha(b[i]) {
			continue
		}
		c := lower(b[i])
		for _, cw := range countryWords {
			if cw.word[0] == c && hasPrefixFold(b, i, cw.word) {
				add(cw.region)
			}
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// fallbackRegions are tried last for obfuscated numbers (clear intent to
// write a phone) when no hint validates them: the region of the project.
var fallbackRegions = []string{"MX", "US", "GT", "SV", "HN", "NI", "CR", "PA", "DO", "CO", "ES"}

// resolvePhones validates the numbers written without a calling code.
func (s *scan) resolvePhones(pend []run) {
	for k := range pend {
		r := &pend[k]
		digits := string(r.d[:r.nd])
		obf := r.obfuscation()
		regions := s.regionsFor(r)
		if obf == ObfWordsES || obf == ObfWordsEN || obf == ObfEmojiDigits || obf == ObfUnicodeDigits || obf == ObfSeparators {
			for _, f := range fallbackRegions {
				if !slices.Contains(regions, f) {
					regions = append(regions, f)
				}
			}
		}
		if strings.HasPrefix(digits, "00") {
			regions = append([]string{""}, regions...)
		}
		if e := s.resolve(digits, regions); e != "" {
			s.emit(KindPhone, r.start, r.end, e, obf, true, "")
			continue
		}
		if obf != ObfNone && obf != ObfSeparators {
			s.emit(KindPhone, r.start, r.end, digits, obf, false, "not a valid number for regions "+strings.Join(regions, ","))
		}
	}
}

// resolve returns the E.164 form of national digits in the first region
// of regions where it is a number written with a calling code in this
// same input, else in the first region where it is valid, else "". The
// same digits are often valid in several countries of a route (8555 0121
// in Honduras and Nicaragua); the one the writer also wrote in full is the
// better reading. Options.KnownPhones do not take part: numbers known from
// elsewhere in a case are as likely to be a neighbour country's namesake.
func (s *scan) resolve(digits string, regions []string) string {
	if written := s.ph.written[strings.TrimLeft(digits, "0")]; len(written) > 0 {
		for _, reg := range regions {
			if slices.Contains(written, reg) {
				if e, _ := s.ph.parse(digits, reg); e != "" {
					return e
				}
			}
		}
	}
	for _, reg := range regions {
		num := digits
		if reg == "" {
			num = "+" + digits[2:]
		}
		if e, _ := s.ph.parse(num, reg); e != "" {
			return e
		}
	}
	return ""
}
