package ingest

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"time"
)

// KindFile is the item kind of a file a forensic report tagged (pictures,
// documents found on the device).
const KindFile = "file"

// ufdrReport is the member of a UFDR archive that describes the decoded data.
const ufdrReport = "report.xml"

// maxUFDRModel bounds the XML text of one decoded model (a message, contact,
// call or tagged file): a hostile report cannot make one item fill memory.
const maxUFDRModel = 16 << 20

// ParseUFDR reads a Cellebrite UFDR archive: a zip whose report.xml
// (namespace http://pa.cellebrite.com/report/2.0) lists the decoded data.
// It streams report.xml and emits one item per instant message (kind
// message, with its chat's app, id and name), contact, call and tagged file,
// located by "ufdr:report.xml#model/ID" (the model's id attribute, which
// Cellebrite Reader and Physical Analyzer search by) or, without an id,
// "ufdr:report.xml#offset/N" (the byte offset of the element). Times carry
// their offset in the report and are returned in UTC; times without one are
// read in Options.Zone. Every other member of the archive (the extracted
// files) is listed in Report.Members.
func ParseUFDR(ra io.ReaderAt, size int64, name string, opt Options, fn Func) (*Report, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, fmt.Errorf("ingest ufdr: %w", err)
	}
	var report *zip.File
	rep := &Report{Format: FormatUFDR}
	for _, f := range zr.File {
		switch {
		case report == nil && path.Base(f.Name) == ufdrReport && strings.Count(strings.Trim(f.Name, "/"), "/") == 0:
			report = f
		case !f.FileInfo().IsDir():
			rep.Members = append(rep.Members, Member{Name: f.Name, Size: int64(f.UncompressedSize64)})
		}
	}
	if report == nil {
		return nil, fmt.Errorf("ingest ufdr: %s holds no report.xml at its root; is it a UFDR?", path.Base(name))
	}
	rc, err := report.Open()
	if err != nil {
		return nil, fmt.Errorf("ingest ufdr: %w", err)
	}
	defer rc.Close()
	return rep, parseUFDRXML(rc, rep, opt, fn)
}

// ParseUFDRReport reads a bare report.xml (the XML of a UFDR without its
// archive) as ParseUFDR does.
func ParseUFDRReport(r io.Reader, name string, opt Options, fn Func) (*Report, error) {
	rep := &Report{Format: FormatUFDR}
	return rep, parseUFDRXML(r, rep, opt, fn)
}

// uModel is one decoded <model>: its fields and nested models.
type uModel struct {
	Type       string        `xml:"type,attr"`
	ID         string        `xml:"id,attr"`
	Deleted    string        `xml:"deleted_state,attr"`
	Fields     []uField      `xml:"field"`
	Single     []uModelField `xml:"modelField"`
	Multi      []uModelField `xml:"multiModelField"`
	MultiField []uMultiField `xml:"multiField"`
}

// uField is a <field name=...><value>...</value></field>.
type uField struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value"`
}

// uModelField holds nested models (From, To, Parties, Entries, Attachments).
type uModelField struct {
	Name   string   `xml:"name,attr"`
	Models []uModel `xml:"model"`
}

// uMultiField is a field with several plain values.
type uMultiField struct {
	Name   string   `xml:"name,attr"`
	Values []string `xml:"value"`
}

// field returns the value of the named field.
func (m *uModel) field(name string) string {
	for _, f := range m.Fields {
		if f.Name == name {
			return strings.TrimSpace(f.Value)
		}
	}
	return ""
}

// models returns the models nested under the named (multi)modelField.
func (m *uModel) models(name string) []uModel {
	for _, mf := range append(m.Single, m.Multi...) {
		if mf.Name == name {
			return mf.Models
		}
	}
	return nil
}

// uFile is a tagged <file> with its metadata items.
type uFile struct {
	ID       string      `xml:"id,attr"`
	Path     string      `xml:"path,attr"`
	Size     string      `xml:"size,attr"`
	Deleted  string      `xml:"deleted,attr"`
	Times    []uItem     `xml:"accessInfo>timestamp"`
	Metadata []uMetadata `xml:"metadata"`
}

// uMetadata is a <metadata section=...> block of <item name=...> values.
type uMetadata struct {
	Section string  `xml:"section,attr"`
	Items   []uItem `xml:"item"`
}

// uItem is a named value.
type uItem struct {
	Name  string `xml:"name,attr"`
	Value string `xml:",chardata"`
}

// ufdrChat is the chat whose messages are being read.
type ufdrChat struct {
	depth int // element depth of the chat's <model>; 0 outside a chat
	chat  Chat
}

// parseUFDRXML streams the report: chats set the context of the instant
// messages inside them; messages, contacts, calls and tagged files are each
// decoded on their own.
func parseUFDRXML(r io.Reader, rep *Report, opt Options, fn Func) error {
	lr := &limitedXML{r: r}
	dec := xml.NewDecoder(lr)
	dec.Strict = false
	dec.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	var cur ufdrChat
	depth := 0
	for {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			rep.problem("ufdr:report.xml#offset/"+strconv.FormatInt(dec.InputOffset(), 10), "xml: %v", err)
			return nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			handled, err := ufdrStart(dec, lr, t, off, depth, &cur, rep, opt, fn)
			if errors.Is(err, errStopUFDR) {
				return nil
			}
			if err != nil {
				return err
			}
			if handled {
				depth--
			}
		case xml.EndElement:
			if depth == cur.depth {
				cur = ufdrChat{}
			}
			depth--
		}
	}
}

// ufdrKinds are the model types read as items.
var ufdrKinds = map[string]bool{"InstantMessage": true, "SMS": true, "MMS": true, "Contact": true, "Call": true}

// errStopUFDR ends a parse after a malformed element (already reported):
// the decoder cannot resynchronise in the middle of one.
var errStopUFDR = errors.New("ingest ufdr: stop")

// ufdrStart handles one start element; it reports whether it consumed the
// element whole.
func ufdrStart(dec *xml.Decoder, lr *limitedXML, t xml.StartElement, off int64, depth int, cur *ufdrChat, rep *Report, opt Options, fn Func) (bool, error) {
	kind := attr(t, "type")
	switch {
	case t.Name.Local == "model" && kind == "Chat":
		cur.depth, cur.chat = depth, Chat{ID: attr(t, "id")}
		return false, nil
	case t.Name.Local == "field" && cur.depth > 0 && depth == cur.depth+1:
		var f uField
		if err := decodeBounded(dec, lr, &f, t); err != nil {
			rep.problem(ufdrLocator(cur.chat.ID, off), "chat field: %v", err)
			return true, errStopUFDR
		}
		setChatField(&cur.chat, f)
		return true, nil
	case t.Name.Local == "model" && ufdrKinds[kind]:
		var m uModel
		if err := decodeBounded(dec, lr, &m, t); err != nil {
			rep.problem(ufdrLocator(attr(t, "id"), off), "%s: %v", kind, err)
			return true, errStopUFDR
		}
		return true, emitModel(&m, off, cur.chat, rep, opt, fn)
	case t.Name.Local == "file" && attr(t, "path") != "":
		var f uFile
		if err := decodeBounded(dec, lr, &f, t); err != nil {
			rep.problem(ufdrLocator(attr(t, "id"), off), "file: %v", err)
			return true, errStopUFDR
		}
		rep.Items++
		return true, fn(fileItem(&f, off, opt))
	}
	return false, nil
}

// setChatField keeps the chat fields items need.
func setChatField(c *Chat, f uField) {
	v := strings.TrimSpace(f.Value)
	switch f.Name {
	case "Source":
		c.Platform = platformName(v)
	case "Id":
		if v != "" {
			c.ID = v
		}
	case "Name":
		c.Title = v
	case "ChatType":
		c.Type = v
	}
}

// limitedXML counts what the decoder reads so that one element can be capped.
type limitedXML struct {
	r     io.Reader
	limit int64 // stop reading at this offset; 0: no limit
	n     int64
}

// errModelTooLarge stops the decoding of one oversized element.
var errModelTooLarge = errors.New("element larger than 16 MB")

func (l *limitedXML) Read(p []byte) (int, error) {
	if l.limit > 0 && l.n >= l.limit {
		return 0, errModelTooLarge
	}
	if l.limit > 0 {
		p = p[:min(int64(len(p)), l.limit-l.n)]
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	return n, err
}

// decodeBounded decodes one element, reading at most maxUFDRModel bytes for
// it. An oversized element ends the parse (the stream is mid-element).
func decodeBounded(dec *xml.Decoder, lr *limitedXML, v any, t xml.StartElement) error {
	lr.limit = lr.n + maxUFDRModel
	defer func() { lr.limit = 0 }()
	return dec.DecodeElement(v, &t)
}

// attr returns the value of the named attribute.
func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// ufdrLocator names a model by its id, else by its byte offset.
func ufdrLocator(id string, off int64) string {
	if id != "" {
		return "ufdr:report.xml#model/" + id
	}
	return "ufdr:report.xml#offset/" + strconv.FormatInt(off, 10)
}

// emitModel turns a message, contact or call into an item.
func emitModel(m *uModel, off int64, chat Chat, rep *Report, opt Options, fn Func) error {
	it := Item{Locator: ufdrLocator(m.ID, off), Fields: map[string]string{}}
	if p := platformName(m.field("Source")); p != "" {
		it.Chat.Platform = p
	}
	switch m.Type {
	case "InstantMessage":
		messageItem(&it, m, chat)
	case "SMS", "MMS":
		messageItem(&it, m, Chat{Platform: "sms"})
	case "Contact":
		contactItem(&it, m)
	case "Call":
		callItem(&it, m)
	}
	if ts := m.field("TimeStamp"); ts != "" {
		t, err := parseUFDRTime(ts, opt.zone())
		if err != nil {
			rep.problem(it.Locator, "time %q: %v", ts, err)
		}
		if err == nil && opt.Zone == nil && !hasOffset(ts) {
			rep.ZoneAssumed = true
		}
		it.Time = t
	}
	if m.Deleted != "" && m.Deleted != "Intact" {
		it.Fields["deleted_state"] = m.Deleted
	}
	if len(it.Fields) == 0 {
		it.Fields = nil
	}
	rep.Items++
	return fn(it)
}

// messageItem fills an instant message.
func messageItem(it *Item, m *uModel, chat Chat) {
	it.Kind = KindMessage
	if it.Chat.Platform != "" && chat.Platform == "" {
		chat.Platform = it.Chat.Platform
	}
	it.Chat = chat
	it.Text = m.field("Body")
	for _, p := range m.models("From") {
		it.Sender = ufdrParty(&p)
	}
	for _, p := range m.models("To") {
		if q := ufdrParty(&p); !q.IsZero() {
			it.Recipients = append(it.Recipients, q)
		}
	}
	for _, p := range m.models("Parties") { // SMS: one list, each party with its Role
		q := ufdrParty(&p)
		switch {
		case q.IsZero():
		case p.field("Role") == "From" && it.Sender.IsZero():
			it.Sender = q
		default:
			it.Recipients = append(it.Recipients, q)
		}
	}
	setNonEmpty(it.Fields, "folder", m.field("Folder"))
	for _, a := range m.models("Attachments") {
		if n := firstNonEmpty(a.field("Filename"), a.field("URL")); n != "" {
			it.Attachments = append(it.Attachments, n)
		}
	}
	setNonEmpty(it.Fields, "status", m.field("Status"))
	setNonEmpty(it.Fields, "id", m.ID)
	it.System = m.field("SystemMessage") == "True" || m.field("IsSystemMessage") == "True"
}

// contactItem fills a contact: its phone numbers and e-mail addresses go to
// Fields ("phones", "emails", newline-separated) and to the text, so that
// selector extraction sees them.
func contactItem(it *Item, m *uModel) {
	it.Kind = KindContact
	it.Title = m.field("Name")
	var phones, emails, lines []string
	for _, e := range m.models("Entries") {
		v := e.field("Value")
		if v == "" {
			continue
		}
		switch {
		case e.Type == "EmailAddress" || strings.Contains(v, "@"):
			emails = append(emails, v)
		default:
			phones = append(phones, v)
		}
		lines = append(lines, strings.TrimSpace(firstNonEmpty(e.field("Category"), e.Type)+": "+v))
	}
	it.Sender = Party{Name: it.Title}
	if len(phones) > 0 {
		it.Sender.Phone = phoneDigits(phones[0])
	}
	it.Text = strings.Join(append([]string{it.Title}, lines...), "\n")
	setNonEmpty(it.Fields, "phones", strings.Join(phones, "\n"))
	setNonEmpty(it.Fields, "emails", strings.Join(emails, "\n"))
	setNonEmpty(it.Fields, "account", m.field("Account"))
}

// callItem fills a call: the party with Role "From" (or, for outgoing
// calls, the device owner's side) is the sender.
func callItem(it *Item, m *uModel) {
	it.Kind = KindCall
	dir := m.field("Direction")
	setNonEmpty(it.Fields, "direction", dir)
	setNonEmpty(it.Fields, "type", m.field("Type"))
	setNonEmpty(it.Fields, "status", m.field("Status"))
	if d, ok := parseTimeSpan(m.field("Duration")); ok {
		it.Fields["duration_s"] = strconv.Itoa(d)
	}
	for _, p := range m.models("Parties") {
		q := ufdrParty(&p)
		if q.IsZero() {
			continue
		}
		role := p.field("Role")
		if role == "From" || role == "" && strings.EqualFold(dir, "Incoming") && it.Sender.IsZero() {
			it.Sender = q
		} else {
			it.Recipients = append(it.Recipients, q)
		}
	}
	it.Text = strings.TrimSpace(dir + " call")
}

// fileItem turns a tagged file into an item: path, size, hashes and the
// file's metadata section (EXIF make, model, ...) go to Fields.
func fileItem(f *uFile, off int64, opt Options) Item {
	it := Item{Kind: KindFile, Locator: ufdrLocator(f.ID, off), Text: f.Path, Fields: map[string]string{"path": f.Path}}
	setNonEmpty(it.Fields, "size", f.Size)
	if f.Deleted != "" && f.Deleted != "Intact" {
		it.Fields["deleted_state"] = f.Deleted
	}
	for _, md := range f.Metadata {
		for _, x := range md.Items {
			key := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(x.Name), " ", "_"))
			if key != "" && len(it.Fields) < 64 {
				setNonEmpty(it.Fields, key, strings.TrimSpace(x.Value))
			}
		}
	}
	for _, ts := range f.Times {
		if ts.Name == "CreationTime" {
			if t, err := parseUFDRTime(strings.TrimSpace(ts.Value), opt.zone()); err == nil {
				it.Time = t
			}
		}
	}
	return it
}

// ufdrParty reads a Party model: Identifier is a phone number, a
// WhatsApp JID ("50688880101@s.whatsapp.net") or an app's user id.
func ufdrParty(p *uModel) Party {
	id, name := p.field("Identifier"), p.field("Name")
	q := Party{Name: name}
	if num, ok := strings.CutSuffix(id, "@s.whatsapp.net"); ok {
		id = "+" + num
	}
	if ph := phoneDigits(id); ph != "" {
		q.Phone = ph
	} else {
		q.ID = id
	}
	return q
}

// phoneDigits returns the number written in s (digits, spaces, dashes,
// dots, parentheses, one leading +) as "+digits" when it is international
// and as bare digits when it is national ("(555) 555-0175"): no country
// code is invented here; selector extraction normalises with the case's
// region. Anything else gives "".
func phoneDigits(s string) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	if strings.HasPrefix(s, "+") {
		b.WriteByte('+')
		s = s[1:]
	}
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
			digits++
		case r == ' ', r == '-', r == '.', r == '(', r == ')':
		default:
			return ""
		}
	}
	if digits < 3 || digits > 15 {
		return ""
	}
	return b.String()
}

// platformName maps a UFDR Source ("WhatsApp", "Telegram", "Native
// Messages") to a platform name.
func platformName(src string) string {
	s := strings.ToLower(strings.TrimSpace(src))
	switch s {
	case "native messages", "sms", "mms", "imessage":
		return "sms"
	case "phone", "native", "native call log":
		return "phone"
	}
	return strings.ReplaceAll(s, " ", "_")
}

// setNonEmpty sets m[k] when v is not empty.
func setNonEmpty(m map[string]string, k, v string) {
	if v != "" {
		m[k] = v
	}
}

// ufdrTimeLayouts are the forms of UFDR time stamps, with and without offset.
var ufdrTimeLayouts = []string{
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
}

// parseUFDRTime reads a time stamp, in zone when it has no offset.
func parseUFDRTime(s string, zone *time.Location) (time.Time, error) {
	for _, l := range ufdrTimeLayouts {
		if t, err := time.ParseInLocation(l, s, zone); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errors.New("not an ISO 8601 time")
}

// hasOffset reports whether an ISO 8601 time ends with Z or ±hh:mm.
func hasOffset(s string) bool {
	if strings.HasSuffix(s, "Z") {
		return true
	}
	i := strings.LastIndexAny(s, "+-")
	return i > 10 && strings.Count(s[i:], ":") <= 1
}

// parseTimeSpan reads "HH:MM:SS" (optionally with fractions or a day
// prefix "d.HH:MM:SS") as seconds.
func parseTimeSpan(s string) (int, bool) {
	days := 0
	if d, rest, ok := strings.Cut(s, "."); ok && strings.Count(rest, ":") == 2 {
		n, err := strconv.Atoi(d)
		if err != nil {
			return 0, false
		}
		days, s = n, rest
	}
	s, _, _ = strings.Cut(s, ".")
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return 0, false
	}
	total := 0
	for _, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return 0, false
		}
		total = total*60 + n
	}
	return days*86400 + total, true
}
