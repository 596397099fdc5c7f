package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"

	"github.com/rastro/rastro"
)

// MapOptions say where the items of one evidence item go.
type MapOptions struct {
	CaseID     int64
	EvidenceID int64
	// Scope keys accounts known only by a device-local name (a WhatsApp
	// contact saved as "Tía Rosa"): use the evidence's SHA-256, so that the
	// same label on two phones makes two accounts until resolution merges them.
	Scope string
	// Owner is the exporting account when the parse report knows it
	// (Report.Owner); it stands for WhatsApp's "You".
	Owner *Party
}

// Mapper turns items into records, sender and recipient accounts
// (UserAccount entities per platform, with statements that cite the first
// record they were seen in) and one Message link per message and recipient
// (citing its own record). Accounts accumulate across items: call Entities
// once at the end (or per batch; statements are idempotent in the store).
type Mapper struct {
	o        MapOptions
	accounts map[string]*rastro.Entity
	props    map[string]bool // entity\x00prop\x00value already stated
	ids      map[partyKey]string
}

// partyKey is a party on a platform, whose account ID the mapper computed
// already (a chat repeats its few parties on every line: one SHA-256 per
// party instead of one per message).
type partyKey struct {
	platform string
	p        Party
}

// NewMapper returns a mapper for one evidence item.
func NewMapper(o MapOptions) *Mapper {
	return &Mapper{o: o, accounts: map[string]*rastro.Entity{}, props: map[string]bool{}, ids: map[partyKey]string{}}
}

// Record returns the record of an item (store it first to learn its ID).
// Ads and e-mails keep their title as the text's first line.
func (m *Mapper) Record(it Item) *rastro.Record {
	text := it.Text
	if it.Title != "" && it.Kind != KindMessage {
		text = it.Title + "\n\n" + text
	}
	return &rastro.Record{CaseID: m.o.CaseID, EvidenceID: m.o.EvidenceID, Kind: it.Kind, Locator: it.Locator, Time: it.Time, Text: text}
}

// Add maps one stored item: it records its sender and recipients as
// accounts and returns the item's links.
func (m *Mapper) Add(it Item, rec *rastro.Record) []*rastro.Link {
	platform := firstNonEmpty(it.Chat.Platform, "unknown")
	from := m.account(platform, it.Sender, rec)
	if from == "" || (it.Kind != KindMessage && it.Kind != KindEmail && it.Kind != KindCall) {
		return nil
	}
	var links []*rastro.Link
	for _, p := range it.Recipients {
		to := m.account(platform, p, rec)
		if to == "" || to == from {
			continue
		}
		schema := "Message"
		if it.Kind == KindCall {
			schema = "Call"
		}
		links = append(links, &rastro.Link{ID: MessageLinkID(m.o.EvidenceID, rec.ID, rec.Locator, from, to), CaseID: m.o.CaseID,
			Schema: schema, SourceID: from, TargetID: to, Start: it.Time, End: it.Time, EvidenceID: m.o.EvidenceID,
			RecordID: rec.ID, Locator: rec.Locator, Origin: rastro.OriginParser})
	}
	return links
}

// Entities returns the accounts seen so far, sorted by ID.
func (m *Mapper) Entities() []*rastro.Entity {
	out := make([]*rastro.Entity, 0, len(m.accounts))
	for _, e := range m.accounts {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// AccountID is the stable entity ID of a party's account on a platform:
// keyed by the platform's ID, else the phone number, else the address, else
// the name within scope (device-local names are not identities).
func AccountID(platform string, p Party, scope string) string {
	switch {
	case p.ID != "":
		return hashID("acct-", platform, "id", p.ID)
	case p.Phone != "":
		return hashID("acct-", platform, "phone", p.Phone)
	case p.Name != "":
		return hashID("acct-", platform, "name", scope, strings.ToLower(p.Name))
	}
	return ""
}

// account upserts the party's account and returns its ID ("" for nobody).
func (m *Mapper) account(platform string, p Party, rec *rastro.Record) string {
	if p.Name == "You" && p.ID == "" && p.Phone == "" {
		if m.o.Owner == nil {
			return ""
		}
		p = *m.o.Owner
	}
	k := partyKey{platform, p}
	id, ok := m.ids[k]
	if !ok {
		id = AccountID(platform, p, m.o.Scope)
		m.ids[k] = id
	}
	if id == "" {
		return ""
	}
	e := m.accounts[id]
	if e == nil {
		e = &rastro.Entity{ID: id, CaseID: m.o.CaseID, Schema: "UserAccount", Caption: firstNonEmpty(p.Name, p.Phone, p.ID),
			CaseRole: rastro.CaseRoleUnknown}
		m.accounts[id] = e
	}
	m.state(e, "service", platform, rec)
	m.state(e, "username", firstNonEmpty(p.Name, p.ID), rec)
	m.state(e, "number", p.Phone, rec)
	if platform == "email" {
		m.state(e, "email", p.ID, rec)
	}
	return id
}

// state adds a statement once per entity, property and value, citing rec.
func (m *Mapper) state(e *rastro.Entity, prop, value string, rec *rastro.Record) {
	if value == "" {
		return
	}
	k := e.ID + "\x00" + prop + "\x00" + value
	if m.props[k] {
		return
	}
	m.props[k] = true
	e.Statements = append(e.Statements, &rastro.Statement{CaseID: m.o.CaseID, EntityID: e.ID, Prop: prop, Value: value,
		EvidenceID: m.o.EvidenceID, RecordID: rec.ID, Locator: rec.Locator, Origin: rastro.OriginParser, Confidence: 1})
}

// MessageLinkID is the ID of the message (or call) link from account from
// to account to that a stored record shows:
//
//	msg-<evidence ID, 10 digits>-<record ID, 12 digits>-<16 hex digits>
//
// The zero-padded item and record IDs make IDs sort in the order records
// were stored, so that a batch's links append to the links' primary-key
// index instead of landing on random pages of it (with SHA-256 IDs every
// insert dirtied a page of its own). The hex digits are the first 16 of
// the former ID's hash over locator, both accounts and the item, and tell
// a record's recipients apart. It is deterministic: re-parsing an item
// keeps its records' IDs (records are keyed by item and locator), hence
// its links' IDs. Migration 0009 rewrites links of the former form
// ("msg-" and 32 hex digits) into this one from their stored evidence_id,
// record_id and ID alone.
func MessageLinkID(evidenceID, recordID int64, locator, from, to string) string {
	h := sha256.Sum256([]byte(strings.Join([]string{locator, from, to, strconv.FormatInt(evidenceID, 10)}, "\x00")))
	b := make([]byte, 0, 48)
	b = append(b, "msg-"...)
	b = appendPadded(b, evidenceID, 10)
	b = append(b, '-')
	b = appendPadded(b, recordID, 12)
	b = append(b, '-')
	return string(hex.AppendEncode(b, h[:8]))
}

// appendPadded appends n in decimal, left-padded with zeros to width digits.
func appendPadded(b []byte, n int64, width int) []byte {
	d := strconv.FormatInt(n, 10)
	for i := len(d); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, d...)
}

// hashID is prefix + the first 16 bytes of SHA-256 over the NUL-joined parts.
func hashID(prefix string, parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return prefix + hex.EncodeToString(h[:16])
}
