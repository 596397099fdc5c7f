package export

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rastro/rastro"
)

var system = rastro.SystemActor("test export")

func TestFtMWritesOneObjectPerLine(t *testing.T) {
	m := caseFixture(t)
	var buf bytes.Buffer
	n, err := FtM(context.Background(), &buf, m, system, testCase)
	if err != nil {
		t.Fatal(err)
	}
	objs := parseLines(t, buf.Bytes())
	if want := len(m.entities[testCase]) + len(m.links[testCase]); n != want || len(objs) != want {
		t.Errorf("n = %d, lines = %d, want %d", n, len(objs), want)
	}
	byID(t, objs)
	if !bytes.HasSuffix(buf.Bytes(), []byte("}\n")) {
		t.Errorf("output does not end with a newline-terminated object")
	}
}

func TestFtMEntityProperties(t *testing.T) {
	_, objs := export(t, caseFixture(t), system, FtMOptions{})
	got := byID(t, objs)
	tests := []struct {
		name string
		id   string
		want FtMObject
	}{
		{
			name: "suspect keeps its statements, the victim's number is scrubbed",
			id:   "rastro-7-e-person-ramon",
			want: FtMObject{ID: "rastro-7-e-person-ramon", Schema: "Person", Properties: map[string][]string{
				"name": {"Ramón Ejemplo Ficticio"}, "alias": {"El Jefe"}, "nationality": {"es"},
				"birthDate": {"1980-02-03"}, "phone": {"+34 611 222 333"},
			}, Rastro: &FtMExtension{CaseID: 7, CaseRole: "suspect", LegalStatus: "suspected"}},
		},
		{
			name: "entity reference rewritten to the export ID",
			id:   "rastro-7-e-wallet-1",
			want: FtMObject{ID: "rastro-7-e-wallet-1", Schema: "CryptoWallet", Properties: map[string][]string{
				"publicKey": {"bc1qfictitious0example0address0xyz"}, "currency": {"BTC"},
				"holder": {"rastro-7-e-person-ramon"},
			}, Rastro: &FtMExtension{CaseID: 7, CaseRole: "unknown"}},
		},
		{
			name: "identifier extension",
			id:   "rastro-7-e-phone-34611222333",
			want: FtMObject{ID: "rastro-7-e-phone-34611222333", Schema: "Identifier", Properties: map[string][]string{
				"value": {"+34 611 222 333"}, "kind": {"phone"}, "normalized": {"+34611222333"},
			}, Rastro: &FtMExtension{CaseID: 7, CaseRole: "unknown"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, got[tt.id]); diff != "" {
				t.Errorf("object %s (-want +got):\n%s", tt.id, diff)
			}
		})
	}
}

func TestFtMValueOrderAndDuplicates(t *testing.T) {
	m := newMemStore()
	e := entity("p1", "Person", rastro.CaseRoleSuspect)
	// Statement IDs out of slice order, duplicate values from two sources.
	for _, st := range []struct {
		id         int64
		prop, val  string
		evidenceID int64
	}{
		{30, "alias", "Zeta", 1}, {10, "alias", "Beta", 1}, {20, "alias", "Alfa", 2},
		{40, "alias", "Beta", 2}, {5, "name", "Persona Ficticia", 1}, {50, "name", "Persona Ficticia", 3},
	} {
		e.Statements = append(e.Statements, &rastro.Statement{ID: st.id, Prop: st.prop, Value: st.val, EvidenceID: st.evidenceID})
	}
	if err := m.PutEntity(context.Background(), system, e); err != nil {
		t.Fatal(err)
	}
	_, objs := export(t, m, system, FtMOptions{})
	want := map[string][]string{"alias": {"Beta", "Alfa", "Zeta"}, "name": {"Persona Ficticia"}}
	if diff := cmp.Diff(want, objs[0].Properties); diff != "" {
		t.Errorf("properties (-want +got):\n%s", diff)
	}
	if e.Statements[0].ID != 30 {
		t.Errorf("export reordered the entity's statements in place")
	}
}

func TestFtMLinks(t *testing.T) {
	// IncludeVictimData keeps every ID readable, so that each link's shape
	// can be checked; redaction has its own test.
	_, objs := export(t, caseFixture(t), system, FtMOptions{IncludeVictimData: true})
	got := byID(t, objs)
	e := func(id string) []string { return []string{"rastro-7-e-" + id} }
	tests := []struct {
		link   string
		schema string
		props  map[string][]string
	}{
		{"l-pay-1", "Payment", map[string][]string{"payer": e("person-ramon"), "beneficiary": e("person-lucia"),
			"amount": {"150.00"}, "currency": {"EUR"}, "date": {"2024-03-05T21:30:00"}}},
		{"l-pay-2", "Payment", map[string][]string{"payer": e("person-ramon"), "beneficiary": e("org-bar"),
			"amount": {"2500.50"}, "currency": {"EUR"}, "date": {"2024-03-06"}}},
		{"l-emp", "Employment", map[string][]string{"employee": e("person-tomas"), "employer": e("org-bar"),
			"startDate": {"2023-01-01"}, "endDate": {"2024-06-30"}}},
		{"l-call", "Call", map[string][]string{"caller": e("person-ramon"), "receiver": e("person-tomas")}},
		{"l-msg", "Message", map[string][]string{"sender": e("person-ramon"), "recipients": e("person-lucia")}},
		{"l-assoc", "Associate", map[string][]string{"person": e("person-ramon"), "associate": e("person-tomas")}},
		{"l-fam", "Family", map[string][]string{"person": e("person-tomas"), "relative": e("person-ramon")}},
		{"l-own-1", "Ownership", map[string][]string{"owner": e("person-lucia"), "asset": e("acct-lucia")}},
		{"l-unk", "UnknownLink", map[string][]string{"subject": e("person-ramon"), "object": e("addr-1")}},
		{"l-uses-2", "UnknownLink", map[string][]string{"subject": e("person-ramon"), "object": e("phone-34611222333"),
			"role": {"uses"}}},
		{"l-ad-2", "UnknownLink", map[string][]string{"subject": e("phone-34611222333"), "object": e("ad-1"),
			"role": {"appears_in"}}},
	}
	for _, tt := range tests {
		t.Run(tt.link, func(t *testing.T) {
			o, ok := got["rastro-7-l-"+tt.link]
			if !ok {
				t.Fatalf("link %s not exported", tt.link)
			}
			if o.Schema != tt.schema {
				t.Errorf("schema = %q, want %q", o.Schema, tt.schema)
			}
			if diff := cmp.Diff(tt.props, o.Properties); diff != "" {
				t.Errorf("properties (-want +got):\n%s", diff)
			}
			if o.Rastro == nil || o.Rastro.CaseID != 7 || o.Rastro.Origin != "parser" {
				t.Errorf("extension = %+v, want case 7, origin parser", o.Rastro)
			}
		})
	}
}

// planted lists the possible victim's personal data and the IDs derived
// from it: none may appear in a default export.
var planted = []string{
	victimName, "Lucía", victimPhone, victimPhoneE164, "600111222", "600 111 222", victimBirthDate,
	victimHandle, victimIBAN, "2100 0418", victimAdText, "person-lucia", "phone-34600111222",
	"acct-lucia", "ua-lucia", "l-uses-1", "l-pay-1",
}

func TestFtMRedactsVictimsByDefault(t *testing.T) {
	m := caseFixture(t)
	var buf bytes.Buffer
	if _, err := FtM(context.Background(), &buf, m, system, testCase); err != nil {
		t.Fatal(err)
	}
	for _, s := range planted {
		if bytes.Contains(buf.Bytes(), []byte(s)) {
			t.Errorf("default export contains victim data %q", s)
		}
	}
	objs := parseLines(t, buf.Bytes())
	var victim *FtMObject
	for i, o := range objs {
		if o.Rastro != nil && o.Rastro.CaseRole == "possible_victim" {
			victim = &objs[i]
		}
	}
	if victim == nil {
		t.Fatal("the possible victim is missing from the export")
	}
	if !regexp.MustCompile(`^rastro-7-p-[0-9a-f]{32}$`).MatchString(victim.ID) || !victim.Rastro.Redacted {
		t.Errorf("victim exported as %q, redacted=%v; want a pseudonymous, redacted object", victim.ID, victim.Rastro.Redacted)
	}
	want := map[string][]string{"gender": {"female"}, "nationality": {"ve"}, "name": {"Protected person " + victim.ID[len(victim.ID)-8:]}}
	if diff := cmp.Diff(want, victim.Properties); diff != "" {
		t.Errorf("victim properties (-want +got):\n%s", diff)
	}
	redacted := 0
	for _, o := range objs {
		if o.Rastro != nil && o.Rastro.Redacted {
			redacted++
		}
	}
	// victim, her phone, her bank account, her user account, the ad.
	if redacted != 5 {
		t.Errorf("%d redacted entities, want 5", redacted)
	}
}

func TestFtMIncludeVictimData(t *testing.T) {
	raw, _ := export(t, caseFixture(t), system, FtMOptions{IncludeVictimData: true})
	for _, s := range []string{victimName, victimPhone, victimBirthDate, victimHandle, victimIBAN, "rastro-7-e-person-lucia"} {
		if !bytes.Contains(raw, []byte(s)) {
			t.Errorf("full export lacks %q", s)
		}
	}
}

func TestFtMReferencesResolve(t *testing.T) {
	for _, opts := range []FtMOptions{{}, {IncludeVictimData: true}} {
		_, objs := export(t, caseFixture(t), system, opts)
		ids := byID(t, objs)
		for _, o := range objs {
			for prop, vals := range o.Properties {
				for _, v := range vals {
					if isEntityProp(prop) && strings.HasPrefix(v, "rastro-") {
						if _, ok := ids[v]; !ok {
							t.Errorf("include=%v: %s.%s = %q names no exported object", opts.IncludeVictimData, o.ID, prop, v)
						}
					}
				}
			}
		}
	}
}

func TestFtMPseudonymsStablePerKey(t *testing.T) {
	victimID := func(opts FtMOptions) string {
		_, objs := export(t, caseFixture(t), system, opts)
		for _, o := range objs {
			if o.Rastro != nil && o.Rastro.CaseRole == "possible_victim" {
				return o.ID
			}
		}
		t.Fatal("no victim exported")
		return ""
	}
	k1, k2 := FtMOptions{PseudonymKey: []byte("case secret one")}, FtMOptions{PseudonymKey: []byte("case secret two")}
	if a, b := victimID(k1), victimID(k1); a != b {
		t.Errorf("same key, different pseudonyms: %s, %s", a, b)
	}
	if a, b := victimID(k1), victimID(k2); a == b {
		t.Errorf("different keys, same pseudonym %s", a)
	}
	if a, b := victimID(FtMOptions{}), victimID(FtMOptions{}); a == b {
		t.Errorf("exports without a key share pseudonym %s", a)
	}
}

func TestFtMAccess(t *testing.T) {
	analyst := rastro.Actor{UserID: 1, Username: "ana", Role: rastro.RoleAnalyst}
	caseworker := rastro.Actor{UserID: 2, Username: "cara", Role: rastro.RoleCaseworker}
	outsider := rastro.Actor{UserID: 3, Username: "otto", Role: rastro.RoleInvestigator}
	tests := []struct {
		name  string
		actor rastro.Actor
		opts  FtMOptions
		code  string
	}{
		{"member analyst", analyst, FtMOptions{}, ""},
		{"member analyst asks for victim data", analyst, FtMOptions{IncludeVictimData: true}, rastro.EFORBIDDEN},
		{"member caseworker with victim data", caseworker, FtMOptions{IncludeVictimData: true}, ""},
		{"non-member", outsider, FtMOptions{}, rastro.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := caseFixture(t)
			m.members[testCase] = []int64{analyst.UserID, caseworker.UserID}
			var buf bytes.Buffer
			n, err := FtMWith(context.Background(), &buf, m, tt.actor, testCase, tt.opts)
			if code := rastro.ErrorCode(err); code != tt.code {
				t.Fatalf("error code %q (%v), want %q", code, err, tt.code)
			}
			if tt.code != "" && (n != 0 || buf.Len() != 0) {
				t.Errorf("denied export wrote %d objects, %d bytes", n, buf.Len())
			}
		})
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestFtMReportsWriteErrors(t *testing.T) {
	if _, err := FtM(context.Background(), failingWriter{}, caseFixture(t), system, testCase); err == nil {
		t.Fatal("export to a failing writer reported no error")
	}
}

func TestFtMIDsAreValidFtMReferences(t *testing.T) {
	m := caseFixture(t)
	odd := []*rastro.Entity{
		entity("phone:+34 699_000_111", "Identifier", rastro.CaseRoleUnknown, "value", "+34 699 000 111", "kind", "phone"),
		entity("wallet/ñ", "CryptoWallet", rastro.CaseRoleUnknown, "holder", "phone:+34 699_000_111"),
		entity(strings.Repeat("a", 200), "Person", rastro.CaseRoleSuspect, "name", "Persona Larga"),
	}
	for _, e := range odd {
		if err := m.PutEntity(context.Background(), system, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.PutLinks(context.Background(), system, testCase, []*rastro.Link{
		link("uses:odd", "uses", strings.Repeat("a", 200), "phone:+34 699_000_111"),
	}); err != nil {
		t.Fatal(err)
	}
	valid := regexp.MustCompile(`^[0-9a-zA-Z]([0-9a-zA-Z.\-]*[0-9a-zA-Z])?$`)
	for _, opts := range []FtMOptions{{}, {IncludeVictimData: true}} {
		_, objs := export(t, m, system, opts)
		ids := byID(t, objs)
		for _, o := range objs {
			if !valid.MatchString(o.ID) || len(o.ID) > 128 {
				t.Errorf("id %q is not a valid FtM entity ID", o.ID)
			}
			for prop, vals := range o.Properties {
				for _, v := range vals {
					if _, ok := ids[v]; isEntityProp(prop) && !ok {
						t.Errorf("%s.%s = %q names no exported object", o.ID, prop, v)
					}
				}
			}
		}
		if got := FtMEntityID(testCase, "phone:+34 699_000_111"); ids[got].Schema != "Identifier" {
			t.Errorf("FtMEntityID(%q) = %q, which is not the exported identifier", "phone:+34 699_000_111", got)
		}
	}
}
