package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rastro/rastro"
)

func testEvidence(t *testing.T, f *fixture) {
	ev := &rastro.Evidence{CaseID: f.caseID, SHA256: hexHash("phone"), Size: 1024, MediaType: "text/plain",
		OriginalName: "chat.txt", Source: "phone of person A", ExhibitNo: "EX-1", SourceTZ: "America/Mexico_City"}
	created, err := f.db.CreateEvidence(f.ctx, f.inv, ev)
	must(t, err)
	if !created || ev.ID == 0 || ev.AcquiredBy != f.inv.UserID {
		t.Fatalf("CreateEvidence: created=%v %+v", created, ev)
	}
	got, err := f.db.EvidenceByID(f.ctx, f.analyst, f.caseID, ev.ID)
	must(t, err)
	if diff := cmp.Diff(ev, got); diff != "" {
		t.Errorf("EvidenceByID (-created +read):\n%s", diff)
	}
	// Same bytes again: the stored item comes back, no new row, no new job.
	again := &rastro.Evidence{CaseID: f.caseID, SHA256: ev.SHA256, Size: 1024, OriginalName: "copy.txt"}
	created, err = f.db.CreateEvidence(f.ctx, f.analyst, again)
	must(t, err)
	if created || again.ID != ev.ID || again.OriginalName != "chat.txt" {
		t.Errorf("re-intake: created=%v id=%d name=%q, want false %d chat.txt", created, again.ID, again.OriginalName, ev.ID)
	}
	jobs, err := f.db.Jobs(f.ctx, f.analyst, f.caseID)
	must(t, err)
	if len(jobs) != 1 || jobs[0].Kind != "evidence.parse" || jobs[0].State != rastro.JobQueued {
		t.Fatalf("jobs after intake = %+v, want one queued evidence.parse", jobs)
	}
	var payload struct {
		EvidenceID int64 `json:"evidence_id"`
	}
	must(t, json.Unmarshal(jobs[0].Payload, &payload))
	if payload.EvidenceID != ev.ID {
		t.Errorf("job payload = %s, want evidence_id %d", jobs[0].Payload, ev.ID)
	}
	child := &rastro.Evidence{CaseID: f.caseID, SHA256: hexHash("photo"), Size: 10, ParentID: ev.ID}
	_, err = f.db.CreateEvidence(f.ctx, f.inv, child)
	must(t, err)
	list, err := f.db.EvidenceList(f.ctx, f.inv, f.caseID)
	must(t, err)
	if len(list) != 2 || list[1].ParentID != ev.ID {
		t.Errorf("EvidenceList = %d items, want 2 with the child's parent set", len(list))
	}
	_, err = f.db.EvidenceByID(f.ctx, f.inv, f.caseID, 999)
	wantCode(t, err, rastro.ENOTFOUND)
	for _, bad := range []rastro.Evidence{
		{CaseID: f.caseID, SHA256: "abc"},
		{CaseID: f.caseID, SHA256: hexHash("x"), Size: -1},
		{CaseID: f.caseID, SHA256: hexHash("x"), MD5: "zz"},
		{CaseID: f.caseID, SHA256: hexHash("x"), ParentID: 999},
	} {
		_, err := f.db.CreateEvidence(f.ctx, f.inv, &bad)
		wantCode(t, err, rastro.EINVALID)
	}
	if n := f.count(t, "jobs"); n != 2 {
		t.Errorf("%d jobs, want 2 (one per new item, none for rejected ones)", n)
	}
}

func testRecords(t *testing.T, f *fixture) {
	ev := &rastro.Evidence{CaseID: f.caseID, SHA256: hexHash("chat"), Size: 4}
	_, err := f.db.CreateEvidence(f.ctx, f.inv, ev)
	must(t, err)
	recs := []*rastro.Record{
		{EvidenceID: ev.ID, Kind: "message", Locator: "line:1", Time: f.clock.t, Text: "hola"},
		{EvidenceID: ev.ID, Kind: "message", Locator: "line:2", Text: "adiós"},
	}
	must(t, f.db.CreateRecords(f.ctx, f.inv, f.caseID, recs))
	got, err := f.db.RecordByID(f.ctx, f.analyst, f.caseID, recs[0].ID)
	must(t, err)
	if diff := cmp.Diff(recs[0], got); diff != "" {
		t.Errorf("RecordByID (-created +read):\n%s", diff)
	}
	var all []*rastro.Record
	must(t, f.db.ForEachRecord(f.ctx, f.analyst, f.caseID, func(r *rastro.Record) error {
		all = append(all, r)
		return nil
	}))
	if diff := cmp.Diff(recs, all); diff != "" {
		t.Errorf("ForEachRecord (-created +streamed):\n%s", diff)
	}
	// Re-parsing keeps the IDs and adds nothing.
	again := []*rastro.Record{{EvidenceID: ev.ID, Kind: "message", Locator: "line:2", Text: "adiós"}}
	must(t, f.db.CreateRecords(f.ctx, f.inv, f.caseID, again))
	if again[0].ID != recs[1].ID || f.count(t, "records") != 2 {
		t.Errorf("re-parse: id %d (want %d), %d rows", again[0].ID, recs[1].ID, f.count(t, "records"))
	}
	// A record of another case's evidence is refused, and nothing is stored.
	other := &rastro.Case{Title: "Otro", Jurisdiction: "ES"}
	must(t, f.db.CreateCase(f.ctx, f.inv, other))
	bad := []*rastro.Record{{EvidenceID: ev.ID, Kind: "message", Locator: "line:9"}}
	wantCode(t, f.db.CreateRecords(f.ctx, f.inv, other.ID, bad), rastro.EINVALID)
	wantCode(t, f.db.CreateRecords(f.ctx, f.inv, f.caseID, []*rastro.Record{{EvidenceID: ev.ID}}), rastro.EINVALID)
}

func testPutEntityIdempotent(t *testing.T, f *fixture) {
	mk := func() *rastro.Entity {
		e := person(f.caseID, "p1", "Persona Uno", rastro.CaseRoleSuspect)
		e.Statements = append(e.Statements,
			&rastro.Statement{Prop: "phone", Value: "+52 55 0000 0001", Normalized: "+525500000001", Origin: rastro.OriginExtractor, Confidence: 0.9, Locator: "line:3"},
			&rastro.Statement{Prop: "phone", Value: "+52 55 0000 0001", Normalized: "+525500000001", Origin: rastro.OriginExtractor, Confidence: 0.9, Locator: "line:7"})
		return e
	}
	first := mk()
	must(t, f.db.PutEntity(f.ctx, f.inv, first))
	second := mk()
	must(t, f.db.PutEntity(f.ctx, f.inv, second))
	got, err := f.db.Entity(f.ctx, f.analyst, f.caseID, "p1")
	must(t, err)
	if len(got.Statements) != 3 {
		t.Fatalf("statements after putting twice = %d, want 3 (same fact at two places counts twice)", len(got.Statements))
	}
	for i := range first.Statements {
		if first.Statements[i].ID != second.Statements[i].ID || first.Statements[i].ID == 0 {
			t.Errorf("statement %d: ids %d and %d, want the same stored row", i, first.Statements[i].ID, second.Statements[i].ID)
		}
	}
	if diff := cmp.Diff(first.Statements, got.Statements); diff != "" {
		t.Errorf("statements (-put +read):\n%s", diff)
	}
	st, err := f.db.Statement(f.ctx, f.analyst, f.caseID, first.Statements[1].ID)
	must(t, err)
	if st.Locator != "line:3" || st.EntityID != "p1" {
		t.Errorf("Statement = %+v", st)
	}
	_, err = f.db.Statement(f.ctx, f.analyst, f.caseID, 999)
	wantCode(t, err, rastro.ENOTFOUND)
	_, err = f.db.Entity(f.ctx, f.analyst, f.caseID, "nobody")
	wantCode(t, err, rastro.ENOTFOUND)
	for _, tt := range []struct {
		name string
		e    *rastro.Entity
	}{
		{"no id", &rastro.Entity{CaseID: f.caseID, Schema: "Person"}},
		{"no schema", &rastro.Entity{CaseID: f.caseID, ID: "x"}},
		{"unknown case role", &rastro.Entity{CaseID: f.caseID, ID: "x", Schema: "Person", CaseRole: "villain"}},
		{"unknown legal status", &rastro.Entity{CaseID: f.caseID, ID: "x", Schema: "Person", LegalStatus: "guilty"}},
		{"empty statement value", &rastro.Entity{CaseID: f.caseID, ID: "x", Schema: "Person",
			Statements: []*rastro.Statement{{Prop: "name", Origin: rastro.OriginAnalyst}}}},
		{"unknown origin", &rastro.Entity{CaseID: f.caseID, ID: "x", Schema: "Person",
			Statements: []*rastro.Statement{{Prop: "name", Value: "X", Origin: "rumour"}}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, f.db.PutEntity(f.ctx, f.inv, tt.e), rastro.EINVALID)
		})
	}
}

// testPutEntityKeepsRole checks that re-ingesting cannot change a recorded
// case role: only SetCaseRole (audited) can.
func testPutEntityKeepsRole(t *testing.T, f *fixture) {
	must(t, f.db.PutEntity(f.ctx, f.worker, person(f.caseID, "v1", "Persona V", rastro.CaseRoleUnknown)))
	must(t, f.db.PutEntity(f.ctx, f.worker, person(f.caseID, "v1", "Persona V", rastro.CaseRolePossibleVictim)))
	e := person(f.caseID, "v1", "Persona V.", rastro.CaseRoleSuspect)
	must(t, f.db.PutEntity(f.ctx, f.inv, e))
	if e.CaseRole != rastro.CaseRolePossibleVictim {
		t.Errorf("PutEntity reports role %q, want the stored possible_victim", e.CaseRole)
	}
	got, err := f.db.Entity(f.ctx, f.worker, f.caseID, "v1")
	must(t, err)
	if got.CaseRole != rastro.CaseRolePossibleVictim || got.Caption != "Persona V." {
		t.Errorf("after re-put as suspect: role %q caption %q, want possible_victim and the new caption", got.CaseRole, got.Caption)
	}
}

func testPutEntityRollback(t *testing.T, f *fixture) {
	e := person(f.caseID, "p1", "Persona Uno", rastro.CaseRoleSuspect)
	e.Statements = append(e.Statements,
		&rastro.Statement{Prop: "phone", Value: "+52 1", Origin: rastro.OriginParser, EvidenceID: 999, Locator: "line:1"},
		&rastro.Statement{Prop: "email", Value: "uno@example.org", Origin: rastro.OriginParser})
	wantCode(t, f.db.PutEntity(f.ctx, f.inv, e), rastro.EINVALID)
	for _, table := range []string{"entities", "statements"} {
		if n := f.count(t, table); n != 0 {
			t.Errorf("%d rows in %s after a failed PutEntity, want 0", n, table)
		}
	}
	_, err := f.db.Entity(f.ctx, f.inv, f.caseID, "p1")
	wantCode(t, err, rastro.ENOTFOUND)
}

func testPutEntities(t *testing.T, f *fixture) {
	good := person(f.caseID, "p1", "Persona Uno", rastro.CaseRoleSuspect)
	bad := person(f.caseID, "p2", "Persona Dos", rastro.CaseRoleUnknown)
	bad.Statements = append(bad.Statements, &rastro.Statement{Prop: "phone", Value: "+52 1", Origin: rastro.OriginParser, EvidenceID: 999, Locator: "line:1"})
	wantCode(t, f.db.PutEntities(f.ctx, f.inv, []*rastro.Entity{good, bad}), rastro.EINVALID)
	if n := f.count(t, "entities"); n != 0 {
		t.Errorf("%d entities after a failed PutEntities, want none: all or nothing", n)
	}
	other := person(f.caseID+1000, "p3", "Persona Tres", rastro.CaseRoleUnknown)
	wantCode(t, f.db.PutEntities(f.ctx, f.inv, []*rastro.Entity{good, other}), rastro.EINVALID)
	bad.Statements = bad.Statements[:len(bad.Statements)-1]
	must(t, f.db.PutEntities(f.ctx, f.inv, []*rastro.Entity{good, bad}))
	if n := f.count(t, "entities"); n != 2 {
		t.Errorf("%d entities after PutEntities of two, want 2", n)
	}
	wantCode(t, f.db.PutEntities(f.ctx, f.outsider, []*rastro.Entity{good}), rastro.ENOTFOUND)
}

func testEntitySearch(t *testing.T, f *fixture) {
	must(t, f.db.PutEntity(f.ctx, f.inv, person(f.caseID, "p1", "María López", rastro.CaseRoleSuspect)))
	must(t, f.db.PutEntity(f.ctx, f.inv, person(f.caseID, "p2", "Juan Pérez", rastro.CaseRoleWitness)))
	must(t, f.db.PutEntity(f.ctx, f.worker, person(f.caseID, "p3", "Lucía Ramos", rastro.CaseRolePossibleVictim)))
	acct := &rastro.Entity{CaseID: f.caseID, ID: "a1", Schema: "UserAccount", Caption: "@mlopez_50%",
		Statements: []*rastro.Statement{{Prop: "email", Value: "MARIA@example.org", Origin: rastro.OriginParser}}}
	must(t, f.db.PutEntity(f.ctx, f.inv, acct))
	for i := range 3 {
		must(t, f.db.PutEntity(f.ctx, f.inv, person(f.caseID, fmt.Sprintf("z%d", i), fmt.Sprintf("Zeta %d", i), "")))
	}
	for _, tt := range []struct {
		name  string
		f     rastro.EntityFilter
		want  []string
		total int
	}{
		// The analyst cannot open the victims' compartment: the possible
		// victim p3 comes last, under her pseudonym, not by her name.
		{"all by caption", rastro.EntityFilter{Limit: 3}, []string{"a1", "p2", "p1"}, 7},
		{"second page", rastro.EntityFilter{Limit: 4, Offset: 3}, []string{"z0", "z1", "z2", "p3"}, 7},
		{"caption substring any case", rastro.EntityFilter{Query: "lópez"}, []string{"p1"}, 1},
		{"statement value", rastro.EntityFilter{Query: "maria@"}, []string{"a1"}, 1},
		{"percent is literal", rastro.EntityFilter{Query: "50%"}, []string{"a1"}, 1},
		{"underscore is literal", rastro.EntityFilter{Query: "a_0"}, []string{}, 0},
		{"schema", rastro.EntityFilter{Schema: "UserAccount"}, []string{"a1"}, 1},
		{"role", rastro.EntityFilter{Role: rastro.CaseRolePossibleVictim}, []string{"p3"}, 1},
		{"query and schema", rastro.EntityFilter{Query: "zeta", Schema: "Person", Limit: 2}, []string{"z0", "z1"}, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			list, total, err := f.db.Entities(f.ctx, f.analyst, f.caseID, tt.f)
			must(t, err)
			ids := []string{}
			for _, e := range list {
				ids = append(ids, e.ID)
				if len(e.Statements) != 0 {
					t.Errorf("entity %s listed with statements", e.ID)
				}
			}
			if !cmp.Equal(ids, tt.want) || total != tt.total {
				t.Errorf("Entities(%+v) = %v total %d, want %v total %d", tt.f, ids, total, tt.want, tt.total)
			}
		})
	}
}

func testForEachEntity(t *testing.T, f *fixture) {
	for _, id := range []string{"c", "a", "b"} {
		e := person(f.caseID, id, "Name "+id, "")
		e.Statements = append(e.Statements, &rastro.Statement{Prop: "alias", Value: "alias " + id, Origin: rastro.OriginAnalyst})
		must(t, f.db.PutEntity(f.ctx, f.inv, e))
	}
	var ids []string
	err := f.db.ForEachEntity(f.ctx, f.analyst, f.caseID, func(e *rastro.Entity) error {
		ids = append(ids, e.ID)
		if len(e.Statements) != 2 || e.Statements[0].EntityID != e.ID {
			t.Errorf("entity %s streamed with %d statements, want 2 of its own", e.ID, len(e.Statements))
		}
		return nil
	})
	must(t, err)
	if !cmp.Equal(ids, []string{"a", "b", "c"}) {
		t.Errorf("ForEachEntity order = %v, want a b c", ids)
	}
	stop := errors.New("stop")
	n := 0
	err = f.db.ForEachEntity(f.ctx, f.analyst, f.caseID, func(*rastro.Entity) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("ForEachEntity with failing fn: err=%v after %d calls, want stop after 1", err, n)
	}
}

func testVictimViewAudited(t *testing.T, f *fixture) {
	must(t, f.db.PutEntity(f.ctx, f.worker, person(f.caseID, "v1", "Persona Protegida", rastro.CaseRoleVictim)))
	must(t, f.db.PutEntity(f.ctx, f.inv, person(f.caseID, "s1", "Persona Sospechosa", rastro.CaseRoleSuspect)))
	worker := f.worker
	worker.Purpose = "referral to shelter"
	e, err := f.db.Entity(f.ctx, worker, f.caseID, "v1")
	must(t, err)
	if len(e.Statements) != 1 {
		t.Errorf("victim entity has %d statements, want 1", len(e.Statements))
	}
	_, err = f.db.Entity(f.ctx, f.inv, f.caseID, "s1")
	must(t, err)
	evs, err := f.db.AuditEvents(f.ctx, f.auditor, rastro.AuditFilter{Action: "view_victim"})
	must(t, err)
	want := []*rastro.AuditEvent{{ID: evs[0].ID, Time: f.clock.t, UserID: f.worker.UserID, Username: "carla",
		Action: "view_victim", CaseID: f.caseID, Object: "entity:v1", Purpose: "referral to shelter"}}
	if diff := cmp.Diff(want, evs); diff != "" {
		t.Errorf("view_victim events (-want +got):\n%s", diff)
	}
	// A refused read leaves no trace of the victim's data and no event.
	_, err = f.db.Entity(f.ctx, f.outsider, f.caseID, "v1")
	wantCode(t, err, rastro.ENOTFOUND)
	evs, err = f.db.AuditEvents(f.ctx, f.auditor, rastro.AuditFilter{Action: "view_victim"})
	must(t, err)
	if len(evs) != 1 {
		t.Errorf("%d view_victim events, want 1", len(evs))
	}
}

func testSetCaseRole(t *testing.T, f *fixture) {
	must(t, f.db.PutEntity(f.ctx, f.worker, person(f.caseID, "v1", "Persona V", rastro.CaseRolePossibleVictim)))
	// Turning a possible victim into a suspect needs the lead's override,
	// whatever purpose is stated.
	inv := f.inv
	inv.Purpose = "prosecutor's instruction 12/2026"
	wantCode(t, f.db.SetCaseRole(f.ctx, inv, f.caseID, "v1", rastro.CaseRoleSuspect, rastro.LegalSuspected), rastro.EFORBIDDEN)
	reason := "prosecutor's instruction 12/2026: recruiter since 2025"
	wantCode(t, f.db.SetCaseRoleWithOverride(f.ctx, f.analyst, f.caseID, "v1", rastro.CaseRoleSuspect, rastro.LegalSuspected, reason), rastro.EFORBIDDEN)
	wantCode(t, f.db.SetCaseRoleWithOverride(f.ctx, f.inv, f.caseID, "v1", rastro.CaseRoleSuspect, rastro.LegalSuspected, "because"), rastro.EINVALID)
	must(t, f.db.SetCaseRoleWithOverride(f.ctx, f.inv, f.caseID, "v1", rastro.CaseRoleSuspect, rastro.LegalSuspected, reason))
	e, err := f.db.Entity(f.ctx, f.inv, f.caseID, "v1")
	must(t, err)
	if e.CaseRole != rastro.CaseRoleSuspect || e.LegalStatus != rastro.LegalSuspected {
		t.Errorf("after SetCaseRole: %q %q", e.CaseRole, e.LegalStatus)
	}
	evs, err := f.db.AuditEvents(f.ctx, f.auditor, rastro.AuditFilter{Action: "case_role_change"})
	must(t, err)
	if len(evs) != 1 || evs[0].Purpose != reason || evs[0].Object != "entity:v1" ||
		evs[0].Details != "possible_victim/ -> suspect/suspected" {
		t.Errorf("case_role_change events = %+v", evs)
	}
	evs, err = f.db.AuditEvents(f.ctx, f.auditor, rastro.AuditFilter{Action: "victim_subject_override"})
	must(t, err)
	if len(evs) != 1 || evs[0].Purpose != reason || evs[0].Username != "ines" || evs[0].Object != "entity:v1" {
		t.Errorf("victim_subject_override events = %+v", evs)
	}
	// Other changes away from victim need a stated purpose only.
	must(t, f.db.PutEntity(f.ctx, f.worker, person(f.caseID, "v2", "Persona W", rastro.CaseRoleVictim)))
	wantCode(t, f.db.SetCaseRole(f.ctx, f.inv, f.caseID, "v2", rastro.CaseRoleWitness, ""), rastro.EINVALID)
	must(t, f.db.SetCaseRole(f.ctx, inv, f.caseID, "v2", rastro.CaseRoleWitness, ""))
	wantCode(t, f.db.SetCaseRole(f.ctx, f.inv, f.caseID, "v1", "villain", ""), rastro.EINVALID)
	wantCode(t, f.db.SetCaseRole(f.ctx, f.inv, f.caseID, "nobody", rastro.CaseRoleSuspect, ""), rastro.ENOTFOUND)
}

func testLinks(t *testing.T, f *fixture) {
	must(t, f.db.PutEntity(f.ctx, f.inv, person(f.caseID, "p1", "Uno", rastro.CaseRoleSuspect)))
	must(t, f.db.PutEntity(f.ctx, f.inv, person(f.caseID, "p2", "Dos", "")))
	must(t, f.db.PutEntity(f.ctx, f.inv, person(f.caseID, "p3", "Tres", "")))
	pay := &rastro.Link{ID: "pay1", Schema: "Payment", SourceID: "p1", TargetID: "p2", Start: f.clock.t,
		Amount: "1500.00", Currency: "MXN", Origin: rastro.OriginParser, Locator: "row:4", Description: "HOSPEDAJE HOTEL OASIS 3 HABITACIONES"}
	assoc := &rastro.Link{ID: "as1", Schema: "Associate", SourceID: "p2", TargetID: "p3", Origin: rastro.OriginAnalyst}
	must(t, f.db.PutLinks(f.ctx, f.inv, f.caseID, []*rastro.Link{pay, assoc}))
	must(t, f.db.PutLinks(f.ctx, f.inv, f.caseID, []*rastro.Link{pay}))
	all, err := f.db.Links(f.ctx, f.analyst, f.caseID, "")
	must(t, err)
	if len(all) != 2 {
		t.Fatalf("Links = %d, want 2", len(all))
	}
	if diff := cmp.Diff(pay, all[1]); diff != "" {
		t.Errorf("payment link (-put +read):\n%s", diff)
	}
	p1, err := f.db.Links(f.ctx, f.analyst, f.caseID, "p1")
	must(t, err)
	if len(p1) != 1 || p1[0].ID != "pay1" {
		t.Errorf("Links(p1) = %v", p1)
	}
	dangling := &rastro.Link{ID: "x", Schema: "Associate", SourceID: "p1", TargetID: "ghost", Origin: rastro.OriginAnalyst}
	wantCode(t, f.db.PutLinks(f.ctx, f.inv, f.caseID, []*rastro.Link{assoc, dangling}), rastro.EINVALID)
	wantCode(t, f.db.PutLinks(f.ctx, f.inv, f.caseID, []*rastro.Link{{ID: "y", Schema: "Associate", SourceID: "p1", TargetID: "p2"}}), rastro.EINVALID)
}
