package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/auth"
	"github.com/rastro/rastro/custody"
	"github.com/rastro/rastro/sqlite"
	"github.com/rastro/rastro/store"
	"github.com/rastro/rastro/vault"
)

// testPassword is every fixture user's password.
const testPassword = "fictional-pass-1234"

// fastParams keeps password hashing quick in tests; verification reads the
// parameters from the hash, so the code path is the real one.
var fastParams = auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// fixture is a server over a real SQLite store with one user per role and
// membership, a case with an entity, a statement and evidence.
type fixture struct {
	t      testing.TB
	db     *store.DB
	srv    *Server
	h      http.Handler
	now    time.Time
	agency *rastro.Agency
	users  map[string]*rastro.User // "<role>-m" members, "<role>-n" non-members
	member map[string]bool         // whether "<role>-m" really is a member
	target *rastro.User            // a user routes about users act on
	caseID int64
	entity *rastro.Entity
	victim *rastro.Entity
	stmtID int64
	logBuf *strings.Builder
	// Evidence with content in the vault, custody keys and a finding.
	vault     *vault.Vault
	keys      *custody.Keys
	imageID   int64 // a (fictional, generated) PNG
	textID    int64 // a text file
	findingID int64 // names the suspect and the possible victim
}

// newFixture opens a store in t.TempDir() and fills it.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "rastro.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{t: t, db: db, now: time.Now(), users: map[string]*rastro.User{}, member: map[string]bool{}, logBuf: &strings.Builder{}}
	f.vault, f.keys = newTestVault(t), newTestKeys(t)
	log := slog.New(slog.NewJSONHandler(f.logBuf, nil))
	f.srv = New(Config{Version: "test", Now: func() time.Time { return f.now }, Blobs: f.vault, CustodyKey: f.keys.VerifierKey}, db, log)
	f.srv.Authenticator().Limiter = auth.NewLimiter(1000, time.Minute, func() time.Time { return f.now })
	f.h = f.srv.Handler()
	f.seed(ctx)
	return f
}

// seed creates the agency, users, case and case data.
func (f *fixture) seed(ctx context.Context) {
	t, sys := f.t, rastro.SystemActor("test")
	t.Helper()
	f.agency = &rastro.Agency{Name: "Unidad Ficticia", Country: "MX", Kind: rastro.AgencyPolice}
	must(t, f.db.CreateAgency(ctx, sys, f.agency))
	for _, r := range rastro.Roles {
		for _, m := range []string{"m", "n"} {
			f.users[string(r)+"-"+m] = f.addUser(ctx, string(r)+"-"+m, r)
		}
	}
	f.target = f.addUser(ctx, "target-user", rastro.RoleAnalyst)
	c := &rastro.Case{AgencyID: f.agency.ID, Title: "Operación Ficticia", Jurisdiction: "MX", Status: rastro.CaseOpen}
	must(t, f.db.CreateCase(ctx, sys, c))
	f.caseID = c.ID
	for _, r := range rastro.Roles {
		u := f.users[string(r)+"-m"]
		err := f.db.AddMember(ctx, sys, &rastro.CaseMember{CaseID: c.ID, UserID: u.ID, Role: rastro.MemberLead})
		f.member[string(r)] = err == nil
	}
	f.seedEntities(ctx)
	f.seedContent(ctx)
}

// seedEntities adds evidence, a record, a suspect and a possible victim.
func (f *fixture) seedEntities(ctx context.Context) {
	t, sys := f.t, rastro.SystemActor("test")
	ev := &rastro.Evidence{CaseID: f.caseID, SHA256: strings.Repeat("ab", 32), Size: 10, MediaType: "text/plain",
		OriginalName: "chat-export.txt", Source: "seized phone (fictional)", AcquiredAt: f.now}
	_, err := f.db.CreateEvidence(ctx, sys, ev)
	must(t, err)
	rec := &rastro.Record{CaseID: f.caseID, EvidenceID: ev.ID, Kind: "message", Locator: "line:12", Text: "Call me at +52 55 0000 0000 (fictional)"}
	must(t, f.db.CreateRecords(ctx, sys, f.caseID, []*rastro.Record{rec}))
	f.entity = &rastro.Entity{ID: "p-suspect", CaseID: f.caseID, Schema: "Person", Caption: "Juan Ficticio", CaseRole: rastro.CaseRoleSuspect,
		Statements: []*rastro.Statement{{Prop: "name", Value: "Juan Ficticio", EvidenceID: ev.ID, RecordID: rec.ID, Locator: "line:12", Origin: rastro.OriginParser, Confidence: 0.9}}}
	must(t, f.db.PutEntity(ctx, sys, f.entity))
	f.victim = &rastro.Entity{ID: "p-victim", CaseID: f.caseID, Schema: "Person", Caption: "Ana Ficticia", CaseRole: rastro.CaseRolePossibleVictim,
		Statements: []*rastro.Statement{{Prop: "name", Value: "Ana Ficticia", EvidenceID: ev.ID, Origin: rastro.OriginAnalyst, Confidence: 1}}}
	must(t, f.db.PutEntity(ctx, sys, f.victim))
	e, err := f.db.Entity(ctx, sys, f.caseID, f.entity.ID)
	must(t, err)
	f.stmtID = e.Statements[0].ID
}

// addUser creates a user with testPassword.
func (f *fixture) addUser(ctx context.Context, name string, r rastro.Role) *rastro.User {
	f.t.Helper()
	h, err := auth.HashPasswordParams(testPassword, fastParams)
	must(f.t, err)
	u := &rastro.User{AgencyID: f.agency.ID, Username: name, DisplayName: "Ficticio " + name, Role: r, PasswordHash: h}
	must(f.t, f.db.CreateUser(ctx, rastro.SystemActor("test"), u))
	return u
}

// session creates a server-side session for u directly in the store and
// returns its cookie value and CSRF token.
func (f *fixture) session(u *rastro.User) (cookie, csrf string) {
	f.t.Helper()
	tok, hash := auth.NewToken(auth.PrefixSession)
	csrf, _ = auth.NewToken("")
	s := &rastro.Session{TokenHash: hash, UserID: u.ID, CSRFToken: csrf, CreatedAt: f.now, ExpiresAt: f.now.Add(time.Hour), LastSeen: f.now}
	must(f.t, f.db.CreateSession(context.Background(), s))
	return tok, csrf
}

// apiToken creates an API token for u with scopes and returns its secret.
func (f *fixture) apiToken(u *rastro.User, scopes ...string) (string, *rastro.APIToken) {
	f.t.Helper()
	secret, hash := auth.NewToken(auth.PrefixAPI)
	tk := &rastro.APIToken{UserID: u.ID, Name: "test", Prefix: secret[:9], Hash: hash, Scopes: scopes, CreatedAt: f.now}
	must(f.t, f.db.CreateAPIToken(context.Background(), rastro.ActorOf(u), tk))
	return secret, tk
}

// do sends req to the handler and returns the response.
func (f *fixture) do(req *http.Request) *http.Response {
	f.t.Helper()
	if req.RemoteAddr == "" || req.RemoteAddr == "192.0.2.1:1234" {
		req.RemoteAddr = "192.0.2.1:1234"
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec.Result()
}

// get sends a GET with the session cookie (if any).
func (f *fixture) get(path, cookie string, hdr ...string) *http.Response {
	f.t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return f.do(req)
}

// postForm sends a form POST with cookie and csrf_token (when not "").
func (f *fixture) postForm(path, cookie, csrf string, form url.Values) *http.Response {
	f.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if csrf != "" {
		form.Set("csrf_token", csrf)
	}
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
	}
	return f.do(req)
}

// body reads the response body.
func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	must(t, err)
	return string(b)
}

// decodeProblem reads a problem+json response.
func decodeProblem(t *testing.T, res *http.Response) problem {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json", ct)
	}
	var p problem
	must(t, json.NewDecoder(res.Body).Decode(&p))
	return p
}

// must fails the test on err.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
