package web

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/rastro/rastro"
)

func TestVictimNeverStyledAsSuspect(t *testing.T) {
	f := newFixture(t)
	cookie, _ := f.session(f.users["caseworker-m"])
	b := body(t, f.get("/cases/"+itoa(f.caseID)+"/entities/"+f.victim.ID, cookie))
	if !strings.Contains(b, `data-testid="victim-notice"`) || !strings.Contains(b, "badge-victim") {
		t.Error("victim page lacks the victim marker")
	}
	if strings.Contains(b, "badge-suspect") || strings.Contains(b, ">suspect<") {
		t.Error("victim page shows a suspect marker")
	}
	b = body(t, f.get("/cases/"+itoa(f.caseID)+"/entities/"+f.entity.ID, cookie))
	if strings.Contains(b, "victim-notice") || !strings.Contains(b, "badge-suspect") {
		t.Error("suspect page marked wrongly")
	}
}

func TestEntityLiveSearchFragment(t *testing.T) {
	f := newFixture(t)
	cookie, _ := f.session(f.users["caseworker-m"])
	res := f.get("/cases/"+itoa(f.caseID)+"/entities?q=ana", cookie, "HX-Request", "true")
	b := body(t, res)
	if strings.Contains(b, "<html") || !strings.Contains(b, `id="entity-results"`) {
		t.Fatalf("htmx request did not get the fragment:\n%s", b)
	}
	if !strings.Contains(b, "Ana Ficticia") || strings.Contains(b, "Juan Ficticio") {
		t.Errorf("caseworker's search for ana: %s", b)
	}
	// Outside the compartment a victim's name is no search key: no oracle.
	cookie, _ = f.session(f.users["analyst-m"])
	if b := body(t, f.get("/cases/"+itoa(f.caseID)+"/entities?q=ana", cookie, "HX-Request", "true")); strings.Contains(b, "entity-link") {
		t.Errorf("analyst's search for a victim's name found something: %s", b)
	}
}

func TestEntityPagination(t *testing.T) {
	f := newFixture(t)
	cookie, _ := f.session(f.users["analyst-m"])
	b := body(t, f.get("/cases/"+itoa(f.caseID)+"/entities?limit=1", cookie))
	if !strings.Contains(b, `rel="next"`) || strings.Contains(b, `rel="prev"`) {
		t.Errorf("first page of two: pager wrong")
	}
	b = body(t, f.get("/cases/"+itoa(f.caseID)+"/entities?limit=1&offset=1", cookie))
	if strings.Contains(b, `rel="next"`) || !strings.Contains(b, `rel="prev"`) {
		t.Errorf("second page of two: pager wrong")
	}
}

func TestTokenShownOnceAndRevoked(t *testing.T) {
	f := newFixture(t)
	u := f.users["investigator-m"]
	cookie, csrf := f.session(u)
	res := f.postForm("/tokens", cookie, csrf, url.Values{"name": {"ingest script"}, "scope": {"read", "write"}})
	b := body(t, res)
	if res.StatusCode != 201 || !strings.Contains(b, `data-testid="new-token"`) || !strings.Contains(b, "rk_") {
		t.Fatalf("create token page: %d", res.StatusCode)
	}
	b = body(t, f.get("/tokens", cookie))
	if strings.Contains(b, "new-token") {
		t.Error("token secret shown again")
	}
	toks, err := f.db.APITokens(context.Background(), rastro.ActorOf(u), u.ID)
	must(t, err)
	if len(toks) != 1 {
		t.Fatalf("%d tokens", len(toks))
	}
	if res := f.postForm("/tokens/"+itoa(toks[0].ID)+"/revoke", cookie, csrf, nil); res.StatusCode != 303 {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	toks, _ = f.db.APITokens(context.Background(), rastro.ActorOf(u), u.ID)
	if toks[0].RevokedAt.IsZero() {
		t.Error("token not revoked")
	}
}

func TestAdminCreatesUserAndChangesRole(t *testing.T) {
	f := newFixture(t)
	cookie, csrf := f.session(f.users["admin-m"])
	res := f.postForm("/admin/users", cookie, csrf, url.Values{"username": {"nueva"}, "display_name": {"Nueva Ficticia"},
		"agency_id": {itoa(f.agency.ID)}, "role": {"analyst"}})
	b := body(t, res)
	if res.StatusCode != 201 || !strings.Contains(b, `data-testid="new-password"`) {
		t.Fatalf("create user: %d\n%s", res.StatusCode, b)
	}
	if res := f.postForm("/admin/users/"+itoa(f.target.ID), cookie, csrf, url.Values{"role": {"investigator"}}); res.StatusCode != 303 {
		t.Fatalf("change role: %d", res.StatusCode)
	}
	u, err := f.db.UserByID(context.Background(), rastro.SystemActor("t"), f.target.ID)
	must(t, err)
	if u.Role != rastro.RoleInvestigator {
		t.Errorf("role %s", u.Role)
	}
	audCookie, _ := f.session(f.users["auditor-m"])
	b = body(t, f.get("/audit?action=role_change", audCookie))
	if !strings.Contains(b, "analyst -&gt; investigator") {
		t.Errorf("audit page lacks the role change:\n%s", b)
	}
}
