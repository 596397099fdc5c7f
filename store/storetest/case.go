package storetest

import (
	"testing"

	"github.com/rastro/rastro"
)

func testCases(t *testing.T, f *fixture) {
	c, err := f.db.CaseByID(f.ctx, f.analyst, f.caseID)
	must(t, err)
	if c.Title != "Operación Ficticia" || c.Status != rastro.CaseOpen || c.AgencyID != f.agency.ID || c.CreatedBy != f.inv.UserID {
		t.Errorf("CaseByID = %+v", c)
	}
	m, err := f.db.Membership(f.ctx, f.inv, f.caseID)
	must(t, err)
	if m.Role != rastro.MemberLead {
		t.Errorf("creator's role = %q, want lead", m.Role)
	}
	// Admins are not members automatically; the system actor sees all.
	sysCase := &rastro.Case{AgencyID: f.agency.ID, Title: "Sistema", Jurisdiction: "ES"}
	must(t, f.db.CreateCase(f.ctx, f.sys, sysCase))
	for _, tt := range []struct {
		name  string
		actor rastro.Actor
		want  int
	}{
		{"lead", f.inv, 1},
		{"member", f.analyst, 1},
		{"outsider", f.outsider, 0},
		{"admin", f.admin, 0},
		{"system", f.sys, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			list, err := f.db.Cases(f.ctx, tt.actor)
			must(t, err)
			if len(list) != tt.want {
				t.Errorf("Cases = %d, want %d", len(list), tt.want)
			}
		})
	}
	_, err = f.db.Membership(f.ctx, f.admin, f.caseID)
	wantCode(t, err, rastro.ENOTFOUND)
	_, err = f.db.CaseByID(f.ctx, f.admin, f.caseID)
	wantCode(t, err, rastro.ENOTFOUND)
	_, err = f.db.CaseByID(f.ctx, f.inv, 9999)
	wantCode(t, err, rastro.ENOTFOUND)

	wantCode(t, f.db.CreateCase(f.ctx, f.auditor, &rastro.Case{Title: "x", Jurisdiction: "MX"}), rastro.EFORBIDDEN)
	wantCode(t, f.db.CreateCase(f.ctx, f.provider, &rastro.Case{Title: "x", Jurisdiction: "MX"}), rastro.EFORBIDDEN)
	for _, bad := range []rastro.Case{
		{Title: "", Jurisdiction: "MX"},
		{Title: "x", Jurisdiction: "Mexico"},
		{Title: "x", Jurisdiction: "MX", Status: "pending"},
		{Title: "x", Jurisdiction: "MX", AgencyID: 999},
	} {
		wantCode(t, f.db.CreateCase(f.ctx, f.inv, &bad), rastro.EINVALID)
	}
}

func testMembers(t *testing.T, f *fixture) {
	list, err := f.db.Members(f.ctx, f.analyst, f.caseID)
	must(t, err)
	if len(list) != 4 {
		t.Fatalf("Members = %d, want 4", len(list))
	}
	_, err = f.db.Members(f.ctx, f.outsider, f.caseID)
	wantCode(t, err, rastro.ENOTFOUND)
	// Admins manage membership without being members.
	_, err = f.db.Members(f.ctx, f.admin, f.caseID)
	must(t, err)
	must(t, f.db.AddMember(f.ctx, f.admin, &rastro.CaseMember{CaseID: f.caseID, UserID: f.outsider.UserID}))
	_, err = f.db.CaseByID(f.ctx, f.outsider, f.caseID)
	must(t, err)
	// A plain member may not add members; an outsider cannot see the case.
	wantCode(t, f.db.AddMember(f.ctx, f.analyst, &rastro.CaseMember{CaseID: f.caseID, UserID: f.admin.UserID}), rastro.EFORBIDDEN)
	wantCode(t, f.db.RemoveMember(f.ctx, f.analyst, f.caseID, f.outsider.UserID), rastro.EFORBIDDEN)
	must(t, f.db.RemoveMember(f.ctx, f.inv, f.caseID, f.outsider.UserID))
	wantCode(t, f.db.AddMember(f.ctx, f.outsider, &rastro.CaseMember{CaseID: f.caseID, UserID: f.outsider.UserID}), rastro.ENOTFOUND)
	_, err = f.db.CaseByID(f.ctx, f.outsider, f.caseID)
	wantCode(t, err, rastro.ENOTFOUND)
	wantCode(t, f.db.RemoveMember(f.ctx, f.inv, f.caseID, f.inv.UserID), rastro.ECONFLICT)
	wantCode(t, f.db.RemoveMember(f.ctx, f.inv, f.caseID, f.outsider.UserID), rastro.ENOTFOUND)
	wantCode(t, f.db.AddMember(f.ctx, f.inv, &rastro.CaseMember{CaseID: f.caseID, UserID: f.outsider.UserID, Role: "owner"}), rastro.EINVALID)
	wantCode(t, f.db.AddMember(f.ctx, f.inv, &rastro.CaseMember{CaseID: f.caseID, UserID: 999}), rastro.EINVALID)
	wantCode(t, f.db.AddMember(f.ctx, f.admin, &rastro.CaseMember{CaseID: 999, UserID: f.outsider.UserID}), rastro.ENOTFOUND)
	evs, err := f.db.AuditEvents(f.ctx, f.auditor, rastro.AuditFilter{CaseID: f.caseID, Action: "member_remove"})
	must(t, err)
	if len(evs) != 1 {
		t.Errorf("member_remove audit events = %d, want 1", len(evs))
	}
	// A disabled member loses access at once.
	u, err := f.db.UserByID(f.ctx, f.admin, f.analyst.UserID)
	must(t, err)
	u.Disabled = true
	must(t, f.db.UpdateUser(f.ctx, f.admin, u))
	_, err = f.db.CaseByID(f.ctx, f.analyst, f.caseID)
	wantCode(t, err, rastro.ENOTFOUND)
}

// testNonMember checks that every case-data read and write answers
// ENOTFOUND to a non-member, including admins.
func testNonMember(t *testing.T, f *fixture) {
	seedCase(t, f)
	for _, actor := range []rastro.Actor{f.outsider, f.admin} {
		for name, call := range caseCalls(f, f.caseID) {
			t.Run(actor.Username+"/"+name, func(t *testing.T) {
				wantCode(t, call(actor), rastro.ENOTFOUND)
			})
		}
	}
	// The same for a case that does not exist: nothing tells them apart.
	for name, call := range caseCalls(f, 9999) {
		t.Run("missing/"+name, func(t *testing.T) {
			wantCode(t, call(f.inv), rastro.ENOTFOUND)
		})
	}
}

// testRolePolicy checks members whose role lacks the permission: the auditor
// member may not read or write case data (EFORBIDDEN); the provider, never a
// member, gets ENOTFOUND.
func testRolePolicy(t *testing.T, f *fixture) {
	seedCase(t, f)
	for name, call := range caseCalls(f, f.caseID) {
		t.Run("auditor/"+name, func(t *testing.T) {
			wantCode(t, call(f.auditor), rastro.EFORBIDDEN)
		})
		t.Run("provider/"+name, func(t *testing.T) {
			wantCode(t, call(f.provider), rastro.ENOTFOUND)
		})
	}
	for name, call := range caseCalls(f, f.caseID) {
		t.Run("member/"+name, func(t *testing.T) {
			must(t, call(f.analyst))
		})
	}
}

// seedCase puts one evidence item, entity, link, finding and record in the
// fixture's case, with the IDs caseCalls uses.
func seedCase(t *testing.T, f *fixture) {
	t.Helper()
	ev := &rastro.Evidence{CaseID: f.caseID, SHA256: hexHash("chat"), Size: 4, OriginalName: "chat.txt"}
	_, err := f.db.CreateEvidence(f.ctx, f.inv, ev)
	must(t, err)
	must(t, f.db.CreateRecords(f.ctx, f.inv, f.caseID, []*rastro.Record{{EvidenceID: ev.ID, Kind: "message", Locator: "line:1", Text: "hola"}}))
	must(t, f.db.PutEntity(f.ctx, f.inv, person(f.caseID, "p1", "Persona Uno", rastro.CaseRoleSuspect)))
	must(t, f.db.PutEntity(f.ctx, f.inv, person(f.caseID, "p2", "Persona Dos", rastro.CaseRoleUnknown)))
	must(t, f.db.PutLinks(f.ctx, f.inv, f.caseID, []*rastro.Link{{ID: "l1", Schema: "Associate", SourceID: "p1", TargetID: "p2", Origin: rastro.OriginAnalyst}}))
	must(t, f.db.CreateFinding(f.ctx, f.inv, &rastro.Finding{CaseID: f.caseID, Kind: "test", Title: "t", Severity: 1, EntityIDs: []string{"p1"}}))
}

// caseCalls returns every case-data method, called on caseID with the IDs
// seedCase creates. Each write is harmless to repeat.
func caseCalls(f *fixture, caseID int64) map[string]func(rastro.Actor) error {
	ctx := f.ctx
	return map[string]func(rastro.Actor) error{
		"CaseByID":  func(a rastro.Actor) error { _, err := f.db.CaseByID(ctx, a, caseID); return err },
		"CaseStats": func(a rastro.Actor) error { _, err := f.db.CaseStats(ctx, a, caseID); return err },
		"CreateEvidence": func(a rastro.Actor) error {
			_, err := f.db.CreateEvidence(ctx, a, &rastro.Evidence{CaseID: caseID, SHA256: hexHash("chat"), Size: 4})
			return err
		},
		"EvidenceByID": func(a rastro.Actor) error { _, err := f.db.EvidenceByID(ctx, a, caseID, 1); return err },
		"EvidenceList": func(a rastro.Actor) error { _, err := f.db.EvidenceList(ctx, a, caseID); return err },
		"CreateRecords": func(a rastro.Actor) error {
			return f.db.CreateRecords(ctx, a, caseID, []*rastro.Record{{EvidenceID: 1, Kind: "message", Locator: "line:1", Text: "hola"}})
		},
		"RecordByID": func(a rastro.Actor) error { _, err := f.db.RecordByID(ctx, a, caseID, 1); return err },
		"ForEachRecord": func(a rastro.Actor) error {
			return f.db.ForEachRecord(ctx, a, caseID, func(*rastro.Record) error { return nil })
		},
		"PutEntity": func(a rastro.Actor) error {
			return f.db.PutEntity(ctx, a, person(caseID, "p1", "Persona Uno", rastro.CaseRoleSuspect))
		},
		"Entity": func(a rastro.Actor) error { _, err := f.db.Entity(ctx, a, caseID, "p1"); return err },
		"Entities": func(a rastro.Actor) error {
			_, _, err := f.db.Entities(ctx, a, caseID, rastro.EntityFilter{})
			return err
		},
		"ForEachEntity": func(a rastro.Actor) error {
			return f.db.ForEachEntity(ctx, a, caseID, func(*rastro.Entity) error { return nil })
		},
		"SetCaseRole": func(a rastro.Actor) error {
			return f.db.SetCaseRole(ctx, a, caseID, "p1", rastro.CaseRoleSuspect, rastro.LegalSuspected)
		},
		"PutLinks": func(a rastro.Actor) error {
			return f.db.PutLinks(ctx, a, caseID, []*rastro.Link{{ID: "l1", Schema: "Associate", SourceID: "p1", TargetID: "p2", Origin: rastro.OriginAnalyst}})
		},
		"Links":     func(a rastro.Actor) error { _, err := f.db.Links(ctx, a, caseID, ""); return err },
		"Statement": func(a rastro.Actor) error { _, err := f.db.Statement(ctx, a, caseID, 1); return err },
		"CreateFinding": func(a rastro.Actor) error {
			return f.db.CreateFinding(ctx, a, &rastro.Finding{CaseID: caseID, Kind: "test", Title: "t", Severity: 1})
		},
		"Findings":  func(a rastro.Actor) error { _, err := f.db.Findings(ctx, a, caseID); return err },
		"SetTriage": func(a rastro.Actor) error { return f.db.SetTriage(ctx, a, caseID, 1, rastro.TriageConfirmed) },
		"Jobs":      func(a rastro.Actor) error { _, err := f.db.Jobs(ctx, a, caseID); return err },
		"Enqueue": func(a rastro.Actor) error {
			return f.db.Enqueue(ctx, a, &rastro.Job{CaseID: caseID, Kind: "test.noop"})
		},
	}
}

func testCaseStats(t *testing.T, f *fixture) {
	seedCase(t, f)
	s, err := f.db.CaseStats(f.ctx, f.analyst, f.caseID)
	must(t, err)
	want := rastro.CaseStats{Evidence: 1, Entities: 2, Statements: 2, Links: 1, Findings: 1, Jobs: 1}
	if *s != want {
		t.Errorf("CaseStats = %+v, want %+v", *s, want)
	}
}
