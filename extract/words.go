package extract

import "strings"

// scanWords reads every alphanumeric token once and checks the ones shaped
// like crypto addresses, IBANs or onion labels.
func (s *scan) scanWords() {
	for _, t := range s.idx.tokens {
		s.word(t.start, t.end)
	}
}

// word checks the token b[i:j].
func (s *scan) word(i, j int) {
	b := s.text
	tok := b[i:j]
	n := len(tok)
	if n < 4 {
		return
	}
	if hasPrefixFold(b, j, ".onion") && (j+6 == len(b) || !isAlnum(b[j+6])) {
		s.onion(i, j)
		return
	}
	if b[j-1] == '_' || (j < len(b) && (b[j] == '_' || b[j] == '@')) {
		return // part of a handle or e-mail
	}
	switch {
	case n == 42 && tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X'):
		s.eth(i, j)
	case n >= 14 && n <= 90 && (hasPrefixFold(b, i, "bc1") || hasPrefixFold(b, i, "tb1")):
		s.segwit(i, j)
	case n >= 25 && n <= 35 && (tok[0] == '1' || tok[0] == '3'):
		s.base58Addr(i, j, KindBTC)
	case n == 34 && tok[0] == 'T':
		s.base58Addr(i, j, KindTRON)
	case isUpper(tok[0]) && isUpper(tok[1]) && isDigit(tok[2]) && isDigit(tok[3]):
		s.iban(i, j)
	}
}

func (s *scan) onion(i, j int) {
	label := strings.ToLower(string(s.text[i:j]))
	for k := 0; k < len(label); k++ {
		if !(isLower(label[k]) || label[k] >= '2' && label[k] <= '7') {
			return
		}
	}
	switch len(label) {
	case 56:
		ok := onionV3Check(label)
		s.emit(KindOnion, i, j+6, label+".onion", "", ok, reasonIf(!ok, "onion v3 checksum or version failed"))
	case 16:
		s.emit(KindOnion, i, j+6, label+".onion", "", true, "") // v2 has no checksum
	}
}

func (s *scan) eth(i, j int) {
	hex := string(s.text[i+2 : j])
	for k := 0; k < len(hex); k++ {
		if !isHex(hex[k]) {
			return
		}
	}
	sum := eip55(hex)
	mixed := strings.ToLower(hex) != hex && strings.ToUpper(hex) != hex
	ok := !mixed || sum == hex
	s.emit(KindETH, i, j, "0x"+sum, "", ok, reasonIf(!ok, "EIP-55 checksum mismatch"))
}

func (s *scan) segwit(i, j int) {
	addr := string(s.text[i:j])
	reason, ok := segwitCheck(addr)
	s.emit(KindBTC, i, j, strings.ToLower(addr), "", ok, reason)
}

func (s *scan) base58Addr(i, j int, kind string) {
	addr := string(s.text[i:j])
	for k := 0; k < len(addr); k++ {
		if base58Value(addr[k]) < 0 {
			return
		}
	}
	v, ok := base58Check(addr)
	reason := ""
	switch {
	case !ok:
		reason = "base58check checksum failed"
	case kind == KindBTC && v != 0x00 && v != 0x05:
		ok, reason = false, "not a P2PKH or P2SH version byte"
	case kind == KindTRON && v != 0x41:
		ok, reason = false, "not a TRON version byte"
	}
	s.emit(kind, i, j, addr, "", ok, reason)
}

// iban reads an electronic IBAN at b[i:j] or one printed in groups of four.
func (s *scan) iban(i, j int) {
	b := s.text
	end := j
	if j-i == 4 {
		// Grouped: "CR05 0901 2345 ..." — groups of four, the last 1..4.
		for end+1 < len(b) && b[end] == ' ' && end-i < 42 {
			k := end + 1
			for k < len(b) && (isDigit(b[k]) || isUpper(b[k])) {
				k++
			}
			g := k - end - 1
			if g == 0 || g > 4 || (k < len(b) && isAlnum(b[k])) {
				break
			}
			end = k
			if g < 4 {
				break
			}
		}
	}
	var buf [40]byte
	e := buf[:0]
	for k := i; k < end && len(e) < cap(buf); k++ {
		if b[k] != ' ' {
			e = append(e, b[k])
		}
	}
	if len(e) < 15 || len(e) > 34 {
		return
	}
	// Trim trailing groups until the registry length fits (a grouped IBAN
	// may be followed by other numbers).
	want := ibanLengths[string(e[:2])]
	if want > 0 && len(e) > want {
		e = e[:want]
		end = i
		for n := 0; n < want; end++ {
			if b[end] != ' ' {
				n++
			}
		}
	}
	reason, ok := ibanCheck(string(e))
	if !ok && !s.opts.Decoys {
		return
	}
	s.emit(KindIBAN, i, end, string(e), "", ok, reason)
}

func reasonIf(bad bool, reason string) string {
	if bad {
		return reason
	}
	return ""
}
