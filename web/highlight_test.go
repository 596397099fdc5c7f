package web

import (
	"context"
	"strings"
	"testing"

	"github.com/rastro/rastro"
)

func TestHighlight(t *testing.T) {
	long := strings.Repeat("a", 200)
	tests := []struct {
		name, text, locator, want string
		ok                        bool
	}{
		{"marks the bytes", "Call me at +52 55 0000 0000 (fictional)", "line:12#bytes:11-27", "Call me at <mark>+52 55 0000 0000</mark> (fictional)", true},
		{"escapes text and identifier", `<b>x</b> mail a<i>@example.org & more`, "line:1#bytes:14-30", "&lt;b&gt;x&lt;/b&gt; mail <mark>a&lt;i&gt;@example.org</mark> &amp; more", true},
		{"keeps multibyte context whole", "Tía Rosa: 8888-1234", "line:3#bytes:11-20", "Tía Rosa: <mark>8888-1234</mark>", true},
		{"trims long context", long + "X" + long, "json:/m/1#bytes:200-201", "…" + strings.Repeat("a", contextBytes) + "<mark>X</mark>" + strings.Repeat("a", contextBytes) + "…", true},
		{"no byte range", "hola", "line:1", "", false},
		{"range past the text", "hola", "line:1#bytes:2-9", "", false},
		{"range splits a character", "año 2024", "line:1#bytes:2-4", "", false},
		{"empty range", "hola", "line:1#bytes:2-2", "", false},
		{"not numbers", "hola", "line:1#bytes:a-b", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := highlight(tt.text, tt.locator)
			if ok != tt.ok || string(got) != tt.want {
				t.Errorf("highlight = %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestEntityPageHighlightsIdentifier: an identifier's entity page shows the
// message it came from with the identifier marked; a possible victim's
// identifier is neither marked nor shown to a reader who sees her redacted,
// not even on the page of another identifier cited at the same place (the
// text is scrubbed for that reader, and a byte range that no longer points
// at the identifier marks nothing).
func TestEntityPageHighlightsIdentifier(t *testing.T) {
	f := newFixture(t)
	ctx, sys := context.Background(), rastro.SystemActor("parse evidence")
	src := f.entity.Statements[0]
	other := &rastro.Record{CaseID: f.caseID, EvidenceID: src.EvidenceID, Kind: "message", Locator: "line:20", Text: "Escribe al +52 55 1111 2222 hoy"}
	must(t, f.db.CreateRecords(ctx, sys, f.caseID, []*rastro.Record{other}))
	st := func(rec int64, loc, norm, prop, value string) *rastro.Statement {
		return &rastro.Statement{Prop: prop, Value: value, Normalized: norm, EvidenceID: src.EvidenceID, RecordID: rec,
			Locator: loc, Origin: rastro.OriginExtractor, Confidence: 1}
	}
	phone := &rastro.Entity{CaseID: f.caseID, ID: "identifier-phone-x", Schema: "Identifier", Caption: "+525511112222",
		Statements: []*rastro.Statement{st(other.ID, "line:20#bytes:11-27", "+525511112222", "value", "+52 55 1111 2222"),
			st(other.ID, "line:20#bytes:11-27", "+525511112222", "kind", "phone")}}
	shared := &rastro.Entity{CaseID: f.caseID, ID: "identifier-phone-s", Schema: "Identifier", Caption: "+525500000000",
		Statements: []*rastro.Statement{st(src.RecordID, "line:12#bytes:11-27", "+525500000000", "value", "+52 55 0000 0000")}}
	victimPhone := &rastro.Entity{CaseID: f.caseID, ID: "identifier-phone-v", Schema: "Identifier", Caption: "+525500000000",
		CaseRole: rastro.CaseRolePossibleVictim, Statements: []*rastro.Statement{
			st(src.RecordID, "line:12#bytes:11-27", "+525500000000", "value", "+52 55 0000 0000"),
			st(src.RecordID, "line:12#bytes:11-27", "+525500000000", "kind", "phone")}}
	must(t, f.db.PutEntities(ctx, sys, []*rastro.Entity{phone, shared, victimPhone}))
	analyst, _ := f.session(f.users["analyst-m"])
	path := "/cases/" + itoa(f.caseID) + "/entities/"

	b := body(t, f.get(path+phone.ID, analyst))
	if !strings.Contains(b, `data-testid="identifier-context">Escribe al <mark>+52 55 1111 2222</mark> hoy</blockquote>`) {
		t.Errorf("identifier page does not mark the phone in its message")
	}
	b = body(t, f.get(path+victimPhone.ID, analyst))
	if strings.Contains(b, "<mark>") || strings.Contains(b, "0000 0000") {
		t.Error("a possible victim's identifier is marked or shown to a reader who sees her redacted")
	}
	// Another entity cited at the same place shows the message scrubbed.
	b = body(t, f.get(path+shared.ID, analyst))
	if strings.Contains(b, "0000 0000") || !strings.Contains(b, "Call me at <mark>[redacted phone]</mark> (fictional)") {
		t.Error("the message citing a possible victim's number is not scrubbed for a reader who sees her redacted")
	}
	worker, _ := f.session(f.users["caseworker-m"])
	b = body(t, f.get(path+victimPhone.ID, worker))
	if !strings.Contains(b, "<mark>+52 55 0000 0000</mark>") {
		t.Error("the caseworker, who may open the compartment, does not see the identifier marked")
	}
}

// A record read scrubbed (a victim's name replaced by a longer pseudonym)
// no longer has the identifier at its byte range: nothing is marked rather
// than the wrong bytes.
func TestMarksSkipShiftedText(t *testing.T) {
	e := &rastro.Entity{Statements: []*rastro.Statement{
		{ID: 1, Prop: "value", Value: "+52 55 1111 2222", RecordID: 7, Locator: "line:1#bytes:9-25"},
		{ID: 2, Prop: "kind", Value: "phone", RecordID: 7, Locator: "line:1#bytes:9-25"},
	}}
	as := map[int64]*rastro.Record{7: {ID: 7, Text: "Ana dice +52 55 1111 2222 ya"}}
	if got := marks(e, as); len(got) != 2 {
		t.Fatalf("text as extracted: %d marks, want 2", len(got))
	}
	shifted := map[int64]*rastro.Record{7: {ID: 7, Text: "Possible victim V-7F3A2C dice +52 55 1111 2222 ya"}}
	if got := marks(e, shifted); len(got) != 0 {
		t.Errorf("shifted text: marks %v, want none", got)
	}
}
