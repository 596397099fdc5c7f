package ads

import (
	"math/rand/v2"
	"strings"
)

// Obfuscation kinds, as recorded in truth.Selector.Obfuscation.
const (
	ObfNone       = ""
	ObfSeparators = "separators"
	ObfWordsES    = "words_es"
	ObfWordsEN    = "words_en"
	ObfEmoji      = "emoji_digits"
	ObfAtDot      = "at_dot"
)

// digitWords spells the digits 0-9 in Spanish or English.
func digitWords(obf string) [10]string {
	if obf == ObfWordsEN {
		return [10]string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
	}
	return [10]string{"cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"}
}

// keycap is the emoji keycap sequence of a digit: digit, VS16, U+20E3.
const keycapTail = "\uFE0F\u20E3"

// phoneForm writes an E.164 number the way a poster evading filters might,
// using the obfuscation kind obf, and returns the written form.
func phoneForm(r *rand.Rand, e164, obf string) string {
	cc, nat, _ := splitE164(e164)
	var b []byte
	switch obf {
	case ObfNone:
		return e164
	case ObfSeparators:
		b = separated(r, cc, nat)
	case ObfWordsES, ObfWordsEN:
		words := digitWords(obf)
		sep := [...]string{" ", "-", " ", ", "}[r.IntN(4)]
		for i := 0; i < len(nat); i++ {
			if i > 0 {
				b = append(b, sep...)
			}
			b = append(b, words[nat[i]-'0']...)
		}
	case ObfEmoji:
		for i := 0; i < len(nat); i++ {
			b = append(b, nat[i])
			b = append(b, keycapTail...)
		}
	}
	return string(b)
}

// separated writes a number with separators: grouped national format,
// international with spaces, or one separator between every digit.
func separated(r *rand.Rand, cc, nat string) []byte {
	var b []byte
	switch r.IntN(4) {
	case 0: // 4555-0123 / 4555 0123
		half := len(nat) - 4
		b = append(b, nat[:half]...)
		b = append(b, "- ."[r.IntN(3)])
		b = append(b, nat[half:]...)
	case 1: // +502 4555 0123
		b = append(b, '+')
		b = append(b, cc...)
		for i := 0; i < len(nat); i += 4 {
			b = append(b, ' ')
			b = append(b, nat[i:min(i+4, len(nat))]...)
		}
	case 2: // 4 5 5 5 0 1 2 3 / 4.5.5.5...
		sep := " .-*"[r.IntN(4)]
		for i := 0; i < len(nat); i++ {
			if i > 0 {
				b = append(b, sep)
			}
			b = append(b, nat[i])
		}
	default: // 45-55-01-23
		for i := 0; i < len(nat); i += 2 {
			if i > 0 {
				b = append(b, '-')
			}
			b = append(b, nat[i:min(i+2, len(nat))]...)
		}
	}
	return b
}

// emailForm writes an e-mail either plainly or as "x arroba y punto com".
func emailForm(r *rand.Rand, email, obf string) string {
	if obf != ObfAtDot {
		return email
	}
	local, domain, _ := strings.Cut(email, "@")
	at, dot := " arroba ", " punto "
	if r.IntN(2) == 0 {
		at, dot = " (at) ", " (dot) "
	}
	return local + at + strings.ReplaceAll(domain, ".", dot)
}
