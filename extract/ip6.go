package extract

import "net/netip"

// scanColons finds IPv6 addresses around every ':'.
func (s *scan) scanColons() {
	b := s.text
	next := 0
	for _, c32 := range s.idx.colon {
		c := int(c32)
		if c < next {
			continue
		}
		st := c
		for st > 0 && classes[b[st-1]]&cHexC != 0 && c-st < 45 {
			st--
		}
		e := c
		for e < len(b) && classes[b[e]]&cHexC != 0 && e-st < 45 {
			e++
		}
		// Every ':' of a run of fewer than 45 bytes sees the same run:
		// when it fails, so do the others ("08:31:00").
		whole := (st == 0 || classes[b[st-1]]&cHexC == 0) && e-st < 45
		for e > c && b[e-1] == '.' {
			e--
		}
		if (st > 0 && isAlnum(b[st-1])) || (e < len(b) && isAlnum(b[e])) || !ip6Shape(b[st:e]) {
			if whole {
				next = e
			}
			continue
		}
		a, err := netip.ParseAddr(string(b[st:e]))
		if err != nil || !a.Is6() || a.Zone() != "" {
			if whole {
				next = e
			}
			continue
		}
		if !s.claimed(st, e) {
			s.emit(KindIPv6, st, e, a.String(), "", true, "")
		}
		next = e + 1
	}
}

// ip6Shape is the cheap test before parsing: eight groups need seven
// colons, six with a dotted IPv4 tail, and fewer only around a "::"
// ("16:20:05", a time, has neither).
func ip6Shape(b []byte) bool {
	colons, double := 0, false
	for k, c := range b {
		if c == ':' {
			colons++
			double = double || k > 0 && b[k-1] == ':'
		}
	}
	return colons >= 2 && (double || colons >= 6)
}
