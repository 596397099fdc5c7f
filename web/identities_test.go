package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/identity"
	"github.com/rastro/rastro/resolve"
	"github.com/rastro/rastro/roles"
)

// identitiesPath is the case's identities page.
func (f *fixture) identitiesPath() string { return "/cases/" + itoa(f.caseID) + "/identities" }

// seedIdentityRun adds the suspect's chat account and the possible victim's,
// and stores a resolution run that scored each against its person below
// the linking threshold, with a shared phone explaining the score.
func (f *fixture) seedIdentityRun(t testing.TB) {
	t.Helper()
	ctx, sys := context.Background(), rastro.SystemActor("test")
	for _, e := range []*rastro.Entity{
		{ID: "acct-suspect", CaseID: f.caseID, Schema: "UserAccount", Caption: "Juanito", CaseRole: rastro.CaseRoleUnknown},
		{ID: "acct-victim", CaseID: f.caseID, Schema: "UserAccount", Caption: "Anita", CaseRole: rastro.CaseRoleUnknown},
	} {
		must(t, f.db.PutEntity(ctx, sys, e))
	}
	phone := resolve.Contribution{Field: "phone", Level: "exact", Bits: 8.5, Text: "an identifier is shared: +8.5"}
	missing := resolve.Contribution{Field: "birth_date", Level: "missing", Text: "birth_date missing on one side: 0"}
	run := identity.Run{Records: 4, Threshold: 0.9, Schemas: map[string]string{"acct-suspect": "UserAccount", "p-suspect": "Person"},
		Pairs: []resolve.PairScore{
			{A: "acct-suspect", B: "p-suspect", Weight: 1.2, Probability: 0.7, PriorBits: -7.3, Contributions: []resolve.Contribution{phone, missing}},
			{A: "acct-victim", B: "p-victim", Weight: 0.5, Probability: 0.6, PriorBits: -7.3, Contributions: []resolve.Contribution{phone}},
		}}
	b, err := json.Marshal(run)
	must(t, err)
	must(t, f.db.SaveIdentityRun(ctx, sys, &rastro.IdentityRun{CaseID: f.caseID, Result: b}))
}

// identityCount counts the current identities listed on a page.
func identityCount(page string) int { return strings.Count(page, `data-testid="identity"`) }

func TestIdentitiesJudgeAndUndoThroughUI(t *testing.T) {
	f := newFixture(t)
	f.seedIdentityRun(t)
	u := f.users["analyst-m"]
	cookie, csrf := f.session(u)
	b := body(t, f.get(f.identitiesPath(), cookie))
	for _, want := range []string{"Juanito", "70% match", "an identifier is shared: &#43;8.5", `data-testid="no-identities"`} {
		if !strings.Contains(b, want) {
			t.Errorf("identities page lacks %q", want)
		}
	}
	if strings.Contains(b, "birth_date missing") {
		t.Error("the explanation lists a field missing on one side")
	}
	form := url.Values{"a": {"acct-suspect"}, "b": {"p-suspect"}, "verdict": {"same"}, "reason": {"Same phone in both chats"}}
	res := f.postForm("/cases/"+itoa(f.caseID)+"/judgements", cookie, csrf, form)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != f.identitiesPath() {
		t.Fatalf("judge: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	b = body(t, f.get(f.identitiesPath(), cookie))
	if identityCount(b) != 1 || !strings.Contains(b, "Same phone in both chats") || !strings.Contains(b, "score then 70%") {
		t.Fatalf("after judging same: %d identities; page lacks the judgement and its score", identityCount(b))
	}
	js, err := f.db.Judgements(context.Background(), rastro.ActorOf(u), f.caseID, "")
	must(t, err)
	if len(js) != 1 || js[0].Score != 0.7 || !strings.Contains(string(js[0].Explanation), "an identifier is shared") {
		t.Fatalf("stored judgement = %+v; want the score and explanation seen", js)
	}
	entity := body(t, f.get("/cases/"+itoa(f.caseID)+"/entities/acct-suspect", cookie))
	if !strings.Contains(entity, `data-testid="merged-with"`) || !strings.Contains(entity, `href="/cases/`+itoa(f.caseID)+`/entities/p-suspect"`) {
		t.Error("the account's page does not say it is merged with the suspect")
	}
	res = f.postForm("/cases/"+itoa(f.caseID)+"/judgements/"+itoa(js[0].ID)+"/undo", cookie, csrf, url.Values{"back_entity": {"acct-suspect"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "/entities/acct-suspect") {
		t.Fatalf("undo: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	b = body(t, f.get(f.identitiesPath(), cookie))
	if identityCount(b) != 0 || !strings.Contains(b, `data-testid="undone"`) {
		t.Errorf("after undo: %d identities, undone judgement shown: %v", identityCount(b), strings.Contains(b, `data-testid="undone"`))
	}
	if len(f.auditActions("identity_judge")) != 1 || len(f.auditActions("identity_undo")) != 1 {
		t.Error("judging and undoing not audited once each")
	}
	// The merge and its undo each changed whose messages are whose: the
	// role hints are queued again, once while a run is still waiting.
	jobs, err := f.db.Jobs(context.Background(), rastro.SystemActor("test"), f.caseID)
	must(t, err)
	queued := 0
	for _, j := range jobs {
		if j.Kind == roles.JobKind && j.State == rastro.JobQueued {
			queued++
		}
	}
	if queued != 1 {
		t.Errorf("%d role-hints jobs queued after a judgement and its undo, want 1", queued)
	}
}

func TestIdentitiesFormRefusals(t *testing.T) {
	f := newFixture(t)
	f.seedIdentityRun(t)
	cookie, csrf := f.session(f.users["investigator-m"])
	tests := []struct {
		name string
		form url.Values
		want string
	}{
		{"no reason", url.Values{"a": {"acct-suspect"}, "b": {"p-suspect"}, "verdict": {"same"}, "reason": {""}}, "Write why you decided"},
		{"victim into suspect", url.Values{"a": {"p-victim"}, "b": {"p-suspect"}, "verdict": {"same"}, "reason": {"looks like one person"}}, "never merged into a suspect"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := f.postForm("/cases/"+itoa(f.caseID)+"/judgements", cookie, csrf, tt.form)
			if b := body(t, res); res.StatusCode != http.StatusBadRequest || !strings.Contains(b, tt.want) {
				t.Errorf("status %d; page says %q: %v", res.StatusCode, tt.want, strings.Contains(b, tt.want))
			}
		})
	}
	noToken := url.Values{"a": {"acct-suspect"}, "b": {"p-suspect"}, "verdict": {"same"}, "reason": {"same phone, same name"}}
	if res := f.postForm("/cases/"+itoa(f.caseID)+"/judgements", cookie, "", noToken); res.StatusCode != http.StatusForbidden {
		t.Errorf("form without CSRF token: %d, want 403", res.StatusCode)
	}
}

func TestIdentitiesShowVictimsByPseudonym(t *testing.T) {
	f := newFixture(t)
	f.seedIdentityRun(t)
	analyst, _ := f.session(f.users["analyst-m"])
	if b := body(t, f.get(f.identitiesPath(), analyst)); strings.Contains(b, f.victim.Caption) || !strings.Contains(b, "badge-victim") {
		t.Error("an analyst sees the possible victim's name, or no victim marker, on the identities page")
	}
	worker, _ := f.session(f.users["caseworker-m"])
	if b := body(t, f.get(f.identitiesPath(), worker)); !strings.Contains(b, f.victim.Caption) {
		t.Error("a caseworker does not see the possible victim's name")
	}
}

func TestJudgementsAPI(t *testing.T) {
	f := newFixture(t)
	f.seedIdentityRun(t)
	u := f.users["analyst-m"]
	path := "/api/v1/cases/" + itoa(f.caseID) + "/judgements"
	send := func(method, p, token, b string) *http.Response {
		req := httpRequest(method, p, b)
		req.Header.Set("Authorization", "Bearer "+token)
		return f.do(req)
	}
	ro, _ := f.apiToken(u, "read")
	rw, _ := f.apiToken(u, "write")
	in := `{"a":"p-suspect","b":"acct-suspect","verdict":"not_same","reason":"different birth years"}`
	if res := send("POST", path, ro, in); res.StatusCode != http.StatusForbidden {
		t.Errorf("read-only token judged: %d, want 403", res.StatusCode)
	}
	res := send("POST", path, rw, in)
	var j rastro.IdentityJudgement
	must(t, json.NewDecoder(res.Body).Decode(&j))
	if res.StatusCode != http.StatusCreated || j.A != "acct-suspect" || j.Verdict != rastro.VerdictNotSame || j.Score != 0.7 {
		t.Fatalf("POST: %d %+v", res.StatusCode, j)
	}
	if res := send("POST", path, rw, in); res.StatusCode != http.StatusConflict {
		t.Errorf("judging the pair twice: %d, want 409", res.StatusCode)
	}
	res = send("POST", path+"/"+itoa(j.ID)+"/undo", rw, "")
	var undone rastro.IdentityJudgement
	must(t, json.NewDecoder(res.Body).Decode(&undone))
	if res.StatusCode != 200 || undone.UndoneAt.IsZero() {
		t.Fatalf("undo: %d %+v", res.StatusCode, undone)
	}
	res = send("GET", path+"?entity=p-suspect", ro, "")
	var list []rastro.IdentityJudgement
	must(t, json.NewDecoder(res.Body).Decode(&list))
	if res.StatusCode != 200 || len(list) != 1 || list[0].UndoneAt.IsZero() {
		t.Errorf("GET: %d %+v", res.StatusCode, list)
	}
	must(t, f.db.Judge(context.Background(), rastro.ActorOf(u), &rastro.IdentityJudgement{CaseID: f.caseID, A: "acct-suspect", B: "p-suspect",
		Verdict: rastro.VerdictSame, Reason: "same phone"}))
	res = send("GET", "/api/v1/cases/"+itoa(f.caseID)+"/identities", ro, "")
	var ids identitiesOutput
	must(t, json.NewDecoder(res.Body).Decode(&ids))
	if res.StatusCode != 200 || ids.RepresentativeOf["acct-suspect"] != "p-suspect" || ids.RepresentativeOf["p-suspect"] != "p-suspect" {
		t.Errorf("identities: %d %+v; want the account collapsed into the person", res.StatusCode, ids)
	}
}

func TestIdentitiesPageLinkedAndInSpanish(t *testing.T) {
	f := newFixture(t)
	f.seedIdentityRun(t)
	cookie, _ := f.session(f.users["analyst-m"])
	if b := body(t, f.get("/cases/"+itoa(f.caseID), cookie)); !strings.Contains(b, `href="`+f.identitiesPath()+`"`) {
		t.Error("the case dashboard has no link to the identities page")
	}
	b := body(t, f.get(f.identitiesPath(), cookie, "Accept-Language", "es"))
	for _, want := range []string{"Identidades", "Misma persona", "No es la misma", "Motivo (obligatorio)", "70% de coincidencia"} {
		if !strings.Contains(b, want) {
			t.Errorf("Spanish identities page lacks %q", want)
		}
	}
}

func TestIdentitiesSplitAScoredMerge(t *testing.T) {
	f := newFixture(t)
	ctx, sys := context.Background(), rastro.SystemActor("test")
	must(t, f.db.PutEntity(ctx, sys, &rastro.Entity{ID: "acct-suspect", CaseID: f.caseID, Schema: "UserAccount", Caption: "Juanito", CaseRole: rastro.CaseRoleUnknown}))
	run := identity.Run{Records: 2, Threshold: 0.9, Schemas: map[string]string{"acct-suspect": "UserAccount", "p-suspect": "Person"},
		Pairs: []resolve.PairScore{{A: "acct-suspect", B: "p-suspect", Weight: 6, Probability: 0.98}}}
	b, err := json.Marshal(run)
	must(t, err)
	must(t, f.db.SaveIdentityRun(ctx, sys, &rastro.IdentityRun{CaseID: f.caseID, Result: b}))
	cookie, csrf := f.session(f.users["analyst-m"])
	page := body(t, f.get(f.identitiesPath(), cookie))
	if identityCount(page) != 1 || strings.Count(page, `data-testid="split"`) != 1 {
		t.Fatalf("scored merge: %d identities, want 1 with one split form (for the account, not the person)", identityCount(page))
	}
	form := url.Values{"a": {"acct-suspect"}, "b": {"p-suspect"}, "verdict": {"not_same"}, "reason": {"the account belongs to his brother"}}
	if res := f.postForm("/cases/"+itoa(f.caseID)+"/judgements", cookie, csrf, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("split: %d", res.StatusCode)
	}
	if page := body(t, f.get(f.identitiesPath(), cookie)); identityCount(page) != 0 {
		t.Errorf("after splitting: %d identities, want 0", identityCount(page))
	}
}
