package ident

import (
	"math/rand/v2"
	"strings"
)

// reservedDomains are the second-level domains RFC 2606 reserves for examples.
var reservedDomains = [...]string{"example.com", "example.org", "example.net"}

// localWords and handleSuffixes feed random local parts and handles.
var (
	localWords     = [...]string{"luna", "sol", "estrella", "rosa", "angel", "chino", "flaco", "gato", "nena", "primo", "jefe", "reina", "tigre", "cielo", "mar", "nube"}
	handleSuffixes = [...]string{"_vip", "_real", "_oficial", ".cr", "_gt", "_mx", "x", "_bb", "_2", "_new"}
)

// Email returns local, sanitised to [a-z0-9._-] with accents folded, at one
// of the RFC 2606 reserved domains. An empty (or fully stripped) local part
// is replaced by a random one such as "luna.gato87".
func Email(r *rand.Rand, local string) string {
	l := sanitise(local, '.')
	if l == "" {
		l = localWords[r.IntN(len(localWords))] + "." + localWords[r.IntN(len(localWords))] + itoa2(r.IntN(100))
	}
	return l + "@" + reservedDomains[r.IntN(len(reservedDomains))]
}

// Handle returns a social-media handle without "@" built from base (sanitised
// like Email, with "_" as separator) plus an optional suffix and number,
// e.g. "luna_vip23". An empty base gets a random word.
func Handle(r *rand.Rand, base string) string {
	h := sanitise(base, '_')
	if h == "" {
		h = localWords[r.IntN(len(localWords))]
	}
	if r.IntN(3) > 0 {
		h += handleSuffixes[r.IntN(len(handleSuffixes))]
	}
	if r.IntN(2) == 0 {
		h += itoa2(r.IntN(100))
	}
	return h
}

// sanitise lower-cases s, folds Spanish accents, keeps letters, digits, '.',
// '_' and '-', turns spaces into sep and trims separators at both ends.
func sanitise(s string, sep byte) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '.', c == '_', c == '-':
			b.WriteRune(c)
		case c == ' ':
			b.WriteByte(sep)
		default:
			if f, ok := foldAccent(c); ok {
				b.WriteByte(f)
			}
		}
	}
	out := b.String()
	for strings.Contains(out, "..") {
		out = strings.ReplaceAll(out, "..", ".")
	}
	return strings.Trim(out, "._-")
}

// foldAccent maps the accented letters of Spanish to plain ASCII.
func foldAccent(c rune) (byte, bool) {
	switch c {
	case 'á', 'à', 'ä', 'â':
		return 'a', true
	case 'é', 'è', 'ë', 'ê':
		return 'e', true
	case 'í', 'ì', 'ï', 'î':
		return 'i', true
	case 'ó', 'ò', 'ö', 'ô':
		return 'o', true
	case 'ú', 'ù', 'ü', 'û':
		return 'u', true
	case 'ñ':
		return 'n', true
	case 'ç':
		return 'c', true
	}
	return 0, false
}

// itoa2 formats 0..99 as two digits.
func itoa2(n int) string {
	return string([]byte{byte('0' + n/10%10), byte('0' + n%10)})
}
