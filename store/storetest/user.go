package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rastro/rastro"
)

func testMigrated(t *testing.T, f *fixture) {
	var n int
	must(t, f.db.SQL().QueryRowContext(f.ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = '0001_init'`).Scan(&n))
	if n != 1 {
		t.Fatalf("schema_migrations has %d rows for 0001_init, want 1", n)
	}
	must(t, f.db.Ping(f.ctx))
}

func testAgencies(t *testing.T, f *fixture) {
	got, err := f.db.AgencyByID(f.ctx, f.inv, f.agency.ID)
	must(t, err)
	if diff := cmp.Diff(f.agency, got); diff != "" {
		t.Errorf("AgencyByID (-created +read):\n%s", diff)
	}
	if got.Country != "MX" {
		t.Errorf("country = %q, want it upper-cased to MX", got.Country)
	}
	_, err = f.db.AgencyByID(f.ctx, f.inv, 9999)
	wantCode(t, err, rastro.ENOTFOUND)
	wantCode(t, f.db.CreateAgency(f.ctx, f.inv, &rastro.Agency{Name: "X", Country: "ES"}), rastro.EFORBIDDEN)
	wantCode(t, f.db.CreateAgency(f.ctx, f.admin, &rastro.Agency{Name: "unidad de prueba", Country: "ES"}), rastro.ECONFLICT)
	bad := []struct {
		name string
		a    rastro.Agency
	}{
		{"empty name", rastro.Agency{Country: "ES"}},
		{"country three letters", rastro.Agency{Name: "A", Country: "ESP"}},
		{"country digits", rastro.Agency{Name: "A", Country: "12"}},
		{"unknown kind", rastro.Agency{Name: "A", Country: "ES", Kind: "club"}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, f.db.CreateAgency(f.ctx, f.admin, &tt.a), rastro.EINVALID)
		})
	}
	ngo := &rastro.Agency{Name: "Albergue Ficticio", Country: "es", Kind: rastro.AgencyNGO}
	must(t, f.db.CreateAgency(f.ctx, f.admin, ngo))
	list, err := f.db.Agencies(f.ctx, f.provider)
	must(t, err)
	if len(list) != 2 || list[0].Name != "Albergue Ficticio" {
		t.Errorf("Agencies = %d, first %q; want 2 sorted by name", len(list), list[0].Name)
	}
}

func testUsers(t *testing.T, f *fixture) {
	u, err := f.db.UserByUsername(f.ctx, "INES")
	must(t, err)
	if u.ID != f.inv.UserID || u.Role != rastro.RoleInvestigator || u.PasswordHash != "x" {
		t.Errorf("UserByUsername(INES) = %+v", u)
	}
	_, err = f.db.UserByUsername(f.ctx, "nobody")
	wantCode(t, err, rastro.ENOTFOUND)
	byID, err := f.db.UserByID(f.ctx, f.inv, f.inv.UserID)
	must(t, err)
	if diff := cmp.Diff(u, byID); diff != "" {
		t.Errorf("UserByID differs from UserByUsername:\n%s", diff)
	}
	// A fellow member may see the user; an outsider may not.
	_, err = f.db.UserByID(f.ctx, f.analyst, f.inv.UserID)
	must(t, err)
	_, err = f.db.UserByID(f.ctx, f.outsider, f.inv.UserID)
	wantCode(t, err, rastro.ENOTFOUND)

	list, err := f.db.Users(f.ctx, f.admin)
	must(t, err)
	if len(list) != 7 {
		t.Errorf("Users = %d, want 7", len(list))
	}
	_, err = f.db.Users(f.ctx, f.inv)
	wantCode(t, err, rastro.EFORBIDDEN)

	wantCode(t, f.db.CreateUser(f.ctx, f.admin, &rastro.User{AgencyID: f.agency.ID, Username: "Ines", Role: rastro.RoleAnalyst}), rastro.ECONFLICT)
	wantCode(t, f.db.CreateUser(f.ctx, f.inv, &rastro.User{AgencyID: f.agency.ID, Username: "new", Role: rastro.RoleAnalyst}), rastro.EFORBIDDEN)
	bad := []struct {
		name string
		u    rastro.User
	}{
		{"empty username", rastro.User{AgencyID: f.agency.ID, Role: rastro.RoleAnalyst}},
		{"space in username", rastro.User{AgencyID: f.agency.ID, Username: "a b", Role: rastro.RoleAnalyst}},
		{"unknown role", rastro.User{AgencyID: f.agency.ID, Username: "a", Role: "boss"}},
		{"unknown language", rastro.User{AgencyID: f.agency.ID, Username: "a", Role: rastro.RoleAnalyst, Language: "fr"}},
		{"no agency", rastro.User{Username: "a", Role: rastro.RoleAnalyst}},
		{"missing agency", rastro.User{AgencyID: 999, Username: "a", Role: rastro.RoleAnalyst}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, f.db.CreateUser(f.ctx, f.admin, &tt.u), rastro.EINVALID)
		})
	}
}

func testUpdateUser(t *testing.T, f *fixture) {
	u, err := f.db.UserByID(f.ctx, f.admin, f.analyst.UserID)
	must(t, err)
	// The user may change the language, not the role.
	self := *u
	self.Language = "es"
	must(t, f.db.UpdateUser(f.ctx, f.analyst, &self))
	self.Role = rastro.RoleAdmin
	wantCode(t, f.db.UpdateUser(f.ctx, f.analyst, &self), rastro.EFORBIDDEN)
	// The admin changes the role: audited.
	upd := self
	upd.Role = rastro.RoleInvestigator
	upd.DisplayName = "Ana Nueva"
	must(t, f.db.UpdateUser(f.ctx, f.admin, &upd))
	got, err := f.db.UserByID(f.ctx, f.admin, f.analyst.UserID)
	must(t, err)
	if got.Role != rastro.RoleInvestigator || got.Language != "es" || got.DisplayName != "Ana Nueva" {
		t.Errorf("after update: %+v", got)
	}
	evs, err := f.db.AuditEvents(f.ctx, f.auditor, rastro.AuditFilter{Action: "role_change"})
	must(t, err)
	if len(evs) != 1 || evs[0].Details != "analyst -> investigator" || evs[0].UserID != f.admin.UserID {
		t.Errorf("role_change audit = %+v", evs)
	}
	upd.Role = "boss"
	wantCode(t, f.db.UpdateUser(f.ctx, f.admin, &upd), rastro.EINVALID)
	must(t, f.db.SetPassword(f.ctx, f.analyst, f.analyst.UserID, "new-hash"))
	wantCode(t, f.db.SetPassword(f.ctx, f.analyst, f.inv.UserID, "h"), rastro.EFORBIDDEN)
	wantCode(t, f.db.SetPassword(f.ctx, f.admin, 999, "h"), rastro.ENOTFOUND)
}

func testLogin(t *testing.T, f *fixture) {
	lock := f.clock.t.Add(15 * time.Minute)
	must(t, f.db.RecordLogin(f.ctx, f.inv.UserID, false, time.Time{}, "192.0.2.1"))
	must(t, f.db.RecordLogin(f.ctx, f.inv.UserID, false, lock, "192.0.2.1"))
	u, err := f.db.UserByUsername(f.ctx, "ines")
	must(t, err)
	if u.FailedLogins != 2 || !u.LockedUntil.Equal(lock) {
		t.Errorf("after 2 failures: failed=%d locked=%v, want 2 and %v", u.FailedLogins, u.LockedUntil, lock)
	}
	must(t, f.db.RecordLogin(f.ctx, f.inv.UserID, true, time.Time{}, "192.0.2.1"))
	u, err = f.db.UserByUsername(f.ctx, "ines")
	must(t, err)
	if u.FailedLogins != 0 || !u.LockedUntil.IsZero() {
		t.Errorf("after success: failed=%d locked=%v, want reset", u.FailedLogins, u.LockedUntil)
	}
	failed, err := f.db.AuditEvents(f.ctx, f.sys, rastro.AuditFilter{Action: "login_failed"})
	must(t, err)
	ok, err := f.db.AuditEvents(f.ctx, f.sys, rastro.AuditFilter{Action: "login"})
	must(t, err)
	if len(failed) != 2 || len(ok) != 1 || ok[0].Username != "ines" || ok[0].Remote != "192.0.2.1" {
		t.Errorf("audit: %d login_failed, %d login (%+v)", len(failed), len(ok), ok)
	}
	wantCode(t, f.db.RecordLogin(f.ctx, 999, true, time.Time{}, ""), rastro.ENOTFOUND)
}

func testSessions(t *testing.T, f *fixture) {
	s := &rastro.Session{TokenHash: hash("cookie"), UserID: f.inv.UserID, CSRFToken: "csrf", ExpiresAt: f.clock.t.Add(time.Hour)}
	must(t, f.db.CreateSession(f.ctx, s))
	got, err := f.db.SessionByHash(f.ctx, hash("cookie"))
	must(t, err)
	if diff := cmp.Diff(s, got); diff != "" {
		t.Errorf("SessionByHash (-created +read):\n%s", diff)
	}
	_, err = f.db.SessionByHash(f.ctx, hash("other"))
	wantCode(t, err, rastro.ENOTFOUND)
	seen := f.clock.t.Add(time.Minute)
	must(t, f.db.TouchSession(f.ctx, hash("cookie"), seen))
	got, err = f.db.SessionByHash(f.ctx, hash("cookie"))
	must(t, err)
	if !got.LastSeen.Equal(seen) {
		t.Errorf("LastSeen = %v, want %v", got.LastSeen, seen)
	}
	wantCode(t, f.db.TouchSession(f.ctx, hash("other"), seen), rastro.ENOTFOUND)
	f.clock.advance(2 * time.Hour)
	_, err = f.db.SessionByHash(f.ctx, hash("cookie"))
	wantCode(t, err, rastro.ENOTFOUND)
	must(t, f.db.DeleteSession(f.ctx, hash("cookie")))
	must(t, f.db.DeleteSession(f.ctx, hash("cookie")))
	if n := f.count(t, "sessions"); n != 0 {
		t.Errorf("%d sessions after delete", n)
	}
	wantCode(t, f.db.CreateSession(f.ctx, &rastro.Session{TokenHash: []byte("short"), UserID: f.inv.UserID, ExpiresAt: f.clock.t}), rastro.EINVALID)
	wantCode(t, f.db.CreateSession(f.ctx, &rastro.Session{TokenHash: hash("x"), UserID: 999, ExpiresAt: f.clock.t.Add(time.Hour)}), rastro.EINVALID)
}

func testAPITokens(t *testing.T, f *fixture) {
	tok := &rastro.APIToken{Name: "ingest script", Prefix: "rst_abcd", Hash: hash("secret"), Scopes: []string{"read", "write"}}
	must(t, f.db.CreateAPIToken(f.ctx, f.inv, tok))
	if tok.UserID != f.inv.UserID {
		t.Errorf("token user = %d, want the actor %d", tok.UserID, f.inv.UserID)
	}
	got, err := f.db.APITokenByHash(f.ctx, hash("secret"))
	must(t, err)
	if got.ID != tok.ID || !cmp.Equal(got.Scopes, tok.Scopes) || !got.LastUsed.Equal(f.clock.t) {
		t.Errorf("APITokenByHash = %+v", got)
	}
	list, err := f.db.APITokens(f.ctx, f.inv, f.inv.UserID)
	must(t, err)
	if len(list) != 1 {
		t.Errorf("APITokens = %d, want 1", len(list))
	}
	_, err = f.db.APITokens(f.ctx, f.analyst, f.inv.UserID)
	wantCode(t, err, rastro.EFORBIDDEN)
	wantCode(t, f.db.RevokeAPIToken(f.ctx, f.analyst, tok.ID), rastro.ENOTFOUND)
	must(t, f.db.RevokeAPIToken(f.ctx, f.inv, tok.ID))
	_, err = f.db.APITokenByHash(f.ctx, hash("secret"))
	wantCode(t, err, rastro.ENOTFOUND)

	exp := &rastro.APIToken{Name: "short-lived", Hash: hash("exp"), Scopes: []string{"report"}, ExpiresAt: f.clock.t.Add(time.Hour)}
	must(t, f.db.CreateAPIToken(f.ctx, f.provider, exp))
	_, err = f.db.APITokenByHash(f.ctx, hash("exp"))
	must(t, err)
	f.clock.advance(2 * time.Hour)
	_, err = f.db.APITokenByHash(f.ctx, hash("exp"))
	wantCode(t, err, rastro.ENOTFOUND)

	wantCode(t, f.db.CreateAPIToken(f.ctx, f.inv, &rastro.APIToken{Name: "x", Hash: hash("y"), Scopes: []string{"admin"}}), rastro.EINVALID)
	wantCode(t, f.db.CreateAPIToken(f.ctx, f.inv, &rastro.APIToken{Name: "", Hash: hash("y"), Scopes: []string{"read"}}), rastro.EINVALID)
	wantCode(t, f.db.CreateAPIToken(f.ctx, f.inv, &rastro.APIToken{UserID: f.analyst.UserID, Name: "x", Hash: hash("y"), Scopes: []string{"read"}}), rastro.EFORBIDDEN)
}
