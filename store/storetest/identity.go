package storetest

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/store"
)

// identityTests are the judgement service's subtests, run by Run.
var identityTests = []struct {
	name string
	fn   func(t *testing.T, f *fixture)
}{
	{"JudgeListUndo", testJudgeListUndo},
	{"JudgeValidation", testJudgeValidation},
	{"JudgeAccess", testJudgeAccess},
	{"JudgeRefusesVictimSuspectMerge", testJudgeRefusesVictimMerge},
	{"IdentityRuns", testIdentityRuns},
}

// runIdentity runs the judgement subtests on fresh stores.
func runIdentity(t *testing.T, open func(t *testing.T) *store.DB) {
	for _, tt := range identityTests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, newFixture(t, open(t)))
		})
	}
}

// identityFixture adds two spellings of one person of unknown role, a
// suspect, a possible victim and the victim's account (protected through a
// uses link).
func (f *fixture) identityFixture(t *testing.T) {
	t.Helper()
	must(t, f.db.PutEntity(f.ctx, f.sys, person(f.caseID, "p-a", "Juan Ficticio", rastro.CaseRoleUnknown)))
	must(t, f.db.PutEntity(f.ctx, f.sys, person(f.caseID, "p-b", "JUAN FICTICIO", rastro.CaseRoleUnknown)))
	f.victimFixture(t)
	must(t, f.db.PutEntity(f.ctx, f.sys, person(f.caseID, "acct-v", "lucia_99", rastro.CaseRoleUnknown)))
	must(t, f.db.PutLinks(f.ctx, f.sys, f.caseID, []*rastro.Link{{ID: "uses-v", Schema: "uses", SourceID: "v-1", TargetID: "acct-v", Origin: rastro.OriginAnalyst}}))
}

// judgement returns a judgement of the fixture's case.
func (f *fixture) judgement(a, b string, v rastro.IdentityVerdict) *rastro.IdentityJudgement {
	return &rastro.IdentityJudgement{CaseID: f.caseID, A: a, B: b, Verdict: v, Reason: "same phone and date of birth",
		Score: 0.97, Explanation: json.RawMessage(`{"contributions":[{"field":"phone","bits":6.1}]}`)}
}

func testJudgeListUndo(t *testing.T, f *fixture) {
	f.identityFixture(t)
	j := f.judgement("p-b", "p-a", rastro.VerdictSame)
	must(t, f.db.Judge(f.ctx, f.analyst, j))
	if j.ID == 0 || j.A != "p-a" || j.B != "p-b" || j.Actor != f.analyst.UserID || !j.CreatedAt.Equal(f.clock.now()) {
		t.Fatalf("stored judgement = %+v; want an ID, the pair in order, the actor and the time", j)
	}
	wantCode(t, f.db.Judge(f.ctx, f.inv, f.judgement("p-a", "p-b", rastro.VerdictNotSame)), rastro.ECONFLICT)
	list, err := f.db.Judgements(f.ctx, f.worker, f.caseID, "p-b")
	must(t, err)
	if len(list) != 1 || list[0].ID != j.ID || list[0].Reason != j.Reason || list[0].Score != 0.97 ||
		!strings.Contains(string(list[0].Explanation), "phone") || list[0].ActorName != "ana" || !list[0].Live() {
		t.Fatalf("Judgements(p-b) = %+v", list)
	}
	if other, err := f.db.Judgements(f.ctx, f.analyst, f.caseID, "s-1"); err != nil || len(other) != 0 {
		t.Errorf("Judgements(s-1) = %v, %v; want none", other, err)
	}
	f.clock.advance(time.Minute)
	undone, err := f.db.UndoJudgement(f.ctx, f.inv, f.caseID, j.ID)
	must(t, err)
	if undone.Live() || undone.UndoneBy != f.inv.UserID || !undone.UndoneAt.Equal(f.clock.now()) {
		t.Errorf("undone judgement = %+v", undone)
	}
	_, err = f.db.UndoJudgement(f.ctx, f.inv, f.caseID, j.ID)
	wantCode(t, err, rastro.ENOTFOUND)
	// Append-only: the undone row stays, and the pair may be judged anew.
	must(t, f.db.Judge(f.ctx, f.inv, f.judgement("p-a", "p-b", rastro.VerdictNotSame)))
	all, err := f.db.Judgements(f.ctx, f.analyst, f.caseID, "")
	must(t, err)
	if len(all) != 2 || all[0].Verdict != rastro.VerdictNotSame || !all[0].Live() || all[1].Live() {
		t.Errorf("Judgements = %+v; want the new live not_same first, then the undone same", all)
	}
	if n, m := f.auditCount(t, store.AuditIdentityJudge), f.auditCount(t, store.AuditIdentityUndo); n != 2 || m != 1 {
		t.Errorf("audit: %d identity_judge, %d identity_undo; want 2 and 1", n, m)
	}
}

func testJudgeValidation(t *testing.T, f *fixture) {
	f.identityFixture(t)
	tests := []struct {
		name string
		j    *rastro.IdentityJudgement
		code string
	}{
		{"no reason", &rastro.IdentityJudgement{CaseID: f.caseID, A: "p-a", B: "p-b", Verdict: rastro.VerdictSame, Reason: "  ok "}, rastro.EINVALID},
		{"unknown verdict", &rastro.IdentityJudgement{CaseID: f.caseID, A: "p-a", B: "p-b", Verdict: "maybe", Reason: "looks alike"}, rastro.EINVALID},
		{"itself", &rastro.IdentityJudgement{CaseID: f.caseID, A: "p-a", B: "p-a", Verdict: rastro.VerdictSame, Reason: "looks alike"}, rastro.EINVALID},
		{"missing entity", &rastro.IdentityJudgement{CaseID: f.caseID, A: "p-a", B: "ghost", Verdict: rastro.VerdictSame, Reason: "looks alike"}, rastro.ENOTFOUND},
		{"explanation not JSON", &rastro.IdentityJudgement{CaseID: f.caseID, A: "p-a", B: "p-b", Verdict: rastro.VerdictSame, Reason: "looks alike", Explanation: []byte("{")}, rastro.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, f.db.Judge(f.ctx, f.analyst, tt.j), tt.code)
		})
	}
	if n := f.count(t, "identity_judgements"); n != 0 {
		t.Errorf("%d judgements stored", n)
	}
}

func testJudgeAccess(t *testing.T, f *fixture) {
	f.identityFixture(t)
	j := f.judgement("p-a", "p-b", rastro.VerdictUnsure)
	must(t, f.db.Judge(f.ctx, f.analyst, j))
	tests := []struct {
		name        string
		actor       rastro.Actor
		read, write string
	}{
		{"analyst member", f.analyst, "", ""},
		{"auditor member", f.auditor, rastro.EFORBIDDEN, rastro.EFORBIDDEN},
		{"outsider", f.outsider, rastro.ENOTFOUND, rastro.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.db.Judgements(f.ctx, tt.actor, f.caseID, "")
			wantCode(t, err, tt.read)
			_, err = f.db.LatestIdentityRun(f.ctx, tt.actor, f.caseID)
			if tt.read == "" {
				wantCode(t, err, rastro.ENOTFOUND) // no run yet, but allowed to ask
			} else {
				wantCode(t, err, tt.read)
			}
			if tt.write != "" {
				wantCode(t, f.db.Judge(f.ctx, tt.actor, f.judgement("p-a", "s-1", rastro.VerdictNotSame)), tt.write)
				_, err = f.db.UndoJudgement(f.ctx, tt.actor, f.caseID, j.ID)
				wantCode(t, err, tt.write)
				wantCode(t, f.db.SaveIdentityRun(f.ctx, tt.actor, &rastro.IdentityRun{CaseID: f.caseID, Result: []byte(`{}`)}), tt.write)
			}
		})
	}
	if n := f.count(t, "identity_judgements"); n != 1 {
		t.Errorf("%d judgements stored, want 1", n)
	}
}

func testJudgeRefusesVictimMerge(t *testing.T, f *fixture) {
	f.identityFixture(t)
	// Directly, through the victim's account, and through an earlier merge.
	must(t, f.db.Judge(f.ctx, f.analyst, f.judgement("p-a", "s-1", rastro.VerdictSame)))
	for _, pair := range [][2]string{{"v-1", "s-1"}, {"acct-v", "s-1"}, {"v-1", "p-a"}} {
		err := f.db.Judge(f.ctx, f.analyst, f.judgement(pair[0], pair[1], rastro.VerdictSame))
		wantCode(t, err, rastro.EINVALID)
		if !strings.Contains(rastro.ErrorMessage(err), "victim") {
			t.Errorf("refusal of %v says %q; want it to name the victim rule", pair, rastro.ErrorMessage(err))
		}
	}
	// Saying they are not the same is always allowed.
	must(t, f.db.Judge(f.ctx, f.analyst, f.judgement("v-1", "s-1", rastro.VerdictNotSame)))
	must(t, f.db.Judge(f.ctx, f.analyst, f.judgement("v-1", "acct-v", rastro.VerdictSame)))
	if n := f.count(t, "identity_judgements"); n != 3 {
		t.Errorf("%d judgements stored, want 3", n)
	}
}

func testIdentityRuns(t *testing.T, f *fixture) {
	_, err := f.db.LatestIdentityRun(f.ctx, f.analyst, f.caseID)
	wantCode(t, err, rastro.ENOTFOUND)
	wantCode(t, f.db.SaveIdentityRun(f.ctx, f.sys, &rastro.IdentityRun{CaseID: f.caseID, Result: []byte(`{`)}), rastro.EINVALID)
	must(t, f.db.SaveIdentityRun(f.ctx, f.sys, &rastro.IdentityRun{CaseID: f.caseID, Result: []byte(`{"n":1}`)}))
	f.clock.advance(time.Second)
	second := &rastro.IdentityRun{CaseID: f.caseID, Result: []byte(`{"n":2}`)}
	must(t, f.db.SaveIdentityRun(f.ctx, f.analyst, second))
	got, err := f.db.LatestIdentityRun(f.ctx, f.worker, f.caseID)
	must(t, err)
	if got.ID != second.ID || string(got.Result) != `{"n":2}` || !got.CreatedAt.Equal(f.clock.now()) {
		t.Errorf("latest run = %+v, want the second", got)
	}
}
