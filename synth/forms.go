package synth

import (
	"math/rand/v2"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// plant is one identifier to be written into a chat, before its offset is known.
type plant struct {
	kind, value, form, obf, owner string
	decoy                         bool
	entity                        string // Telegram text_entities type, "plain" when the platform would not link it
}

var wordsES = [10]string{"cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"}
var wordsEN = [10]string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}

// nationalDigits splits an E.164 number into calling code and national
// number. A table is enough for the scenario's regions and much faster than
// parsing (background chatter plants numbers in hot loops).
func nationalDigits(e164 string) (cc, nat string) {
	for _, c := range []string{"502", "503", "504", "505", "506", "507", "52", "1", "44", "34"} {
		if strings.HasPrefix(e164[1:], c) {
			return c, e164[1+len(c):]
		}
	}
	return "", e164[1:]
}

// intlForm formats a valid number the way phones display it ("+502 4555 0123").
func intlForm(e164 string) string {
	n, err := phonenumbers.Parse(e164, "")
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return e164
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}

// phonePlant writes e164 in one of the forms people use, obfuscated or not.
func phonePlant(r *rand.Rand, e164, owner string, decoy bool, intl func(string) string) plant {
	p := plant{kind: "phone", value: e164, owner: owner, decoy: decoy, entity: "plain"}
	_, nat := nationalDigits(e164)
	switch k := r.IntN(8); {
	case k < 2 || decoy:
		p.form, p.entity = e164, "phone"
	case k == 2:
		p.form, p.entity = intl(e164), "phone"
	case k == 3:
		p.form, p.obf = joinDigits(nat, wordsES[:], " "), "words_es"
	case k == 4:
		p.form, p.obf = joinDigits(nat, wordsEN[:], " "), "words_en"
	case k == 5:
		p.form, p.obf = sepDigits(r, nat), "separators"
	default:
		var b strings.Builder
		for _, d := range nat {
			b.WriteRune(d)
			b.WriteString("\uFE0F\u20E3")
		}
		p.form, p.obf = b.String(), "emoji_digits"
	}
	return p
}

func joinDigits(nat string, words []string, sep string) string {
	var b strings.Builder
	for i, d := range nat {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(words[d-'0'])
	}
	return b.String()
}

// sepDigits writes digits with dashes, dots or spaces between groups.
func sepDigits(r *rand.Rand, nat string) string {
	var b strings.Builder
	switch r.IntN(3) {
	case 0:
		for i, d := range nat {
			if i > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(d)
		}
	case 1:
		h := len(nat) / 2
		b.WriteString(nat[:h] + "." + nat[h:])
	default:
		for i, d := range nat {
			if i > 0 && i%2 == 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(d)
		}
	}
	return b.String()
}

// emailPlant writes an e-mail plainly or with "arroba"/"at" and "punto"/"dot".
func emailPlant(r *rand.Rand, email, owner string) plant {
	p := plant{kind: "email", value: strings.ToLower(email), owner: owner, form: email, entity: "email"}
	at := strings.IndexByte(email, '@')
	dot := strings.LastIndexByte(email, '.')
	if at < 0 || dot < at {
		return p
	}
	local, dom, tld := email[:at], email[at+1:dot], email[dot+1:]
	switch r.IntN(5) {
	case 0:
		p.form = local + " arroba " + dom + " punto " + tld
	case 1:
		p.form = local + " at " + dom + " dot " + tld
	case 2:
		p.form = local + " [at] " + dom + " [dot] " + tld
	default:
		return p
	}
	p.obf, p.entity = "at_dot", "plain"
	return p
}

// groupIBAN writes an IBAN in groups of four, as printed on statements.
func groupIBAN(iban string) string {
	var b strings.Builder
	for i := 0; i < len(iban); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(iban[i:min(i+4, len(iban))])
	}
	return b.String()
}

func itoa(n int) string {
	var b [20]byte
	return string(appendInt(b[:0], n))
}

func appendInt(b []byte, n int) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	var t [20]byte
	i := len(t)
	for {
		i--
		t[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return append(b, t[i:]...)
}

// append2 appends n as two digits.
func append2(b []byte, n int) []byte { return append(b, byte('0'+n/10), byte('0'+n%10)) }
