package identity

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rastro/rastro"
	"github.com/rastro/rastro/resolve"
	"github.com/rastro/rastro/sqlite"
	"github.com/rastro/rastro/store"
)

// testCase opens a store with one case holding: a suspect with a phone
// (through a uses link to an Identifier) and a bank account (Ownership);
// the suspect's chat account showing that phone; a possible victim whose
// phone the suspect also uses, and a suspect namesake of hers; and a chat
// account named "Papá".
func testCase(t *testing.T) (*store.DB, int64) {
	t.Helper()
	ctx := t.Context()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "rastro.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sys := rastro.SystemActor("test")
	ag := &rastro.Agency{Name: "Unidad Ficticia", Country: "MX", Kind: rastro.AgencyPolice}
	must(t, db.CreateAgency(ctx, sys, ag))
	c := &rastro.Case{AgencyID: ag.ID, Title: "Operación Ficticia", Jurisdiction: "MX", Status: rastro.CaseOpen}
	must(t, db.CreateCase(ctx, sys, c))
	st := func(prop, value string) *rastro.Statement {
		return &rastro.Statement{Prop: prop, Value: value, Origin: rastro.OriginAnalyst, Confidence: 1}
	}
	ent := func(id, schema, caption string, role rastro.CaseRole, sts ...*rastro.Statement) *rastro.Entity {
		return &rastro.Entity{ID: id, CaseID: c.ID, Schema: schema, Caption: caption, CaseRole: role, Statements: sts}
	}
	must(t, db.PutEntities(ctx, sys, []*rastro.Entity{
		ent("person-juan", "Person", "Juan Ficticio Pérez", rastro.CaseRoleSuspect, st("name", "Juan Ficticio Pérez"), st("birthDate", "1980-02-03")),
		ent("id-phone-juan", "Identifier", "+525555500001", rastro.CaseRoleUnknown, st("kind", "phone"), st("normalized", "+525555500001")),
		ent("account-juan", "BankAccount", "CR05015202001026284066", rastro.CaseRoleUnknown, st("accountNumber", "CR05015202001026284066")),
		ent("acct-juan", "UserAccount", "Juan Ficticio", rastro.CaseRoleUnknown, st("username", "Juan Ficticio"), st("number", "+52 55 5550 0001")),
		ent("acct-papa", "UserAccount", "Papá", rastro.CaseRoleUnknown, st("username", "Papá")),
		ent("person-ana", "Person", "Ana Ficticia Ruiz", rastro.CaseRolePossibleVictim, st("name", "Ana Ficticia Ruiz"), st("birthDate", "2008-05-06"), st("phone", "+525555500009")),
		ent("person-ana2", "Person", "Ana Ficticia Ruiz", rastro.CaseRoleSuspect, st("name", "Ana Ficticia Ruiz"), st("birthDate", "2008-05-06"), st("phone", "+525555500009")),
	}))
	must(t, db.PutLinks(ctx, sys, c.ID, []*rastro.Link{
		{ID: "l1", Schema: "uses", SourceID: "person-juan", TargetID: "id-phone-juan", Origin: rastro.OriginAnalyst},
		{ID: "l2", Schema: "Ownership", SourceID: "person-juan", TargetID: "account-juan", Origin: rastro.OriginAnalyst},
	}))
	return db, c.ID
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestSubjects(t *testing.T) {
	db, caseID := testCase(t)
	subs, err := Subjects(t.Context(), db, rastro.SystemActor("test"), caseID)
	must(t, err)
	got := map[string]map[string][]string{}
	for _, s := range subs {
		got[s.Record.ID] = s.Record.Fields
	}
	tests := []struct {
		id   string
		want map[string][]string
	}{
		{"person-juan", map[string][]string{resolve.FieldName: {"Juan Ficticio Pérez"}, resolve.FieldBirthDate: {"1980-02-03"},
			resolve.FieldPhone: {"+525555500001"}, resolve.FieldIBAN: {"CR05015202001026284066"}}},
		{"acct-juan", map[string][]string{resolve.FieldName: {"Juan Ficticio"}, resolve.FieldPhone: {"+52 55 5550 0001"}}},
		{"acct-papa", map[string][]string{resolve.FieldName: {"Papá"}}}, // a display name is not a handle
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, got[tt.id]); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
	if len(subs) != 5 || got["id-phone-juan"] != nil || got["account-juan"] != nil {
		t.Errorf("subjects = %d, want the 3 people and 2 accounts only", len(subs))
	}
}

func TestResolveJudgementsWin(t *testing.T) {
	db, caseID := testCase(t)
	ctx, sys := t.Context(), rastro.SystemActor("test")
	member := func(ids []Identity, id string) []string {
		for _, c := range ids {
			if slices.Contains(c.Members, id) {
				return c.Members
			}
		}
		return nil
	}
	must(t, Handler(db)(ctx, &rastro.Job{CaseID: caseID, Kind: JobKind}, func(float64, string) {}))
	run, _, err := Load(ctx, db, sys, caseID)
	must(t, err)
	if run.Records != 5 {
		t.Fatalf("stored run has %d records, want 5", run.Records)
	}
	if m := member(Current(run, nil), "person-ana"); slices.Contains(m, "person-ana2") {
		t.Errorf("the possible victim is merged with a suspect: %v", m)
	}
	// The analyst's judgements win over the scores, both ways.
	must(t, db.Judge(ctx, sys, &rastro.IdentityJudgement{CaseID: caseID, A: "acct-juan", B: "person-juan", Verdict: rastro.VerdictSame, Reason: "same phone"}))
	must(t, db.Judge(ctx, sys, &rastro.IdentityJudgement{CaseID: caseID, A: "acct-papa", B: "person-juan", Verdict: rastro.VerdictSame, Reason: "the children call him papá"}))
	rep, err := Collapse(ctx, db, sys, caseID)
	must(t, err)
	want := map[string]string{"acct-juan": "person-juan", "acct-papa": "person-juan", "person-juan": "person-juan"}
	if diff := cmp.Diff(want, rep); diff != "" {
		t.Errorf("Collapse (-want +got):\n%s", diff)
	}
	js, err := db.Judgements(ctx, sys, caseID, "acct-papa")
	must(t, err)
	_, err = db.UndoJudgement(ctx, sys, caseID, js[0].ID)
	must(t, err)
	must(t, db.Judge(ctx, sys, &rastro.IdentityJudgement{CaseID: caseID, A: "acct-papa", B: "person-juan", Verdict: rastro.VerdictNotSame, Reason: "another father"}))
	rep, err = Collapse(ctx, db, sys, caseID)
	must(t, err)
	if _, ok := rep["acct-papa"]; ok || rep["acct-juan"] != "person-juan" {
		t.Errorf("after undo and not-same: %v", rep)
	}
}

func TestCollapseNeedsMembership(t *testing.T) {
	db, caseID := testCase(t)
	_, err := Collapse(context.Background(), db, rastro.Actor{UserID: 999, Username: "nobody", Role: rastro.RoleAnalyst}, caseID)
	if rastro.ErrorCode(err) != rastro.ENOTFOUND {
		t.Errorf("non-member: %v, want not found", err)
	}
}

func TestVictimGuardsKeepVictimsApartFromSuspects(t *testing.T) {
	subject := func(id string, role rastro.CaseRole) Subject {
		return Subject{Record: resolve.Record{ID: id}, Schema: "Person", Role: role}
	}
	guards := victimGuards([]Subject{subject("acct", rastro.CaseRoleUnknown), subject("victim", rastro.CaseRolePossibleVictim),
		subject("suspect", rastro.CaseRoleSuspect), subject("poi", rastro.CaseRolePersonOfInt)})
	want := []resolve.Judgement{{A: "victim", B: "suspect", Verdict: resolve.NotSame}, {A: "victim", B: "poi", Verdict: resolve.NotSame}}
	if diff := cmp.Diff(want, guards); diff != "" {
		t.Fatalf("guards (-want +got):\n%s", diff)
	}
	// The account scores high against both: it joins the victim, never
	// bringing the suspect along.
	run := &Run{Threshold: 0.9, Guards: guards, Pairs: []resolve.PairScore{
		{A: "acct", B: "victim", Probability: 0.99, Weight: 9},
		{A: "acct", B: "suspect", Probability: 0.95, Weight: 5},
	}}
	got := Current(run, nil)
	if diff := cmp.Diff([]Identity{{Representative: "acct", Members: []string{"acct", "victim"}}}, got); diff != "" {
		t.Errorf("identities (-want +got):\n%s", diff)
	}
	run.Guards = nil
	if got := Current(run, nil); len(got) != 1 || len(got[0].Members) != 3 {
		t.Errorf("without guards the scores join all three, got %v", got)
	}
}

func TestHandlerWaitsForParsing(t *testing.T) {
	db, caseID := testCase(t)
	ctx, sys := t.Context(), rastro.SystemActor("test")
	parse := &rastro.Job{CaseID: caseID, Kind: "evidence.parse", Payload: []byte(`{"evidence_id":1}`)}
	must(t, db.Enqueue(ctx, sys, parse))
	me := &rastro.Job{CaseID: caseID, Kind: JobKind}
	must(t, db.Enqueue(ctx, sys, me))
	must(t, Handler(db)(ctx, me, func(float64, string) {}))
	if _, err := db.LatestIdentityRun(ctx, sys, caseID); rastro.ErrorCode(err) != rastro.ENOTFOUND {
		t.Errorf("resolution ran while evidence was being parsed (err %v)", err)
	}
	jobs, err := db.Jobs(ctx, sys, caseID)
	must(t, err)
	var again []*rastro.Job
	for _, j := range jobs {
		if j.Kind == JobKind && j.ID != me.ID {
			again = append(again, j)
		}
	}
	if len(again) != 1 || string(again[0].Payload) != `{"deferrals":1}` || !again[0].RunAt.After(me.RunAt) {
		t.Fatalf("re-queued resolutions = %+v; want one, later, counting the deferral", again)
	}
	claimed, err := db.Claim(ctx, []string{"evidence.parse"}, time.Minute)
	must(t, err)
	must(t, db.Complete(ctx, claimed.ID))
	must(t, Handler(db)(ctx, again[0], func(float64, string) {}))
	if _, err := db.LatestIdentityRun(ctx, sys, caseID); err != nil {
		t.Errorf("no run once parsing is done: %v", err)
	}
}
