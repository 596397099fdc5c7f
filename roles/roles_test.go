package roles

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rastro/rastro"
)

var t0 = time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC)

// ring is a hand-made case: s1 writes first to the possible victim v1 with
// a job offer, s2 gives her orders and receives her money, s3 is told
// where to pick her up, s4 pays a hotel and an ad site, s5's phone is in
// escort ads. v2, another possible victim, does everything a controller
// does and must get no hint.
func ring() Input {
	return Input{
		People: []Person{
			{ID: "s1", CaseRole: "suspect", Accounts: []string{"ph-s1"}},
			{ID: "s2", CaseRole: "suspect", Accounts: []string{"ph-s2", "acct-s2"}},
			{ID: "s3", CaseRole: "suspect", Accounts: []string{"ph-s3", "acct-s3"}},
			{ID: "s4", CaseRole: "suspect", Accounts: []string{"acct-s4"}},
			{ID: "s5", CaseRole: "suspect", Accounts: []string{"ph-s5"}},
			{ID: "v1", CaseRole: "possible_victim", Accounts: []string{"ph-v1", "acct-v1"}},
			{ID: "v2", CaseRole: "victim", Accounts: []string{"ph-v2", "acct-v2"}},
		},
		Messages: []Message{
			{ID: "m1", From: "ph-s1", To: []string{"ph-v1"}, Time: t0, Text: "Hola, te interesa un trabajo en México? pagan bien"},
			{ID: "m2", From: "ph-v1", To: []string{"ph-s1"}, Time: t0.Add(time.Hour), Text: "sí, cuénteme"},
			{ID: "m3", From: "ph-s2", To: []string{"ph-v1"}, Time: t0.Add(48 * time.Hour), Text: "tenés que depositar la cuota hoy"},
			{ID: "m4", From: "ph-s2", To: []string{"ph-s3"}, Time: t0.Add(24 * time.Hour), Text: "pasá por ellas a la terminal"},
			{ID: "m5", From: "ph-s2", To: []string{"ph-s3"}, Time: t0.Add(25 * time.Hour), Text: "the van leaves at 4am, bring the girls"},
			{ID: "m6", From: "ph-s2", To: []string{"ph-s3"}, Time: t0.Add(26 * time.Hour), Text: "llamame cuando estés en la frontera"},
			// v2 first-contacts and orders v1 and takes her money: no hint
			{ID: "m7", From: "ph-v2", To: []string{"ph-v1"}, Time: t0.Add(-time.Hour), Text: "tenés que trabajar, me debés la deuda"},
		},
		Payments: []Payment{
			{ID: "t1", From: "acct-v1", To: "acct-s2", Time: t0.Add(72 * time.Hour)},
			{ID: "t2", From: "acct-v1", To: "acct-v2", Time: t0.Add(73 * time.Hour)},
			{ID: "t3", From: "acct-s4", To: "hotel-1", Description: "HOSPEDAJE HOTEL OASIS"},
			{ID: "t4", From: "acct-s4", To: "site-1", Description: "PUBLICACION ANUNCIO"},
			{ID: "t5", From: "acct-s4", To: "bus-1", Category: CategoryTransport},
			{ID: "t6", From: "acct-s4", To: "acct-s3", Description: "PAGO TRASLADO 4 PERSONAS"},
			{ID: "t7", From: "acct-x", To: "acct-s3", Description: "PAGO TRASLADO 2 PERSONAS"}, // not from a suspect
		},
		Ads: []Ad{
			{ID: "a1", Phones: []string{"ph-s5"}, Category: "escorts"},
			{ID: "a2", Phones: []string{"ph-s5"}, Category: "acompañantes"},
			{ID: "a3", Phones: []string{"ph-v2"}, Category: "escorts"},
		},
	}
}

func TestHintsOnHandMadeRing(t *testing.T) {
	got := map[string][]string{} // person -> role:evidence...
	for _, h := range Hints(ring(), Options{}) {
		got[h.Person] = append(got[h.Person], string(h.Role))
		got[h.Person] = append(got[h.Person], h.Evidence...)
	}
	want := map[string][]string{
		"s1": {"recruiter", "m1"},
		"s2": {"controller", "m3", "t1"},
		"s3": {"transporter", "m4", "m5", "m6", "t6"},
		"s4": {"financier", "t3", "t4", "t5"},
		"s5": {"advertiser", "a1", "a2"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hints (-want +got):\n%s", diff)
	}
}

// TestNoHintForVictims: whatever a (possible) victim's records show, she
// gets no hint, under any options.
func TestNoHintForVictims(t *testing.T) {
	for _, o := range []Options{{}, {MinScore: 1e-9, Relative: -1}} {
		for _, h := range Hints(ring(), o) {
			if h.Person == "v1" || h.Person == "v2" {
				t.Errorf("options %+v: possible victim %s hinted as %s (%v)", o, h.Person, h.Role, h.Reasons)
			}
		}
	}
}

func TestGivesOwnContact(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"si te interesa escribime a este otro número +50585550121", true},
		{"mi correo es brenda [at] example [dot] com", true},
		{"número nuevo +504 9555-0123, el otro ya no lo uso", true},
		{"escribile al de los anuncios: +52 55 5550 0162", false},
		{"llamame al +52 55 5550 0113 cuando estés en la frontera", false},
	}
	for _, tt := range tests {
		if got := GivesOwnContact(tt.text); got != tt.want {
			t.Errorf("GivesOwnContact(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestCategory(t *testing.T) {
	tests := []struct{ desc, want string }{
		{"PAGO PUBLICACION ANUNCIOS WEB", CategoryAds},
		{"Hotel Oasis hospedaje 3 noches", CategoryLodging},
		{"BOLETOS TRANSPORTES PALMERAS", CategoryTransport},
		{"COMPRA POS SUPERMERCADO LA ECONOMIA", ""},
	}
	for _, tt := range tests {
		if got := Category(tt.desc); got != tt.want {
			t.Errorf("Category(%q) = %q, want %q", tt.desc, got, tt.want)
		}
	}
}

// TestFromCase maps stored entities, links and records to the input.
func TestFromCase(t *testing.T) {
	ents := []*rastro.Entity{
		{ID: "p1", Schema: "Person", CaseRole: rastro.CaseRoleSuspect},
		{ID: "p2", Schema: "Person", CaseRole: rastro.CaseRolePossibleVictim},
		{ID: "acc1", Schema: "UserAccount"},
		{ID: "acc2", Schema: "UserAccount"},
		{ID: "ph1", Schema: "Phone", Statements: []*rastro.Statement{{Prop: "number", Value: "+50255501234", RecordID: 9}}},
		{ID: "em1", Schema: "Identifier", Statements: []*rastro.Statement{
			{Prop: "kind", Value: "email"}, {Prop: "value", Value: "chica@example.org", RecordID: 9}}},
		{ID: "iban1", Schema: "Identifier", Statements: []*rastro.Statement{
			{Prop: "kind", Value: "iban"}, {Prop: "value", Value: "GT00", RecordID: 9}}},
		{ID: "acct-hotel", Schema: "BankAccount", Statements: []*rastro.Statement{{Prop: "bankName", Value: "Hotel Miramar"}}},
		{ID: "acct-bank", Schema: "BankAccount", Statements: []*rastro.Statement{{Prop: "bankName", Value: "Banco Ficticio"}}},
	}
	links := []*rastro.Link{
		{ID: "u1", Schema: "uses", SourceID: "p1", TargetID: "acc1"},
		{ID: "u2", Schema: "uses", SourceID: "p1", TargetID: "ph1"},
		{ID: "u3", Schema: "uses", SourceID: "p2", TargetID: "acc2"},
		{ID: "l1", Schema: "Message", SourceID: "acc1", TargetID: "acc2", Start: t0, RecordID: 7},
		{ID: "l1b", Schema: "Message", SourceID: "acc1", TargetID: "acc3", Start: t0, RecordID: 7}, // same group message
		{ID: "l2", Schema: "Payment", SourceID: "acc2", TargetID: "acc1", Start: t0, RecordID: 8},
		{ID: "l3", Schema: "Payment", SourceID: "acc1", TargetID: "acct-hotel", Start: t0, Description: "HOSPEDAJE 3 HABITACIONES"},
	}
	recs := []*rastro.Record{
		{ID: 7, Kind: "message", Text: "te interesa un trabajo?"},
		{ID: 8, Kind: "transaction", Text: "TRANSFERENCIA"},
		{ID: 9, Kind: "ad", Text: "Nueva en la ciudad, discreta, 24/7"},
	}
	got := FromCase(ents, links, recs)
	want := Input{
		People: []Person{
			{ID: "p1", CaseRole: "suspect", Accounts: []string{"p1", "acc1", "ph1"}},
			{ID: "p2", CaseRole: "possible_victim", Accounts: []string{"p2", "acc2"}},
		},
		Messages: []Message{{ID: "l1", From: "acc1", To: []string{"acc2", "acc3"}, Time: t0, Text: "te interesa un trabajo?"}},
		Payments: []Payment{
			{ID: "l2", From: "acc2", To: "acc1", Time: t0, Description: "TRANSFERENCIA"},
			{ID: "l3", From: "acc1", To: "acct-hotel", Time: t0, Description: "HOSPEDAJE 3 HABITACIONES"},
		},
		Ads:        []Ad{{ID: "record:9", Phones: []string{"ph1", "em1"}, Category: "escorts"}},
		Businesses: map[string]string{"acct-hotel": CategoryLodging},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FromCase (-want +got):\n%s", diff)
	}
	hints := Hints(got, Options{})
	if len(hints) == 0 || hints[0].Person != "p1" {
		t.Errorf("hints %+v, want p1 first", hints)
	}
}
