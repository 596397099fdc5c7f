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
