package resolve

import (
	"fmt"
	"math"
)

// Contribution is what one field added to a pair's match weight.
type Contribution struct {
	Field      string  `json:"field"`
	Level      string  `json:"level"`                // level name, "missing" when either side lacks the field
	Similarity float64 `json:"similarity,omitempty"` // the Jaro-Winkler or edit similarity that decided the level
	Bits       float64 `json:"bits"`                 // total contribution: level weight + TF adjustment, after the cap
	LevelBits  float64 `json:"level_bits"`           // log2(m/u) of the level
	TFBits     float64 `json:"tf_bits,omitempty"`    // term-frequency adjustment
	SharedBy   int     `json:"shared_by,omitempty"`  // records holding the agreed value
	Capped     bool    `json:"capped,omitempty"`     // identifier weight cut to Options.MaxIdentifierBits
	Text       string  `json:"text"`                 // one line for the UI
}

// PairScore is the scored comparison of two records.
type PairScore struct {
	A             string         `json:"a"`
	B             string         `json:"b"`
	Weight        float64        `json:"weight"`      // match weight in bits, prior included
	Probability   float64        `json:"probability"` // match probability
	PriorBits     float64        `json:"prior_bits"`  // log2(λ/(1-λ))
	Contributions []Contribution `json:"contributions"`
	Judgement     Verdict        `json:"judgement,omitempty"` // the analyst's, if any
	NameOnly      bool           `json:"name_only,omitempty"` // only names and city agree: never links unless Options.AllowNameOnly
}

// nameFields are the comparisons that cannot corroborate a link alone.
var nameFields = map[string]bool{"given_name": true, "surname": true, FieldCity: true}

// corroborates reports whether a field's level backs a link beyond names:
// it must add at least one bit, and agree exactly — or nearly, for fields
// other than the date of birth, where a one-digit slip is as likely a
// namesake's date as a typo.
func corroborates(cp *comparison, level int, bits float64) bool {
	if cp.nameField || bits < 1 || level == len(cp.levels)-1 {
		return false
	}
	return level == 0 || cp.field != "birth_date"
}

// score compares two prepared records and returns the weight, whether a
// field other than names and city added positive evidence, and, when
// explain is set, each field's contribution. sc, when not nil, is the
// calling worker's memo of token comparisons (not used with explain).
func (md *model) score(a, b *prepared, explain bool, sc *simCache) (float64, bool, []Contribution) {
	corroborated := false
	prior := log2Odds(md.prior)
	w := prior
	var out []Contribution
	if explain {
		out = make([]Contribution, 0, len(md.comps))
	}
	for c, cp := range md.comps {
		l, sim, key, id := cp.cmp(a, b, explain, sc)
		if l == missing {
			if explain {
				out = append(out, Contribution{Field: cp.field, Level: "missing", Text: cp.field + " missing on one side: 0"})
			}
			continue
		}
		ct := md.contribution(c, l, sim, key, id)
		w += ct.Bits
		corroborated = corroborated || corroborates(cp, l, ct.Bits)
		if explain {
			ct.Text = explainText(cp, ct)
			out = append(out, ct)
		}
	}
	return w, corroborated, out
}

// contribution computes one field's bits: the level weight, the
// term-frequency adjustment when a value was agreed on, and the cap for
// identifiers. id is key's interned ID, or -1 when key is not interned.
func (md *model) contribution(c, l int, sim float64, key string, id int32) Contribution {
	cp := md.comps[c]
	lb := md.bits[c][l]
	ct := Contribution{Field: cp.field, Level: cp.levels[l].Name, Similarity: sim, LevelBits: lb, Bits: lb}
	if key != "" && md.tfN[c] > 0 {
		n := md.tfCount(c, key, id)
		ct.SharedBy = int(n)
		// log2(u / (n/N)) = log2 u + log2 N - log2 n, the logs precomputed
		ct.TFBits = clamp(md.logU[c][l]+md.logTFN[c]-md.log2Count(n), -md.opts.MaxTFBits, md.opts.MaxTFBits)
		ct.Bits += ct.TFBits
	}
	if limit := md.idCap; cp.identifier && ct.Bits > limit {
		ct.Bits, ct.Capped = limit, true
	}
	return ct
}

// explainText renders a contribution as one line for the UI.
func explainText(cp *comparison, ct Contribution) string {
	s := cp.field + " " + ct.Level
	for _, lv := range cp.levels {
		if lv.Name == ct.Level {
			s = lv.Text
		}
	}
	if ct.Similarity > 0 && ct.Similarity < 1 {
		s += fmt.Sprintf(" (similarity %.2f)", ct.Similarity)
	}
	if cp.identifier && ct.Level == "different" && ct.Similarity >= 0.85 {
		s += " — a lookalike, not the same identifier"
	}
	if ct.SharedBy > 1 {
		s += fmt.Sprintf(", value held by %d records", ct.SharedBy)
	}
	if ct.TFBits != 0 {
		s += fmt.Sprintf(" [frequency adjustment %+.1f]", ct.TFBits)
	}
	if ct.Capped {
		s += " [capped: shared identifiers are strong, not conclusive]"
	}
	return fmt.Sprintf("%s: %+.1f", s, ct.Bits)
}

func probability(w float64) float64 { return 1 / (1 + math.Exp2(-w)) }

func log2Odds(p float64) float64 { return math.Log2(p / (1 - p)) }

// identifierCap is Options.MaxIdentifierBits or, by default, one bit less
// than the prior's odds against a match (at least 4 bits).
func (md *model) identifierCap() float64 {
	if md.opts.MaxIdentifierBits > 0 {
		return md.opts.MaxIdentifierBits
	}
	return math.Max(4, -log2Odds(md.prior)-1)
}

// freeze precomputes what scoring reads for every pair: the level weights,
// log2 u, log2 of each comparison's record count, of small value counts,
// and the identifier cap. Call it once m, u and the prior are final.
func (md *model) freeze() {
	md.bits = md.levelBits()
	md.logU = make([][]float64, len(md.comps))
	md.logTFN = make([]float64, len(md.comps))
	for c := range md.comps {
		md.logU[c] = make([]float64, len(md.u[c]))
		for l, u := range md.u[c] {
			md.logU[c][l] = math.Log2(u)
		}
		md.logTFN[c] = math.Log2(float64(max(md.tfN[c], 1)))
	}
	md.log2Small = make([]float64, 4096)
	for n := range md.log2Small {
		md.log2Small[n] = math.Log2(float64(max(n, 1)))
	}
	md.idCap = md.identifierCap()
}

// tfCount returns how many records hold key in comparison c, from the
// slice by interned ID when id ≥ 0, else from the map.
func (md *model) tfCount(c int, key string, id int32) int32 {
	if byID := md.tfByID[c]; id >= 0 && int(id) < len(byID) {
		return byID[id]
	}
	return md.tf[c][key]
}

// log2Count is log2(max(n, 1)), from the table for small n.
func (md *model) log2Count(n int32) float64 {
	if int(n) < len(md.log2Small) {
		return md.log2Small[max(n, 0)]
	}
	return math.Log2(float64(n))
}
