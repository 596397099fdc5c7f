package synth

import (
	"bytes"
	"io"
	"strconv"
	"time"

	"github.com/rastro/rastro/synth/truth"
)

// waText holds the system texts of one export language.
type waText struct {
	encrypted, youDeleted, deleted, omitted, attached, added, youAdded string
}

var waEN = waText{
	encrypted:  "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.",
	youDeleted: "You deleted this message", deleted: "This message was deleted",
	omitted: "<Media omitted>", attached: " (file attached)", added: " added ", youAdded: "You added ",
}

var waES = waText{
	encrypted:  "Los mensajes y las llamadas están cifrados de extremo a extremo. Nadie fuera de este chat, ni siquiera WhatsApp, puede leerlos ni escucharlos. Toca para obtener más información.",
	youDeleted: "Eliminaste este mensaje.", deleted: "Se eliminó este mensaje.",
	omitted: "<Multimedia omitido>", attached: " (archivo adjunto)", added: " añadió a ", youAdded: "Añadiste a ",
}

var waIOS = waText{
	encrypted:  "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.",
	youDeleted: "You deleted this message.", deleted: "This message was deleted.",
	omitted: "image omitted", added: " added ", youAdded: "You added ",
}

const lrm = "\u200e"

// waWriter renders messages of one chat in one WhatsApp export layout.
type waWriter struct {
	w         io.Writer
	n         int64 // bytes written so far (offset of the next line)
	line      int   // lines written so far
	buf       []byte
	layout    string
	ios       bool
	tx        *waText
	plan      *chatPlan
	file      string // case path of the file (the zip for zipped chats)
	member    string // zip member name, "" for a plain .txt
	ids       []string
	sels      []truth.Selector
	recs      []truth.RecordRef
	msgs      int
	withMedia bool
}

func newWAWriter(w io.Writer, pl *chatPlan, file, member string, ids []string, withMedia bool) *waWriter {
	ww := &waWriter{w: w, layout: pl.layout, plan: pl, file: file, member: member, ids: ids, withMedia: withMedia, buf: make([]byte, 0, 1024)}
	switch {
	case pl.layout[:3] == "ios":
		ww.ios, ww.tx = true, &waIOS
	case pl.layout == "android_es_ES" || pl.layout == "android_es_MX":
		ww.tx = &waES
	default:
		ww.tx = &waEN
	}
	return ww
}

// appendStamp writes the date and time the way the layout's phone does.
func appendStamp(b []byte, layout string, t time.Time) []byte {
	y, mo, d := t.Date()
	h, mi, sec := t.Clock()
	switch layout {
	case "android_en_GB", "ios_en_GB":
		b = append2(b, d)
		b = append(b, '/')
		b = append2(b, int(mo))
		b = append(b, '/')
		b = appendInt(b, y)
	case "android_en_US", "ios_en_US":
		b = appendInt(b, int(mo))
		b = append(b, '/')
		b = appendInt(b, d)
		b = append(b, '/')
		b = append2(b, y%100)
	default: // es_ES, es_MX: day first, short year
		b = appendInt(b, d)
		b = append(b, '/')
		b = appendInt(b, int(mo))
		b = append(b, '/')
		b = append2(b, y%100)
	}
	b = append(b, ", "...)
	switch layout {
	case "android_en_US", "ios_en_US", "android_es_MX":
		h12 := h % 12
		if h12 == 0 {
			h12 = 12
		}
		b = appendInt(b, h12)
		b = append(b, ':')
		b = append2(b, mi)
		if layout == "ios_en_US" {
			b = append(b, ':')
			b = append2(b, sec)
		}
		b = append(b, "\u202f"...)
		switch {
		case layout == "android_es_MX" && h < 12:
			b = append(b, "a.\u00a0m."...)
		case layout == "android_es_MX":
			b = append(b, "p.\u00a0m."...)
		case h < 12:
			b = append(b, "AM"...)
		default:
			b = append(b, "PM"...)
		}
	case "android_es_ES":
		b = appendInt(b, h)
		b = append(b, ':')
		b = append2(b, mi)
	default:
		b = append2(b, h)
		b = append(b, ':')
		b = append2(b, mi)
		if layout == "ios_en_GB" {
			b = append(b, ':')
			b = append2(b, sec)
		}
	}
	return b
}

// head starts a line: stamp and separator; lead adds iOS's left-to-right mark before "[".
func (ww *waWriter) head(b []byte, t time.Time, lead bool) []byte {
	if ww.ios {
		if lead {
			b = append(b, lrm...)
		}
		b = append(b, '[')
		b = appendStamp(b, ww.layout, t)
		return append(b, "] "...)
	}
	b = appendStamp(b, ww.layout, t)
	return append(b, " - "...)
}

// name appends a member's display name, planting the number when it is shown raw.
func (ww *waWriter) name(b []byte, mi int) []byte {
	m := ww.plan.members[mi]
	if m.showNumber && m.person >= 0 {
		ww.plant(len(b), &plant{kind: "phone", value: m.phone, form: m.name, owner: ww.ids[m.person]})
	}
	return append(b, m.name...)
}

// plant records a selector at position at of the current line buffer.
func (ww *waWriter) plant(at int, p *plant) {
	ww.sels = append(ww.sels, truth.Selector{Kind: p.kind, Value: p.value, Form: p.form, Obfuscation: p.obf,
		File: ww.file, Offset: ww.n + int64(at), Member: ww.member, Owner: p.owner, Decoy: p.decoy})
}

// write renders one message.
func (ww *waWriter) write(m *message) error {
	b := ww.buf[:0]
	t := m.at.In(ww.plan.loc)
	switch m.kind {
	case mEncrypted:
		b = ww.head(b, t, false)
		if ww.ios {
			if !ww.plan.group && len(ww.plan.members) > 1 && ww.plan.members[1].name == ww.plan.title {
				b = ww.name(b, 1) // a contact shown by number is a planted phone too
			} else {
				b = append(b, ww.plan.title...)
			}
			b = append(b, ": "+lrm...)
		}
		b = append(b, ww.tx.encrypted...)
	case mAdded:
		b = ww.head(b, t, ww.ios)
		if ww.ios {
			b = append(b, lrm...)
		}
		if m.from == ww.plan.owner {
			b = append(b, ww.tx.youAdded...)
		} else {
			b = ww.name(b, m.from)
			b = append(b, ww.tx.added...)
		}
		b = ww.name(b, m.target)
	default:
		b = ww.head(b, t, ww.ios && m.kind != mText)
		b = ww.name(b, m.from)
		b = append(b, ": "...)
		b = ww.body(b, m)
	}
	b = append(b, '\n')
	if m.kind != mEncrypted && ww.plan.members[m.from].person >= 0 {
		loc := "line:" + strconv.Itoa(ww.line+1)
		if ww.member != "" {
			loc = "zip:" + ww.member + "#" + loc
		}
		ww.recs = append(ww.recs, truth.RecordRef{File: ww.file, Locator: loc, Kind: "message", Person: ww.ids[ww.plan.members[m.from].person]})
	}
	ww.line += bytes.Count(b, []byte{'\n'})
	ww.n += int64(len(b))
	ww.msgs++
	ww.buf = b
	_, err := ww.w.Write(b)
	return err
}

// body appends the text of a text, media or deleted message.
func (ww *waWriter) body(b []byte, m *message) []byte {
	switch m.kind {
	case mDeleted:
		if ww.ios {
			b = append(b, lrm...)
		}
		if m.from == ww.plan.owner {
			return append(b, ww.tx.youDeleted...)
		}
		return append(b, ww.tx.deleted...)
	case mMedia:
		switch {
		case ww.ios && ww.withMedia && m.media != "":
			return append(append(append(b, lrm+"<attached: "...), m.media...), '>')
		case ww.ios:
			return append(b, lrm+ww.tx.omitted...)
		case ww.withMedia && m.media != "":
			return append(append(b, m.media...), ww.tx.attached...)
		default:
			return append(b, ww.tx.omitted...)
		}
	}
	for i := range m.parts {
		if p := m.parts[i].p; p != nil {
			ww.plant(len(b), p)
		}
		b = append(b, m.parts[i].text...)
	}
	return b
}
