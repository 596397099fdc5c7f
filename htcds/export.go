package htcds

import (
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/rastro/rastro"
)

// ExportOptions controls an export.
type ExportOptions struct {
	// IncludePersonalData keeps names, birth dates, contacts, addresses and
	// free text. Off by default: only a caseworker's export from inside the
	// victims' compartment may turn it on, and the caller audits it.
	IncludePersonalData bool
}

// FromEntities rebuilds HTCDS records from a case's entities and links: one
// record per Person that holds HTCDS statements or is a (possible) victim,
// its hte_ fields from the Event it is involved in. Values stated under the
// field names win; people created elsewhere get their names, birth date,
// gender and nationality from their FtM properties. The case role decides
// vic_TraffickingStatus of victims. Records are ordered by their source line
// (people created in Rastro last), then by entity ID. Every value is checked
// as Read would check it: a value that would not import again is left out
// and reported in dropped ("entity ID: field: reason").
func FromEntities(ents []*rastro.Entity, links []*rastro.Link, opt ExportOptions) (recs []Record, dropped []string) {
	byID := map[string]*rastro.Entity{}
	for _, e := range ents {
		byID[e.ID] = e
	}
	events := map[string]*rastro.Entity{}
	for _, l := range links {
		if ev, ok := byID[l.TargetID]; ok && l.Schema == LinkInvolved && ev.Schema == "Event" && events[l.SourceID] == nil {
			events[l.SourceID] = ev
		}
	}
	type row struct {
		rec Record
		id  string
	}
	var rows []row
	for _, e := range ents {
		if e.Schema != "Person" {
			continue
		}
		rec, ok := personRecord(e, events[e.ID])
		if ok {
			rows = append(rows, row{rec, e.ID})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		li, lj := sortLine(rows[i].rec.Line), sortLine(rows[j].rec.Line)
		if li != lj {
			return li < lj
		}
		return rows[i].id < rows[j].id
	})
	v := newValidator()
	out := make([]Record, len(rows))
	for i, r := range rows {
		out[i] = r.rec
		dropped = append(dropped, v.canonical(r.id, out[i].Values)...)
	}
	if !opt.IncludePersonalData {
		out = Redact(out)
	}
	return out, dropped
}

// ExportResult says what an export wrote.
type ExportResult struct {
	Rows    int      `json:"rows"`
	Dropped []string `json:"dropped,omitempty"` // values left out because they would not import again
}

// Export writes the case's HTCDS records as CSV (see FromEntities, Write).
func Export(w io.Writer, ents []*rastro.Entity, links []*rastro.Link, opt ExportOptions) (*ExportResult, error) {
	recs, dropped := FromEntities(ents, links, opt)
	if err := Write(w, recs); err != nil {
		return nil, err
	}
	return &ExportResult{Rows: len(recs), Dropped: dropped}, nil
}

// RecordOf returns the HTCDS values of one person (and the event they are
// involved in, which may be nil), as FromEntities would export them with
// personal data: for screening a person (screen.FactsFromHTCDS) from the
// case's own data. ok is false for a person with no HTCDS data who is not
// a victim.
func RecordOf(person, event *rastro.Entity) (rec Record, ok bool) {
	return personRecord(person, event)
}

// personRecord builds one record, false when the person has no HTCDS data
// and is not a victim.
func personRecord(e, ev *rastro.Entity) (Record, bool) {
	fields := fieldIndex()
	rec := Record{Values: map[string]string{}}
	take := func(st *rastro.Statement) {
		if _, ok := fields[st.Prop]; ok && rec.Values[st.Prop] == "" {
			rec.Values[st.Prop] = st.Value
			if l := lineOf(st.Locator); l > 0 && (rec.Line == 0 || l < rec.Line) {
				rec.Line = l
			}
		}
	}
	for _, st := range e.Statements {
		if !strings.HasPrefix(st.Prop, "hte_") {
			take(st)
		}
	}
	if ev != nil {
		for _, st := range ev.Statements {
			if strings.HasPrefix(st.Prop, "hte_") {
				take(st)
			}
		}
	}
	if len(rec.Values) == 0 && !e.CaseRole.IsVictim() {
		return rec, false
	}
	fillFromFtM(e, rec.Values)
	switch e.CaseRole {
	case rastro.CaseRoleVictim:
		rec.Values["vic_TraffickingStatus"] = "ActualVictimOfTrafficking"
	case rastro.CaseRolePossibleVictim:
		rec.Values["vic_TraffickingStatus"] = "PossibleVictimOfTrafficking"
	}
	return rec, true
}

// fillFromFtM fills empty person fields from FtM properties.
func fillFromFtM(e *rastro.Entity, vals map[string]string) {
	first := map[string]string{}
	for _, st := range e.Statements {
		if first[st.Prop] == "" {
			first[st.Prop] = st.Value
		}
	}
	set := func(field, value string) {
		if vals[field] == "" && value != "" {
			vals[field] = value
		}
	}
	set("prs_FirstName", first["firstName"])
	set("prs_SecondName", first["lastName"])
	if f := strings.Fields(first["name"]); len(f) > 0 && first["firstName"]+first["lastName"] == "" {
		// Only a full name: the first word is the given name, the rest
		// the surnames.
		set("prs_FirstName", f[0])
		set("prs_SecondName", strings.Join(f[1:], " "))
	}
	set("prs_Birthdate", first["birthDate"])
	set("prs_Citizenship", strings.ToUpper(first["nationality"]))
	if g, ok := genderCode(first["gender"]); ok {
		set("prs_Gender", g)
	}
}

// genderCode maps FtM and common spellings onto prs_Gender.
func genderCode(g string) (string, bool) {
	switch strings.ToLower(g) {
	case "female", "feminine", "f", "woman":
		return "Feminine", true
	case "male", "masculine", "m", "man":
		return "Masculine", true
	case "":
		return "", false
	}
	return "NonSpecifiedUnknown", true
}

// lineOf reads N from a "line:N" locator, 0 otherwise.
func lineOf(loc string) int {
	n, err := strconv.Atoi(strings.TrimPrefix(loc, "line:"))
	if err != nil || !strings.HasPrefix(loc, "line:") {
		return 0
	}
	return n
}

// sortLine orders records without a source line after imported ones.
func sortLine(l int) int {
	if l == 0 {
		return int(^uint(0) >> 1)
	}
	return l
}
