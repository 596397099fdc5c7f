package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/store"
)

// screeningTests are the screening service's subtests, run by Run.
var screeningTests = []struct {
	name string
	fn   func(t *testing.T, f *fixture)
}{
	{"ScreeningAccess", testScreeningAccess},
	{"ScreeningDraftResume", testScreeningDraftResume},
	{"ScreeningVictimsOnly", testScreeningVictimsOnly},
	{"ReferralConsent", testReferralConsent},
	{"ReferralUpdate", testReferralUpdate},
}

// runScreening runs the screening subtests on fresh stores.
func runScreening(t *testing.T, open func(t *testing.T) *store.DB) {
	for _, tt := range screeningTests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, newFixture(t, open(t)))
		})
	}
}

// victimFixture adds a possible victim and a suspect to the fixture's case.
func (f *fixture) victimFixture(t *testing.T) (victim, suspect string) {
	t.Helper()
	must(t, f.db.PutEntity(f.ctx, f.sys, person(f.caseID, "v-1", "Lucía Ficticia", rastro.CaseRolePossibleVictim)))
	must(t, f.db.PutEntity(f.ctx, f.sys, person(f.caseID, "s-1", "Mario Ficticio", rastro.CaseRoleSuspect)))
	return "v-1", "s-1"
}

// auditCount counts audit events with the action, read directly.
func (f *fixture) auditCount(t *testing.T, action string) int {
	t.Helper()
	var n int
	must(t, f.db.SQL().QueryRowContext(f.ctx, `SELECT COUNT(*) FROM audit_events WHERE action = $1`, action).Scan(&n))
	return n
}

func newScreening(caseID int64, entityID string) *rastro.Screening {
	return &rastro.Screening{CaseID: caseID, EntityID: entityID, Status: rastro.ScreeningDraft,
		Interview: json.RawMessage(`{"answers":{"q1":"yes"}}`)}
}

func testScreeningAccess(t *testing.T, f *fixture) {
	victim, _ := f.victimFixture(t)
	s := newScreening(f.caseID, victim)
	must(t, f.db.CreateScreening(f.ctx, f.worker, s))
	if s.ID == 0 || s.CreatedBy != f.worker.UserID {
		t.Fatalf("created screening = %+v", s)
	}
	tests := []struct {
		name  string
		actor rastro.Actor
		code  string
	}{
		{"caseworker", f.worker, ""},
		{"analyst member", f.analyst, rastro.EFORBIDDEN},
		{"lead investigator", f.inv, rastro.EFORBIDDEN},
		{"auditor member", f.auditor, rastro.EFORBIDDEN},
		{"outsider", f.outsider, rastro.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.auditCount(t, store.AuditScreeningView)
			_, err := f.db.Screening(f.ctx, tt.actor, f.caseID, s.ID)
			_, errList := f.db.Screenings(f.ctx, tt.actor, f.caseID, victim)
			errCreate := f.db.CreateScreening(f.ctx, tt.actor, newScreening(f.caseID, victim))
			_, errRef := f.db.Referrals(f.ctx, tt.actor, f.caseID, victim)
			for _, e := range []error{err, errList, errCreate, errRef} {
				wantCode(t, e, tt.code)
			}
			want := before
			if tt.code == "" {
				want += 2
			}
			if got := f.auditCount(t, store.AuditScreeningView); got != want {
				t.Errorf("screening_view events = %d, want %d", got, want)
			}
		})
	}
}

func testScreeningDraftResume(t *testing.T, f *fixture) {
	victim, _ := f.victimFixture(t)
	s := newScreening(f.caseID, victim)
	must(t, f.db.CreateScreening(f.ctx, f.worker, s))
	f.clock.advance(time.Hour)
	got, err := f.db.Screening(f.ctx, f.worker, f.caseID, s.ID)
	must(t, err)
	if got.Status != rastro.ScreeningDraft || string(got.Interview) != string(s.Interview) || len(got.Result) != 0 {
		t.Fatalf("resumed draft = %+v", got)
	}
	got.Interview = json.RawMessage(`{"answers":{"q1":"yes","q2":"no"}}`)
	got.Status, got.Result = rastro.ScreeningFinal, json.RawMessage(`{"present":true}`)
	must(t, f.db.SaveScreening(f.ctx, f.worker, got))
	again, err := f.db.Screening(f.ctx, f.worker, f.caseID, s.ID)
	must(t, err)
	if again.Status != rastro.ScreeningFinal || string(again.Result) != `{"present":true}` ||
		!again.UpdatedAt.Equal(f.clock.now()) || !again.CreatedAt.Equal(s.CreatedAt) {
		t.Errorf("saved screening = %+v", again)
	}
	if n := f.auditCount(t, store.AuditScreeningSave); n != 2 {
		t.Errorf("screening_save events = %d, want 2", n)
	}
	list, err := f.db.Screenings(f.ctx, f.worker, f.caseID, victim)
	must(t, err)
	if len(list) != 1 || list[0].ID != s.ID {
		t.Errorf("screenings = %+v", list)
	}
	got.Status = "maybe"
	wantCode(t, f.db.SaveScreening(f.ctx, f.worker, got), rastro.EINVALID)
	wantCode(t, f.db.SaveScreening(f.ctx, f.analyst, again), rastro.EFORBIDDEN)
}

func testScreeningVictimsOnly(t *testing.T, f *fixture) {
	_, suspect := f.victimFixture(t)
	wantCode(t, f.db.CreateScreening(f.ctx, f.worker, newScreening(f.caseID, suspect)), rastro.EINVALID)
	wantCode(t, f.db.CreateScreening(f.ctx, f.worker, newScreening(f.caseID, "nobody")), rastro.ENOTFOUND)
	if n := f.count(t, "screenings"); n != 0 {
		t.Errorf("%d screenings stored", n)
	}
}

// newReferral is a referral with written consent.
func newReferral(f *fixture, entityID string) *rastro.Referral {
	return &rastro.Referral{CaseID: f.caseID, EntityID: entityID, Service: rastro.ServiceShelter, Provider: "Casa Refugio Ficticia",
		Consent: rastro.Consent{Given: true, Date: f.clock.now(), Form: rastro.ConsentWritten, By: "carla"}}
}

func testReferralConsent(t *testing.T, f *fixture) {
	victim, _ := f.victimFixture(t)
	tests := []struct {
		name string
		edit func(r *rastro.Referral)
		code string
	}{
		{"written consent", func(r *rastro.Referral) {}, ""},
		{"no consent", func(r *rastro.Referral) { r.Consent = rastro.Consent{} }, rastro.EINVALID},
		{"no consent, short reason", func(r *rastro.Referral) { r.Consent, r.Exception = rastro.Consent{}, "duty" }, rastro.EINVALID},
		{"no consent, child protection duty", func(r *rastro.Referral) {
			r.Consent, r.Exception = rastro.Consent{}, "Child protection duty: the person is 15 and unaccompanied."
		}, ""},
		{"consent without date", func(r *rastro.Referral) { r.Consent.Date = time.Time{} }, rastro.EINVALID},
		{"consent with bad form", func(r *rastro.Referral) { r.Consent.Form = "implied" }, rastro.EINVALID},
		{"unknown service", func(r *rastro.Referral) { r.Service = "spa" }, rastro.EINVALID},
	}
	created := 0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newReferral(f, victim)
			tt.edit(r)
			wantCode(t, f.db.CreateReferral(f.ctx, f.worker, r), tt.code)
			if tt.code == "" {
				created++
				if r.ID == 0 || r.Status != rastro.ReferralSent {
					t.Errorf("created referral = %+v", r)
				}
			}
		})
	}
	if n := f.count(t, "referrals"); n != created {
		t.Errorf("%d referrals stored, want %d", n, created)
	}
	if n := f.auditCount(t, store.AuditReferralCreate); n != created {
		t.Errorf("referral_create events = %d, want %d", n, created)
	}
	wantCode(t, f.db.CreateReferral(f.ctx, f.analyst, newReferral(f, victim)), rastro.EFORBIDDEN)
	list, err := f.db.Referrals(f.ctx, f.worker, f.caseID, victim)
	must(t, err)
	if len(list) != created || !list[0].Consent.Given && list[0].Exception == "" {
		t.Errorf("referrals = %+v", list)
	}
	for _, r := range list {
		if r.Consent.Given && (!r.Consent.Date.Equal(f.clock.now()) || r.Consent.Form != rastro.ConsentWritten) {
			t.Errorf("consent read back = %+v", r.Consent)
		}
	}
}

func testReferralUpdate(t *testing.T, f *fixture) {
	victim, _ := f.victimFixture(t)
	r := newReferral(f, victim)
	must(t, f.db.CreateReferral(f.ctx, f.worker, r))
	got, err := f.db.UpdateReferral(f.ctx, f.worker, f.caseID, r.ID, rastro.ReferralAccepted, "Bed available from Monday.")
	must(t, err)
	if got.Status != rastro.ReferralAccepted || got.Notes != "Bed available from Monday." || got.Provider != r.Provider {
		t.Errorf("updated referral = %+v", got)
	}
	_, err = f.db.UpdateReferral(f.ctx, f.worker, f.caseID, r.ID, "lost", "")
	wantCode(t, err, rastro.EINVALID)
	_, err = f.db.UpdateReferral(f.ctx, f.analyst, f.caseID, r.ID, rastro.ReferralCompleted, "")
	wantCode(t, err, rastro.EFORBIDDEN)
	_, err = f.db.UpdateReferral(f.ctx, f.worker, f.caseID, r.ID+100, rastro.ReferralCompleted, "")
	wantCode(t, err, rastro.ENOTFOUND)
	evs, err := f.db.AuditEvents(f.ctx, f.auditor, rastro.AuditFilter{Action: store.AuditReferralUpdate})
	must(t, err)
	if len(evs) != 1 || evs[0].Details != "status sent -> accepted" || evs[0].UserID != f.worker.UserID {
		t.Errorf("referral_update events = %+v", evs)
	}
	list, err := f.db.Referrals(f.ctx, f.worker, f.caseID, victim)
	must(t, err)
	if len(list) != 1 || list[0].Status != rastro.ReferralAccepted {
		t.Errorf("referrals after update = %+v", list)
	}
}
