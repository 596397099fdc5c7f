package export

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/rastro/rastro"
)

// Fictional people and data only. The possible victim's planted personal
// data must never appear in a default export.
const (
	testCase        = int64(7)
	victimName      = "Lucía Prueba Inventada"
	victimPhone     = "+34 600 111 222"
	victimPhoneE164 = "+34600111222"
	victimBirthDate = "2009-04-17"
	victimHandle    = "lucia_inv_09"
	victimIBAN      = "ES91 2100 0418 4502 0005 1332"
	victimAdText    = "Chica nueva en la ciudad, llama al +34 600 111 222"
)

// stmts builds statements from prop, value pairs.
func stmts(pairs ...string) []*rastro.Statement {
	var out []*rastro.Statement
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, &rastro.Statement{Prop: pairs[i], Value: pairs[i+1], Origin: rastro.OriginAnalyst, Confidence: 1})
	}
	return out
}

func entity(id, schema string, role rastro.CaseRole, pairs ...string) *rastro.Entity {
	return &rastro.Entity{ID: id, CaseID: testCase, Schema: schema, CaseRole: role, Statements: stmts(pairs...)}
}

func link(id, schema, src, tgt string) *rastro.Link {
	return &rastro.Link{ID: id, CaseID: testCase, Schema: schema, SourceID: src, TargetID: tgt, Origin: rastro.OriginParser}
}

// caseFixture returns a store holding a small fictional case: two suspects,
// a possible victim with a phone, a handle and a bank account, an ad, an
// organisation and links of every kind.
func caseFixture(tb testing.TB) *memStore {
	tb.Helper()
	m := newMemStore()
	if err := fillCase(tb, m, testCase); err != nil {
		tb.Fatal(err)
	}
	return m
}

// fillCase writes the fictional case of caseFixture into s as case caseID.
// It returns the error of PutLinks, so that callers can tell a store whose
// links are not implemented yet.
func fillCase(tb testing.TB, s rastro.EntityService, caseID int64) error {
	tb.Helper()
	suspect := entity("person-ramon", "Person", rastro.CaseRoleSuspect,
		"name", "Ramón Ejemplo Ficticio", "alias", "El Jefe", "nationality", "es",
		"birthDate", "1980-02-03", "phone", "+34 611 222 333",
		"phone", victimPhoneE164) // a victim's number recorded on a suspect: scrubbed
	suspect.LegalStatus = rastro.LegalSuspected
	victim := entity("person-lucia", "Person", rastro.CaseRolePossibleVictim,
		"name", victimName, "birthDate", victimBirthDate, "phone", victimPhone,
		"gender", "female", "nationality", "ve")
	ents := []*rastro.Entity{
		suspect,
		victim,
		entity("person-tomas", "Person", rastro.CaseRolePersonOfInt, "name", "Tomás Ejemplo", "gender", "male"),
		entity("phone-34600111222", "Identifier", rastro.CaseRoleUnknown,
			"value", victimPhone, "kind", "phone", "normalized", victimPhoneE164),
		entity("phone-34611222333", "Identifier", rastro.CaseRoleUnknown,
			"value", "+34 611 222 333", "kind", "phone", "normalized", "+34611222333"),
		entity("ad-1", "Document", rastro.CaseRoleUnknown, "title", "Anuncio 1", "bodyText", victimAdText),
		entity("acct-lucia", "BankAccount", rastro.CaseRoleUnknown, "iban", victimIBAN, "bankName", "Banco Ficticio"),
		entity("ua-lucia", "UserAccount", rastro.CaseRoleUnknown,
			"username", victimHandle, "service", "instagram", "owner", "person-lucia"),
		entity("wallet-1", "CryptoWallet", rastro.CaseRoleUnknown,
			"publicKey", "bc1qfictitious0example0address0xyz", "currency", "BTC", "holder", "person-ramon"),
		entity("org-bar", "Organization", rastro.CaseRoleUnknown, "name", "Bar Ficticio SL", "country", "es"),
		entity("addr-1", "Address", rastro.CaseRoleUnknown, "full", "Calle Inventada 123, Madrid", "city", "Madrid"),
	}
	for _, e := range ents {
		e.CaseID = caseID
		if err := s.PutEntity(context.Background(), rastro.SystemActor("test"), e); err != nil {
			tb.Fatal(err)
		}
	}
	when := time.Date(2024, 3, 5, 21, 30, 0, 0, time.UTC)
	pay := link("l-pay-1", "Payment", "person-ramon", "person-lucia")
	pay.Amount, pay.Currency, pay.Start = "150.00", "EUR", when
	pay2 := link("l-pay-2", "Payment", "person-ramon", "org-bar")
	pay2.Amount, pay2.Currency, pay2.Start = "2500.50", "EUR", time.Date(2024, 3, 6, 0, 0, 0, 0, time.UTC)
	job := link("l-emp", "Employment", "person-tomas", "org-bar")
	job.Start, job.End = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)
	links := []*rastro.Link{
		link("l-uses-1", "uses", "person-lucia", "phone-34600111222"),
		link("l-uses-2", "uses", "person-ramon", "phone-34611222333"),
		link("l-ad-1", "appears_in", "phone-34600111222", "ad-1"),
		link("l-ad-2", "appears_in", "phone-34611222333", "ad-1"),
		pay, pay2, job,
		link("l-call", "Call", "person-ramon", "person-tomas"),
		link("l-msg", "Message", "person-ramon", "person-lucia"),
		link("l-assoc", "Associate", "person-ramon", "person-tomas"),
		link("l-fam", "Family", "person-tomas", "person-ramon"),
		link("l-own-1", "Ownership", "person-lucia", "acct-lucia"),
		link("l-own-2", "Ownership", "person-ramon", "org-bar"),
		link("l-unk", "UnknownLink", "person-ramon", "addr-1"),
	}
	for _, l := range links {
		l.CaseID = caseID
	}
	return s.PutLinks(context.Background(), rastro.SystemActor("test"), caseID, links)
}

// export runs FtMWith and returns the raw output and its parsed lines.
func export(tb testing.TB, s rastro.EntityService, actor rastro.Actor, opts FtMOptions) ([]byte, []FtMObject) {
	tb.Helper()
	var buf bytes.Buffer
	n, err := FtMWith(context.Background(), &buf, s, actor, testCase, opts)
	if err != nil {
		tb.Fatalf("FtMWith: %v", err)
	}
	objs := parseLines(tb, buf.Bytes())
	if n != len(objs) {
		tb.Fatalf("FtMWith returned n=%d, wrote %d lines", n, len(objs))
	}
	return buf.Bytes(), objs
}

// parseLines decodes line-delimited FtM JSON strictly: every line one object
// with a non-empty id and schema and a properties object of string lists.
func parseLines(tb testing.TB, data []byte) []FtMObject {
	tb.Helper()
	var out []FtMObject
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &raw); err != nil {
			tb.Fatalf("line %d is not a JSON object: %v: %s", line, err, sc.Bytes())
		}
		for _, k := range []string{"id", "schema", "properties"} {
			if _, ok := raw[k]; !ok {
				tb.Fatalf("line %d lacks %q: %s", line, k, sc.Bytes())
			}
		}
		var o FtMObject
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&o); err != nil {
			tb.Fatalf("line %d: %v: %s", line, err, sc.Bytes())
		}
		if o.ID == "" || o.Schema == "" || o.Properties == nil {
			tb.Fatalf("line %d: empty id, schema or properties: %s", line, sc.Bytes())
		}
		out = append(out, o)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// byID indexes objects by ID and fails on duplicates.
func byID(tb testing.TB, objs []FtMObject) map[string]FtMObject {
	tb.Helper()
	m := map[string]FtMObject{}
	for _, o := range objs {
		if _, dup := m[o.ID]; dup {
			tb.Fatalf("duplicate id %q", o.ID)
		}
		m[o.ID] = o
	}
	return m
}
