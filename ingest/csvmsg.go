package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"time"
)

// csvGuess lists, per item field, header names a messages CSV commonly uses
// (compared lower-case, trimmed).
var csvGuess = map[string][]string{
	"time":         {"time", "timestamp", "datetime", "date_time", "date", "fecha", "fecha_hora", "sent", "sent_at", "created_at"},
	"sender":       {"sender", "from", "author", "sender_name", "from_name", "remitente", "de", "name", "nombre"},
	"sender_id":    {"sender_id", "from_id", "author_id", "user_id", "account"},
	"sender_phone": {"sender_phone", "from_phone", "phone", "phone_number", "telefono", "teléfono", "number"},
	"recipient":    {"recipient", "to", "para", "destinatario", "receiver"},
	"text":         {"text", "message", "body", "content", "mensaje", "texto", "contenido"},
	"chat":         {"chat", "conversation", "thread", "chat_id", "thread_id", "conversación", "conversacion"},
	"attachments":  {"attachments", "attachment", "media", "adjunto", "adjuntos", "file"},
}

// csvTimeLayouts are tried in order when Options.TimeLayout is empty; the
// day/month forms are chosen by csvSlashLayouts.
var csvTimeLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006/01/02 15:04:05", "2006-01-02",
}

// ParseCSV reads a CSV of messages, one per row after a header row. Columns
// come from Options.Columns or are guessed from the header; the delimiter (',',
// ';' or tab) from the first line. Locators are "line:N" (the header is line 1;
// a row spanning lines has the number of its first line).
func ParseCSV(r io.Reader, name string, opt Options, fn Func) (*Report, error) {
	rep := &Report{Format: FormatCSV, ZoneAssumed: opt.Zone == nil}
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(4096)
	cr := csv.NewReader(br)
	cr.Comma = sniffComma(head)
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return rep, nil
		}
		return rep, fmt.Errorf("ingest csv: header: %w", err)
	}
	cols := csvColumns(header, opt.Columns)
	if cols["text"] < 0 {
		rep.problem("line:1", "no text column found in header %q; map one with the column options", strings.Join(header, ","))
		return rep, nil
	}
	chat := Chat{ID: path.Base(name), Title: path.Base(name), Platform: "csv"}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rep, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			rep.problem("line:"+strconv.Itoa(pe.StartLine), "malformed row: %v", pe.Err)
			continue
		} else if err != nil {
			return rep, fmt.Errorf("ingest csv: %w", err)
		}
		line, _ := cr.FieldPos(0)
		loc := "line:" + strconv.Itoa(line)
		it := csvItem(rec, cols, chat, loc, &opt, rep)
		rep.Items++
		if err := fn(it); err != nil {
			return rep, err
		}
	}
}

// sniffComma picks the delimiter that occurs most on the first line.
func sniffComma(head []byte) rune {
	line, _, _ := bytes.Cut(head, []byte{'\n'})
	best, n := ',', bytes.Count(line, []byte{','})
	for _, c := range []rune{';', '\t', '|'} {
		if k := bytes.Count(line, []byte(string(c))); k > n {
			best, n = c, k
		}
	}
	return best
}

// csvColumns maps each field to a column index (-1 when absent). A mapped
// time of "date+time" joins two columns.
func csvColumns(header []string, mapping map[string]string) map[string]int {
	idx := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, bomMark)))
		if _, dup := idx[h]; !dup {
			idx[h] = i
		}
	}
	cols := map[string]int{"time2": -1}
	for field, guesses := range csvGuess {
		cols[field] = -1
		if m, ok := mapping[field]; ok {
			first, second, both := strings.Cut(strings.ToLower(m), "+")
			cols[field] = lookup(idx, first)
			if both {
				cols["time2"] = lookup(idx, second)
			}
			continue
		}
		for _, g := range guesses {
			if i, ok := idx[g]; ok {
				cols[field] = i
				break
			}
		}
	}
	if d, ok := idx["date"]; ok && cols["time"] == d && mapping["time"] == "" {
		cols["time2"] = lookup(idx, "time") // separate date and time columns
	}
	return cols
}

// lookup returns idx[k] or -1.
func lookup(idx map[string]int, k string) int {
	if i, ok := idx[strings.TrimSpace(k)]; ok {
		return i
	}
	return -1
}

// csvItem builds the item of one row.
func csvItem(rec []string, cols map[string]int, chat Chat, loc string, opt *Options, rep *Report) Item {
	get := func(f string) string {
		if i := cols[f]; i >= 0 && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	it := Item{Kind: KindMessage, Locator: loc, Chat: chat, Text: get("text")}
	it.Sender = Party{Name: get("sender"), ID: get("sender_id")}
	if ph, ok := phoneOf(firstNonEmpty(get("sender_phone"), it.Sender.Name)); ok {
		it.Sender.Phone = ph
	}
	if to := get("recipient"); to != "" {
		it.Recipients = []Party{waParty(to)}
	}
	if c := get("chat"); c != "" {
		it.Chat.ID, it.Chat.Title = c, c
	}
	if a := get("attachments"); a != "" {
		it.Attachments = strings.FieldsFunc(a, func(r rune) bool { return r == ';' || r == '|' || r == '\n' })
	}
	ts := get("time")
	if t2 := get("time2"); t2 != "" {
		ts += " " + t2
	}
	if ts != "" {
		t, ok := parseLooseTime(ts, opt)
		if ok {
			it.Time = t
		} else {
			rep.problem(loc, "unreadable time %q", ts)
		}
	}
	return it
}

// parseLooseTime reads the common ways tools write times: the option's
// layout, ISO forms, Unix seconds or milliseconds, and d/m/y or m/d/y (by
// Options.DayFirst, else day first unless the second field exceeds 12).
func parseLooseTime(s string, opt *Options) (time.Time, bool) {
	if opt.TimeLayout != "" {
		t, err := time.ParseInLocation(opt.TimeLayout, s, opt.zone())
		return t.UTC(), err == nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && (len(s) == 10 || len(s) == 13) {
		if len(s) == 13 {
			return time.UnixMilli(n).UTC(), true
		}
		return time.Unix(n, 0).UTC(), true
	}
	for _, l := range csvTimeLayouts {
		if t, err := time.ParseInLocation(l, s, opt.zone()); err == nil {
			return t.UTC(), true
		}
	}
	if !strings.Contains(s, ", ") {
		s = strings.Replace(s, " ", ", ", 1)
	}
	st, ok := parseWAStamp([]byte(s + " - ")) // the same d/m/y h:m[:s] [AM] grammar
	if !ok {
		return time.Time{}, false
	}
	dayFirst := st.b <= 12
	if opt.DayFirst != nil {
		dayFirst = *opt.DayFirst
	}
	t, ok := st.time(dayFirst, opt.zone())
	return t.UTC(), ok
}
