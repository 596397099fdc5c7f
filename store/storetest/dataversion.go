package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/store"
)

// dataVersionTests are the cases of the per-case data version that the
// text scrubber and the network graph cache key on.
var dataVersionTests = []struct {
	name string
	fn   func(t *testing.T, f *fixture)
}{
	{"DataVersionWrites", testDataVersionWrites},
	{"DataVersionView", testDataVersionView},
	{"ScrubberFollowsWrites", testScrubberFollowsWrites},
}

// version returns the case's data version as actor reads it.
func (f *fixture) version(t testing.TB, a rastro.Actor) (int64, string) {
	t.Helper()
	v, view, err := f.db.CaseDataVersion(f.ctx, a, f.caseID)
	must(t, err)
	return v, view
}

// testDataVersionWrites: every write of what protection, the scrubber or
// the graph read advances the case's data version; reads and failed
// (rolled-back) writes leave it as it was.
func testDataVersionWrites(t *testing.T, f *fixture) {
	victimCase(t, f)
	ev := &rastro.Evidence{CaseID: f.caseID, SHA256: hexHash("version"), Size: 7}
	_, err := f.db.CreateEvidence(f.ctx, f.inv, ev)
	must(t, err)
	var judgement *rastro.IdentityJudgement
	var screening *rastro.Screening
	writes := []struct {
		name string
		fn   func() error
	}{
		{"PutEntity", func() error { return f.db.PutEntity(f.ctx, f.inv, person(f.caseID, "p9", "Persona Nueve", "")) }},
		{"PutLinks", func() error {
			return f.db.PutLinks(f.ctx, f.inv, f.caseID, []*rastro.Link{{ID: "l9", Schema: "Associate", SourceID: "p9", TargetID: "s1", Origin: rastro.OriginAnalyst}})
		}},
		{"CreateRecords", func() error {
			return f.db.CreateRecords(f.ctx, f.inv, f.caseID, []*rastro.Record{{EvidenceID: ev.ID, Kind: "message", Locator: "line:1", Text: "hola"}})
		}},
		{"StoreParsed", func() error {
			recs := []*rastro.Record{{EvidenceID: ev.ID, Kind: "message", Locator: "line:2", Text: "adiós"}}
			return f.db.StoreParsed(f.ctx, f.inv, f.caseID, recs, func() ([]*rastro.Entity, []*rastro.Link, error) { return nil, nil, nil })
		}},
		{"SetCaseRole", func() error {
			return f.db.SetCaseRole(f.ctx, f.inv, f.caseID, "p9", rastro.CaseRolePersonOfInt, "")
		}},
		{"Judge", func() error {
			judgement = &rastro.IdentityJudgement{CaseID: f.caseID, A: "p9", B: "s1", Verdict: rastro.VerdictUnsure, Reason: "same phone, different names"}
			return f.db.Judge(f.ctx, f.analyst, judgement)
		}},
		{"UndoJudgement", func() error { _, err := f.db.UndoJudgement(f.ctx, f.analyst, f.caseID, judgement.ID); return err }},
		{"SaveIdentityRun", func() error {
			return f.db.SaveIdentityRun(f.ctx, f.sys, &rastro.IdentityRun{CaseID: f.caseID, Result: []byte(`{}`)})
		}},
		{"CreateScreening", func() error {
			screening = newScreening(f.caseID, "v1")
			return f.db.CreateScreening(f.ctx, f.worker, screening)
		}},
		{"SaveScreening", func() error { return f.db.SaveScreening(f.ctx, f.worker, screening) }},
		{"GrantNeedToKnow", func() error {
			return f.db.GrantNeedToKnow(f.ctx, f.inv, f.caseID, f.analyst.UserID, f.clock.t.Add(time.Hour), "Preparing the victim's testimony with the prosecutor.")
		}},
		{"RevokeNeedToKnow", func() error { return f.db.RevokeNeedToKnow(f.ctx, f.inv, f.caseID, f.analyst.UserID) }},
	}
	for _, w := range writes {
		before, _ := f.version(t, f.inv)
		must(t, w.fn())
		if after, _ := f.version(t, f.inv); after <= before {
			t.Errorf("%s: data version %d -> %d, want it to advance", w.name, before, after)
		}
	}
	before, _ := f.version(t, f.inv)
	reads := []struct {
		name string
		fn   func() error
	}{
		{"Entity", func() error { _, err := f.db.Entity(f.ctx, f.analyst, f.caseID, "v1"); return err }},
		{"Entities", func() error {
			_, _, err := f.db.Entities(f.ctx, f.analyst, f.caseID, rastro.EntityFilter{})
			return err
		}},
		{"ForEachRecord", func() error {
			return f.db.ForEachRecord(f.ctx, f.analyst, f.caseID, func(*rastro.Record) error { return nil })
		}},
		{"Links", func() error { _, err := f.db.Links(f.ctx, f.analyst, f.caseID, ""); return err }},
		{"Findings", func() error { _, err := f.db.Findings(f.ctx, f.analyst, f.caseID); return err }},
	}
	for _, r := range reads {
		must(t, r.fn())
	}
	bad := person(f.caseID, "p10", "Persona Diez", "")
	bad.Statements = append(bad.Statements, &rastro.Statement{Prop: "phone", Value: "+52 55 1234 5678", Origin: rastro.OriginParser, EvidenceID: 999, Locator: "line:1"})
	wantCode(t, f.db.PutEntity(f.ctx, f.inv, bad), rastro.EINVALID)
	wantCode(t, f.db.PutEntity(f.ctx, f.analyst, person(f.caseID+1000, "p11", "Persona Once", "")), rastro.ENOTFOUND)
	_, err = f.db.UndoJudgement(f.ctx, f.analyst, f.caseID, judgement.ID)
	wantCode(t, err, rastro.ENOTFOUND)
	if after, _ := f.version(t, f.inv); after != before {
		t.Errorf("data version %d -> %d after reads and failed writes, want unchanged", before, after)
	}
	_, _, err = f.db.CaseDataVersion(f.ctx, f.outsider, f.caseID)
	wantCode(t, err, rastro.ENOTFOUND)
}

// testDataVersionView: the view CaseDataVersion names is what decides
// redaction: full for caseworkers and the system actor, need-to-know with a
// live grant, redacted for other members.
func testDataVersionView(t *testing.T, f *fixture) {
	for _, tt := range []struct {
		name  string
		actor rastro.Actor
		want  string
	}{
		{"system", f.sys, store.ViewFull},
		{"caseworker", f.worker, store.ViewFull},
		{"investigator", f.inv, store.ViewRedacted},
		{"analyst", f.analyst, store.ViewRedacted},
	} {
		if _, view := f.version(t, tt.actor); view != tt.want {
			t.Errorf("%s sees %q, want %q", tt.name, view, tt.want)
		}
	}
	must(t, f.db.GrantNeedToKnow(f.ctx, f.inv, f.caseID, f.analyst.UserID, f.clock.t.Add(time.Hour), "Preparing the victim's testimony with the prosecutor."))
	if _, view := f.version(t, f.analyst); view != store.ViewNeedToKnow {
		t.Errorf("analyst with a grant sees %q, want %q", view, store.ViewNeedToKnow)
	}
	f.clock.advance(2 * time.Hour)
	if _, view := f.version(t, f.analyst); view != store.ViewRedacted {
		t.Errorf("analyst whose grant expired sees %q, want %q", view, store.ViewRedacted)
	}
}

// testScrubberFollowsWrites: the scrubber is cached while the case does not
// change (reads build no new one), and a victim's identifier added by a
// write is scrubbed from the very next read: a stale scrubber would show
// her new phone number in the message to an analyst.
func testScrubberFollowsWrites(t *testing.T, f *fixture) {
	victimCase(t, f)
	ev := &rastro.Evidence{CaseID: f.caseID, SHA256: hexHash("new phone"), Size: 9}
	_, err := f.db.CreateEvidence(f.ctx, f.inv, ev)
	must(t, err)
	const phone, other = "55 4444 1234", "55 3333 9876"
	text := "Ramón Sospechoso: su número nuevo es " + phone + " y el de su prima " + other
	rec := &rastro.Record{EvidenceID: ev.ID, Kind: "message", Locator: "line:1", Text: text}
	must(t, f.db.CreateRecords(f.ctx, f.inv, f.caseID, []*rastro.Record{rec}))
	read := func() string {
		t.Helper()
		got, err := f.db.RecordByID(f.ctx, f.analyst, f.caseID, rec.ID)
		must(t, err)
		return got.Text
	}
	if got := read(); got != text {
		t.Fatalf("before her new number is recorded the analyst reads %q, want %q", got, text)
	}
	builds := f.db.ScrubberBuilds()
	for range 3 {
		read()
		_, err := f.db.Entity(f.ctx, f.analyst, f.caseID, "s1")
		must(t, err)
	}
	if n := f.db.ScrubberBuilds() - builds; n != 0 {
		t.Errorf("reads without writes built %d scrubbers, want 0 (cached)", n)
	}

	// A failed write of her number changes nothing.
	bad := person(f.caseID, "v1", "María Ficticia Solís", rastro.CaseRolePossibleVictim)
	bad.Statements = append(bad.Statements, stmt("phone", "+52 "+phone), &rastro.Statement{Prop: "email", Value: "x@example.org", Origin: rastro.OriginParser, EvidenceID: 999, Locator: "line:1"})
	wantCode(t, f.db.PutEntity(f.ctx, f.worker, bad), rastro.EINVALID)
	if got := read(); got != text {
		t.Errorf("after a rolled-back write the analyst reads %q, want %q", got, text)
	}

	// Her new number, added to her entity, is hidden from the next read.
	v, err := f.db.Entity(f.ctx, f.worker, f.caseID, "v1")
	must(t, err)
	v.Statements = append(v.Statements, stmt("phone", "+52 "+phone))
	must(t, f.db.PutEntity(f.ctx, f.worker, v))
	got := read()
	if strings.Contains(got, phone) || !strings.Contains(got, other) || !strings.Contains(got, "[redacted phone]") {
		t.Errorf("after her new number was recorded the analyst reads %q: want it redacted, the cousin's kept", got)
	}
	// A phone linked to her later (uses link to a new entity) is hidden too.
	must(t, f.db.PutEntity(f.ctx, f.inv, &rastro.Entity{ID: "ph-v1c", CaseID: f.caseID, Schema: "Phone", Caption: "+52 " + other,
		Statements: []*rastro.Statement{stmt("number", "+52"+strings.ReplaceAll(other, " ", ""))}}))
	if got := read(); !strings.Contains(got, other) {
		t.Errorf("a phone nobody is linked to is scrubbed: %q", got)
	}
	must(t, f.db.PutLinks(f.ctx, f.inv, f.caseID, []*rastro.Link{{ID: "uses-v1c", Schema: "uses", SourceID: "v1", TargetID: "ph-v1c", Origin: rastro.OriginAnalyst}}))
	if got := read(); strings.Contains(got, other) || strings.Contains(got, phone) {
		t.Errorf("after linking her second phone the analyst reads %q, want both numbers redacted", got)
	}
	if got, err := f.db.RecordByID(f.ctx, f.worker, f.caseID, rec.ID); err != nil || got.Text != text {
		t.Errorf("caseworker reads %q (%v), want the text as written", got.Text, err)
	}
}
