package resolve

import (
	"strings"

	"github.com/rastro/rastro"
)

// Field names understood by the comparisons. Any other field of a Record is
// compared as a generic string (exact, Jaro-Winkler ≥ 0.9, ≥ 0.7, different).
const (
	FieldName      = "name"       // full name, given names first
	FieldFirstName = "first_name" // given name(s)
	FieldLastName  = "last_name"  // surname(s)
	FieldBirthDate = "birth_date" // any layout with year first: 1990-05-28, 19900528
	FieldPhone     = "phone"      // E.164 or national with digits only
	FieldEmail     = "email"
	FieldHandle    = "handle" // "platform:handle" or "handle"
	FieldIBAN      = "iban"   // or any bank account number
	FieldWallet    = "wallet" // crypto address
	FieldDocument  = "document"
	FieldCity      = "city"
)

// Record is one description of a person to resolve: an entity of a case, a
// line of a CSV file, a row of a registry. Fields may hold several values
// (a person with three phones).
type Record struct {
	ID     string
	Source string // optional; with Options.LinkOnly only pairs across sources are compared
	Fields map[string][]string
}

// Verdict is an analyst's judgement on whether two records are one person.
type Verdict string

// Verdicts.
const (
	Same    Verdict = "same"
	NotSame Verdict = "not_same"
	Unsure  Verdict = "unsure"
)

// Judgement is an analyst's decision about two records. Same always merges,
// NotSame never ends up in one cluster, Unsure changes nothing.
type Judgement struct {
	A, B    string
	Verdict Verdict
}

// ftmProps maps FollowTheMoney property names to Record fields.
var ftmProps = map[string]string{
	"name": FieldName, "firstName": FieldFirstName, "lastName": FieldLastName,
	"birthDate": FieldBirthDate, "phone": FieldPhone, "email": FieldEmail,
	"username": FieldHandle, "handle": FieldHandle, "iban": FieldIBAN,
	"accountNumber": FieldIBAN, "wallet": FieldWallet, "publicKey": FieldWallet,
	"idNumber": FieldDocument, "passportNumber": FieldDocument, "taxNumber": FieldDocument,
	"city": FieldCity, "alias": "alias", "nationality": "nationality",
}

// RecordFromEntity builds a Record from an entity's statements, mapping
// FollowTheMoney properties (name, firstName, birthDate, phone, email, ...)
// to Record fields; other properties are ignored. The normalised value of a
// statement is preferred when present.
func RecordFromEntity(e *rastro.Entity) Record {
	r := Record{ID: e.ID, Fields: map[string][]string{}}
	for _, s := range e.Statements {
		f, ok := ftmProps[s.Prop]
		if !ok {
			continue
		}
		v := s.Normalized
		if v == "" {
			v = s.Value
		}
		if v = strings.TrimSpace(v); v != "" {
			r.Fields[f] = append(r.Fields[f], v)
		}
	}
	return r
}
