package ingest

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
)

// maxMailBody bounds the text kept from one e-mail (attachments are named,
// never read into memory beyond this).
const maxMailBody = 16 << 20

// maxMIMEDepth bounds nested multiparts.
const maxMIMEDepth = 8

// ParseEML reads one RFC 5322 message (.eml): headers, the text parts of a
// multipart body (text/plain preferred, else text/html stripped of tags) and
// the names of attachments. Its locator is "bytes:0-N", the whole file.
func ParseEML(r io.Reader, name string, opt Options, fn Func) (*Report, error) {
	rep := &Report{Format: FormatEML}
	cr := &countReader{r: r}
	it, err := readMail(cr, rep, "bytes:0")
	if err != nil {
		rep.problem("bytes:0", "not an e-mail: %v", err)
		return rep, nil
	}
	if _, err := io.Copy(io.Discard, cr); err != nil {
		return rep, fmt.Errorf("ingest eml: %w", err)
	}
	it.Locator = "bytes:0-" + strconv.FormatInt(cr.n, 10)
	rep.Items++
	return rep, fn(it)
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// charsetReader decodes a named charset to UTF-8.
func charsetReader(charset string, r io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(charset)
	if err != nil {
		return nil, err
	}
	return enc.NewDecoder().Reader(r), nil
}

// readMail parses one message into an e-mail item (without locator).
func readMail(r io.Reader, rep *Report, loc string) (Item, error) {
	msg, err := mail.ReadMessage(bufio.NewReader(r))
	if err != nil {
		return Item{}, err
	}
	h := msg.Header
	it := Item{Kind: KindEmail, Chat: Chat{Platform: "email"}, Fields: map[string]string{}}
	it.Title = decodeHeader(h.Get("Subject"))
	if from, err := mail.ParseAddressList(h.Get("From")); err == nil && len(from) > 0 {
		it.Sender = mailParty(from[0])
	} else if f := h.Get("From"); f != "" {
		it.Sender = Party{Name: decodeHeader(f)}
	}
	for _, k := range []string{"To", "Cc", "Bcc"} {
		if list, err := mail.ParseAddressList(h.Get(k)); err == nil {
			for _, a := range list {
				it.Recipients = append(it.Recipients, mailParty(a))
			}
		}
	}
	if d := h.Get("Date"); d != "" {
		if t, err := mail.ParseDate(d); err == nil {
			it.Time = t.UTC()
		} else {
			rep.problem(loc, "unreadable Date header %q", d)
		}
	}
	setIf(it.Fields, "message_id", strings.Trim(h.Get("Message-Id"), "<> "))
	setIf(it.Fields, "in_reply_to", strings.Trim(h.Get("In-Reply-To"), "<> "))
	setIf(it.Fields, "reply_to", h.Get("Reply-To"))
	it.Chat.ID = firstNonEmpty(strings.Trim(h.Get("Thread-Index"), " "), it.Title)
	var mb mailBody
	mb.part(h.Get("Content-Type"), h.Get("Content-Transfer-Encoding"), "", msg.Body, 0)
	it.Text, it.Attachments = mb.text(), mb.files
	return it, nil
}

// decodeHeader decodes RFC 2047 encoded words, keeping the raw text on failure.
func decodeHeader(s string) string {
	wd := &mime.WordDecoder{CharsetReader: charsetReader} // any charset x/text knows
	if d, err := wd.DecodeHeader(s); err == nil {
		return d
	}
	return s
}

// mailParty is an address as a party: ID is the lower-case address.
func mailParty(a *mail.Address) Party {
	return Party{Name: a.Name, ID: strings.ToLower(a.Address)}
}

// mailBody collects the text parts and attachment names of a MIME tree.
type mailBody struct {
	plain, html bytes.Buffer
	files       []string
}

// text returns the plain text, or the HTML text when there is no plain part.
func (mb *mailBody) text() string {
	if mb.plain.Len() > 0 {
		return strings.TrimSpace(mb.plain.String())
	}
	if mb.html.Len() > 0 {
		return htmlText(mb.html.Bytes()).text
	}
	return ""
}

// part reads one MIME part (recursing into multiparts).
func (mb *mailBody) part(ctype, cte, disp string, body io.Reader, depth int) {
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil || ctype == "" {
		mt, params = "text/plain", map[string]string{}
	}
	_, dparams, _ := mime.ParseMediaType(disp)
	fname := firstNonEmpty(dparams["filename"], params["name"])
	switch {
	case strings.HasPrefix(mt, "multipart/") && depth < maxMIMEDepth:
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return
			}
			mb.part(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p.Header.Get("Content-Disposition"), p, depth+1)
		}
	case fname != "" || strings.HasPrefix(disp, "attachment"):
		mb.files = append(mb.files, firstNonEmpty(decodeHeader(fname), "(unnamed attachment)"))
	case mt == "text/plain" || mt == "text/html":
		dst := &mb.plain
		if mt == "text/html" {
			dst = &mb.html
		}
		r := transferDecoder(cte, body)
		if cs := params["charset"]; cs != "" && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "us-ascii") {
			if dr, err := charsetReader(cs, r); err == nil {
				r = dr
			}
		}
		if dst.Len() > 0 {
			dst.WriteByte('\n')
		}
		_, _ = io.Copy(dst, io.LimitReader(r, int64(maxMailBody-dst.Len())))
	}
}

// transferDecoder undoes a Content-Transfer-Encoding.
func transferDecoder(cte string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &stripSpace{r: r})
	}
	return r
}

// stripSpace drops CR, LF, spaces and tabs (base64 bodies are wrapped).
type stripSpace struct{ r io.Reader }

func (s *stripSpace) Read(p []byte) (int, error) {
	for {
		n, err := s.r.Read(p)
		j := 0
		for _, c := range p[:n] {
			if c != '\r' && c != '\n' && c != ' ' && c != '\t' {
				p[j] = c
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}
