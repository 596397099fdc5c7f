package resolve

import (
	"fmt"
	"math/bits"
	"strings"
)

// Level describes one comparison level of a field.
type Level struct {
	Name string `json:"name"` // short label: exact, fuzzy, different, ...
	Text string `json:"text"` // what it means, for explanations
}

// comparison compares one field of two prepared records. cmp returns the
// level index (0 = strongest agreement, -1 = missing on either side), the
// similarity that decided it (for explanations) and the value agreed on,
// whose frequency drives the term-frequency adjustment ("" for none).
// Without detail, work done only for explanations (the similarity of two
// different identifiers) is skipped; the level is the same. sc, when not
// nil and without detail, memoises outcomes per pair of interned tokens;
// the similarity reported is then 0 where it was memoised.
type comparison struct {
	field      string
	levels     []Level
	identifier bool
	nameField  bool // names and city: cannot corroborate a link alone (nameFields)
	cmp        func(a, b *prepared, detail bool, sc *simCache) (level int, sim float64, tfKey string, tfID int32)
	tfKeys     func(p *prepared) []string // values counted for term frequencies
	// tfID returns the interned ID of the value cmp reports as tfID, with
	// the value, so that term frequencies are read from a slice by ID.
	tfID func(p *prepared) (int32, string)
	// tfTokens, when not nil, returns more interned values counted for
	// term frequencies (the first two surnames) and their strings.
	tfTokens func(p *prepared) ([2]int32, []string)
}

const missing = -1

// buildComparisons returns the comparisons for the fields present in recs.
func buildComparisons(ps []prepared, generic []string, fuzzyIDs bool) []*comparison {
	var has [16]bool // given, surname, dob, ids..., city
	for i := range ps {
		p := &ps[i]
		has[0] = has[0] || len(p.given) > 0
		has[1] = has[1] || len(p.surnames) > 0
		has[2] = has[2] || p.dob != ""
		for k := range identifierFields {
			has[3+k] = has[3+k] || len(p.ids[k]) > 0
		}
		has[9] = has[9] || p.city != ""
	}
	out := buildFieldComparisons(has, generic, fuzzyIDs)
	for _, cp := range out {
		cp.nameField = nameFields[cp.field]
	}
	return out
}

// buildFieldComparisons returns the comparisons of the fields has marks.
func buildFieldComparisons(has [16]bool, generic []string, fuzzyIDs bool) []*comparison {
	var out []*comparison
	if has[0] {
		out = append(out, givenComparison())
	}
	if has[1] {
		out = append(out, surnameComparison())
	}
	if has[2] {
		out = append(out, dobComparison())
	}
	for k, f := range identifierFields {
		if has[3+k] {
			out = append(out, identifierComparison(k, f, fuzzyIDs || f == FieldDocument || f == FieldIBAN))
		}
	}
	if has[9] {
		out = append(out, stringComparison(FieldCity, func(p *prepared) string { return p.city }, []float64{0.88}, cityKey))
	}
	for i, f := range generic {
		out = append(out, stringComparison(f, func(p *prepared) string { return p.generic[i] }, []float64{0.9, 0.7}, nil))
	}
	return out
}

func givenComparison() *comparison {
	return &comparison{
		field: "given_name",
		levels: []Level{
			{"exact", "given names agree (nicknames resolved)"},
			{"fuzzy", "given names nearly agree (Jaro-Winkler ≥ 0.92, or one of several shared)"},
			{"similar", "given names sound alike or are similar (phonetic key, Jaro-Winkler ≥ 0.80)"},
			{"different", "given names differ"},
		},
		cmp: func(a, b *prepared, detail bool, sc *simCache) (int, float64, string, int32) {
			if a.givenID < 0 || b.givenID < 0 {
				return missing, 0, "", -1
			}
			if a.givenID == b.givenID {
				return 0, 1, a.given[0], a.givenID
			}
			if sc != nil && !detail {
				k := memoKey(memoGiven, a.givenID, b.givenID)
				cl, ok := sc.get(k)
				if !ok {
					cl, _ = givenClass(a, b, false)
					sc.put(k, cl)
				}
				if cl != 1 && ((a.nGiven > 1 || b.nGiven > 1) && sharedToken(a.givenTok, b.givenTok, a.nGiven, b.nGiven, a.given, b.given) || swapped(a, b, sc)) {
					cl = 1
				}
				return int(cl), 0, "", -1
			}
			cl, jw := givenClass(a, b, detail)
			if cl != 1 && ((a.nGiven > 1 || b.nGiven > 1) && sharedToken(a.givenTok, b.givenTok, a.nGiven, b.nGiven, a.given, b.given) || swapped(a, b, nil)) {
				cl = 1
			}
			return int(cl), jw, "", -1
		},
		tfKeys: func(p *prepared) []string { return p.given[:min(1, len(p.given))] },
		tfID: func(p *prepared) (int32, string) {
			if p.givenID < 0 {
				return -1, ""
			}
			return p.givenID, p.given[0]
		},
	}
}

// givenClass compares the first given names of a and b, known to
// differ: 1 when Jaro-Winkler ≥ 0.92, 2 when ≥ 0.80 or they sound alike,
// else 3, with the similarity. It depends on the two names only.
func givenClass(a, b *prepared, detail bool) (uint8, float64) {
	jw := jwSig(a.given[0], b.given[0], &a.givenSig, &b.givenSig, 0.80, detail)
	switch {
	case jw >= 0.92:
		return 1, jw
	case jw >= 0.80 || a.givenPhID == b.givenPhID:
		return 2, jw
	}
	return 3, jw
}

// surnameLevel compares the surnames of a and b, known to differ and not
// swapped with the given names: 1 when a double surname shares one, 2
// when Jaro-Winkler ≥ 0.92, 3 when ≥ 0.80 or a surname sounds alike,
// else 4, with the similarity. It depends on the two surname keys only
// (surnames are the key's tokens).
func surnameLevel(a, b *prepared, detail bool) (uint8, float64) {
	if a.nSur > 1 || b.nSur > 1 {
		if sharedToken(a.surTok, b.surTok, a.nSur, b.nSur, a.surnames, b.surnames) {
			return 1, 1
		}
	}
	jw := jwSig(a.surnameKey, b.surnameKey, &a.surKeySig, &b.surKeySig, 0.80, detail)
	if a.nSur > 1 || b.nSur > 1 {
		jw = max(jw, jwSig(a.surnames[0], b.surnames[0], &a.surSig, &b.surSig, 0.80, detail))
	}
	switch {
	case jw >= 0.92:
		return 2, jw
	case jw >= 0.80 || sharedToken(a.surPhTok, b.surPhTok, a.nSur, b.nSur, a.surnamePh, b.surnamePh):
		return 3, jw
	}
	return 4, jw
}

// sharedSurname returns firstShared(a.surnames, b.surnames) and its
// interned ID, from the IDs when both have at most two surnames (ID -1
// otherwise).
func sharedSurname(a, b *prepared) (string, int32) {
	if a.nSur <= 2 && b.nSur <= 2 {
		for k := range a.nSur {
			if x := a.surTok[k]; x == b.surTok[0] || b.nSur > 1 && x == b.surTok[1] {
				return a.surnames[k], x
			}
		}
		return "", -1
	}
	return firstShared(a.surnames, b.surnames), -1
}

func surnameComparison() *comparison {
	return &comparison{
		field: "surname",
		levels: []Level{
			{"exact", "surnames agree"},
			{"one_shared", "one of the surnames agrees (double surname)"},
			{"fuzzy", "surnames nearly agree (Jaro-Winkler ≥ 0.92)"},
			{"similar", "surnames sound alike or are similar (phonetic key, Jaro-Winkler ≥ 0.80)"},
			{"different", "surnames differ"},
		},
		cmp: func(a, b *prepared, detail bool, sc *simCache) (int, float64, string, int32) {
			if a.surID < 0 || b.surID < 0 {
				return missing, 0, "", -1
			}
			if a.surKeyID == b.surKeyID {
				return 0, 1, a.surnameKey, a.surKeyID
			}
			if swapped(a, b, sc) {
				return 2, 1, "", -1
			}
			if sc != nil && !detail {
				k := memoKey(memoSurname, a.surKeyID, b.surKeyID)
				l, ok := sc.get(k)
				if !ok {
					l, _ = surnameLevel(a, b, false)
					sc.put(k, l)
				}
				if l == 1 { // the shared surname, for its term frequency
					t, id := sharedSurname(a, b)
					return 1, 1, t, id
				}
				return int(l), 0, "", -1
			}
			l, jw := surnameLevel(a, b, detail)
			if l == 1 {
				t, id := sharedSurname(a, b)
				return 1, 1, t, id
			}
			return int(l), jw, "", -1
		},
		tfKeys: func(p *prepared) []string {
			if len(p.surnames) < 2 {
				return []string{p.surnameKey}
			}
			return append([]string{p.surnameKey}, p.surnames...)
		},
		tfID:     func(p *prepared) (int32, string) { return p.surKeyID, p.surnameKey },
		tfTokens: func(p *prepared) ([2]int32, []string) { return p.surTok, p.surnames },
	}
}

func dobComparison() *comparison {
	return &comparison{
		field: "birth_date",
		levels: []Level{
			{"exact", "dates of birth agree"},
			{"one_typo", "dates of birth differ by one digit or by swapped day and month"},
			{"two_typos", "dates of birth differ by two digits"},
			{"same_decade", "dates of birth within ten years"},
			{"different", "dates of birth more than ten years apart"},
		},
		cmp: func(a, b *prepared, detail bool, sc *simCache) (int, float64, string, int32) {
			if a.dobKey == 0 || b.dobKey == 0 {
				return missing, 0, "", -1
			}
			if a.dobKey == b.dobKey {
				return 0, 1, "", -1
			}
			d := dobDistance(a, b)
			switch {
			case d == 1 || a.dobN/10000 == b.dobN/10000 && a.dobN/100%100 == b.dobN%100 && a.dobN%100 == b.dobN/100%100:
				return 1, 1 - float64(d)/8, "", -1
			case d == 2:
				return 2, 0.75, "", -1
			case abs(int(a.dobN/10000-b.dobN/10000)) <= 10:
				return 3, 0, "", -1
			}
			return 4, 0, "", -1
		},
	}
}

// dobDistance is levenshtein(a, b, 2) for two dates of eight digits,
// from the count of differing positions when that decides it: for strings
// of equal length one edit is one substitution, so up to two differing
// positions the count is the distance.
//
// Beyond two, two strings of equal length are within two edits only by
// one deletion and one insertion with no substitution: the stretch from
// the first to the last differing position is shifted by one place, so a
// is b with one character moved. It returns 3 for any larger distance.
func dobDistance(a, b *prepared) int {
	x := a.dobKey ^ b.dobKey
	if h := differingBytes(a.dobKey, b.dobKey); h <= 2 {
		return h
	}
	i0, i1 := bits.TrailingZeros64(x)/8, 7-bits.LeadingZeros64(x)/8
	m := (uint64(1)<<(8*(i1-i0)) - 1) << (8 * i0) // bytes i0 … i1-1
	if ((a.dobKey>>8)^b.dobKey)&m == 0 || ((b.dobKey>>8)^a.dobKey)&m == 0 {
		return 2
	}
	return 3
}

// identifierComparison compares one identifier field. Near misses (one
// digit off, an e-mail with one character changed) are their own level only
// when fuzzy is set: for identifiers a machine read off a phone or a chat,
// a near miss is a different line or account — the lookalike that confuses
// a bystander with a suspect — so it counts as different.
func identifierComparison(k int, field string, fuzzy bool) *comparison {
	near := Level{"near", "identifiers differ by one character (Levenshtein 1)"}
	switch field {
	case FieldEmail:
		near = Level{"near", "e-mails nearly agree (same local part, or Levenshtein ≤ 2)"}
	case FieldHandle:
		near = Level{"near", "same handle on another platform, or Jaro-Winkler ≥ 0.92"}
	case FieldWallet:
		near = Level{"near", "never used for wallets"}
	}
	return &comparison{
		field:      field,
		identifier: true,
		levels:     []Level{{"shared", "an identifier is shared"}, near, {"different", "both have identifiers, none alike"}},
		cmp: func(a, b *prepared, detail bool, sc *simCache) (int, float64, string, int32) {
			if a.idCount[k] == 0 || b.idCount[k] == 0 {
				return missing, 0, "", -1
			}
			va, vb := a.ids[k], b.ids[k]
			if a.idCount[k] == 1 && b.idCount[k] == 1 {
				if a.idFirst[k] == b.idFirst[k] {
					return 0, 1, va[0], a.idFirst[k]
				}
			} else if s := firstShared(va, vb); s != "" {
				return 0, 1, s, -1
			}
			if field == FieldWallet || !fuzzy && !detail {
				return 2, 0, "", -1
			}
			best := 0.0 // similarity of the closest values, shown to the analyst
			for _, x := range va {
				for _, y := range vb {
					if ok, sim := nearIdentifier(field, x, y); ok && fuzzy {
						return 1, sim, "", -1
					} else if sim > best {
						best = sim
					}
				}
			}
			return 2, best, "", -1
		},
		tfKeys: func(p *prepared) []string { return p.ids[k] },
		tfID: func(p *prepared) (int32, string) {
			if p.idFirst[k] < 0 {
				return -1, ""
			}
			return p.idFirst[k], p.ids[k][0]
		},
	}
}

// nearIdentifier reports whether two different identifiers are near misses.
func nearIdentifier(field, x, y string) (bool, float64) {
	switch field {
	case FieldEmail:
		lx, ly := localPart(x), localPart(y)
		return lx == ly || levenshtein(x, y, 2) <= 2, jaroWinkler(x, y)
	case FieldHandle:
		hx, hy := handleName(x), handleName(y)
		jw := jaroWinkler(hx, hy)
		return hx == hy || jw >= 0.92, jw
	}
	return len(x) == len(y) && levenshtein(x, y, 1) == 1, levenshteinSim(x, y)
}

func localPart(e string) string {
	if i := strings.IndexByte(e, '@'); i >= 0 {
		return e[:i]
	}
	return e
}

func handleName(h string) string {
	if i := strings.IndexByte(h, ':'); i >= 0 {
		return h[i+1:]
	}
	return h
}

// cityKey returns the interned city and its signature.
func cityKey(p *prepared) (int32, *nameSig) { return p.cityID, &p.citySig }

// stringComparison compares a folded string: exact, then one level per
// Jaro-Winkler threshold, then different. interned, when not nil, returns
// the value's interned ID and signature, for a faster equal test and
// Jaro-Winkler bound.
func stringComparison(field string, get func(*prepared) string, thresholds []float64, interned func(*prepared) (int32, *nameSig)) *comparison {
	levels := []Level{{"exact", field + " agrees"}}
	for i, t := range thresholds {
		levels = append(levels, Level{fmt.Sprintf("fuzzy%d", i+1), fmt.Sprintf("%s similar (Jaro-Winkler ≥ %.2f)", field, t)})
	}
	levels = append(levels, Level{"different", field + " differs"})
	var tfID func(p *prepared) (int32, string)
	if interned != nil {
		tfID = func(p *prepared) (int32, string) {
			id, _ := interned(p)
			return id, get(p)
		}
	}
	return &comparison{
		tfID:   tfID,
		field:  field,
		levels: levels,
		cmp: func(a, b *prepared, detail bool, sc *simCache) (int, float64, string, int32) {
			var jw float64
			if interned != nil {
				// the IDs first: the strings are further into the records
				ix, sx := interned(a)
				iy, sy := interned(b)
				if ix < 0 || iy < 0 {
					return missing, 0, "", -1
				}
				if ix == iy {
					return 0, 1, get(a), ix
				}
				if sc != nil && !detail {
					k := memoKey(memoCity, ix, iy)
					l, ok := sc.get(k)
					if !ok {
						l = uint8(thresholdLevel(jwSig(get(a), get(b), sx, sy, thresholds[len(thresholds)-1], false), thresholds))
						sc.put(k, l)
					}
					return int(l), 0, "", -1
				}
				jw = jwSig(get(a), get(b), sx, sy, thresholds[len(thresholds)-1], detail)
			} else {
				x, y := get(a), get(b)
				if x == "" || y == "" {
					return missing, 0, "", -1
				}
				if x == y {
					return 0, 1, x, -1
				}
				jw = jwAtLeast(x, y, thresholds[len(thresholds)-1], detail)
			}
			return thresholdLevel(jw, thresholds), jw, "", -1
		},
		tfKeys: func(p *prepared) []string {
			if v := get(p); v != "" {
				return []string{v}
			}
			return nil
		},
	}
}

// thresholdLevel is the level of a similarity below exact: one more than
// the first threshold it reaches, or different.
func thresholdLevel(jw float64, thresholds []float64) int {
	for i, t := range thresholds {
		if jw >= t {
			return i + 1
		}
	}
	return len(thresholds) + 1
}

// firstShared returns the first value of sorted-or-not a also in b.
func firstShared(a, b []string) string {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return x
			}
		}
	}
	return ""
}

func shareAny(a, b []string) bool { return firstShared(a, b) != "" }

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// atoi parses a run of ASCII digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// swapped reports whether a's given name is b's surname and the other way
// round: a data-entry swap. sc, when not nil, memoises the similarities.
func swapped(a, b *prepared, sc *simCache) bool {
	if a.surID < 0 || b.surID < 0 || a.givenID < 0 || b.givenID < 0 {
		return false
	}
	if a.givenID == b.surID && a.surID == b.givenID {
		return true
	}
	return nameJW92(sc, a.givenID, b.surID, a.given, b.surnames, &a.givenSig, &b.surSig) &&
		nameJW92(sc, a.surID, b.givenID, a.surnames, b.given, &a.surSig, &b.givenSig)
}

// nameJW92 is jw92Sig of the first tokens of xs and ys, interned as x and
// y, memoised in sc when not nil. The slices are passed, not their first
// strings, so that a hit reads neither.
func nameJW92(sc *simCache, x, y int32, xs, ys []string, sx, sy *nameSig) bool {
	if x == y {
		return true // the same non-empty token
	}
	if sc == nil {
		return jw92Sig(false, xs[0], ys[0], sx, sy)
	}
	k := memoKey(memoJW92, x, y)
	if v, ok := sc.get(k); ok {
		return v == 1
	}
	r := jw92Sig(false, xs[0], ys[0], sx, sy)
	sc.put(k, b2u(r))
	return r
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// jw92 reports whether jaroWinkler(x, y) ≥ 0.92, skipping the computation
// when the lengths alone rule it out: the Winkler bonus is at most
// 0.4·(1−j), so it needs Jaro j ≥ 0.867, and j ≤ (2 + short/long)/3
// needs short/long ≥ 0.6.
func jw92(x, y string) bool {
	if 5*min(len(x), len(y)) < 3*max(len(x), len(y)) {
		return false
	}
	return jwAtLeast(x, y, 0.92, false) >= 0.92
}
