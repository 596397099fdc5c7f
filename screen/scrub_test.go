package screen

import (
	"testing"

	"github.com/rastro/rastro"
)

func TestScrubber(t *testing.T) {
	sc := NewScrubber([]Secret{
		{Pseudonym: "Possible victim V-ABC123", Values: []string{"Jimena Romero Pérez", "+50495550149", "jimena.romero@example.org", "nena_new", "la Flaca"}},
		{Pseudonym: "Victim V-000001", Values: []string{"Ana", "9555 0200"}},
	})
	for _, tc := range []struct{ in, want string }{
		{"Jimena Romero Pérez: no me dejan salir", "Possible victim V-ABC123: no me dejan salir"},
		{"hablé con jimena romero ayer", "hablé con Possible victim V-ABC123 ayer"},
		{"llamala al +504 9555-0149 o al 9555 0149", "llamala al [redacted phone] o al [redacted phone]"},
		{"50495550149,50495550149", "[redacted phone],[redacted phone]"},
		{"escribile a jimena.romero@example.org", "escribile a Possible victim V-ABC123"},
		{"su telegram es @nena_new", "su telegram es Possible victim V-ABC123"},
		{"@nena_newer no es ella", "@nena_newer no es ella"},
		{"le dicen La Flaca", "le dicen Possible victim V-ABC123"},
		{"Ana y Anabel", "Victim V-000001 y Anabel"}, // whole words only
		{"el 95550200 es de ella", "el [redacted phone] es de ella"},
		{"pagó 1234 5678 9012 colones", "pagó 1234 5678 9012 colones"},
	} {
		if got := sc.Scrub(tc.in); got != tc.want {
			t.Errorf("Scrub(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := (*Scrubber)(nil).Scrub("Jimena"); got != "Jimena" {
		t.Errorf("nil scrubber changed text: %q", got)
	}
}

func TestSecretsFromEntities(t *testing.T) {
	st := func(p, v string) *rastro.Statement { return &rastro.Statement{Prop: p, Value: v} }
	ents := []*rastro.Entity{
		{ID: "v1", Schema: "Person", Caption: "Ana Ficticia Solís", CaseRole: rastro.CaseRolePossibleVictim,
			Statements: []*rastro.Statement{st("name", "Ana Ficticia Solís"), st("gender", "female"), st("email", "ana@example.org")}},
		{ID: "ph1", Schema: "Identifier", Caption: "+50495550149", Statements: []*rastro.Statement{st("value", "9555 0149"), st("kind", "phone")}},
		{ID: "acct1", Schema: "BankAccount", Caption: "CR05 0152 0200 1026 2840 66", Statements: []*rastro.Statement{st("currency", "USD")}},
		{ID: "s1", Schema: "Person", Caption: "Juan Sospechoso", CaseRole: rastro.CaseRoleSuspect},
	}
	links := []*rastro.Link{
		{Schema: "uses", SourceID: "v1", TargetID: "ph1"},
		{Schema: "Payment", SourceID: "acct1", TargetID: "s1"},
	}
	label := func(e *rastro.Entity) string { return "[" + e.ID + "]" }
	sc := NewScrubber(SecretsFromEntities(ents, links, label))
	in := "Ana Ficticia (ana@example.org, 9555-0149) pagó 50 USD a Juan Sospechoso"
	want := "[v1] ([v1], [redacted phone]) pagó 50 USD a Juan Sospechoso"
	if got := sc.Scrub(in); got != want {
		t.Errorf("Scrub(%q)\n= %q\nwant %q", in, got, want)
	}
}
