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
// identifier is not marked for a reader who sees her redacted.
func TestEntityPageHighlightsIdentifier(t *testing.T) {
	f := newFixture(t)
	ctx, sys := context.Background(), rastro.SystemActor("parse evidence")
	src := f.entity.Statements[0]
	st := func(prop, value string) *rastro.Statement {
		return &rastro.Statement{Prop: prop, Value: value, Normalized: "+525500000000", EvidenceID: src.EvidenceID, RecordID: src.RecordID,
			Locator: "line:12#bytes:11-27", Origin: rastro.OriginExtractor, Confidence: 1}
	}
	phone := &rastro.Entity{CaseID: f.caseID, ID: "identifier-phone-x", Schema: "Identifier", Caption: "+525500000000",
		Statements: []*rastro.Statement{st("value", "+52 55 0000 0000"), st("kind", "phone")}}
	victimPhone := &rastro.Entity{CaseID: f.caseID, ID: "identifier-phone-v", Schema: "Identifier", Caption: "+525500000000",
		CaseRole: rastro.CaseRolePossibleVictim, Statements: []*rastro.Statement{st("value", "+52 55 0000 0000"), st("kind", "phone")}}
	must(t, f.db.PutEntities(ctx, sys, []*rastro.Entity{phone, victimPhone}))
	analyst, _ := f.session(f.users["analyst-m"])
	path := "/cases/" + itoa(f.caseID) + "/entities/"

	b := body(t, f.get(path+phone.ID, analyst))
	if !strings.Contains(b, `data-testid="identifier-context">Call me at <mark>+52 55 0000 0000</mark> (fictional)</blockquote>`) {
		t.Errorf("identifier page does not mark the phone in its message")
	}
	b = body(t, f.get(path+victimPhone.ID, analyst))
	if strings.Contains(b, "<mark>") {
		t.Error("a possible victim's identifier is marked for a reader who sees her redacted")
	}
	if strings.Contains(b, "0000 0000") {
		t.Error("a possible victim's identifier is shown (in its message) to a reader who sees her redacted")
	}
	worker, _ := f.session(f.users["caseworker-m"])
	b = body(t, f.get(path+victimPhone.ID, worker))
	if !strings.Contains(b, "<mark>+52 55 0000 0000</mark>") {
		t.Error("the caseworker, who may open the compartment, does not see the identifier marked")
	}
}
