package htcds

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/rastro/rastro"
)

// LinkInvolved is the schema of the link from a person to an event of
// their record (FtM Event "involved").
const LinkInvolved = "involved"

// MapOptions says where imported records belong.
type MapOptions struct {
	CaseID     int64
	Source     string // the file's name or SHA-256: entity IDs derive from it and the line
	EvidenceID int64  // the evidence item the file was ingested as, if any
}

// Mapped holds the entities and links of imported records.
type Mapped struct {
	Entities []*rastro.Entity
	Links    []*rastro.Link
}

// ftmPerson maps HTCDS person fields onto FollowTheMoney properties, so that
// the other engines (resolution, search) see imported people.
func ftmPerson() map[string]string {
	return map[string]string{
		"prs_FirstName": "firstName", "prs_MiddleName": "middleName", "prs_SecondName": "lastName",
		"prs_Birthdate": "birthDate", "prs_Gender": "gender", "prs_Citizenship": "nationality",
		"prs_Email": "email", "prs_HomePhone": "phone", "prs_MobilePhone": "phone",
		"prs_IdentityNumber": "idNumber", "prs_MailingCountry": "country",
	}
}

// ToEntities maps each record onto a Person (case role from
// vic_TraffickingStatus, or suspect for a perpetrator record) and, when the
// record has hte_ fields, an Event linked to the person. Every HTCDS value
// becomes a statement whose property is the field name, with provenance
// "line:N"; names, birth date, gender, nationality and contacts are also
// stated under their FtM properties. IDs are stable for the same source and
// line, so re-importing changes nothing.
func ToEntities(recs []Record, opt MapOptions) (*Mapped, error) {
	if opt.CaseID == 0 || opt.Source == "" {
		return nil, rastro.Errorf(rastro.EINVALID, "htcds: a case and a source name are required to map records")
	}
	m := &Mapped{}
	for _, r := range recs {
		base := entityBase(opt.Source, r.Line)
		person := newPerson(base, r, opt)
		m.Entities = append(m.Entities, person)
		if ev := newEvent(base, r, opt, person.CaseRole.IsVictim()); ev != nil {
			m.Entities = append(m.Entities, ev)
			m.Links = append(m.Links, &rastro.Link{ID: base + "-involved", CaseID: opt.CaseID, Schema: LinkInvolved,
				SourceID: person.ID, TargetID: ev.ID, Start: parseDay(r.Get("hte_Date")), EvidenceID: opt.EvidenceID,
				Locator: locator(r.Line), Origin: rastro.OriginImport})
		}
	}
	return m, nil
}

// entityBase derives the stable ID prefix of a record's entities.
func entityBase(source string, line int) string {
	h := sha256.Sum256([]byte(source + "\x00" + strconv.Itoa(line)))
	return "htcds-" + hex.EncodeToString(h[:8])
}

// newPerson builds the record's Person entity.
func newPerson(base string, r Record, opt MapOptions) *rastro.Entity {
	role, legal := roleOf(r)
	e := &rastro.Entity{ID: base + "-person", CaseID: opt.CaseID, Schema: "Person", CaseRole: role, LegalStatus: legal}
	e.Caption = "HTCDS record, line " + strconv.Itoa(r.Line)
	if role.IsVictim() {
		e.Sensitivity = "restricted"
	} else if name := fullName(r); name != "" {
		e.Caption = name
	}
	ftm := ftmPerson()
	for _, f := range Header() {
		v := r.Get(f)
		if v == "" || strings.HasPrefix(f, "hte_") {
			continue
		}
		e.Statements = append(e.Statements, statement(opt, e.ID, f, v, r.Line))
		if p, ok := ftm[f]; ok {
			for _, x := range splitValues(v, f) {
				e.Statements = append(e.Statements, statement(opt, e.ID, p, x, r.Line))
			}
		}
	}
	if name := fullName(r); name != "" {
		e.Statements = append(e.Statements, statement(opt, e.ID, "name", name, r.Line))
	}
	return e
}

// newEvent builds the record's Event entity, nil without hte_ values.
func newEvent(base string, r Record, opt MapOptions, victim bool) *rastro.Entity {
	e := &rastro.Entity{ID: base + "-event", CaseID: opt.CaseID, Schema: "Event", CaseRole: rastro.CaseRoleUnknown}
	for _, f := range Header() {
		if v := r.Get(f); v != "" && strings.HasPrefix(f, "hte_") {
			e.Statements = append(e.Statements, statement(opt, e.ID, f, v, r.Line))
		}
	}
	if len(e.Statements) == 0 {
		return nil
	}
	if victim {
		e.Sensitivity = "restricted"
	}
	e.Caption = strings.TrimSpace(strings.Join([]string{orDefault(r.Get("hte_Type"), "Event"), r.Get("hte_Date"), r.Get("hte_Country")}, " "))
	for prop, f := range map[string]string{"date": "hte_Date", "country": "hte_Country"} {
		if v := r.Get(f); v != "" {
			e.Statements = append(e.Statements, statement(opt, e.ID, prop, v, r.Line))
		}
	}
	return e
}

// roleOf derives the case role: the trafficking status for a victim record,
// suspect for a perpetrator record (per_ fields and no vic_ field).
func roleOf(r Record) (rastro.CaseRole, rastro.LegalStatus) {
	switch r.Get("vic_TraffickingStatus") {
	case "PossibleVictimOfTrafficking":
		return rastro.CaseRolePossibleVictim, rastro.LegalNone
	case "ActualVictimOfTrafficking":
		return rastro.CaseRoleVictim, rastro.LegalNone
	}
	hasVic, hasPer := false, false
	for k := range r.Values {
		hasVic = hasVic || strings.HasPrefix(k, "vic_")
		hasPer = hasPer || strings.HasPrefix(k, "per_")
	}
	if hasPer && !hasVic {
		return rastro.CaseRoleSuspect, rastro.LegalSuspected
	}
	if hasVic && r.Get("vic_TraffickingStatus") == "" {
		return rastro.CaseRolePossibleVictim, rastro.LegalNone
	}
	return rastro.CaseRoleUnknown, rastro.LegalNone
}

// statement builds one imported statement.
func statement(opt MapOptions, entityID, prop, value string, line int) *rastro.Statement {
	return &rastro.Statement{CaseID: opt.CaseID, EntityID: entityID, Prop: prop, Value: value,
		EvidenceID: opt.EvidenceID, Locator: locator(line), Origin: rastro.OriginImport, Confidence: 1}
}

// locator is the provenance of a row.
func locator(line int) string { return "line:" + strconv.Itoa(line) }

// fullName joins the name fields.
func fullName(r Record) string {
	return strings.Join(strings.Fields(r.Get("prs_FirstName")+" "+r.Get("prs_MiddleName")+" "+r.Get("prs_SecondName")), " ")
}

// splitValues splits multiselect values for the FtM properties.
func splitValues(v, field string) []string {
	if field == "prs_Citizenship" {
		return strings.Split(v, MultiSep)
	}
	return []string{v}
}

// parseDay reads an ISO date, zero when empty.
func parseDay(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

// orDefault returns s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Import reads an HTCDS CSV and maps its records onto entities and links
// (Read, then ToEntities). The File carries Read's warnings.
func Import(r io.Reader, opt MapOptions) (*Mapped, *File, error) {
	file, err := Read(r)
	if err != nil {
		return nil, nil, err
	}
	m, err := ToEntities(file.Records, opt)
	if err != nil {
		return nil, nil, err
	}
	return m, file, nil
}
