package resolve

import (
	"math/bits"
	"sync"
)

// nameSig summarises a token's letters for a cheap Jaro-Winkler bound:
// bit c of ge[k] is set when symbol c (a byte folded to 6 bits) occurs more
// than k times. Two tokens share at most Σ_k popcount(a.ge[k] & b.ge[k])
// letters as multisets, as long as no symbol occurs four times in both.
// Folding bytes to 6 bits only merges symbols, which can only raise the
// bound, so it stays a bound.
type nameSig struct {
	ge [3]uint64
	n  int32 // length in bytes
}

// signature returns the letter signature of s.
func signature(s string) nameSig {
	var count [64]uint8
	sig := nameSig{n: int32(len(s))}
	for i := 0; i < len(s); i++ {
		c := s[i] & 63
		if k := count[c]; k < 3 {
			sig.ge[k] |= 1 << c
		}
		count[c]++
	}
	return sig
}

// sigUpper is an upper bound of jaroWinkler from the signatures alone, at
// least jwUpper's: the same formula over a shared-letter count that is at
// least jwUpper's. It returns 1 when it cannot tell (long strings, a
// symbol repeated four times on both sides).
func sigUpper(a, b *nameSig) float64 {
	la, lb := int(a.n), int(b.n)
	if la == 0 || lb == 0 {
		return 0
	}
	if max(la, lb) > 64 || a.ge[2]&b.ge[2] != 0 {
		return 1
	}
	m := bits.OnesCount64(a.ge[0]&b.ge[0]) + bits.OnesCount64(a.ge[1]&b.ge[1])
	m = min(m, la, lb)
	if m == 0 {
		return 0
	}
	j := (float64(m)/float64(la) + float64(m)/float64(lb) + 1) / 3
	return j + 0.4*(1-j)
}

// jwSig is jwAtLeast with the signature bound tried first.
func jwSig(x, y string, sx, sy *nameSig, t float64, exact bool) float64 {
	if !exact && sigUpper(sx, sy) < t {
		return 0
	}
	return jwAtLeast(x, y, t, exact)
}

// jw92Sig is jw92 with the signature bound tried first; same says
// whether x and y are the same interned token.
func jw92Sig(same bool, x, y string, sx, sy *nameSig) bool {
	if same {
		return x != ""
	}
	if 5*min(len(x), len(y)) < 3*max(len(x), len(y)) || sigUpper(sx, sy) < 0.92 {
		return false
	}
	return jwAtLeast(x, y, 0.92, false) >= 0.92
}

// prepareAll normalises the records on up to workers goroutines and
// interns the name tokens and the city, so that comparisons test equality
// on integers and bound Jaro-Winkler from precomputed signatures. The
// output does not depend on workers.
func prepareAll(recs []Record, generic []string, workers int) []prepared {
	ps := make([]prepared, len(recs))
	var wg sync.WaitGroup
	chunk := (len(recs) + max(workers, 1) - 1) / max(workers, 1)
	for lo := 0; lo < len(recs); lo += chunk {
		hi := min(len(recs), lo+chunk)
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				ps[i] = prepare(recs[i], generic)
			}
		})
	}
	wg.Wait()
	// Names and cities share one table; each identifier field has its own.
	forEach(1+len(identifierFields), workers, func(t int) {
		if t == 0 {
			internNames(ps)
		} else {
			internIdentifiers(ps, t-1)
		}
	})
	return ps
}

// interner maps strings to small integers; "" is -1.
type interner map[string]int32

func (in interner) id(s string) int32 {
	if s == "" {
		return -1
	}
	v, ok := in[s]
	if !ok {
		v = int32(len(in))
		in[s] = v
	}
	return v
}

// internNames sets the name, city and date fields prepareAll promises.
func internNames(ps []prepared) {
	in := interner{}
	for i := range ps {
		p := &ps[i]
		p.givenID, p.surID, p.surKeyID, p.givenPhID = -1, -1, -1, -1
		p.cityID = in.id(p.city)
		p.nGiven, p.nSur = uint8(min(len(p.given), 255)), uint8(min(len(p.surnames), 255))
		if len(p.given) > 0 {
			p.givenID = in.id(p.given[0])
			p.givenPhID = in.id("\x00" + p.givenPh[0]) // apart from the names
			p.givenSig = signature(p.given[0])
		}
		if len(p.surnames) > 0 {
			p.surID = in.id(p.surnames[0])
			p.surSig = signature(p.surnames[0])
			p.surKeyID = in.id(p.surnameKey)
			p.surKeySig = signature(p.surnameKey)
		}
		p.givenTok = internTwo(in, p.given, "")
		p.surTok = internTwo(in, p.surnames, "")
		p.surPhTok = internTwo(in, p.surnamePh, "\x00")
		p.citySig = signature(p.city)
		if len(p.dob) == 8 {
			p.dobN = int32(atoi(p.dob))
			for k := 0; k < 8; k++ {
				p.dobKey |= uint64(p.dob[k]) << (8 * k)
			}
		}
	}
}

// internTwo interns the first two of ts, each after prefix, -1 for none.
func internTwo(in interner, ts []string, prefix string) [2]int32 {
	out := [2]int32{-1, -1}
	for k := range min(2, len(ts)) {
		out[k] = in.id(prefix + ts[k])
	}
	return out
}

// sharedToken reports whether the token lists as and bs, of lengths na
// and nb (capped at 255) and interned first two x and y, share a token:
// on the IDs when both have at most two, else on the strings.
func sharedToken(x, y [2]int32, na, nb uint8, as, bs []string) bool {
	if na > 2 || nb > 2 {
		return shareAny(as, bs)
	}
	for k := range na {
		if x[k] == y[0] || nb > 1 && x[k] == y[1] {
			return true
		}
	}
	return false
}

// internIdentifiers sets idFirst and idCount of identifier field k.
func internIdentifiers(ps []prepared, k int) {
	in := interner{}
	for i := range ps {
		p := &ps[i]
		p.idFirst[k], p.idCount[k] = -1, uint8(min(len(p.ids[k]), 255))
		if len(p.ids[k]) > 0 {
			p.idFirst[k] = in.id(p.ids[k][0])
		}
	}
}

// differingBytes counts the bytes in which x and y differ.
func differingBytes(x, y uint64) int {
	d := x ^ y
	// set the high bit of every non-zero byte, then count them
	d = (d | (d&0x7f7f7f7f7f7f7f7f + 0x7f7f7f7f7f7f7f7f)) & 0x8080808080808080
	return bits.OnesCount64(d)
}
