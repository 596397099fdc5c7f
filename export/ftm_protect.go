package export

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/screen"
)

// ownerRef records that entity names owner in an owner/holder statement.
type ownerRef struct{ entity, owner string }

// directlyProtected reports whether e's own record protects it: a (possible)
// victim, or an entity marked restricted.
func directlyProtected(e *rastro.Entity) bool {
	return e.CaseRole.IsVictim() || e.Sensitivity == "restricted"
}

// spreadsProtection reports whether a link of this Rastro schema carries
// protection from its source to its target: what a victim uses (phones,
// handles) or owns (accounts, wallets) identifies them, and so does an ad in
// which such an identifier appears.
func spreadsProtection(schema string) bool {
	switch schema {
	case "uses", "Ownership", "appears_in":
		return true
	}
	return false
}

// noteProtection records, during the planning pass, whether e is protected
// by its own record, the values it would withhold, and its owner/holder
// references; it returns owned extended.
func (p *exportPlan) noteProtection(e *rastro.Entity, owned []ownerRef) []ownerRef {
	direct := directlyProtected(e)
	if direct {
		p.protected[e.ID] = ""
	}
	candidate := direct || p.targets[e.ID]
	for _, st := range e.Statements {
		if st.Prop == "owner" || st.Prop == "holder" {
			owned = append(owned, ownerRef{entity: e.ID, owner: st.Value})
			candidate = true
		}
	}
	if candidate {
		p.withheld[e.ID] = withheldValues(e)
	}
	return owned
}

// withheldValues returns the scrub keys of the values e would lose when
// redacted.
func withheldValues(e *rastro.Entity) []string {
	var out []string
	for _, st := range e.Statements {
		if keepWhenRedacted(st.Prop) {
			continue
		}
		// A chat names a person by a shorter form of her name ("Jimena
		// Romero" for "Jimena Romero Pérez"): an account so named is hers.
		for _, v := range append([]string{st.Value, st.Normalized}, screen.NameVariants(st.Value)...) {
			if k := scrubKey(v); k != "" {
				out = append(out, k)
			}
		}
	}
	return out
}

// spreadProtection extends the protected set along protecting links and
// owner/holder references until nothing changes, then collects the values
// every protected entity withholds.
func (p *exportPlan) spreadProtection(owned []ownerRef) {
	next := map[string][]string{}
	for _, l := range p.links {
		if spreadsProtection(l.Schema) {
			next[l.SourceID] = append(next[l.SourceID], l.TargetID)
		}
	}
	for _, r := range owned {
		next[r.owner] = append(next[r.owner], r.entity)
	}
	queue := make([]string, 0, len(p.protected))
	for id := range p.protected {
		queue = append(queue, id)
	}
	for len(queue) > 0 {
		id := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		for _, t := range next[id] {
			if _, ok := p.protected[t]; !ok {
				p.protected[t] = ""
				queue = append(queue, t)
			}
		}
	}
	for id := range p.protected {
		for _, k := range p.withheld[id] {
			p.scrub[k] = struct{}{}
		}
	}
	p.withheld = nil
}

// protectionTargets returns the entities a protecting link points to: only
// their values need remembering during the planning pass.
func protectionTargets(links []*rastro.Link) map[string]bool {
	t := map[string]bool{}
	for _, l := range links {
		if spreadsProtection(l.Schema) {
			t[l.TargetID] = true
		}
	}
	return t
}

// assignPseudonyms gives every protected entity its pseudonymous export ID.
func (p *exportPlan) assignPseudonyms(key []byte) {
	p.key = key
	for id := range p.protected {
		p.protected[id] = p.prefix + "p-" + pseudonym(key, "entity", id)
	}
}

// caseKey derives the per-case pseudonym key from the export's secret, or
// from a fresh random secret when none is given.
func caseKey(secret []byte, caseID int64) ([]byte, error) {
	if len(secret) == 0 {
		k, err := randomKey()
		if err != nil {
			return nil, err
		}
		secret = k
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("rastro/ftm/case/" + strconv.FormatInt(caseID, 10)))
	return m.Sum(nil), nil
}

// pseudonym returns 128 bits of HMAC-SHA256(key, kind, id) in hex.
func pseudonym(key []byte, kind, id string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(id))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// keepWhenRedacted lists the properties a protected entity keeps: coarse,
// non-identifying attributes that anonymised statistics (CTDC style) use,
// and an identifier's kind and platform.
func keepWhenRedacted(prop string) bool {
	switch prop {
	case "gender", "nationality", "country", "topics", "kind", "platform":
		return true
	}
	return false
}

// scrubKey folds a value for comparison with withheld values: lower case,
// letters, digits, '@' and '+' only, so that "+34 600-111-222" and
// "+34600111222" meet. Keys shorter than 3 runes are not scrubbed ("").
func scrubKey(v string) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.ToLower(v) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '@' || r == '+' {
			b.WriteRune(r)
			n++
		}
	}
	if n < 3 {
		return ""
	}
	return b.String()
}

// scrubbed reports whether st repeats a value a protected entity withholds.
func (p *exportPlan) scrubbed(st *rastro.Statement) bool {
	if len(p.scrub) == 0 {
		return false
	}
	for _, v := range []string{st.Value, st.Normalized} {
		if k := scrubKey(v); k != "" {
			if _, ok := p.scrub[k]; ok {
				return true
			}
		}
	}
	return false
}
