// Package ingest turns evidence files (chat exports, e-mails, ads, web pages,
// plain text) into a stream of Items: one message, ad, contact, call, page or
// e-mail each, with the exact place it came from (its Locator).
//
// Parsers are pure: they read an io.Reader, call a callback once per item and
// keep no more than one item in memory, so memory stays flat however large the
// file. Malformed parts are skipped and reported as Problems; only an I/O error
// or an error returned by the callback stops a parse. Storing records and
// statements is the caller's job (see the evidence.parse job).
package ingest

import (
	"errors"
	"fmt"
	"io"
	"path"
	"time"

	"github.com/rastro/rastro"
)

// Item kinds.
const (
	KindMessage = "message"
	KindAd      = "ad"
	KindContact = "contact"
	KindCall    = "call"
	KindPage    = "page"
	KindEmail   = "email"
)

// Party is a sender or recipient as the source shows it. ID is the platform's
// stable id when it has one ("user6864298359", a Discord snowflake, an e-mail
// address); Phone is E.164-like ("+" and digits) when the source shows a number.
type Party struct {
	Name  string `json:"name,omitempty"`
	ID    string `json:"id,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// IsZero reports whether p says nothing.
func (p Party) IsZero() bool { return p.Name == "" && p.ID == "" && p.Phone == "" }

// Chat is the conversation, channel or mailbox an item belongs to.
type Chat struct {
	ID       string `json:"id,omitempty"`
	Title    string `json:"title,omitempty"`
	Platform string `json:"platform,omitempty"` // whatsapp, telegram, discord, email, web, ...
	Type     string `json:"type,omitempty"`     // personal_chat, private_group, ... as the source says
}

// Entity is one typed piece of a message's text as the source marked it
// (Telegram's text_entities: plain, phone, email, mention, link, bank_card, ...).
type Entity struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// Item is one parsed unit of an evidence file.
type Item struct {
	Kind    string `json:"kind"`
	Locator string `json:"locator"` // "line:12", "json:/chats/list/3/messages/17", "bytes:100-180", "zip:_chat.txt#line:4"
	// Time is in UTC. For sources that write local time without an offset
	// (WhatsApp, CSV) it is read in Options.Zone; see Report.ZoneAssumed.
	Time        time.Time         `json:"time,omitzero"`
	Sender      Party             `json:"sender,omitzero"`
	Recipients  []Party           `json:"recipients,omitempty"`
	Chat        Chat              `json:"chat,omitzero"`
	Title       string            `json:"title,omitempty"` // ad title, e-mail subject, page title
	Text        string            `json:"text,omitempty"`
	Entities    []Entity          `json:"entities,omitempty"`
	Attachments []string          `json:"attachments,omitempty"`
	System      bool              `json:"system,omitempty"` // written by the app, not a person (encryption notice, "added", "deleted")
	Fields      map[string]string `json:"fields,omitempty"` // other source fields worth keeping (ad url, site, city, ...)
}

// Problem is a malformed part of a file that was skipped.
type Problem struct {
	Locator string `json:"locator"` // where: "line:7", "json:/messages/3", "bytes:100"
	Reason  string `json:"reason"`
}

// maxProblems bounds the problems kept in a Report so a hostile file cannot
// grow memory; Report.MoreProblems counts the rest.
const maxProblems = 1000

// Report says what a parse did.
type Report struct {
	Format       Format    `json:"format"`
	Items        int       `json:"items"`
	Problems     []Problem `json:"problems,omitempty"`
	MoreProblems int       `json:"more_problems,omitempty"`
	// DayFirst is the date order used for day/month dates and DateOrderFrom
	// what decided it: "option", "fields" (a first field > 12), "locale"
	// (system-line language or AM/PM marker), "sequence" (the order that keeps
	// messages chronological) or "default" (ambiguous: a Problem says so).
	DayFirst      bool   `json:"day_first,omitempty"`
	DateOrderFrom string `json:"date_order_from,omitempty"`
	// ZoneAssumed is set when local times had no zone (Options.Zone nil) and
	// were read as UTC.
	ZoneAssumed bool `json:"zone_assumed,omitempty"`
	// Owner is the account that exported the data, when the export says so
	// (Telegram personal_information).
	Owner *Party `json:"owner,omitempty"`
	// Members lists the other files of an archive (WhatsApp zip media), for
	// the caller to store as child evidence.
	Members []Member `json:"members,omitempty"`
}

// Member is one file inside an archive.
type Member struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
}

// problem records a skipped part.
func (r *Report) problem(locator, format string, args ...any) {
	if len(r.Problems) >= maxProblems {
		r.MoreProblems++
		return
	}
	r.Problems = append(r.Problems, Problem{Locator: locator, Reason: fmt.Sprintf(format, args...)})
}

// Options tune a parse. The zero value works.
type Options struct {
	// DayFirst forces the order of day/month dates (WhatsApp, CSV); nil lets
	// the parser decide from the whole file.
	DayFirst *bool
	// Zone is the source device's time zone (from intake) for local times;
	// nil reads them as UTC and sets Report.ZoneAssumed.
	Zone *time.Location
	// Columns maps item fields to CSV header names for the generic message
	// CSV: "time", "sender", "sender_id", "sender_phone", "recipient", "text",
	// "chat", "attachments". Missing fields are guessed from the header.
	Columns map[string]string
	// Kind is the item kind for page-like formats (HTML, plain text), e.g.
	// "ad" for saved ad pages; empty means "page".
	Kind string
	// TimeLayout is the time.Parse layout of CSV time values; empty tries
	// common layouts and Unix seconds.
	TimeLayout string
}

// zone returns the zone for local times.
func (o *Options) zone() *time.Location {
	if o.Zone == nil {
		return time.UTC
	}
	return o.Zone
}

// Func receives each item. Returning an error stops the parse with it. Items
// of one parse may share slices (Recipients): copy before changing them.
type Func func(Item) error

// ErrUnknownFormat is returned by Parse when the format is not one it reads.
var ErrUnknownFormat = errors.New("ingest: unknown format")

// Parse reads r in the given format and calls fn for each item. name is the
// file's original name (it names WhatsApp chats). Archives (WhatsApp zips,
// UFDR, DOCX) need random access: r must then be an io.ReaderAt and io.Seeker (an
// *os.File), else Parse returns an EINVALID error.
func Parse(r io.Reader, name string, f Format, opt Options, fn Func) (*Report, error) {
	var p func(io.Reader, string, Options, Func) (*Report, error)
	switch f {
	case FormatWhatsAppZip:
		return parseZip(r, name, opt, fn, ParseWhatsAppZip)
	case FormatUFDR:
		return parseZip(r, name, opt, fn, ParseUFDR)
	case FormatDOCX:
		return parseZip(r, name, opt, fn, ParseDOCX)
	case FormatPDF:
		p = ParsePDF
	case FormatImage:
		p = ParseImage
	case FormatWhatsApp:
		p = ParseWhatsApp
	case FormatTelegram:
		p = ParseTelegram
	case FormatDiscord:
		p = ParseDiscord
	case FormatCSV:
		p = ParseCSV
	case FormatAdsJSONL:
		p = ParseAdsJSONL
	case FormatEML:
		p = ParseEML
	case FormatMbox:
		p = ParseMbox
	case FormatHTML:
		p = ParseHTML
	case FormatText:
		p = ParseText
	default:
		return nil, fmt.Errorf("%w %q", ErrUnknownFormat, f)
	}
	return p(r, name, opt, fn)
}

// zipFunc parses an archive read with random access.
type zipFunc func(ra io.ReaderAt, size int64, name string, opt Options, fn Func) (*Report, error)

// parseZip runs a zip-based parser on a reader with random access.
func parseZip(r io.Reader, name string, opt Options, fn Func, parse zipFunc) (*Report, error) {
	ra, ok := r.(interface {
		io.ReaderAt
		io.Seeker
	})
	if !ok {
		return nil, rastro.Errorf(rastro.EINVALID, "ingest: a zip archive (%s) needs a file, not a stream", path.Base(name))
	}
	size, err := ra.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, fmt.Errorf("ingest zip: %w", err)
	}
	return parse(ra, size, name, opt, fn)
}
