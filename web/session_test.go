package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/auth"
)

// sessionCookieOf returns the session cookie set by res.
func sessionCookieOf(t *testing.T, res *http.Response) *http.Cookie {
	t.Helper()
	for _, c := range res.Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	t.Fatalf("no %s cookie set (status %d)", sessionCookie, res.StatusCode)
	return nil
}

// login posts the login form and returns the response.
func (f *fixture) login(user, pw, oldCookie string) *http.Response {
	f.t.Helper()
	return f.postForm("/login", oldCookie, "", url.Values{"username": {user}, "password": {pw}})
}

func TestLoginSetsSecureCookie(t *testing.T) {
	for _, tls := range []bool{false, true} {
		f := newFixture(t)
		f.srv.cfg.TLS = tls
		res := f.login("analyst-m", testPassword, "")
		c := sessionCookieOf(t, res)
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure != tls {
			t.Errorf("tls=%v: cookie flags HttpOnly=%v SameSite=%v Path=%q Secure=%v", tls, c.HttpOnly, c.SameSite, c.Path, c.Secure)
		}
		if _, err := f.db.SessionByHash(context.Background(), auth.HashToken(c.Value)); err != nil {
			t.Errorf("no server-side session for the cookie: %v", err)
		}
		if got := res.Header.Get("Location"); got != "/cases" {
			t.Errorf("redirect to %q, want /cases", got)
		}
	}
}

func TestLoginRejectsWrongPasswordAndAudits(t *testing.T) {
	f := newFixture(t)
	res := f.login("analyst-m", "wrong password!", "")
	b := body(t, res)
	if res.StatusCode != 401 || !strings.Contains(b, "Wrong username or password") {
		t.Fatalf("status %d: %s", res.StatusCode, b)
	}
	for _, c := range res.Cookies() {
		if c.Name == sessionCookie && c.Value != "" {
			t.Fatal("failed login set a session cookie")
		}
	}
	if strings.Contains(f.logBuf.String(), "wrong password!") {
		t.Fatal("password written to the log")
	}
	evs, err := f.db.AuditEvents(context.Background(), rastro.SystemActor("test"), rastro.AuditFilter{Action: "login_failed"})
	must(t, err)
	if len(evs) == 0 || evs[0].Remote != "192.0.2.1" {
		t.Fatalf("login_failed audit events: %+v", evs)
	}
}

func TestSessionFixation(t *testing.T) {
	f := newFixture(t)
	old, _ := f.session(f.users["analyst-m"])
	res := f.login("analyst-m", testPassword, old)
	c := sessionCookieOf(t, res)
	if c.Value == old {
		t.Fatal("login kept the session token the browser presented")
	}
	if res := f.get("/cases", old); res.StatusCode != 303 {
		t.Fatalf("old session still works after login: %d", res.StatusCode)
	}
	if res := f.get("/cases", c.Value); res.StatusCode != 200 {
		t.Fatalf("new session: %d", res.StatusCode)
	}
}

func TestLogoutDeletesServerSession(t *testing.T) {
	f := newFixture(t)
	cookie, csrf := f.session(f.users["analyst-m"])
	res := f.postForm("/logout", cookie, csrf, nil)
	if res.StatusCode != 303 {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	if _, err := f.db.SessionByHash(context.Background(), auth.HashToken(cookie)); rastro.ErrorCode(err) != rastro.ENOTFOUND {
		t.Fatalf("session still in the store after logout: %v", err)
	}
	if res := f.get("/api/v1/me", cookie); res.StatusCode != 401 {
		t.Fatalf("cookie after logout: %d, want 401", res.StatusCode)
	}
}

func TestExpiredSessionRejected(t *testing.T) {
	tests := []struct {
		name    string
		advance time.Duration
		want    int
	}{
		{"fresh", time.Minute, 200},
		{"idle", 31 * time.Minute, 401},
		{"absolute", 13 * time.Hour, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			res := f.login("analyst-m", testPassword, "")
			c := sessionCookieOf(t, res)
			if tt.name == "absolute" {
				// Keep it active so only the absolute limit can end it.
				for range 26 {
					f.now = f.now.Add(29 * time.Minute)
					f.get("/api/v1/me", c.Value)
				}
				f.now = f.now.Add(tt.advance - 26*29*time.Minute)
			} else {
				f.now = f.now.Add(tt.advance)
			}
			if res := f.get("/api/v1/me", c.Value); res.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.want)
			}
		})
	}
}

func TestCSRF(t *testing.T) {
	f := newFixture(t)
	u := f.users["analyst-m"]
	cookie, csrf := f.session(u)
	form := func(tok string) *http.Response {
		return f.postForm("/cases", cookie, tok, url.Values{"title": {"Caso CSRF"}, "jurisdiction": {"MX"}})
	}
	if res := form(""); res.StatusCode != 403 {
		t.Errorf("missing token: %d, want 403", res.StatusCode)
	}
	if res := form("wrong-token"); res.StatusCode != 403 {
		t.Errorf("wrong token: %d, want 403", res.StatusCode)
	}
	if res := form(csrf); res.StatusCode != 303 {
		t.Errorf("right token: %d, want 303", res.StatusCode)
	}
	// The header works too (htmx), for JSON API calls with a cookie.
	req := httptest.NewRequest("POST", "/api/v1/cases", strings.NewReader(`{"title":"Caso API","jurisdiction":"MX"}`))
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
	req.Header.Set("X-CSRF-Token", csrf)
	if res := f.do(req); res.StatusCode != 201 {
		t.Errorf("header token: %d, want 201: %s", res.StatusCode, body(t, res))
	}
	// Cross-site requests are refused even with the right token.
	req = httptest.NewRequest("POST", "/cases", strings.NewReader("title=x&csrf_token="+csrf))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
	if res := f.do(req); res.StatusCode != 403 {
		t.Errorf("cross-site: %d, want 403", res.StatusCode)
	}
	req = httptest.NewRequest("POST", "/login", strings.NewReader("username=analyst-m&password="+testPassword))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	if res := f.do(req); res.StatusCode != 403 {
		t.Errorf("cross-origin login: %d, want 403", res.StatusCode)
	}
	cases, _ := f.db.Cases(context.Background(), rastro.ActorOf(u))
	for _, c := range cases {
		if c.Title == "x" {
			t.Error("cross-site request created a case")
		}
	}
}

func TestBearerToken(t *testing.T) {
	f := newFixture(t)
	u := f.users["analyst-m"]
	secret, tk := f.apiToken(u, rastro.ScopeRead, rastro.ScopeWrite)
	bearer := func(method, path, b string) *http.Response {
		req := httptest.NewRequest(method, path, strings.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+secret)
		return f.do(req)
	}
	if res := bearer("POST", "/api/v1/cases", `{"title":"Caso bearer","jurisdiction":"MX"}`); res.StatusCode != 201 {
		t.Fatalf("bearer write without CSRF: %d: %s", res.StatusCode, body(t, res))
	}
	if res := bearer("GET", "/api/v1/tokens", ""); res.StatusCode != 403 {
		t.Errorf("bearer on a session-only route: %d, want 403", res.StatusCode)
	}
	if res := bearer("GET", "/cases", ""); res.StatusCode != 403 {
		t.Errorf("bearer on a UI route: %d, want 403", res.StatusCode)
	}
	readOnly, _ := f.apiToken(u, rastro.ScopeRead)
	req := httptest.NewRequest("POST", "/api/v1/cases", strings.NewReader(`{"title":"no"}`))
	req.Header.Set("Authorization", "Bearer "+readOnly)
	if res := f.do(req); res.StatusCode != 403 {
		t.Errorf("read-only token writing: %d, want 403", res.StatusCode)
	}
	must(t, f.db.RevokeAPIToken(context.Background(), rastro.ActorOf(u), tk.ID))
	if res := bearer("GET", "/api/v1/me", ""); res.StatusCode != 401 {
		t.Errorf("revoked token: %d, want 401", res.StatusCode)
	}
	if strings.Contains(f.logBuf.String(), secret) {
		t.Error("token written to the log")
	}
}

func TestLockout(t *testing.T) {
	f := newFixture(t)
	lock := f.srv.Authenticator().Lockout
	for range lock.Threshold {
		f.login("investigator-m", "not the password", "")
	}
	res := f.login("investigator-m", testPassword, "")
	if b := body(t, res); res.StatusCode != 429 || !strings.Contains(b, "locked") {
		t.Fatalf("right password on a locked account: %d: %s", res.StatusCode, b)
	}
	f.now = f.now.Add(lock.Duration + time.Minute)
	f.db.Now = func() time.Time { return f.now }
	if res := f.login("investigator-m", testPassword, ""); res.StatusCode != 303 {
		t.Fatalf("after the lock-out: %d", res.StatusCode)
	}
	evs, err := f.db.AuditEvents(context.Background(), rastro.SystemActor("test"), rastro.AuditFilter{Action: "login_failed"})
	must(t, err)
	if len(evs) < lock.Threshold {
		t.Fatalf("%d login_failed events, want ≥ %d", len(evs), lock.Threshold)
	}
}

func TestLoginRateLimit(t *testing.T) {
	f := newFixture(t)
	f.srv.Authenticator().Limiter = auth.NewLimiter(3, time.Minute, func() time.Time { return f.now })
	for i := range 3 {
		f.login("nobody-"+itoa(int64(i)), "x", "")
	}
	if res := f.login("analyst-m", testPassword, ""); res.StatusCode != 429 {
		t.Fatalf("fourth attempt from one address: %d, want 429", res.StatusCode)
	}
}
