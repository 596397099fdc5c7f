package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rastro/rastro"
)

// findingsPath is the case's findings page.
func (f *fixture) findingsPath() string { return "/cases/" + itoa(f.caseID) + "/findings" }

// findingEntry cuts the entity list item of id out of a findings page.
func findingEntry(t *testing.T, page, id string) string {
	t.Helper()
	i := strings.Index(page, "/entities/"+id+`"`)
	if i < 0 {
		t.Fatalf("no link to entity %s", id)
	}
	start := strings.LastIndex(page[:i], "<li")
	end := strings.Index(page[i:], "</li>")
	return page[start : i+end]
}

func TestFindingsPageMarksVictims(t *testing.T) {
	f := newFixture(t)
	cookie, _ := f.session(f.users["caseworker-m"])
	if b := body(t, f.get("/cases/"+itoa(f.caseID), cookie)); !strings.Contains(b, `href="`+f.findingsPath()+`"`) {
		t.Error("dashboard has no link to the findings")
	}
	b := body(t, f.get(f.findingsPath(), cookie))
	for _, want := range []string{"Many senders to one account", "Twelve payments", "money.fan_in", "Severity 4", ">new<"} {
		if !strings.Contains(b, want) {
			t.Errorf("findings page lacks %q", want)
		}
	}
	v := findingEntry(t, b, f.victim.ID)
	if !strings.Contains(v, "badge-victim") || !strings.Contains(v, `class="victim"`) || strings.Contains(v, "suspect") {
		t.Errorf("victim entry not marked as victim only: %s", v)
	}
	if s := findingEntry(t, b, f.entity.ID); !strings.Contains(s, "badge-suspect") || strings.Contains(s, "badge-victim") {
		t.Errorf("suspect entry: %s", s)
	}
	if n := len(f.auditActions("view_victim")); n != 0 {
		t.Errorf("listing findings wrote %d view_victim audit events", n)
	}
}

func TestFindingsTriageThroughUI(t *testing.T) {
	f := newFixture(t)
	u := f.users["analyst-m"]
	cookie, csrf := f.session(u)
	form := url.Values{"triage": {"dismissed"}, "back": {"kind=money.fan_in"}}
	res := f.postForm(f.findingsPath()+"/"+itoa(f.findingID)+"/triage", cookie, csrf, form)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != f.findingsPath()+"?kind=money.fan_in" {
		t.Fatalf("triage: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if b := body(t, f.get(f.findingsPath()+"?triage=dismissed", cookie)); !strings.Contains(b, `data-testid="triage-state">dismissed<`) {
		t.Error("dismissed finding not listed under triage=dismissed")
	}
	if b := body(t, f.get(f.findingsPath()+"?triage=new", cookie)); strings.Contains(b, "Many senders") {
		t.Error("dismissed finding still listed under triage=new")
	}
	if b := body(t, f.get(f.findingsPath()+"?kind=hash.match", cookie)); strings.Contains(b, "Many senders") {
		t.Error("kind filter lets another kind through")
	}
	au := f.auditActions("triage")
	if len(au) != 1 || au[0].UserID != u.ID || au[0].Object != "finding:"+itoa(f.findingID) || au[0].Details != "dismissed" {
		t.Errorf("triage audit: %+v", au)
	}
	res = f.postForm(f.findingsPath()+"/"+itoa(f.findingID)+"/triage", cookie, csrf, url.Values{"triage": {"guilty"}})
	if b := body(t, res); res.StatusCode != http.StatusBadRequest || !strings.Contains(b, "Triage must be") {
		t.Errorf("bad triage state: %d", res.StatusCode)
	}
}

func TestFindingsTriageThroughAPI(t *testing.T) {
	f := newFixture(t)
	u := f.users["investigator-m"]
	path := "/api/v1/cases/" + itoa(f.caseID) + "/findings/" + itoa(f.findingID)
	patch := func(token, b string) *http.Response {
		req := httpRequest("PATCH", path, b)
		req.Header.Set("Authorization", "Bearer "+token)
		return f.do(req)
	}
	ro, _ := f.apiToken(u, "read")
	if res := patch(ro, `{"triage":"confirmed"}`); res.StatusCode != http.StatusForbidden {
		t.Errorf("read-only token: %d, want 403", res.StatusCode)
	}
	rw, _ := f.apiToken(u, "write")
	res := patch(rw, `{"triage":"confirmed"}`)
	var got rastro.Finding
	must(t, json.NewDecoder(res.Body).Decode(&got))
	if res.StatusCode != 200 || got.ID != f.findingID || got.Triage != rastro.TriageConfirmed {
		t.Fatalf("patch: %d %+v", res.StatusCode, got)
	}
	if res := patch(rw, `{"triage":"maybe"}`); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad state: %d, want 400", res.StatusCode)
	}
	if res := patch(rw, `{"state":"new"}`); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown field: %d, want 400", res.StatusCode)
	}
	if len(f.auditActions("triage")) != 1 {
		t.Error("API triage not audited once")
	}
}

func TestFindingsPageInSpanish(t *testing.T) {
	f := newFixture(t)
	cookie, _ := f.session(f.users["analyst-m"])
	b := body(t, f.get(f.findingsPath(), cookie, "Accept-Language", "es"))
	for _, want := range []string{"Hallazgos", "nunca un veredicto", "Cambiar triaje", ">nuevo<"} {
		if !strings.Contains(b, want) {
			t.Errorf("Spanish findings page lacks %q", want)
		}
	}
}

// httpRequest builds a JSON request.
func httpRequest(method, path, b string) *http.Request {
	req, _ := http.NewRequest(method, path, strings.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = "192.0.2.1:1234"
	return req
}
