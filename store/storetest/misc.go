package storetest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rastro/rastro"
)

func testFindings(t *testing.T, f *fixture) {
	low := &rastro.Finding{CaseID: f.caseID, Kind: "money.fan_in", Title: "Many small payments", Severity: 2,
		Explanation: "12 senders in 3 days", EntityIDs: []string{"p1", "p2"}, StatementIDs: []int64{4, 5}}
	high := &rastro.Finding{CaseID: f.caseID, Kind: "hash.match", Title: "Known image hash", Severity: 5}
	must(t, f.db.CreateFinding(f.ctx, f.analyst, low))
	must(t, f.db.CreateFinding(f.ctx, f.analyst, high))
	list, err := f.db.Findings(f.ctx, f.inv, f.caseID)
	must(t, err)
	high.EntityIDs = []string{}
	if diff := cmp.Diff([]*rastro.Finding{high, low}, list); diff != "" {
		t.Errorf("Findings (-want +got):\n%s", diff)
	}
	must(t, f.db.SetTriage(f.ctx, f.inv, f.caseID, low.ID, rastro.TriageDismissed))
	list, err = f.db.Findings(f.ctx, f.inv, f.caseID)
	must(t, err)
	if list[1].Triage != rastro.TriageDismissed {
		t.Errorf("triage = %q, want dismissed", list[1].Triage)
	}
	wantCode(t, f.db.SetTriage(f.ctx, f.inv, f.caseID, 999, rastro.TriageConfirmed), rastro.ENOTFOUND)
	wantCode(t, f.db.SetTriage(f.ctx, f.inv, f.caseID, low.ID, "guilty"), rastro.EINVALID)
	wantCode(t, f.db.CreateFinding(f.ctx, f.inv, &rastro.Finding{CaseID: f.caseID, Kind: "k", Title: "t", Severity: 9}), rastro.EINVALID)
}

// testAuditAppendOnly checks that the database itself refuses to change or
// delete audit events, whatever code runs against it.
func testAuditAppendOnly(t *testing.T, f *fixture) {
	must(t, f.db.Audit(f.ctx, f.inv, &rastro.AuditEvent{Action: "export", CaseID: f.caseID, Object: "case", Details: "ftm"}))
	before := f.count(t, "audit_events")
	if _, err := f.db.SQL().ExecContext(f.ctx, `UPDATE audit_events SET username = 'someone else'`); err == nil {
		t.Error("UPDATE of audit_events succeeded; want it refused")
	}
	if _, err := f.db.SQL().ExecContext(f.ctx, `DELETE FROM audit_events`); err == nil {
		t.Error("DELETE from audit_events succeeded; want it refused")
	}
	if n := f.count(t, "audit_events"); n != before {
		t.Errorf("audit_events has %d rows, want %d", n, before)
	}
	var name string
	must(t, f.db.SQL().QueryRowContext(f.ctx, `SELECT username FROM audit_events WHERE action = 'export'`).Scan(&name))
	if name != "ines" {
		t.Errorf("export event username = %q, want ines", name)
	}
}

func testAuditEvents(t *testing.T, f *fixture) {
	for range 5 {
		must(t, f.db.Audit(f.ctx, f.inv, &rastro.AuditEvent{Action: "export", CaseID: f.caseID}))
	}
	must(t, f.db.Audit(f.ctx, f.analyst, &rastro.AuditEvent{Action: "export", CaseID: f.caseID, Purpose: "court"}))
	wantCode(t, f.db.Audit(f.ctx, f.inv, &rastro.AuditEvent{}), rastro.EINVALID)
	for _, actor := range []rastro.Actor{f.admin, f.inv, f.worker, f.provider} {
		_, err := f.db.AuditEvents(f.ctx, actor, rastro.AuditFilter{})
		wantCode(t, err, rastro.EFORBIDDEN)
	}
	page, err := f.db.AuditEvents(f.ctx, f.auditor, rastro.AuditFilter{Action: "export", Limit: 4})
	must(t, err)
	if len(page) != 4 || page[0].Username != "ana" || page[0].Purpose != "court" || page[0].ID < page[1].ID {
		t.Fatalf("first page = %+v", page)
	}
	rest, err := f.db.AuditEvents(f.ctx, f.auditor, rastro.AuditFilter{Action: "export", Before: page[3].ID})
	must(t, err)
	if len(rest) != 2 {
		t.Errorf("second page = %d, want 2", len(rest))
	}
	mine, err := f.db.AuditEvents(f.ctx, f.auditor, rastro.AuditFilter{UserID: f.analyst.UserID, CaseID: f.caseID})
	must(t, err)
	if len(mine) != 1 {
		t.Errorf("filter by user and case = %d, want 1", len(mine))
	}
}

func testReports(t *testing.T, f *fixture) {
	provAgency := &rastro.Agency{Name: "Plataforma Ficticia", Country: "US", Kind: rastro.AgencyProvider}
	must(t, f.db.CreateAgency(f.ctx, f.sys, provAgency))
	r := &rastro.ProviderReport{AgencyID: provAgency.ID, ExternalID: "TIP-1", Payload: []byte(`{"incident":"test"}`)}
	must(t, f.db.SubmitReport(f.ctx, f.provider, r))
	if r.SHA256 != hexHash(`{"incident":"test"}`) || r.SubmittedBy != f.provider.UserID {
		t.Errorf("submitted report = %+v", r)
	}
	dup := &rastro.ProviderReport{AgencyID: provAgency.ID, ExternalID: "TIP-1", Payload: []byte(`{}`)}
	wantCode(t, f.db.SubmitReport(f.ctx, f.provider, dup), rastro.ECONFLICT)
	wantCode(t, f.db.SubmitReport(f.ctx, f.provider, &rastro.ProviderReport{Payload: []byte("x"), SHA256: hexHash("y")}), rastro.EINVALID)
	wantCode(t, f.db.SubmitReport(f.ctx, f.provider, &rastro.ProviderReport{}), rastro.EINVALID)
	wantCode(t, f.db.SubmitReport(f.ctx, f.inv, &rastro.ProviderReport{Payload: []byte("x")}), rastro.EFORBIDDEN)
	list, err := f.db.Reports(f.ctx, f.inv)
	must(t, err)
	if diff := cmp.Diff([]*rastro.ProviderReport{r}, list); diff != "" {
		t.Errorf("Reports (-submitted +listed):\n%s", diff)
	}
	for _, actor := range []rastro.Actor{f.provider, f.analyst, f.auditor} {
		_, err := f.db.Reports(f.ctx, actor)
		wantCode(t, err, rastro.EFORBIDDEN)
	}
}
