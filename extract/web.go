package extract

import (
	"bytes"
	"strings"
)

// knownTLD reports whether s (lower case) is a top-level domain common
// enough in the field to accept a bare "name.tld" as a domain.
func knownTLD(s string) bool {
	switch s {
	case "com", "net", "org", "info", "biz", "io", "co", "me", "tv", "xyz", "online", "site",
		"app", "dev", "ly", "gg", "to", "cc", "ws", "club", "live", "top", "shop", "store", "vip",
		"link", "edu", "gov", "mil", "int", "eu", "mx", "gt", "sv", "hn", "ni", "cr", "pa", "do",
		"es", "us", "uk", "ca", "ar", "cl", "pe", "ve", "ec", "bo", "uy", "br", "de", "fr", "it",
		"ru", "cn", "nl", "ch", "onion", "cu", "pr", "ht", "bz", "jm":
		return true
	}
	return false
}

func isURLByte(c byte) bool {
	return c > ' ' && c != '"' && c != '<' && c != '>' && c != '\'' && c != '`' && c != '\\' && c < 0x7f
}

// maxURL bounds the length of a link.
const maxURL = 2048

// bareURLPrefixes are link forms people write without a scheme.
var bareURLPrefixes = []string{"www.", "t.me/", "wa.me/", "instagram.com/", "tiktok.com/@", "facebook.com/", "twitter.com/", "x.com/", "onlyfans.com/"}

// scanURLs finds scheme://host/path links and the bare forms above; links to
// social profiles also yield the handle, wa.me links the phone number.
func (s *scan) scanURLs() {
	b := s.text
	off := 0
	for _, c32 := range s.idx.scheme {
		c := int(c32)
		if c < off {
			continue
		}
		off = c + 3
		st := c
		for st > 0 && isAlpha(b[st-1]) && c-st < 8 {
			st--
		}
		scheme := strings.ToLower(string(b[st:c]))
		if scheme == "hxxp" || scheme == "hxxps" {
			scheme = strings.Replace(scheme, "xx", "tt", 1)
		}
		if scheme != "http" && scheme != "https" && scheme != "ftp" || (st > 0 && isWordByte(b[st-1])) {
			continue
		}
		if end := s.url(st, c+3, scheme); end > off {
			off = end
		}
	}
	for key, p := range bareURLPrefixes {
		s.beginPass()
		off := 0
		for _, a := range s.idx.bare {
			st := int(a.pos)
			if int(a.key) != key || st < off {
				continue
			}
			off = st + len(p)
			if (st > 0 && (isWordByte(b[st-1]) || b[st-1] == '.' || b[st-1] == '/')) || s.claimed(st, off) {
				continue
			}
			if end := s.url(st, st, "http"); end > off {
				off = end
			}
		}
	}
}

// url reads a link whose host starts at h and emits it; returns its end.
func (s *scan) url(st, h int, scheme string) int {
	b := s.text
	e := h
	for e < len(b) && isURLByte(b[e]) && e-h < maxURL {
		e++
	}
	for e > h && strings.IndexByte(".,;:!?)]}", b[e-1]) >= 0 {
		e--
	}
	he := h
	for he < e && (isLabelByte(b[he]) || b[he] == '.') {
		he++
	}
	host := strings.ToLower(string(b[h:he]))
	if !strings.Contains(host, ".") || he == h {
		return 0
	}
	s.emit(KindURL, st, e, scheme+"://"+host+string(b[he:e]), "", true, "")
	if !strings.HasSuffix(host, ".onion") {
		s.emitInner(KindDomain, h, he, host, "", true, "")
	}
	s.social(host, he, e)
	return e
}

// social emits the handle or phone of a profile link (path in b[p:e]).
func (s *scan) social(host string, p, e int) {
	host = strings.TrimPrefix(host, "www.")
	platform := map[string]string{
		"t.me": "telegram", "telegram.me": "telegram", "instagram.com": "instagram",
		"tiktok.com": "tiktok", "facebook.com": "facebook", "twitter.com": "twitter",
		"x.com": "twitter", "onlyfans.com": "onlyfans", "wa.me": "whatsapp",
	}[host]
	b := s.text
	if platform == "" || p >= e || b[p] != '/' {
		return
	}
	a := p + 1
	if a < e && b[a] == '@' {
		a++
	}
	z := a
	for z < e && (isAlnum(b[z]) || b[z] == '_' || b[z] == '.' || b[z] == '+') {
		z++
	}
	if z == a {
		return
	}
	if platform == "whatsapp" {
		s.phoneFromDigits(a, z, "+"+strings.TrimPrefix(string(b[a:z]), "+"))
		return
	}
	if sel := s.emitInner(KindHandle, a, z, strings.ToLower(string(b[a:z])), "", true, ""); sel != nil {
		sel.Platform = platform
	}
}

// wordTLD reports top-level labels that are also common words or
// abbreviations in Spanish and English chats.
func wordTLD(s string) bool {
	switch s {
	case "me", "es", "do", "to", "us", "it", "co", "de", "ni", "pa", "ca", "cl", "pe", "ve", "ar",
		"ec", "bo", "uy", "sv", "cu", "pr", "ht", "ch", "cc", "ws", "ly", "tv", "gt", "hn", "cr", "mx", "uk", "eu", "bz":
		return true
	}
	return false
}

// scanDomains finds bare "name.tld" domains with a common top-level label.
func (s *scan) scanDomains() {
	b := s.text
	next := 0 // tokens before next were read
	for _, d32 := range s.idx.dot {
		d := int(d32)
		if d < next {
			continue
		}
		i := d
		for i > 0 && (isLabelByte(b[i-1]) || b[i-1] == '.') {
			i--
		}
		e := d
		for e < len(b) && (isLabelByte(b[e]) || b[e] == '.') {
			e++
		}
		next = e
		if i > 0 && (b[i-1] == '@' || b[i-1] == '/' || b[i-1] >= 0x80) {
			continue
		}
		s.bareDomain(i, e)
	}
}

func (s *scan) bareDomain(i, e int) {
	b := s.text
	for e > i && (b[e-1] == '.' || b[e-1] == '-') {
		e--
	}
	if e < len(b) && (b[e] == '@' || b[e] >= 0x80) {
		return
	}
	dot := bytes.LastIndexByte(b[i:e], '.')
	if dot <= 0 || e-i-dot-1 < 2 || e-i-dot-1 > 7 {
		return
	}
	var tld [8]byte
	for k := range e - i - dot - 1 {
		tld[k] = lower(b[i+dot+1+k])
	}
	if t := string(tld[:e-i-dot-1]); !knownTLD(t) || t == "onion" {
		return
	}
	d := strings.ToLower(string(b[i:e]))
	if strings.Contains(d, "..") || !hasLetter(b[i:i+dot]) || s.claimed(i, e) {
		return
	}
	// "ok.me voy", "gracias.es": people skip the space after a full stop, and
	// some top-level labels are words. Those need a subdomain or a path.
	if wordTLD(d[dot+1:]) && strings.Count(d, ".") < 2 && (e >= len(b) || b[e] != '/') {
		return
	}
	s.emit(KindDomain, i, e, d, "", true, "")
}
