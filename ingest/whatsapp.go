package ingest

import (
	"bytes"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// System texts WhatsApp writes, by export language (Android and iOS).
var (
	waEncrypted = []string{
		"Messages and calls are end-to-end encrypted",
		"Los mensajes y las llamadas están cifrados de extremo a extremo",
		"Los mensajes y llamadas están cifrados de extremo a extremo",
	}
	waDeleted = []string{
		"This message was deleted", "You deleted this message",
		"Se eliminó este mensaje", "Eliminaste este mensaje", "Este mensaje fue eliminado",
	}
	// waSpanish are texts only a Spanish-language export writes.
	waSpanish = []string{
		"Los mensajes y", "Se eliminó este mensaje", "Eliminaste este mensaje", "Este mensaje fue eliminado",
		"<Multimedia omitido>", "(archivo adjunto)", " añadió a ", "Añadiste a ", " salió del grupo", " creó el grupo",
	}
	// waEnglish are texts only an English-language export writes.
	waEnglish = []string{
		"Messages and calls are", "This message was deleted", "You deleted this message",
		"<Media omitted>", "(file attached)", " added ", "You added ", " left", " created group",
	}
	// waAdded are "actor VERB target" system lines; the actor becomes the sender.
	waAdded = []string{" added ", " añadió a ", " removed ", " eliminó a "}
	// waYou are system lines the exporting account wrote about itself.
	waYou = []string{"You added ", "Añadiste a ", "You removed ", "Eliminaste a ", "You created group", "Creaste el grupo"}
	// waAttachSuffix mark Android attachments: "IMG-...jpg (file attached)".
	waAttachSuffix = []string{" (file attached)", " (archivo adjunto)", " (arquivo anexado)", " (Datei angehängt)", " (fichier joint)"}
	// waAttachTag are iOS attachment tags: "<attached: NAME>".
	waAttachTag = []string{"<attached: ", "<adjunto: ", "<anexo: ", "<Anhang: ", "<pièce jointe : "}
)

// maxSenderLen is the longest sender name believed; a longer "name" is a
// system line with a colon in it.
const maxSenderLen = 100

// maxParticipants bounds the senders remembered for Recipients.
const maxParticipants = 64

// ParseWhatsApp reads one WhatsApp chat export (.txt, any layout). It reads
// the whole file twice to settle the day/month order before the first item:
// r should be an io.ReadSeeker (an *os.File); any other reader is read into
// memory first. name (the file name) gives the chat title.
func ParseWhatsApp(r io.Reader, name string, opt Options, fn Func) (*Report, error) {
	open, err := reopener(r)
	if err != nil {
		return nil, fmt.Errorf("ingest whatsapp: %w", err)
	}
	return parseWhatsApp(open, waTitle(name), "", opt, fn)
}

// reopener returns a function that yields r from its start on each call.
func reopener(r io.Reader) (func() (io.Reader, error), error) {
	if rs, ok := r.(io.ReadSeeker); ok {
		start, err := rs.Seek(0, io.SeekCurrent)
		if err != nil {
			return nil, err
		}
		return func() (io.Reader, error) {
			_, err := rs.Seek(start, io.SeekStart)
			return rs, err
		}, nil
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return func() (io.Reader, error) { return bytes.NewReader(data), nil }, nil
}

// waTitle derives a chat title from an export's file name.
func waTitle(name string) string {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	base = strings.TrimSuffix(strings.TrimSuffix(base, ".txt"), ".zip")
	for _, p := range []string{"WhatsApp Chat with ", "WhatsApp Chat - ", "Chat de WhatsApp con ", "Chat de WhatsApp - "} {
		if t, ok := strings.CutPrefix(base, p); ok {
			return t
		}
	}
	if base == "_chat" || base == "." || base == "/" {
		return ""
	}
	return base
}

// parseWhatsApp runs the two passes; prefix goes before each locator
// ("zip:_chat.txt#" for zipped exports).
func parseWhatsApp(open func() (io.Reader, error), title, prefix string, opt Options, fn Func) (*Report, error) {
	rep := &Report{Format: FormatWhatsApp, ZoneAssumed: opt.Zone == nil}
	r, err := open()
	if err != nil {
		return rep, fmt.Errorf("ingest whatsapp: %w", err)
	}
	sc, err := prescanWhatsApp(r)
	if err != nil {
		return rep, fmt.Errorf("ingest whatsapp: %w", err)
	}
	rep.DayFirst, rep.DateOrderFrom = sc.order(opt.DayFirst)
	switch {
	case sc.stamps == 0:
		rep.problem(prefix+"line:1", "no WhatsApp message line found; is this a WhatsApp export?")
	case rep.DateOrderFrom == "default":
		rep.problem(prefix+"line:1", "day/month order is ambiguous; read as day first (set the date order to override)")
	}
	if sc.title != "" {
		title = sc.title
	}
	owner := sc.owner(title)
	if owner.Name != "" {
		rep.Owner = &owner
	} else {
		owner.Name = "You" // the exporting account, not named in the file
	}
	if r, err = open(); err != nil {
		return rep, fmt.Errorf("ingest whatsapp: %w", err)
	}
	e := &waEmitter{rep: rep, fn: fn, prefix: prefix, opt: opt, parts: sc.participants, owner: owner,
		chat: Chat{ID: title, Title: title, Platform: "whatsapp"}}
	if err := e.run(r); err != nil {
		return rep, fmt.Errorf("ingest whatsapp: %w", err)
	}
	return rep, nil
}

// waScan is what the first pass learns about the whole file.
type waScan struct {
	stamps           int
	maxA, maxB       int
	es, en, amPM     bool
	esMarker         bool
	backDMY, backMDY int // steps back in time under each reading
	title            string
	participants     []string
	tooMany          bool
	deleter          string // who wrote "You deleted this message": the owner
}

// waYouDeleted is what the exporting account sees for its own deleted messages.
var waYouDeleted = []string{"You deleted this message", "Eliminaste este mensaje"}

// owner names the exporting account: the sender of a "You deleted" line, or
// in a chat of two the one who is not the chat's title.
func (sc *waScan) owner(title string) Party {
	switch {
	case sc.deleter != "":
		return waParty(sc.deleter)
	case len(sc.participants) == 2 && sc.participants[0] == title:
		return waParty(sc.participants[1])
	case len(sc.participants) == 2 && sc.participants[1] == title:
		return waParty(sc.participants[0])
	}
	return Party{}
}

// prescanWhatsApp reads every stamp to learn the date order, the language,
// the iOS chat title and who speaks.
func prescanWhatsApp(r io.Reader) (*waScan, error) {
	sc := &waScan{}
	lr := newLineReader(r)
	var prevDMY, prevMDY int64
	seen := map[string]bool{}
	for line, ok := lr.line(); ok; line, ok = lr.line() {
		st, ok := parseWAStamp(line)
		if !ok {
			continue
		}
		sc.stamps++
		if !st.ymd {
			sc.maxA, sc.maxB = max(sc.maxA, st.a), max(sc.maxB, st.b)
		}
		sc.amPM = sc.amPM || ((st.am || st.pm) && !st.esMarker)
		sc.esMarker = sc.esMarker || st.esMarker
		rest := line[st.rest:]
		sender, text, sys := splitWA(rest)
		if !sc.es && mayBeSystemText(sys, text) {
			sc.es = containsAny(rest, waSpanish)
			sc.en = sc.en || (!sc.es && containsAny(rest, waEnglish)) // Spanish decides first
		}
		k := stampKey(st.y, st.a, st.b, &st)
		sc.backDMY += back(&prevDMY, k)
		sc.backMDY += back(&prevMDY, stampKey(st.y, st.b, st.a, &st))
		if st.ios && sc.title == "" && len(sender) > 0 && hasAnyPrefix(text, waEncrypted) {
			sc.title = string(sender)
		}
		if !sys && sc.deleter == "" && hasAnyPrefix(text, waYouDeleted) {
			sc.deleter = string(sender)
		}
		if sys || len(sender) == 0 || seen[string(sender)] {
			continue
		}
		if len(seen) >= maxParticipants {
			sc.tooMany = true
			continue
		}
		seen[string(sender)] = true
		sc.participants = append(sc.participants, string(sender))
	}
	if sc.tooMany {
		sc.participants = nil
	}
	return sc, lr.failure()
}

// stampKey orders stamps read as day d, month mo (0 when impossible).
func stampKey(y, d, mo int, st *waStamp) int64 {
	if mo < 1 || mo > 12 || d < 1 || d > 31 {
		return 0
	}
	h := st.h % 12
	if st.pm {
		h += 12
	} else if !st.am {
		h = st.h
	}
	return int64(y)*1e8 + int64(mo)*1e6 + int64(d)*1e4 + int64(h)*100 + int64(st.m)
}

// back counts 1 when k goes back in time from *prev, and remembers k.
func back(prev *int64, k int64) int {
	n := 0
	if k != 0 && *prev != 0 && k < *prev {
		n = 1
	}
	if k != 0 {
		*prev = k
	}
	return n
}

// order decides day-first or month-first and says from what.
func (sc *waScan) order(force *bool) (bool, string) {
	switch {
	case force != nil:
		return *force, "option"
	case sc.maxA > 12 && sc.maxB <= 12:
		return true, "fields"
	case sc.maxB > 12 && sc.maxA <= 12:
		return false, "fields"
	case sc.esMarker || sc.es:
		return true, "locale"
	case sc.amPM:
		return false, "locale"
	case sc.en:
		return true, "locale" // English with a 24-hour clock: en_GB and most of the world
	case sc.backDMY != sc.backMDY:
		return sc.backDMY < sc.backMDY, "sequence"
	}
	return true, "default"
}

// mayBeSystemText reports lines whose text WhatsApp wrote in the export's
// language: system lines, deleted messages, media placeholders and
// attachments. Only those are searched for language hints.
func mayBeSystemText(sys bool, text []byte) bool {
	return sys || len(text) > 0 && (text[0] == '<' || text[len(text)-1] == ')') ||
		hasAnyPrefix(text, waDeleted) || hasAnyPrefix(text, waEncrypted)
}

// containsAny reports whether b contains one of list.
func containsAny(b []byte, list []string) bool {
	for _, s := range list {
		if bytes.Contains(b, []byte(s)) {
			return true
		}
	}
	return false
}

// hasAnyPrefix reports whether s starts with one of list.
func hasAnyPrefix(s []byte, list []string) bool {
	for _, p := range list {
		if len(s) >= len(p) && string(s[:len(p)]) == p {
			return true
		}
	}
	return false
}

// splitWA splits the text after a stamp into sender and text; sys is true for
// lines without a sender (encryption notice, "X added Y"). Marks are dropped
// from the start of both parts.
func splitWA(rest []byte) (sender, text []byte, sys bool) {
	rest = rest[skipMarks(rest, 0):]
	if hasAnyPrefix(rest, waEncrypted) || hasAnyPrefix(rest, waYou) {
		return nil, rest, true
	}
	i := bytes.Index(rest, []byte(": "))
	if i <= 0 || i > maxSenderLen || bytes.ContainsAny(rest[:i], "\"“”") {
		return nil, rest, true // `X changed the subject to "a: b"` has no sender
	}
	text = rest[i+2:]
	return rest[:i], text[skipMarks(text, 0):], false
}

// waEmitter is the second pass: it builds items and calls fn.
type waEmitter struct {
	rep     *Report
	fn      Func
	prefix  string
	opt     Options
	chat    Chat
	parts   []string
	recips  map[string][]Party // per sender, shared by its items
	names   map[string]Party   // parties by name, to build each once
	owner   Party
	cur     Item
	text    []byte
	has     bool
	started bool
}

// run reads every line and emits one item per stamp.
func (e *waEmitter) run(r io.Reader) error {
	lr := newLineReader(r)
	for line, ok := lr.line(); ok; line, ok = lr.line() {
		st, isStart := parseWAStamp(line)
		if !isStart {
			e.continuation(line, lr.num)
			continue
		}
		if err := e.flush(); err != nil {
			return err
		}
		e.start(line, &st, lr.num)
	}
	if err := lr.failure(); err != nil {
		return err
	}
	return e.flush()
}

// continuation appends a line without stamp to the current message.
func (e *waEmitter) continuation(line []byte, num int) {
	if !e.has {
		if len(bytes.TrimSpace(line)) > 0 {
			e.rep.problem(e.prefix+"line:"+strconv.Itoa(num), "text before the first message")
		}
		return
	}
	e.text = append(append(e.text, '\n'), line...)
}

// start begins a new item at a stamped line.
func (e *waEmitter) start(line []byte, st *waStamp, num int) {
	loc := e.prefix + "line:" + strconv.Itoa(num)
	e.cur = Item{Kind: KindMessage, Locator: loc, Chat: e.chat}
	e.has = true
	if t, ok := st.time(e.rep.DayFirst, e.opt.zone()); ok {
		e.cur.Time = t.UTC()
	} else {
		e.rep.problem(loc, "invalid date or time; message kept without time")
	}
	sender, text, sys := splitWA(line[st.rest:])
	e.text = append(e.text[:0], text...)
	switch {
	case sys:
		e.cur.System = true
		e.cur.Sender = waActor(text)
		if hasAnyPrefix(text, waYou) {
			e.cur.Sender = e.owner
		}
	case hasAnyPrefix(text, waEncrypted):
		e.cur.System = true // iOS: the chat title stands as sender
	default:
		e.cur.Sender = e.party(sender)
		e.cur.System = hasAnyPrefix(text, waDeleted)
		e.cur.Attachments = waAttachment(text)
	}
}

// flush emits the current item.
func (e *waEmitter) flush() error {
	if !e.has {
		return nil
	}
	e.has = false
	e.cur.Text = string(e.text)
	if !e.cur.System && e.cur.Sender.Name != "" {
		r, ok := e.recips[e.cur.Sender.Name]
		if !ok && len(e.recips) < maxParticipants {
			if e.recips == nil {
				e.recips = map[string][]Party{}
			}
			r = waRecipients(e.parts, e.cur.Sender.Name)
			e.recips[e.cur.Sender.Name] = r
		} else if !ok {
			r = waRecipients(e.parts, e.cur.Sender.Name)
		}
		e.cur.Recipients = r
	}
	e.rep.Items++
	return e.fn(e.cur)
}

// party returns the sender's party, reusing the one built for the name before.
func (e *waEmitter) party(name []byte) Party {
	if p, ok := e.names[string(name)]; ok {
		return p
	}
	p := waParty(string(name))
	if len(e.names) < maxParticipants*4 {
		if e.names == nil {
			e.names = map[string]Party{}
		}
		e.names[p.Name] = p
	}
	return p
}

// waRecipients lists the other participants seen in the chat.
func waRecipients(parts []string, sender string) []Party {
	var out []Party
	for _, p := range parts {
		if p != sender {
			out = append(out, waParty(p))
		}
	}
	return out
}

// waParty is a sender as shown: a saved name, or a number in international form.
func waParty(name string) Party {
	p := Party{Name: name}
	if ph, ok := phoneOf(name); ok {
		p.Phone = ph
	}
	return p
}

// phoneOf returns "+digits" when s is written as an international number.
func phoneOf(s string) (string, bool) {
	s = strings.Trim(s, lrmMark+rlmMark+" ")
	if len(s) < 6 || s[0] != '+' {
		return "", false
	}
	b := make([]byte, 1, len(s))
	b[0] = '+'
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			b = append(b, c)
		case c == ' ' || c == '-' || c == '(' || c == ')' || c == '.':
		default:
			if !hasAt([]byte(s), i, nbsp) && !hasAt([]byte(s), i-1, nbsp) {
				return "", false
			}
		}
	}
	return string(b), len(b) >= 7 && len(b) <= 16
}

// waActor returns the actor of "X added Y"-style system lines.
func waActor(text []byte) Party {
	for _, v := range waAdded {
		if i := bytes.Index(text, []byte(v)); i > 0 {
			return waParty(string(text[:i]))
		}
	}
	return Party{}
}

// waAttachment returns the file a message's first line attaches, if any.
func waAttachment(text []byte) []string {
	first, _, _ := bytes.Cut(text, []byte{'\n'})
	for _, tag := range waAttachTag {
		if s, ok := bytes.CutPrefix(first, []byte(tag)); ok {
			if s, ok = bytes.CutSuffix(s, []byte(">")); ok {
				return []string{string(s)}
			}
		}
	}
	for _, suf := range waAttachSuffix {
		if s, ok := bytes.CutSuffix(first, []byte(suf)); ok && len(s) > 0 {
			return []string{string(s[skipMarks(s, 0):])}
		}
	}
	return nil
}
