package web

import (
	"strings"
	"testing"
)

func TestHealthAndReadiness(t *testing.T) {
	f := newFixture(t)
	if res := f.get("/healthz", ""); res.StatusCode != 200 {
		t.Fatalf("healthz %d", res.StatusCode)
	}
	if res := f.get("/readyz", ""); res.StatusCode != 200 {
		t.Fatalf("readyz %d", res.StatusCode)
	}
	must(t, f.db.Close())
	res := f.get("/readyz", "")
	if res.StatusCode != 503 {
		t.Fatalf("readyz with the database closed: %d, want 503", res.StatusCode)
	}
	if p := decodeProblem(t, res); !strings.Contains(p.Detail, "database") {
		t.Errorf("detail %q", p.Detail)
	}
	if res := f.get("/healthz", ""); res.StatusCode != 200 {
		t.Fatalf("healthz with the database closed: %d", res.StatusCode)
	}
	cookie := "rs_whatever"
	if res := f.get("/api/v1/me", cookie); res.StatusCode < 500 && res.StatusCode != 401 {
		t.Errorf("request with database closed: %d", res.StatusCode)
	}
}

func TestMetricsAndAccessLog(t *testing.T) {
	f := newFixture(t)
	cookie, _ := f.session(f.users["analyst-m"])
	f.get("/cases/"+itoa(f.caseID)+"/entities?q=Juan+Ficticio", cookie)
	res := f.get("/metrics", "")
	b := body(t, res)
	if !strings.Contains(b, `rastro_http_requests_total{route="GET /cases/{caseID}/entities",status="200"} 1`) {
		t.Errorf("metrics lack the request by route pattern:\n%s", b)
	}
	log := f.logBuf.String()
	if !strings.Contains(log, `"route":"GET /cases/{caseID}/entities"`) || !strings.Contains(log, `"request_id"`) {
		t.Errorf("access log lacks route or request id: %s", log)
	}
	for _, secret := range []string{"Juan", cookie} {
		if strings.Contains(log, secret) || strings.Contains(b, secret) {
			t.Errorf("log or metrics contain %q", secret)
		}
	}
}
