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
	words  *regexp.Regexp    // every word value, longest first, with boundaries
	repl   map[string]string // lower-cased value -> pseudonym
	phones *regexp.Regexp    // every phone tail, with separators and boundaries
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
// way people are named in chats and contact lists. All values go into two
// regular expressions, compiled once, so that scrubbing costs one pass per
// kind whatever the number of secrets.
func NewScrubber(secrets []Secret) *Scrubber {
	sc := &Scrubber{repl: map[string]string{}}
	phones := map[string]bool{}
	var words []string
	for _, s := range secrets {
		for _, v := range s.Values {
			v = strings.TrimSpace(v)
			if d, ok := phoneDigits(v); ok {
				phones[d[max(0, len(d)-phoneTail):]] = true
				continue
			}
			for _, x := range append([]string{v}, NameVariants(v)...) {
				x = strings.TrimPrefix(x, "@")
				k := strings.ToLower(x)
				if _, dup := sc.repl[k]; len([]rune(x)) >= 3 && !dup {
					sc.repl[k] = s.Pseudonym
					words = append(words, regexp.QuoteMeta(x))
				}
			}
		}
	}
	// Longest first: Go's alternation prefers the leftmost branch, so
	// "María Solís" wins over "María".
	slices.SortFunc(words, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	if len(words) > 0 {
		sc.words = regexp.MustCompile(`(?i)(^|[^\p{L}\p{N}_@.])@?(` + strings.Join(words, "|") + `)([^\p{L}\p{N}_]|$)`)
	}
	tails := make([]string, 0, len(phones))
	for t := range phones {
		var b strings.Builder
		for i, r := range t {
			if i > 0 {
				b.WriteString(`[\s.\-()/]?`)
			}
			b.WriteRune(r)
		}
		tails = append(tails, b.String())
	}
	slices.Sort(tails)
	if len(tails) > 0 {
		sc.phones = regexp.MustCompile(`(^|[^\d])(?:\+?\(?\d[\d\s.\-()/]*?)?(?:` + strings.Join(tails, "|") + `)(\D|$)`)
	}
	return sc
}

// Scrub returns text with every secret replaced. A nil scrubber returns
// text unchanged.
func (s *Scrubber) Scrub(text string) string {
	if s == nil {
		return text
	}
	// Twice: adjacent matches share a boundary character.
	for range 2 {
		if s.words != nil {
			text = s.words.ReplaceAllStringFunc(text, s.wordRepl)
		}
		if s.phones != nil {
			text = s.phones.ReplaceAllString(text, "${1}"+strings.ReplaceAll(RedactedPhone, "$", "$$")+"${2}")
		}
	}
	return text
}

// wordRepl replaces one match of the word expression, keeping its
// boundaries.
func (s *Scrubber) wordRepl(m string) string {
	sub := s.words.FindStringSubmatch(m)
	if sub == nil {
		return m
	}
	return sub[1] + s.repl[strings.ToLower(sub[2])] + sub[3]
}

// Empty reports whether the scrubber has nothing to replace.
func (s *Scrubber) Empty() bool { return s == nil || s.words == nil && s.phones == nil }

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
