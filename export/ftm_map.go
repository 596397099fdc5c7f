package export

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"

	"github.com/rastro/rastro"
)

// FtMEntityID returns the export ID of an unprotected entity of a case:
// "rastro-<caseID>-e-<entityID>". Links are "rastro-<caseID>-l-<linkID>";
// protected entities and links touching them are "rastro-<caseID>-p-<hex>".
// FtM drops references that do not match its entity ID pattern
// ([0-9a-zA-Z] with inner '.' and '-'; Aleph caps them at 128 characters), so
// an ID that would not is exported as "rastro-<caseID>-h-<hex of
// SHA-256(ID)>" (entities) or "rastro-<caseID>-lh-<hex>" (links) instead.
func FtMEntityID(caseID int64, entityID string) string {
	return safeID("rastro-"+itoa(caseID)+"-", "e-", "h-", entityID)
}

// exportID returns the ID under which entity id is exported.
func (p *exportPlan) exportID(id string) string {
	if pid, ok := p.protected[id]; ok {
		return pid
	}
	return safeID(p.prefix, "e-", "h-", id)
}

// safeID returns prefix+ns+id when that is a valid FtM entity ID, and
// prefix+hashNS+hex(SHA-256(id))[:40] otherwise.
func safeID(prefix, ns, hashNS, id string) string {
	out := prefix + ns + id
	if len(out) <= maxIDLen && validFtMID(out) {
		return out
	}
	sum := sha256.Sum256([]byte(id))
	return prefix + hashNS + hex.EncodeToString(sum[:20])
}

// maxIDLen keeps IDs within what FtM tools index comfortably.
const maxIDLen = 128

// validFtMID reports whether id matches FtM's entity ID pattern
// ^[0-9a-zA-Z]([0-9a-zA-Z.-]*[0-9a-zA-Z])?$.
func validFtMID(id string) bool {
	if id == "" || !alnum(id[0]) || !alnum(id[len(id)-1]) {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !alnum(c) && c != '.' && c != '-' {
			return false
		}
	}
	return true
}

func alnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// entityObject maps one entity to its FtM object, redacted when protected.
func (p *exportPlan) entityObject(e *rastro.Entity) *FtMObject {
	ext := &FtMExtension{
		CaseID:      p.caseID,
		CaseRole:    string(e.CaseRole),
		LegalStatus: string(e.LegalStatus),
		Sensitivity: e.Sensitivity,
	}
	if pid, ok := p.protected[e.ID]; ok {
		ext.Redacted = true
		return &FtMObject{ID: pid, Schema: e.Schema, Properties: p.redactedProperties(e, pid), Rastro: ext}
	}
	return &FtMObject{ID: p.exportID(e.ID), Schema: e.Schema, Properties: p.properties(e.Statements), Rastro: ext}
}

// properties groups statements by property, values in first-seen order by
// statement ID without duplicates, references to case entities rewritten to
// their export IDs and withheld values of protected entities dropped.
func (p *exportPlan) properties(stmts []*rastro.Statement) map[string][]string {
	props := make(map[string][]string, len(stmts))
	for _, st := range byStatementID(stmts) {
		if p.scrubbed(st) {
			continue
		}
		v := st.Value
		if _, ok := p.ids[v]; ok && isEntityProp(st.Prop) {
			v = p.exportID(v)
		}
		if !slices.Contains(props[st.Prop], v) {
			props[st.Prop] = append(props[st.Prop], v)
		}
	}
	return props
}

// redactedProperties keeps only non-identifying properties and replaces a
// name by a pseudonymous one.
func (p *exportPlan) redactedProperties(e *rastro.Entity, pid string) map[string][]string {
	props := map[string][]string{}
	named := false
	for _, st := range byStatementID(e.Statements) {
		named = named || st.Prop == "name"
		if keepWhenRedacted(st.Prop) && !slices.Contains(props[st.Prop], st.Value) {
			props[st.Prop] = append(props[st.Prop], st.Value)
		}
	}
	if named {
		short := pid[len(pid)-8:]
		props["name"] = []string{"Protected " + strings.ToLower(e.Schema) + " " + short}
	}
	return props
}

// byStatementID returns stmts ordered by ID without changing the entity.
func byStatementID(stmts []*rastro.Statement) []*rastro.Statement {
	if slices.IsSortedFunc(stmts, cmpStatement) {
		return stmts
	}
	out := slices.Clone(stmts)
	slices.SortStableFunc(out, cmpStatement)
	return out
}

func cmpStatement(a, b *rastro.Statement) int {
	switch {
	case a.ID < b.ID:
		return -1
	case a.ID > b.ID:
		return 1
	}
	return 0
}

// linkShape says how a Rastro link schema maps to FtM: the FtM schema, the
// properties that take the link's source and target, and the value of the
// role property ("" for none). Employment follows FtM's edge direction
// (source employee, target employer).
func linkShape(schema string) (ftm, source, target, role string) {
	switch schema {
	case "Payment":
		return "Payment", "payer", "beneficiary", ""
	case "Call":
		return "Call", "caller", "receiver", ""
	case "Message":
		return "Message", "sender", "recipients", ""
	case "Associate":
		return "Associate", "person", "associate", ""
	case "Family":
		return "Family", "person", "relative", ""
	case "Employment":
		return "Employment", "employee", "employer", ""
	case "Ownership":
		return "Ownership", "owner", "asset", ""
	case "UnknownLink":
		return "UnknownLink", "subject", "object", ""
	}
	// uses (person -> identifier), appears_in (identifier -> ad) and any
	// schema FtM lacks: a link of unknown nature, its Rastro name as role.
	return "UnknownLink", "subject", "object", schema
}

// pointInTime reports whether the FtM schema records one moment (date)
// rather than a period (startDate, endDate).
func pointInTime(ftm string) bool {
	return ftm == "Payment" || ftm == "Call" || ftm == "Message"
}

// linkObject maps one link to an FtM interval entity.
func (p *exportPlan) linkObject(l *rastro.Link) *FtMObject {
	schema, src, tgt, role := linkShape(l.Schema)
	props := map[string][]string{
		src: {p.exportID(l.SourceID)},
		tgt: {p.exportID(l.TargetID)},
	}
	if role != "" {
		props["role"] = []string{role}
	}
	start := "startDate"
	if pointInTime(schema) {
		start = "date"
	}
	if !l.Start.IsZero() {
		props[start] = []string{ftmDate(l.Start)}
	}
	if !l.End.IsZero() {
		props["endDate"] = []string{ftmDate(l.End)}
	}
	if schema == "Payment" && l.Amount != "" {
		props["amount"] = []string{l.Amount}
	}
	if schema == "Payment" && l.Currency != "" {
		props["currency"] = []string{l.Currency}
	}
	return &FtMObject{ID: p.linkID(l), Schema: schema, Properties: props, Rastro: &FtMExtension{
		CaseID: p.caseID, LinkSchema: l.Schema, EvidenceID: l.EvidenceID,
		RecordID: l.RecordID, Locator: l.Locator, Origin: string(l.Origin),
	}}
}

// linkID is pseudonymous when the link touches a protected entity, whose ID
// a link ID derived from it could reveal.
func (p *exportPlan) linkID(l *rastro.Link) string {
	_, ps := p.protected[l.SourceID]
	_, pt := p.protected[l.TargetID]
	if ps || pt {
		return p.prefix + "p-" + pseudonym(p.key, "link", l.ID)
	}
	return safeID(p.prefix, "l-", "lh-", l.ID)
}

// ftmDate formats t as FtM's ISO 8601 date type, in UTC, to the day when
// the time of day is midnight.
func ftmDate(t time.Time) string {
	t = t.UTC()
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02T15:04:05")
}
