package storetest

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/store"
)

// testMoneyPresets saves case and agency presets, reads them back through
// the case, replaces one by name, and checks who may do what.
func testMoneyPresets(t *testing.T, f *fixture) {
	mapping := json.RawMessage(`{"name":"bank x","delimiter":";","date_layout":"02/01/2006","columns":{"date":"Fecha","amount":"Monto"}}`)
	casePreset := &rastro.MoneyPreset{CaseID: f.caseID, Name: "Bank X", Format: "statement", Mapping: mapping, Account: "GT00FICTICIO01"}
	must(t, f.db.SaveMoneyPreset(f.ctx, f.analyst, f.caseID, casePreset))
	agencyPreset := &rastro.MoneyPreset{Name: "AMLworld", Format: "amlworld"}
	must(t, f.db.SaveMoneyPreset(f.ctx, f.inv, f.caseID, agencyPreset))
	got, err := f.db.MoneyPresets(f.ctx, f.worker, f.caseID)
	must(t, err)
	want := []*rastro.MoneyPreset{
		{ID: agencyPreset.ID, AgencyID: f.agency.ID, Name: "AMLworld", Format: "amlworld", CreatedBy: f.inv.UserID, CreatedAt: f.clock.now()},
		{ID: casePreset.ID, AgencyID: f.agency.ID, CaseID: f.caseID, Name: "Bank X", Format: "statement", Mapping: mapping,
			Account: "GT00FICTICIO01", CreatedBy: f.analyst.UserID, CreatedAt: f.clock.now()},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("presets (-want +got):\n%s", d)
	}
	// Saving again under the same name and scope replaces.
	again := &rastro.MoneyPreset{CaseID: f.caseID, Name: "Bank X", Format: "statement", Mapping: mapping, Account: "GT00FICTICIO02"}
	must(t, f.db.SaveMoneyPreset(f.ctx, f.analyst, f.caseID, again))
	got, err = f.db.MoneyPresets(f.ctx, f.analyst, f.caseID)
	must(t, err)
	if len(got) != 2 || got[1].Account != "GT00FICTICIO02" {
		t.Errorf("after replacing: %+v", got)
	}
	// A second case of the agency sees the agency preset only.
	other := &rastro.Case{Title: "Otro caso", Jurisdiction: "MX"}
	must(t, f.db.CreateCase(f.ctx, f.outsider, other))
	got, err = f.db.MoneyPresets(f.ctx, f.outsider, other.ID)
	must(t, err)
	if len(got) != 1 || got[0].Name != "AMLworld" {
		t.Errorf("other case sees %+v", got)
	}
	if n := len(auditActions(t, f, store.AuditMoneyPresetSave)); n != 3 {
		t.Errorf("%d %s audit events, want 3", n, store.AuditMoneyPresetSave)
	}
	t.Run("denied", func(t *testing.T) {
		_, err := f.db.MoneyPresets(f.ctx, f.outsider, f.caseID)
		wantCode(t, err, rastro.ENOTFOUND)
		err = f.db.SaveMoneyPreset(f.ctx, f.auditor, f.caseID, &rastro.MoneyPreset{Name: "x", Format: "amlsim"})
		wantCode(t, err, rastro.EFORBIDDEN)
		err = f.db.SaveMoneyPreset(f.ctx, f.outsider, f.caseID, &rastro.MoneyPreset{Name: "x", Format: "amlsim"})
		wantCode(t, err, rastro.ENOTFOUND)
	})
	t.Run("invalid", func(t *testing.T) {
		for _, p := range []*rastro.MoneyPreset{
			{Name: " ", Format: "amlsim"},
			{Name: "no format"},
			{Name: "bad json", Mapping: json.RawMessage(`{`)},
			{Name: "other case", CaseID: f.caseID + 100, Format: "amlsim"},
		} {
			wantCode(t, f.db.SaveMoneyPreset(f.ctx, f.analyst, f.caseID, p), rastro.EINVALID)
		}
	})
}

// auditActions lists the audit events of an action.
func auditActions(t *testing.T, f *fixture, action string) []*rastro.AuditEvent {
	t.Helper()
	evs, err := f.db.AuditEvents(f.ctx, f.sys, rastro.AuditFilter{Action: action})
	must(t, err)
	return evs
}

// testMoneyLinks reads a case's payments and holders without its other
// links, for members only.
func testMoneyLinks(t *testing.T, f *fixture) {
	for _, id := range []string{"p1", "acc1", "acc2"} {
		must(t, f.db.PutEntity(f.ctx, f.inv, person(f.caseID, id, "Ficticio "+id, "")))
	}
	pay := &rastro.Link{ID: "pay1", Schema: "Payment", SourceID: "acc1", TargetID: "acc2", Start: f.clock.t,
		Amount: "12.50", Currency: "GTQ", Origin: rastro.OriginImport, Locator: "line:2"}
	own := &rastro.Link{ID: "own1", Schema: "Ownership", SourceID: "p1", TargetID: "acc1", Origin: rastro.OriginImport}
	msg := &rastro.Link{ID: "msg1", Schema: "Message", SourceID: "p1", TargetID: "acc2", Origin: rastro.OriginParser}
	must(t, f.db.PutLinks(f.ctx, f.inv, f.caseID, []*rastro.Link{pay, own, msg}))
	for _, tc := range []struct {
		entity string
		want   []*rastro.Link
	}{{"", []*rastro.Link{own, pay}}, {"acc1", []*rastro.Link{own, pay}}, {"acc2", []*rastro.Link{pay}}, {"p1", []*rastro.Link{own}}} {
		got, err := f.db.MoneyLinks(f.ctx, f.analyst, f.caseID, tc.entity)
		must(t, err)
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("money links of %q (-want +got):\n%s", tc.entity, d)
		}
	}
	_, err := f.db.MoneyLinks(f.ctx, f.outsider, f.caseID, "")
	wantCode(t, err, rastro.ENOTFOUND)
}
