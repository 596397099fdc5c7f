package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/auth"
)

// expectAllowed is the authorisation policy written from the permission
// table (rastro.RoleCan) and membership alone, independently of the
// middleware: the matrix compares the two.
func expectAllowed(ru rule, role rastro.Role, member bool) bool {
	if ru.public || ru.anyone {
		return true
	}
	if !rastro.RoleCan(role, ru.perm) {
		return false
	}
	return !ru.inCase || member
}

// spotChecks pin down, by hand, which roles (as case members) may call
// some sensitive routes, so that a wrong permission in the table fails too.
var spotChecks = map[string][]rastro.Role{
	"GET /api/v1/audit":                                        {rastro.RoleAuditor},
	"GET /audit":                                               {rastro.RoleAuditor},
	"POST /api/v1/reports":                                     {rastro.RoleProvider},
	"GET /api/v1/reports":                                      {rastro.RoleAdmin, rastro.RoleInvestigator},
	"POST /api/v1/agencies":                                    {rastro.RoleAdmin},
	"GET /api/v1/users":                                        {rastro.RoleAdmin},
	"PATCH /api/v1/users/{userID}":                             {rastro.RoleAdmin},
	"POST /admin/users":                                        {rastro.RoleAdmin},
	"GET /api/v1/cases/{caseID}/entities":                      {rastro.RoleAdmin, rastro.RoleAnalyst, rastro.RoleInvestigator, rastro.RoleCaseworker},
	"GET /api/v1/cases/{caseID}/export/ftm":                    {rastro.RoleAdmin, rastro.RoleAnalyst, rastro.RoleInvestigator, rastro.RoleCaseworker},
	"GET /api/v1/cases/{caseID}/graph":                         {rastro.RoleAdmin, rastro.RoleAnalyst, rastro.RoleInvestigator, rastro.RoleCaseworker},
	"GET /api/v1/cases/{caseID}/graph.graphml":                 {rastro.RoleAdmin, rastro.RoleAnalyst, rastro.RoleInvestigator, rastro.RoleCaseworker},
	"GET /cases/{caseID}/network":                              {rastro.RoleAdmin, rastro.RoleAnalyst, rastro.RoleInvestigator, rastro.RoleCaseworker},
	"POST /api/v1/cases/{caseID}/members":                      {rastro.RoleAdmin, rastro.RoleAnalyst, rastro.RoleInvestigator, rastro.RoleCaseworker},
	"GET /cases/{caseID}/entities/{entityID}":                  {rastro.RoleAdmin, rastro.RoleAnalyst, rastro.RoleInvestigator, rastro.RoleCaseworker},
	"POST /cases/{caseID}/evidence/{evidenceID}/reveal":        {rastro.RoleAdmin, rastro.RoleAnalyst, rastro.RoleInvestigator, rastro.RoleCaseworker},
	"GET /cases/{caseID}/evidence/{evidenceID}/content":        {rastro.RoleAdmin, rastro.RoleAnalyst, rastro.RoleInvestigator, rastro.RoleCaseworker},
	"GET /api/v1/cases/{caseID}/evidence/{evidenceID}/content": {rastro.RoleAdmin, rastro.RoleAnalyst, rastro.RoleInvestigator, rastro.RoleCaseworker},
	"PATCH /api/v1/cases/{caseID}/findings/{findingID}":        {rastro.RoleAdmin, rastro.RoleAnalyst, rastro.RoleInvestigator, rastro.RoleCaseworker},
	"POST /api/v1/cases/{caseID}/judgements":                   {rastro.RoleAdmin, rastro.RoleAnalyst, rastro.RoleInvestigator, rastro.RoleCaseworker},
	"POST /cases/{caseID}/judgements/{judgementID}/undo":       {rastro.RoleAdmin, rastro.RoleAnalyst, rastro.RoleInvestigator, rastro.RoleCaseworker},
}

func TestEveryRouteHasARule(t *testing.T) {
	seen := map[string]bool{}
	for _, rt := range (&Server{}).routes() {
		key := rt.method + " " + rt.pattern
		if seen[key] {
			t.Errorf("%s: registered twice", key)
		}
		seen[key] = true
		n := 0
		for _, b := range []bool{rt.rule.public, rt.rule.anyone, rt.rule.perm != ""} {
			if b {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: rule %+v must set exactly one of public, anyone, perm", key, rt.rule)
		}
		if rt.rule.inCase != strings.Contains(rt.pattern, "{caseID}") {
			t.Errorf("%s: inCase=%v does not match the pattern", key, rt.rule.inCase)
		}
		if rt.handler == nil {
			t.Errorf("%s: no handler", key)
		}
	}
	for k := range spotChecks {
		if !seen[k] {
			t.Errorf("spot check %s names no route", k)
		}
	}
}

// matrixRequest builds the request for rt as user u (nil: anonymous).
func (f *fixture) matrixRequest(rt route, u *rastro.User) *http.Request {
	f.t.Helper()
	path := rt.pattern
	switch path {
	case "/static/":
		path = "/static/app.css"
	case "/{$}":
		path = "/"
	}
	tokenID := "999999"
	if u != nil {
		_, tk := f.apiToken(u, "read")
		tokenID = itoa(tk.ID)
	}
	path = strings.NewReplacer("{caseID}", itoa(f.caseID), "{entityID}", f.entity.ID,
		"{statementID}", itoa(f.stmtID), "{userID}", itoa(f.target.ID), "{tokenID}", tokenID,
		"{evidenceID}", itoa(f.imageID), "{findingID}", itoa(f.findingID)).Replace(path)
	var req *http.Request
	switch {
	case !stateChanging(rt.method):
		req = httptest.NewRequest(rt.method, path, nil)
	case strings.HasPrefix(path, "/api/"):
		b := "{}"
		if path == "/api/v1/reports" {
			b = `{"external_id":"fictional-1"}`
		}
		req = httptest.NewRequest(rt.method, path, strings.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
	default:
		form := url.Values{}
		if path == "/login" && u != nil {
			form.Set("username", u.Username)
			form.Set("password", testPassword)
		}
		req = httptest.NewRequest(rt.method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if u != nil {
		cookie, csrf := f.session(u)
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
		req.Header.Set("X-CSRF-Token", csrf)
		// The content route also needs a recent reveal; give every session
		// one, so that only the route's rule decides.
		f.srv.reveals.mark(auth.HashToken(cookie), f.caseID, f.imageID, f.now)
	}
	return req
}

// denied reports whether a response is an authentication or authorisation
// refusal: 401, 403, 404 (what non-members get) or the redirect to login.
func denied(res *http.Response) bool {
	switch res.StatusCode {
	case 401, 403, 404:
		return true
	case 303:
		return strings.HasPrefix(res.Header.Get("Location"), "/login?next=")
	}
	return false
}

// TestAuthorizationMatrix sends every route of the table as every role, as
// case member and non-member, and compares allow/deny with expectAllowed.
func TestAuthorizationMatrix(t *testing.T) {
	f := newFixture(t)
	for _, rt := range f.srv.routes() {
		key := rt.method + " " + rt.pattern
		t.Run(key, func(t *testing.T) {
			if !rt.rule.defined() {
				t.Fatalf("route has no rule")
			}
			for _, role := range rastro.Roles {
				for _, m := range []string{"m", "n"} {
					member := m == "m" && f.member[string(role)]
					req := f.matrixRequest(rt, f.users[string(role)+"-"+m])
					if rt.rule.ownCredentials {
						// The route's own check decides (TestMetricsAccess);
						// users' roles must not matter to it.
						req.RemoteAddr = "127.0.0.1:40000"
					}
					res := f.do(req)
					want := expectAllowed(rt.rule, role, member)
					if got := !denied(res); got != want {
						t.Errorf("%s member=%v: status %d (allowed=%v), want allowed=%v: %s", role, member, res.StatusCode, got, want, body(t, res))
					}
					if res.StatusCode >= 500 {
						t.Errorf("%s member=%v: status %d", role, member, res.StatusCode)
					}
					if roles, ok := spotChecks[key]; ok && member {
						if hand := containsRole(roles, role); hand != !denied(res) {
							t.Errorf("%s (member): spot check says allowed=%v, got status %d", role, hand, res.StatusCode)
						}
					}
				}
			}
			f.checkAnonymous(t, rt)
		})
	}
}

// checkAnonymous asserts that a request without credentials gets 401 (API)
// or the login redirect (UI) on every non-public route.
func (f *fixture) checkAnonymous(t *testing.T, rt route) {
	t.Helper()
	req := f.matrixRequest(rt, nil)
	if rt.rule.ownCredentials {
		req.RemoteAddr = "127.0.0.1:40000" // see TestMetricsAccess
	}
	res := f.do(req)
	switch {
	case rt.rule.public:
		// POST /login without credentials answers 401 (wrong credentials),
		// which is the login's verdict, not the guard's.
		if res.StatusCode == 403 || denied(res) && res.StatusCode != 401 {
			t.Errorf("anonymous on public route: %d", res.StatusCode)
		}
	case strings.HasPrefix(rt.pattern, "/api/"):
		if res.StatusCode != 401 {
			t.Errorf("anonymous API: %d, want 401", res.StatusCode)
		}
	default:
		if res.StatusCode != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
			t.Errorf("anonymous UI: %d to %q, want 303 to /login", res.StatusCode, res.Header.Get("Location"))
		}
	}
}

// containsRole reports whether r is in rs.
func containsRole(rs []rastro.Role, r rastro.Role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}
