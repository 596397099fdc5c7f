package synth

import (
	"io"
	"strconv"
	"time"

	"github.com/rastro/rastro/synth/truth"
)

const (
	tgAbout        = "Here is the data you requested. Remember: Telegram is ad free, it doesn't use your data for ad targeting and doesn't sell it to others. Telegram only keeps the data it needs to function as a secure and feature-rich cloud service.\n\nCheck out Settings > Advanced > Export Telegram data to get your data."
	tgNotIncluded  = "(File not included. Change data exporting settings to download.)"
	tgChatsAbout   = "This page lists all chats from this export."
	tgLeftAbout    = "This page lists all supergroups and channels from this export that you've left."
	tgContactAbout = "If you allow access, contacts are continuously synced with Telegram. Telegram stores them on its servers so that you can contact your friends on any device."
)

// tgWriter renders Telegram Desktop JSON, tracking byte offsets.
type tgWriter struct {
	w    io.Writer
	n    int64
	buf  []byte
	file string
	ids  []string
	sels []truth.Selector
	recs []truth.RecordRef
	loc  *time.Location // the exporting machine's zone
}

// flush writes the buffer.
func (tw *tgWriter) flush() error {
	tw.n += int64(len(tw.buf))
	_, err := tw.w.Write(tw.buf)
	tw.buf = tw.buf[:0]
	return err
}

// at returns the offset the next appended byte will have.
func (tw *tgWriter) at() int64 { return tw.n + int64(len(tw.buf)) }

func (tw *tgWriter) plant(p *plant) {
	tw.sels = append(tw.sels, truth.Selector{Kind: p.kind, Value: p.value, Form: p.form, Obfuscation: p.obf,
		File: tw.file, Offset: tw.at(), Owner: p.owner, Decoy: p.decoy})
}

// appendJSONString appends s quoted, escaping only what JSON requires (as Telegram Desktop does).
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendEscaped(b, s)
	return append(b, '"')
}

// appendEscaped appends the JSON string body of s (without quotes).
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
		default:
			b = append(b, c)
		}
	}
	return b
}

// key appends `ind"k": `; an empty k writes only the indentation (array elements).
func (tw *tgWriter) key(ind, k string) {
	tw.buf = append(tw.buf, ind...)
	if k == "" {
		return
	}
	tw.buf = appendJSONString(tw.buf, k)
	tw.buf = append(tw.buf, ": "...)
}

func (tw *tgWriter) str(ind, k, v string, comma bool) {
	tw.key(ind, k)
	tw.buf = appendJSONString(tw.buf, v)
	tw.end(comma)
}

func (tw *tgWriter) num(ind, k string, v int64, comma bool) {
	tw.key(ind, k)
	tw.buf = strconv.AppendInt(tw.buf, v, 10)
	tw.end(comma)
}

func (tw *tgWriter) end(comma bool) {
	if comma {
		tw.buf = append(tw.buf, ',')
	}
	tw.buf = append(tw.buf, '\n')
}

// date appends the "date" and "date_unixtime" pair.
func (tw *tgWriter) date(ind, prefix string, t time.Time) {
	tw.key(ind, prefix)
	tw.buf = append(tw.buf, '"')
	tw.buf = t.In(tw.loc).AppendFormat(tw.buf, "2006-01-02T15:04:05")
	tw.buf = append(tw.buf, "\",\n"...)
	tw.key(ind, prefix+"_unixtime")
	tw.buf = append(tw.buf, '"')
	tw.buf = strconv.AppendInt(tw.buf, t.Unix(), 10)
	tw.buf = append(tw.buf, "\",\n"...)
}

// chat writes one chat object {name,type,id,messages} at indentation ind.
// pointer is the JSON pointer of the chat ("" for a single-chat export).
func (tw *tgWriter) chat(pl *chatPlan, ind, pointer string, next func(*message) bool) (int, error) {
	in := ind + " "
	tw.buf = append(tw.buf, ind+"{\n"...)
	typ, id := "private_group", 4000000000+int64(pl.seed%1000000000)
	if pl.group {
		tw.str(in, "name", pl.title, true)
	} else {
		typ, id = "personal_chat", pl.members[1].tgID
		tw.nameField(in, "name", pl, 1, true)
	}
	tw.str(in, "type", typ, true)
	tw.num(in, "id", id, true)
	tw.key(in, "messages")
	tw.buf = append(tw.buf, '[')
	k := 0
	var m message
	for next(&m) {
		if m.kind == mDeleted {
			continue // Telegram exports do not keep deleted messages
		}
		if k > 0 {
			tw.buf = append(tw.buf, ',')
		}
		tw.buf = append(tw.buf, '\n')
		tw.message(pl, &m, in+" ", k, pointer)
		k++
		if len(tw.buf) > 64<<10 {
			if err := tw.flush(); err != nil {
				return k, err
			}
		}
	}
	tw.buf = append(tw.buf, '\n')
	tw.buf = append(tw.buf, in+"]\n"...)
	tw.buf = append(tw.buf, ind+"}"...)
	return k, tw.flush()
}

// nameField writes a member's name, planting the number when the account shows one.
func (tw *tgWriter) nameField(ind, k string, pl *chatPlan, mi int, comma bool) {
	m := pl.members[mi]
	tw.key(ind, k)
	tw.buf = append(tw.buf, '"')
	if m.showNumber && m.person >= 0 {
		tw.plant(&plant{kind: "phone", value: m.phone, form: m.phone, owner: tw.ids[m.person]})
	}
	tw.buf = append(appendEscaped(tw.buf, tgName(pl, mi)), '"')
	tw.end(comma)
}

// tgName is how the exporting account shows member mi.
func tgName(pl *chatPlan, mi int) string {
	m := pl.members[mi]
	if m.showNumber {
		return m.phone // not a contact: Telegram shows the number
	}
	return m.name
}

// message writes one message object.
func (tw *tgWriter) message(pl *chatPlan, m *message, ind string, k int, pointer string) {
	in := ind + " "
	tw.buf = append(tw.buf, ind+"{\n"...)
	tw.num(in, "id", int64(k+1), true)
	from := pl.members[m.from]
	if m.kind == mEncrypted || m.kind == mAdded {
		tw.str(in, "type", "service", true)
		tw.date(in, "date", m.at)
		tw.nameField(in, "actor", pl, m.from, true)
		tw.str(in, "actor_id", "user"+strconv.FormatInt(from.tgID, 10), true)
		if m.kind == mEncrypted {
			tw.str(in, "action", "create_group", true)
			tw.str(in, "title", pl.title, true)
		} else {
			tw.str(in, "action", "invite_members", true)
			tw.key(in, "members")
			tw.buf = append(tw.buf, "[\n"...)
			tw.nameField(in+" ", "", pl, m.target, false)
			tw.buf = append(tw.buf, in+"],\n"...)
		}
	} else {
		tw.str(in, "type", "message", true)
		tw.date(in, "date", m.at)
		tw.nameField(in, "from", pl, m.from, true)
		tw.str(in, "from_id", "user"+strconv.FormatInt(from.tgID, 10), true)
		if m.kind == mMedia {
			tw.str(in, "photo", tgNotIncluded, true)
			tw.num(in, "width", 640, true)
			tw.num(in, "height", 480, true)
		}
	}
	tw.text(in, m)
	tw.buf = append(tw.buf, ind+"}"...)
	if from.person >= 0 {
		loc := "json:" + pointer + "/messages/" + strconv.Itoa(k)
		tw.recs = append(tw.recs, truth.RecordRef{File: tw.file, Locator: loc, Kind: "message", Person: tw.ids[from.person]})
	}
}

// text writes "text" and "text_entities": a plain string when nothing is linked, else an array of parts.
func (tw *tgWriter) text(in string, m *message) {
	linked := false
	for _, p := range m.parts {
		if p.p != nil && p.p.entity != "plain" {
			linked = true
		}
	}
	tw.key(in, "text")
	if !linked {
		tw.plainRun(m.parts, true)
		tw.buf = append(tw.buf, ",\n"...)
	} else {
		tw.buf = append(tw.buf, "[\n"...)
		tw.entities(in+" ", m, true)
		tw.buf = append(tw.buf, in+"],\n"...)
	}
	tw.key(in, "text_entities")
	if len(m.parts) == 0 {
		tw.buf = append(tw.buf, "[]\n"...)
		return
	}
	tw.buf = append(tw.buf, "[\n"...)
	tw.entities(in+" ", m, false)
	tw.buf = append(tw.buf, in+"]\n"...)
}

// entities writes the parts array (asText: strings for plain runs) or text_entities.
func (tw *tgWriter) entities(ind string, m *message, asText bool) {
	first := true
	sep := func() {
		if !first {
			tw.buf = append(tw.buf, ",\n"...)
		}
		first = false
	}
	for i := 0; i < len(m.parts); {
		if p := m.parts[i].p; p != nil && p.entity != "plain" {
			sep()
			tw.buf = append(tw.buf, ind+"{\n"...)
			tw.str(ind+" ", "type", p.entity, true)
			tw.key(ind+" ", "text")
			tw.buf = append(tw.buf, '"')
			if asText {
				tw.plant(p)
			}
			tw.buf = append(appendEscaped(tw.buf, p.form), '"')
			tw.buf = append(tw.buf, '\n')
			tw.buf = append(tw.buf, ind+"}"...)
			i++
			continue
		}
		sep()
		j := i
		for j < len(m.parts) && (m.parts[j].p == nil || m.parts[j].p.entity == "plain") {
			j++
		}
		if asText {
			tw.buf = append(tw.buf, ind...)
			tw.plainRun(m.parts[i:j], true)
		} else {
			tw.buf = append(tw.buf, ind+"{\n"...)
			tw.str(ind+" ", "type", "plain", true)
			tw.key(ind+" ", "text")
			tw.plainRun(m.parts[i:j], false)
			tw.buf = append(tw.buf, '\n')
			tw.buf = append(tw.buf, ind+"}"...)
		}
		i = j
	}
	tw.buf = append(tw.buf, '\n')
}

// plainRun writes parts as one JSON string, planting selectors when asked.
func (tw *tgWriter) plainRun(parts []part, plantThem bool) {
	tw.buf = append(tw.buf, '"')
	for _, p := range parts {
		if plantThem && p.p != nil {
			tw.plant(p.p)
		}
		tw.buf = appendEscaped(tw.buf, p.text)
	}
	tw.buf = append(tw.buf, '"')
}
