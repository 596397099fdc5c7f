package extract

import "strings"

func isHandleByte(c byte) bool { return isAlnum(c) || c == '_' || c == '.' }

// jsonHandleKeys are JSON keys whose string values are account names.
var jsonHandleKeys = []string{`"username"`, `"screenNames"`, `"screenName"`, `"screen_name"`, `"handle"`, `"user_name"`}

// scanHandles finds "@name" mentions and account names under JSON keys
// such as "username" and "screenNames".
func (s *scan) scanHandles() {
	for k := range jsonHandleKeys {
		s.jsonHandles(k)
		s.beginPass()
	}
	b := s.text
	for _, a32 := range s.idx.at {
		a := int(a32)
		if a > 0 && isLocalByte(b[a-1]) {
			continue
		}
		e := a + 1
		for e < len(b) && isHandleByte(b[e]) && e-a <= 32 {
			e++
		}
		for e > a+1 && b[e-1] == '.' {
			e--
		}
		if e == a+1 || (e < len(b) && (b[e] == '@' || isWordByte(b[e]))) || !hasLetter(b[a+1:e]) || s.claimed(a, e) {
			continue
		}
		s.handle(a, e, string(b[a+1:e]))
	}
}

func hasLetter(b []byte) bool {
	for _, c := range b {
		if isAlpha(c) || c == '_' {
			return true
		}
	}
	return false
}

// jsonHandles reads the string values (or list of strings) after key.
func (s *scan) jsonHandles(key int) {
	b := s.text
	off := 0
	for _, a := range s.idx.json {
		if int(a.key) != key || int(a.pos) < off {
			continue
		}
		p := int(a.pos) + len(jsonHandleKeys[key])
		off = p
		p = skipSpace(b, p)
		if p >= len(b) || b[p] != ':' {
			continue
		}
		p = skipSpace(b, p+1)
		list := p < len(b) && b[p] == '['
		if list {
			p = skipSpace(b, p+1)
		}
		for p < len(b) && b[p] == '"' {
			e := p + 1
			for e < len(b) && isHandleByte(b[e]) || e < len(b) && e == p+1 && b[e] == '@' {
				e++
			}
			if e >= len(b) || b[e] != '"' {
				break
			}
			name := strings.TrimPrefix(string(b[p+1:e]), "@")
			if name != "" && hasLetter([]byte(name)) && !s.claimed(p+1, e) {
				s.handle(p+1, e, name)
			}
			if !list {
				break
			}
			p = skipSpace(b, e+1)
			if p < len(b) && b[p] == ',' {
				p = skipSpace(b, p+1)
			}
		}
	}
}

func skipSpace(b []byte, p int) int {
	for p < len(b) && (b[p] == ' ' || b[p] == '\n' || b[p] == '\t' || b[p] == '\r') {
		p++
	}
	return p
}

func (s *scan) handle(start, end int, name string) {
	if sel := s.emit(KindHandle, start, end, strings.ToLower(name), "", true, ""); sel != nil {
		sel.Platform = platformNear(s.text, start, end)
	}
}

// platformWords maps words written near a handle to its platform.
var platformWords = []struct{ word, platform string }{
	{"instagram", "instagram"}, {"insta", "instagram"}, {"ig", "instagram"},
	{"telegram", "telegram"}, {"tg", "telegram"}, {"t.me", "telegram"}, {"telegrama", "telegram"},
	{"tiktok", "tiktok"}, {"twitter", "twitter"}, {"snapchat", "snapchat"}, {"snap", "snapchat"},
	{"facebook", "facebook"}, {"fb", "facebook"}, {"onlyfans", "onlyfans"}, {"whatsapp", "whatsapp"},
	{"discord", "discord"}, {"threads", "threads"},
}

// platformNear looks for a platform name within the same line, 40 bytes
// around the handle.
func platformNear(b []byte, start, end int) string {
	ls, le := lineBounds(b, start)
	a, z := max(ls, start-40), min(le, end+40)
	best, dist := "", 1<<30
	for i := a; i < z; i++ {
		if i >= start && i < end {
			continue
		}
		for _, pw := range platformWords {
			if wordAt(b[:z], i, pw.word) {
				d := start - i
				if i >= end {
					d = i - end
				}
				if d < dist {
					best, dist = pw.platform, d
				}
			}
		}
	}
	return best
}
