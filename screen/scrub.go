package screen

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/rastro/rastro"
)

// RedactedPhone replaces a protected person's phone number in free text.
const RedactedPhone = "[redacted phone]"

// Secret is what free text must not show of one protected person: the
// values that identify them (names, aliases, phone numbers, e-mail
// addresses, handles) and the pseudonym that replaces them.
type Secret struct {
	Pseudonym string
	Values    []string
}

// Scrubber replaces protected people's identifying values in free text (a
// message body, a record's text, a file name). Build one with NewScrubber;
// it is safe for concurrent use.
type Scrubber struct {
	rules []scrubRule
}

// scrubRule is one pattern and its replacement; group 1 and the last group
// are the boundaries kept around the match.
type scrubRule struct {
	re   *regexp.Regexp
	repl string
}

// minPhoneDigits is the fewest digits a value needs to be read as a phone.
const minPhoneDigits = 7

// phoneTail is how many trailing digits of a phone number are matched in
// text: the national number of most of the region's plans, so that
// "+504 9555-0148", "9555 0148" and "50495550148" all match.
const phoneTail = 8

// NewScrubber returns a scrubber for secrets. Values shorter than three
// characters are ignored. A phone number (seven digits or more, written with
// digits, spaces, dots, dashes, brackets and a leading +) matches in any of
// those writings by its last digits and becomes RedactedPhone; anything else
// matches case-insensitively as a whole word (a handle with or without its
// @) and becomes the pseudonym. A name of three words or more also matches
// as its first two words ("Jimena Romero" for "Jimena Romero Pérez"), the
// way people are named in chats and contact lists.
func NewScrubber(secrets []Secret) *Scrubber {
	type entry struct{ value, repl string }
	var words []entry
	phones := map[string]bool{}
	for _, s := range secrets {
		for _, v := range s.Values {
			v = strings.TrimSpace(v)
			if d, ok := phoneDigits(v); ok {
				phones[d[max(0, len(d)-phoneTail):]] = true
				continue
			}
			for _, x := range append([]string{v}, NameVariants(v)...) {
				if len([]rune(x)) >= 3 {
					words = append(words, entry{strings.TrimPrefix(x, "@"), s.Pseudonym})
				}
			}
		}
	}
	slices.SortFunc(words, func(a, b entry) int {
		if len(a.value) != len(b.value) {
			return len(b.value) - len(a.value)
		}
		return strings.Compare(a.value, b.value)
	})
	sc := &Scrubber{}
	seen := map[string]bool{}
	for _, w := range words {
		if k := strings.ToLower(w.value); !seen[k] {
			seen[k] = true
			re := regexp.MustCompile(`(?i)(^|[^\p{L}\p{N}_@.])@?` + regexp.QuoteMeta(w.value) + `([^\p{L}\p{N}_]|$)`)
			sc.rules = append(sc.rules, scrubRule{re, "${1}" + escapeRepl(w.repl) + "${2}"})
		}
	}
	tails := make([]string, 0, len(phones))
	for t := range phones {
		tails = append(tails, t)
	}
	slices.Sort(tails)
	for _, t := range tails {
		sep := `[\s.\-()/]?`
		var b strings.Builder
		for i, r := range t {
			if i > 0 {
				b.WriteString(sep)
			}
			b.WriteRune(r)
		}
		re := regexp.MustCompile(`(^|[^\d])(?:\+?\(?\d[\d\s.\-()/]*?)?` + b.String() + `(\D|$)`)
		sc.rules = append(sc.rules, scrubRule{re, "${1}" + RedactedPhone + "${2}"})
	}
	return sc
}

// escapeRepl escapes $ in a replacement.
func escapeRepl(s string) string { return strings.ReplaceAll(s, "$", "$$") }

// Scrub returns text with every secret replaced. A nil scrubber returns
// text unchanged.
func (s *Scrubber) Scrub(text string) string {
	if s == nil {
		return text
	}
	for _, r := range s.rules {
		// Twice: adjacent matches share a boundary character.
		for range 2 {
			text = r.re.ReplaceAllString(text, r.repl)
		}
	}
	return text
}

// Empty reports whether the scrubber has nothing to replace.
func (s *Scrubber) Empty() bool { return s == nil || len(s.rules) == 0 }

// phoneDigits returns the digits of v when v is written like a phone number.
func phoneDigits(v string) (string, bool) {
	var d strings.Builder
	for i, r := range v {
		switch {
		case unicode.IsDigit(r) && r < 128:
			d.WriteRune(r)
		case r == '+' && i == 0, r == ' ', r == '.', r == '-', r == '(', r == ')', r == '/':
		default:
			return "", false
		}
	}
	return d.String(), d.Len() >= minPhoneDigits
}

// NameVariants returns the shorter forms a person's name of three words or
// more takes in chats and contact lists: the first two words (given name
// and first surname). Other values give none.
func NameVariants(v string) []string {
	f := strings.Fields(v)
	if len(f) < 3 || strings.ContainsAny(v, "@:/") {
		return nil
	}
	for _, w := range f {
		if !unicode.IsLetter([]rune(w)[0]) {
			return nil
		}
	}
	return []string{f[0] + " " + f[1]}
}

// identifyingProp reports whether a statement with prop names or reaches a
// person (names, aliases, contacts, handles, account numbers), the values
// free text must not show of a protected one. Currency, bank, gender,
// nationality and the like are left alone: replacing "USD" everywhere would
// hide nothing and garble the text.
func IdentifyingProp(prop string) bool {
	switch prop {
	case "name", "firstName", "lastName", "middleName", "secondName", "fatherName", "motherName",
		"alias", "weakAlias", "previousName", "email", "emailAddress", "phone", "phoneNumber",
		"username", "handle", "value", "normalized", "accountNumber", "iban", "publicKey", "idNumber",
		"passportNumber", "address", "website":
		return true
	}
	return false
}

// SecretsFromEntities returns the secrets of a case's protected entities for
// a reader outside the victims' compartment: (possible) victims, restricted
// entities, and what protection spreads to along uses, Ownership and
// appears_in links (her phone, her account). Each secret holds the entity's
// caption and identifying statement values; pseudonym names it.
func SecretsFromEntities(ents []*rastro.Entity, links []*rastro.Link, pseudonym func(*rastro.Entity) string) []Secret {
	protected := map[string]bool{}
	for _, e := range ents {
		if e.CaseRole.IsVictim() || e.Sensitivity == "restricted" {
			protected[e.ID] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for _, l := range links {
			if (l.Schema == "uses" || l.Schema == "Ownership" || l.Schema == "appears_in") && protected[l.SourceID] && !protected[l.TargetID] {
				protected[l.TargetID], changed = true, true
			}
		}
	}
	var out []Secret
	for _, e := range ents {
		if !protected[e.ID] {
			continue
		}
		s := Secret{Pseudonym: pseudonym(e), Values: []string{e.Caption}}
		for _, st := range e.Statements {
			if IdentifyingProp(st.Prop) {
				s.Values = append(s.Values, st.Value)
			}
		}
		out = append(out, s)
	}
	return out
}
