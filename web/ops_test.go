package web

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
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
	req := httptest.NewRequest("GET", "/metrics", nil)
	req.RemoteAddr = "127.0.0.1:40000"
	res := f.do(req)
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

// TestMetricsAccess: without a metrics token only direct loopback clients
// read /metrics; with one, only requests that carry it.
func TestMetricsAccess(t *testing.T) {
	f := newFixture(t)
	const token = "metrics-token-not-secret-0123456789"
	withToken := New(Config{Version: "test", MetricsToken: token}, f.db, slog.New(slog.DiscardHandler)).Handler()
	tests := []struct {
		name   string
		h      http.Handler
		remote string
		hdr    map[string]string
		want   int
	}{
		{"loopback, no token configured", f.h, "127.0.0.1:40000", nil, http.StatusOK},
		{"IPv6 loopback", f.h, "[::1]:40000", nil, http.StatusOK},
		{"remote client", f.h, "192.0.2.1:1234", nil, http.StatusForbidden},
		{"through a reverse proxy", f.h, "127.0.0.1:40000", map[string]string{"X-Forwarded-For": "198.51.100.7"}, http.StatusForbidden},
		{"through a proxy (Forwarded)", f.h, "127.0.0.1:40000", map[string]string{"Forwarded": "for=198.51.100.7"}, http.StatusForbidden},
		{"token configured, none sent", withToken, "127.0.0.1:40000", nil, http.StatusUnauthorized},
		{"token configured, wrong one", withToken, "192.0.2.1:1234", map[string]string{"Authorization": "Bearer nope"}, http.StatusUnauthorized},
		{"token configured, right one", withToken, "192.0.2.1:1234", map[string]string{"Authorization": "Bearer " + token}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/healthz", nil)) // something to count
			req := httptest.NewRequest("GET", "/metrics", nil)
			req.RemoteAddr = tt.remote
			for k, v := range tt.hdr {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			tt.h.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.want, rec.Body)
			}
			if tt.want == http.StatusOK && !strings.Contains(rec.Body.String(), "rastro_http_requests_total") {
				t.Errorf("no metrics in the body: %.200s", rec.Body)
			}
			if tt.want != http.StatusOK && strings.Contains(rec.Body.String(), "rastro_http_requests_total") {
				t.Errorf("refused request got metrics")
			}
		})
	}
}
