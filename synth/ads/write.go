package ads

import (
	"bufio"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/rastro/rastro/synth/truth"
)

// escaper appends one byte of field text in a target syntax.
type escaper func(dst []byte, c byte) []byte

// jsonEsc escapes for a JSON string; non-ASCII stays raw UTF-8.
func jsonEsc(dst []byte, c byte) []byte {
	switch {
	case c == '"' || c == '\\':
		return append(dst, '\\', c)
	case c == '\n':
		return append(dst, '\\', 'n')
	case c < 0x20:
		return append(dst, '\\', 'u', '0', '0', "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
	}
	return append(dst, c)
}

// htmlEsc escapes for HTML text and attributes; newlines become <br>.
func htmlEsc(dst []byte, c byte) []byte {
	switch c {
	case '&':
		return append(dst, "&amp;"...)
	case '<':
		return append(dst, "&lt;"...)
	case '>':
		return append(dst, "&gt;"...)
	case '"':
		return append(dst, "&quot;"...)
	case '\n':
		return append(dst, "<br>\n"...)
	}
	return append(dst, c)
}

// field appends raw escaped and records, for every mark of (field, idx),
// a selector at base + its position in dst.
func (g *gen) field(dst, raw []byte, esc escaper, field, idx int, file string, base int64) []byte {
	next := 0
	for i := 0; i <= len(raw); i++ {
		for ; next < len(g.a.marks); next++ {
			m := &g.a.marks[next]
			if m.field != field || m.idx != idx {
				continue
			}
			if m.pos > i {
				break
			}
			if m.pos == i {
				s := m.sel
				s.File, s.Offset = file, base+int64(len(dst))
				g.res.Selectors = append(g.res.Selectors, s)
			}
		}
		if i < len(raw) {
			dst = esc(dst, raw[i])
		}
	}
	return dst
}

// plain is the fast path for fields without marks: it copies runs of
// bytes that need no escaping in one append.
func (g *gen) plain(dst, raw []byte, esc escaper) []byte {
	html := isHTML(esc)
	start := 0
	for i, c := range raw {
		special := c < 0x20 || c == '"' || (!html && c == '\\') || (html && (c == '&' || c == '<' || c == '>'))
		if special {
			dst = append(dst, raw[start:i]...)
			dst = esc(dst, c)
			start = i + 1
		}
	}
	return append(dst, raw[start:]...)
}

// isHTML reports whether esc is the HTML escaper (by its output for '<').
func isHTML(esc escaper) bool {
	var tmp [8]byte
	return len(esc(tmp[:0], '<')) > 1
}

// text appends a field, taking the slow path only when the ad has marks.
func (g *gen) text(dst, raw []byte, esc escaper, field, idx int, file string, base int64) []byte {
	if len(g.a.marks) == 0 {
		return g.plain(dst, raw, esc)
	}
	return g.field(dst, raw, esc, field, idx, file, base)
}

// appendURL appends the ad's URL on its site.
func (g *gen) appendURL(dst []byte) []byte {
	a := &g.a
	if a.market != "" {
		dst = append(dst, "http://"...)
		dst = append(dst, a.market...)
		dst = append(dst, "/listing/"...)
		return strconv.AppendInt(dst, a.id, 10)
	}
	dst = append(dst, "https://"...)
	dst = append(dst, a.site.host...)
	dst = append(dst, '/')
	dst = append(dst, a.city.country[0]|0x20, a.city.country[1]|0x20, '/')
	dst = append(dst, a.city.slug...)
	dst = append(dst, '/')
	dst = append(dst, a.category...)
	dst = append(dst, '/')
	dst = strconv.AppendInt(dst, a.id, 10)
	dst = append(dst, '-')
	dst = slug(dst, a.title, 6)
	return append(dst, ".html"...)
}

// appendJSONAd appends the ad as one JSON line (with its newline).
func (g *gen) appendJSONAd(dst []byte, file string, base int64) []byte {
	a := &g.a
	dst = append(dst, `{"id":"`...)
	dst = strconv.AppendInt(dst, a.id, 10)
	dst = append(dst, `","site":"`...)
	dst = append(dst, a.site.host...)
	dst = append(dst, `","url":"`...)
	dst = g.appendURL(dst)
	dst = append(dst, `","posted_at":"`...)
	dst = a.posted.AppendFormat(dst, time.RFC3339)
	dst = append(dst, `","category":"`...)
	dst = append(dst, a.category...)
	dst = append(dst, `","city":"`...)
	dst = append(dst, a.city.name...)
	dst = append(dst, `","country":"`...)
	dst = append(dst, a.city.country...)
	dst = append(dst, `","title":"`...)
	dst = g.text(dst, a.title, jsonEsc, fTitle, 0, file, base)
	dst = append(dst, `","body":"`...)
	dst = g.text(dst, a.body, jsonEsc, fBody, 0, file, base)
	dst = append(dst, `","phones":[`...)
	dst = g.jsonList(dst, a.phones, fPhones, file, base)
	dst = append(dst, `],"contacts":[`...)
	dst = g.jsonList(dst, a.contacts, fContacts, file, base)
	dst = append(dst, `],"price":`...)
	if a.price > 0 {
		dst = strconv.AppendInt(dst, a.price, 10)
	} else {
		dst = append(dst, "null"...)
	}
	dst = append(dst, `,"currency":"`...)
	dst = append(dst, a.cur.code...)
	dst = append(dst, `","images":[`...)
	for i := range a.images {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '"')
		dst = appendImage(dst, a.id, i)
		dst = append(dst, '"')
	}
	dst = append(dst, `],"language":"`...)
	dst = append(dst, a.lang...)
	return append(dst, "\"}\n"...)
}

// jsonList appends the elements of a string list field.
func (g *gen) jsonList(dst []byte, list []string, field int, file string, base int64) []byte {
	for i, s := range list {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '"')
		dst = g.text(dst, []byte(s), jsonEsc, field, i, file, base)
		dst = append(dst, '"')
	}
	return dst
}

// appendImage appends the file name of the ad's i-th picture.
func appendImage(dst []byte, id int64, i int) []byte {
	dst = strconv.AppendInt(dst, id, 10)
	dst = append(dst, '_')
	dst = strconv.AppendInt(dst, int64(i+1), 10)
	return append(dst, ".jpg"...)
}

// writeJSONL streams the scrape: background ads in time order with the
// planned story ads merged in, until the byte budget is spent.
func (g *gen) writeJSONL(plan []plannedAd) error {
	f, err := os.Create(filepath.Join(g.p.Dir, JSONLName))
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 256<<10)
	file := g.rel(JSONLName)
	g.res.Files = append(g.res.Files, file)
	var off int64
	line := 1
	span := g.p.End.Sub(g.p.Start)
	budget := max(g.p.TargetBytes-g.written, 1)
	next := 0
	emit := func(story bool) error {
		g.out = g.appendJSONAd(g.out[:0], file, off)
		if story {
			g.recordAd(file, off, int64(len(g.out)-1), "line:"+strconv.Itoa(line))
		}
		off += int64(len(g.out))
		line++
		_, err := bw.Write(g.out)
		return err
	}
	for off < budget {
		at := g.p.Start.Add(time.Duration(float64(span) * float64(off) / float64(budget))).Truncate(time.Second)
		for ; next < len(plan) && !plan[next].at.After(at); next++ {
			if !plan[next].html {
				g.buildStory(g.rs, &g.orgs[plan[next].org], plan[next].at, false)
				if err := emit(true); err != nil {
					return err
				}
			}
		}
		g.buildBackground(g.rb, at)
		if err := emit(false); err != nil {
			return err
		}
	}
	for ; next < len(plan); next++ {
		if !plan[next].html {
			g.buildStory(g.rs, &g.orgs[plan[next].org], plan[next].at, false)
			if err := emit(true); err != nil {
				return err
			}
		}
	}
	g.written += off
	if err := bw.Flush(); err != nil {
		return err
	}
	sortSelectors(g.res.Selectors)
	return f.Close()
}

// recordAd appends the truth of the story ad in g.a.
func (g *gen) recordAd(file string, off, length int64, locator string) {
	a := &g.a
	id := strconv.FormatInt(a.id, 10)
	g.res.Ads = append(g.res.Ads, truth.Ad{ID: id, File: file, Offset: off, Length: length,
		Org: a.org.ID, Template: a.tmpl, Poster: a.org.Poster})
	g.res.Records = append(g.res.Records, truth.RecordRef{File: file, Locator: locator, Kind: "ad",
		Person: a.org.Poster, Org: a.org.ID})
}

// pickRand is the background stream, used for pages of unrelated ads.
func (g *gen) pickRand() *rand.Rand { return g.rb }
