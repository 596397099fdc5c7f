package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rastro/rastro"
)

// apiReq builds an API request authenticated by a session of u with CSRF.
func (f *fixture) apiReq(u *rastro.User, method, path, b string) *http.Request {
	f.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	cookie, csrf := f.session(u)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
	req.Header.Set("X-CSRF-Token", csrf)
	return req
}

func TestProblems(t *testing.T) {
	f := newFixture(t)
	admin := f.users["admin-m"]
	tests := []struct {
		name, method, path, body string
		status                   int
		detail                   string
	}{
		{"malformed JSON", "POST", "/api/v1/agencies", `{"name":`, 400, "truncated JSON"},
		{"syntax error", "POST", "/api/v1/agencies", `{"name" "x"}`, 400, "not valid JSON"},
		{"unknown field", "POST", "/api/v1/agencies", `{"name":"A","country":"MX","kind":"police","colour":"red"}`, 400, `"colour"`},
		{"wrong type", "POST", "/api/v1/agencies", `{"name":5}`, 400, `"name"`},
		{"two objects", "POST", "/api/v1/agencies", `{"name":"A"} {}`, 400, "exactly one"},
		{"oversized", "POST", "/api/v1/agencies", `{"name":"` + strings.Repeat("x", maxBody) + `"}`, 413, "1 MiB"},
		{"bad case id", "GET", "/api/v1/cases/abc", "", 400, "caseID"},
		{"negative user id", "PATCH", "/api/v1/users/-3", `{}`, 400, "userID"},
		{"bad query", "GET", "/api/v1/cases/1/entities?limit=many", "", 400, "limit"},
		{"not found", "GET", "/api/v1/nothing", "", 404, "nothing at this address"},
		{"not a member", "GET", "/api/v1/cases/999", "", 404, "not a member"},
		{"forbidden", "GET", "/api/v1/audit", "", 403, "admin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := f.db.Agencies(context.Background(), rastro.ActorOf(admin))
			res := f.do(f.apiReq(admin, tt.method, tt.path, tt.body))
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			p := decodeProblem(t, res)
			if p.Status != tt.status || p.Title == "" || p.Type == "" || p.Instance == "" || !strings.Contains(p.Detail, tt.detail) {
				t.Errorf("problem %+v, want detail containing %q", p, tt.detail)
			}
			after, _ := f.db.Agencies(context.Background(), rastro.ActorOf(admin))
			if len(after) != len(before) {
				t.Error("a failed request wrote an agency")
			}
		})
	}
}

func TestReportsAndExport(t *testing.T) {
	f := newFixture(t)
	prov := f.users["provider-m"]
	payload := `{"external_id":"tip-0001","incident":"fictional"}`
	res := f.do(f.apiReq(prov, "POST", "/api/v1/reports", payload))
	if res.StatusCode != 201 {
		t.Fatalf("submit report: %d: %s", res.StatusCode, body(t, res))
	}
	var rep rastro.ProviderReport
	must(t, json.NewDecoder(res.Body).Decode(&rep))
	sum := sha256.Sum256([]byte(payload))
	if rep.ID == 0 || rep.SHA256 != hex.EncodeToString(sum[:]) || rep.ExternalID != "tip-0001" {
		t.Errorf("report %+v", rep)
	}
	big := `{"x":"` + strings.Repeat("a", maxReportBody) + `"}`
	if res := f.do(f.apiReq(prov, "POST", "/api/v1/reports", big)); res.StatusCode != 413 {
		t.Errorf("oversized report: %d, want 413", res.StatusCode)
	}
	if res := f.do(f.apiReq(prov, "POST", "/api/v1/reports", `[1,2]`)); res.StatusCode != 400 {
		t.Errorf("non-object report: %d, want 400", res.StatusCode)
	}

	an := f.users["analyst-m"]
	res = f.do(f.apiReq(an, "GET", "/api/v1/cases/"+itoa(f.caseID)+"/export/ftm", ""))
	b := body(t, res)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/x-ndjson" {
		t.Fatalf("export: %d %q: %s", res.StatusCode, res.Header.Get("Content-Type"), b)
	}
	if lines := strings.Count(strings.TrimSpace(b), "\n") + 1; lines < 1 || !strings.Contains(b, `"schema"`) {
		t.Errorf("export body: %s", b)
	}
	evs, err := f.db.AuditEvents(context.Background(), rastro.SystemActor("t"), rastro.AuditFilter{Action: "export"})
	must(t, err)
	if len(evs) != 1 || evs[0].UserID != an.ID || evs[0].CaseID != f.caseID {
		t.Errorf("export audit events: %+v", evs)
	}
}

func TestEntityAPI(t *testing.T) {
	f := newFixture(t)
	an := f.users["analyst-m"]
	res := f.do(f.apiReq(an, "GET", "/api/v1/cases/"+itoa(f.caseID)+"/entities?q=juan", ""))
	var page entityPage
	must(t, json.NewDecoder(res.Body).Decode(&page))
	if page.Total != 1 || len(page.Entities) != 1 || page.Entities[0].ID != f.entity.ID {
		t.Fatalf("search juan: %+v", page)
	}
	res = f.do(f.apiReq(an, "GET", "/api/v1/cases/"+itoa(f.caseID)+"/entities/"+f.entity.ID, ""))
	var ev entityView
	must(t, json.NewDecoder(res.Body).Decode(&ev))
	if len(ev.Entity.Statements) != 1 || ev.Evidence[ev.Entity.Statements[0].EvidenceID] == nil {
		t.Fatalf("entity view without provenance: %+v", ev)
	}
	// An analyst outside the victims' compartment gets the pseudonym, and
	// the attempt is audited; a caseworker opens it, audited with purpose.
	req := f.apiReq(an, "GET", "/api/v1/cases/"+itoa(f.caseID)+"/entities/"+f.victim.ID, "")
	req.Header.Set("X-Rastro-Purpose", "training review")
	res = f.do(req)
	var denied entityView
	must(t, json.NewDecoder(res.Body).Decode(&denied))
	if denied.Entity.Caption == f.victim.Caption || !denied.Entity.Redacted {
		t.Errorf("analyst sees the victim's caption %q (redacted %v)", denied.Entity.Caption, denied.Entity.Redacted)
	}
	evs, err := f.db.AuditEvents(context.Background(), rastro.SystemActor("t"), rastro.AuditFilter{Action: "view_victim_denied"})
	must(t, err)
	if len(evs) == 0 || evs[0].Purpose != "training review" {
		t.Errorf("denied victim view audit with purpose: %+v", evs)
	}
	req = f.apiReq(f.users["caseworker-m"], "GET", "/api/v1/cases/"+itoa(f.caseID)+"/entities/"+f.victim.ID, "")
	req.Header.Set("X-Rastro-Purpose", "referral to shelter")
	res = f.do(req)
	var opened entityView
	must(t, json.NewDecoder(res.Body).Decode(&opened))
	if opened.Entity.Caption != f.victim.Caption {
		t.Errorf("caseworker sees %q, want the victim's name", opened.Entity.Caption)
	}
	evs, err = f.db.AuditEvents(context.Background(), rastro.SystemActor("t"), rastro.AuditFilter{Action: "view_victim"})
	must(t, err)
	if len(evs) == 0 || evs[0].Purpose != "referral to shelter" {
		t.Errorf("victim view audit with purpose: %+v", evs)
	}
}
