package web

import (
	"net/url"
	"strings"
	"testing"
)

// TestThinPath walks login → case list → dashboard → entity list → entity
// page → provenance as a browser would.
func TestThinPath(t *testing.T) {
	f := newFixture(t)
	res := f.postForm("/login", "", "", url.Values{"username": {"analyst-m"}, "password": {testPassword}})
	if res.StatusCode != 303 {
		t.Fatalf("login status %d: %s", res.StatusCode, body(t, res))
	}
	var cookie string
	for _, c := range res.Cookies() {
		if c.Name == sessionCookie {
			cookie = c.Value
		}
	}
	if cookie == "" {
		t.Fatal("no session cookie")
	}
	steps := []struct {
		path string
		want []string
	}{
		{"/cases", []string{`class="case-link"`, "Operación Ficticia"}},
		{"/cases/" + itoa(f.caseID), []string{`data-testid="count-entities">2<`, `data-testid="count-evidence">3<`, "hx-trigger=\"every 2s\""}},
		{"/cases/" + itoa(f.caseID) + "/entities", []string{`class="entity-link"`, "Juan Ficticio", "Possible victim V-", `data-testid="victim-marker"`}},
		{"/cases/" + itoa(f.caseID) + "/entities/p-suspect", []string{`class="provenance"`, "chat-export.txt", "abababababab", "line:12", "Call me at", "90%"}},
		{"/cases/" + itoa(f.caseID) + "/statements/" + itoa(f.stmtID), []string{"provenance", strings.Repeat("ab", 32)}},
	}
	for _, s := range steps {
		res := f.get(s.path, cookie)
		b := body(t, res)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s: %d\n%s\nlog: %s", s.path, res.StatusCode, b, f.logBuf)
		}
		for _, w := range s.want {
			if !strings.Contains(b, w) {
				t.Errorf("GET %s: missing %q", s.path, w)
			}
		}
	}
}
