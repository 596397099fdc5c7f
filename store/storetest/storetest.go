// Package storetest is the conformance suite every Rastro store must pass.
// Backends call Run from their tests with a function that opens a fresh,
// empty, migrated store; the suite runs on SQLite in every `go test` and on
// PostgreSQL when TEST_POSTGRES_DSN is set.
package storetest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/store"
)

// Run runs the suite. open must return a fresh, empty, migrated store for
// each call and arrange for it to be closed (t.Cleanup).
func Run(t *testing.T, open func(t *testing.T) *store.DB) {
	tests := []struct {
		name string
		fn   func(t *testing.T, f *fixture)
	}{
		{"Migrated", testMigrated},
		{"Agencies", testAgencies},
		{"Users", testUsers},
		{"UpdateUser", testUpdateUser},
		{"Login", testLogin},
		{"Sessions", testSessions},
		{"APITokens", testAPITokens},
		{"Cases", testCases},
		{"Members", testMembers},
		{"NonMemberSeesNothing", testNonMember},
		{"RolePolicy", testRolePolicy},
		{"Evidence", testEvidence},
		{"Records", testRecords},
		{"PutEntityIdempotent", testPutEntityIdempotent},
		{"PutEntityKeepsRole", testPutEntityKeepsRole},
		{"PutEntityRollback", testPutEntityRollback},
		{"PutEntities", testPutEntities},
		{"Bulk", testBulk},
		{"BulkConcurrent", testBulkConcurrent},
		{"StoreParsed", testStoreParsed},
		{"StoreParsedLinkTimes", testStoreParsedLinkTimes},
		{"ParseReports", testParseReports},
		{"EntitySearch", testEntitySearch},
		{"ForEachEntity", testForEachEntity},
		{"VictimViewAudited", testVictimViewAudited},
		{"SetCaseRole", testSetCaseRole},
		{"Links", testLinks},
		{"Findings", testFindings},
		{"AuditAppendOnly", testAuditAppendOnly},
		{"AuditEvents", testAuditEvents},
		{"Reports", testReports},
		{"CaseStats", testCaseStats},
		{"Jobs", testJobs},
		{"JobRetry", testJobRetry},
		{"JobLeaseExpiry", testJobLeaseExpiry},
		{"JobConcurrentClaim", testJobConcurrentClaim},
		{"JobsVisibility", testJobsVisibility},
		{"MoneyPresets", testMoneyPresets},
		{"MoneyLinks", testMoneyLinks},
	}
	tests = append(tests, protectTests...)
	tests = append(tests, dataVersionTests...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, newFixture(t, open(t)))
		})
	}
	runCustody(t, open)
	runScreening(t, open)
	runIdentity(t, open)
}

// fixture is a store with an agency, one user per role, an outsider
// investigator and a case led by the investigator with the analyst, the
// caseworker and the auditor as members.
type fixture struct {
	db                                                       *store.DB
	ctx                                                      context.Context
	clock                                                    *clock
	sys                                                      rastro.Actor
	agency                                                   *rastro.Agency
	admin, inv, analyst, worker, auditor, provider, outsider rastro.Actor
	caseID                                                   int64
}

// clock is a settable time source for the store.
type clock struct{ t time.Time }

func (c *clock) now() time.Time            { return c.t }
func (c *clock) advance(d time.Duration)   { c.t = c.t.Add(d) }
func (c *clock) set(t time.Time) time.Time { c.t = t; return t }

// newFixture fills db with the fixture's agency, users and case.
func newFixture(t testing.TB, db *store.DB) *fixture {
	t.Helper()
	c := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	db.Now = c.now
	f := &fixture{db: db, ctx: t.Context(), clock: c, sys: rastro.SystemActor("test setup")}
	f.agency = &rastro.Agency{Name: "Unidad de Prueba", Country: "mx", Kind: rastro.AgencyPolice}
	must(t, db.CreateAgency(f.ctx, f.sys, f.agency))
	f.admin = f.user(t, "admin", rastro.RoleAdmin)
	f.inv = f.user(t, "ines", rastro.RoleInvestigator)
	f.analyst = f.user(t, "ana", rastro.RoleAnalyst)
	f.worker = f.user(t, "carla", rastro.RoleCaseworker)
	f.auditor = f.user(t, "aude", rastro.RoleAuditor)
	f.provider = f.user(t, "pablo", rastro.RoleProvider)
	f.outsider = f.user(t, "otto", rastro.RoleInvestigator)
	cs := &rastro.Case{Title: "Operación Ficticia", Jurisdiction: "MX"}
	must(t, db.CreateCase(f.ctx, f.inv, cs))
	f.caseID = cs.ID
	for _, a := range []rastro.Actor{f.analyst, f.worker, f.auditor} {
		must(t, db.AddMember(f.ctx, f.inv, &rastro.CaseMember{CaseID: cs.ID, UserID: a.UserID, Role: rastro.MemberMember}))
	}
	return f
}

// user creates a user with the given role and returns its actor.
func (f *fixture) user(t testing.TB, name string, role rastro.Role) rastro.Actor {
	t.Helper()
	u := &rastro.User{AgencyID: f.agency.ID, Username: name, DisplayName: "Test " + name, Role: role, PasswordHash: "x"}
	must(t, f.db.CreateUser(f.ctx, f.sys, u))
	return rastro.ActorOf(u)
}

// must fails the test on err.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantCode fails the test unless err carries the code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := rastro.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// hash returns the SHA-256 of s.
func hash(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// hexHash returns the lowercase hex SHA-256 of s.
func hexHash(s string) string {
	return fmt.Sprintf("%x", hash(s))
}

// count returns the number of rows of a table, read directly.
func (f *fixture) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	must(t, f.db.SQL().QueryRowContext(f.ctx, "SELECT COUNT(*) FROM "+table).Scan(&n))
	return n
}

// person returns a Person entity with one name statement.
func person(caseID int64, id, name string, role rastro.CaseRole) *rastro.Entity {
	return &rastro.Entity{CaseID: caseID, ID: id, Schema: "Person", Caption: name, CaseRole: role,
		Statements: []*rastro.Statement{{Prop: "name", Value: name, Origin: rastro.OriginAnalyst, Confidence: 1}}}
}
