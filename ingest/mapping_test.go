package ingest

import (
	"slices"
	"strings"
	"testing"

	"github.com/rastro/rastro"
)

// mapChat parses a WhatsApp chat and maps every item, numbering records 1, 2, ...
func mapChat(t *testing.T, text string) (*Mapper, []*rastro.Link, *Report) {
	t.Helper()
	var links []*rastro.Link
	var m *Mapper
	n := int64(0)
	items, rep := parseWA(t, text, Options{})
	m = NewMapper(MapOptions{CaseID: 1, EvidenceID: 7, Scope: "sha-of-evidence", Owner: rep.Owner})
	for _, it := range items {
		rec := m.Record(it)
		n++
		rec.ID = n
		links = append(links, m.Add(it, rec)...)
	}
	return m, links, rep
}

func TestMapperAccountsAndLinks(t *testing.T) {
	chat := "28/05/2025, 16:20 - Messages and calls are end-to-end encrypted. Tap to learn more.\n" +
		"28/05/2025, 16:21 - Ana: hola\n" +
		"28/05/2025, 16:22 - +505 8555 0115: mandame el número\n" +
		"28/05/2025, 16:23 - Ana: You deleted this message\n" +
		"28/05/2025, 16:24 - You added +505 8555 0116\n"
	m, links, _ := mapChat(t, chat)
	ents := m.Entities()
	if len(ents) != 2 {
		t.Fatalf("%d accounts, want Ana and the number", len(ents))
	}
	byCaption := map[string]*rastro.Entity{}
	for _, e := range ents {
		byCaption[e.Caption] = e
		if e.Schema != "UserAccount" {
			t.Errorf("%s: schema %s", e.Caption, e.Schema)
		}
	}
	num := byCaption["+505 8555 0115"]
	if num == nil {
		t.Fatalf("no account for the number: %v", ents)
	}
	props := map[string]*rastro.Statement{}
	for _, s := range num.Statements {
		props[s.Prop] = s
	}
	if s := props["number"]; s == nil || s.Value != "+50585550115" || s.RecordID != 2 || s.Locator != "line:2" || s.EvidenceID != 7 || s.Origin != rastro.OriginParser {
		t.Errorf("number statement %+v", s)
	}
	if s := props["service"]; s == nil || s.Value != "whatsapp" {
		t.Errorf("service statement %+v", s)
	}
	// First seen as Ana's recipient on line 2. Links: Ana -> number (line 2),
	// number -> Ana (line 3); system lines (deleted, added) link nobody.
	if len(links) != 2 || links[0].Locator != "line:2" || links[1].SourceID != num.ID || links[0].Schema != "Message" {
		t.Errorf("links %+v", links)
	}
	for _, l := range links {
		if l.RecordID == 0 || l.Start.IsZero() {
			t.Errorf("link without provenance or time: %+v", l)
		}
	}
}

func TestAccountIDStable(t *testing.T) {
	a := AccountID("telegram", Party{Name: "A", ID: "user1"}, "x")
	if b := AccountID("telegram", Party{Name: "B", ID: "user1"}, "y"); a != b || !strings.HasPrefix(a, "acct-") {
		t.Errorf("same Telegram id gives %s and %s", a, b)
	}
	if AccountID("whatsapp", Party{Name: "Tía Rosa"}, "phone1") == AccountID("whatsapp", Party{Name: "Tía Rosa"}, "phone2") {
		t.Error("a saved name on two devices must make two accounts")
	}
	if AccountID("whatsapp", Party{Phone: "+1"}, "") == AccountID("telegram", Party{Phone: "+1"}, "") {
		t.Error("accounts are per platform")
	}
	if AccountID("whatsapp", Party{}, "s") != "" {
		t.Error("nobody has an account")
	}
}

func TestMessageLinkID(t *testing.T) {
	id := MessageLinkID(7, 12, "line:2", "acct-a", "acct-b")
	// Migration 0009 builds the new ID from the former one's hash: its hex
	// digits must be the first 16 of hashID("msg-", locator, from, to, item).
	former := hashID("msg-", "line:2", "acct-a", "acct-b", "7")
	if want := "msg-0000000007-000000000012-" + former[4:20]; id != want {
		t.Errorf("MessageLinkID = %s, want %s", id, want)
	}
	if id != MessageLinkID(7, 12, "line:2", "acct-a", "acct-b") {
		t.Error("not deterministic")
	}
	if id == MessageLinkID(7, 12, "line:2", "acct-a", "acct-c") {
		t.Error("two recipients of one record share a link ID")
	}
	// IDs sort in the order records were stored, within and across items.
	ordered := []string{
		MessageLinkID(7, 9, "line:1", "acct-z", "acct-y"),
		MessageLinkID(7, 10, "line:2", "acct-a", "acct-b"),
		MessageLinkID(7, 1000, "line:3", "acct-a", "acct-b"),
		MessageLinkID(8, 11, "line:1", "acct-a", "acct-b"),
	}
	if !slices.IsSorted(ordered) {
		t.Errorf("IDs do not sort in record order: %v", ordered)
	}
}
