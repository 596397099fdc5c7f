package screen_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rastro/rastro"
	"github.com/rastro/rastro/screen"
)

// roles is a fixed role lookup: "v1" is a possible victim, "v2" a victim,
// "acc-v1" the possible victim's account, everyone else a suspect.
func roles(id string) rastro.CaseRole {
	switch id {
	case "v1", "acc-v1":
		return rastro.CaseRolePossibleVictim
	case "v2":
		return rastro.CaseRoleVictim
	}
	return rastro.CaseRoleSuspect
}

func finding() *rastro.Finding {
	return &rastro.Finding{CaseID: 7, Kind: "money.fan_in", Title: "Fan-in", Explanation: "Many payers.",
		Severity: 3, EntityIDs: []string{"s1", "acc-v1", "v2"}}
}

func lead() *screen.Override {
	return &screen.Override{By: rastro.Actor{UserID: 4, Username: "lead", Role: rastro.RoleInvestigator},
		Member: rastro.MemberLead, CaseID: 7, EntityIDs: []string{"v2"},
		Reason: "Victim-offender overlap: recruited two others after March (statement 12).", At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func TestProtectMovesVictimsOutOfSubjects(t *testing.T) {
	f := finding()
	p, err := screen.Protect(f, roles, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"s1"}, p.Subjects); diff != "" {
		t.Errorf("subjects (-want +got):\n%s", diff)
	}
	want := []screen.ProtectedEntity{{ID: "acc-v1", Role: rastro.CaseRolePossibleVictim}, {ID: "v2", Role: rastro.CaseRoleVictim}}
	if diff := cmp.Diff(want, p.Victims); diff != "" {
		t.Errorf("victims (-want +got):\n%s", diff)
	}
	if !strings.Contains(p.Finding.Explanation, "Entity v2 is recorded as a (possible) victim") {
		t.Errorf("explanation does not say v2 is protected: %q", p.Finding.Explanation)
	}
	if p.Audit != nil {
		t.Errorf("audit record without override: %+v", p.Audit)
	}
	if !p.Sealed() || (&screen.ProtectedFinding{Finding: f}).Sealed() {
		t.Error("only Protect may seal a ProtectedFinding")
	}
	if f.Explanation != "Many payers." {
		t.Errorf("Protect changed its input: %q", f.Explanation)
	}
}

func TestProtectIsIdempotent(t *testing.T) {
	p1, err := screen.Protect(finding(), roles, nil)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := screen.Protect(p1.Finding, roles, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p1.Finding.Explanation != p2.Finding.Explanation {
		t.Errorf("second Protect changed the explanation:\n%q\n%q", p1.Finding.Explanation, p2.Finding.Explanation)
	}
}

func TestProtectOverride(t *testing.T) {
	p, err := screen.Protect(finding(), roles, lead())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"s1", "v2"}, p.Subjects); diff != "" {
		t.Errorf("subjects (-want +got):\n%s", diff)
	}
	if len(p.Victims) != 1 || p.Victims[0].ID != "acc-v1" {
		t.Errorf("override must cover only the named victim; victims = %+v", p.Victims)
	}
	if p.Audit == nil || p.Audit.Action != screen.AuditActionOverride || p.Audit.Object != "entity:v2" ||
		p.Audit.Purpose == "" || p.Audit.UserID != 4 || p.Audit.CaseID != 7 {
		t.Errorf("audit record = %+v", p.Audit)
	}
}

func TestProtectRejectsBadOverrides(t *testing.T) {
	tests := []struct {
		name   string
		change func(o *screen.Override)
		code   string
	}{
		{"analyst", func(o *screen.Override) { o.By.Role = rastro.RoleAnalyst }, rastro.EFORBIDDEN},
		{"caseworker", func(o *screen.Override) { o.By.Role = rastro.RoleCaseworker }, rastro.EFORBIDDEN},
		{"system actor", func(o *screen.Override) { o.By = rastro.SystemActor("cli") }, rastro.EFORBIDDEN},
		{"not lead", func(o *screen.Override) { o.Member = rastro.MemberMember }, rastro.EFORBIDDEN},
		{"other case", func(o *screen.Override) { o.CaseID = 8 }, rastro.EFORBIDDEN},
		{"no reason", func(o *screen.Override) { o.Reason = "  " }, rastro.EINVALID},
		{"short reason", func(o *screen.Override) { o.Reason = "because" }, rastro.EINVALID},
		{"no entities", func(o *screen.Override) { o.EntityIDs = nil }, rastro.EINVALID},
		{"no time", func(o *screen.Override) { o.At = time.Time{} }, rastro.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := lead()
			tt.change(o)
			_, err := screen.Protect(finding(), roles, o)
			if got := rastro.ErrorCode(err); got != tt.code {
				t.Errorf("error code = %q (%v), want %q", got, err, tt.code)
			}
		})
	}
}

func TestProtectNeedsInputs(t *testing.T) {
	if _, err := screen.Protect(nil, roles, nil); rastro.ErrorCode(err) != rastro.EINVALID {
		t.Errorf("nil finding: %v", err)
	}
	if _, err := screen.Protect(finding(), nil, nil); rastro.ErrorCode(err) != rastro.EINVALID {
		t.Errorf("nil roles: %v", err)
	}
}

func TestCheckRoleChange(t *testing.T) {
	o := lead()
	o.EntityIDs = []string{"v1"}
	tests := []struct {
		name      string
		from, to  rastro.CaseRole
		override  *screen.Override
		code      string
		wantAudit bool
	}{
		{"victim to suspect without override", rastro.CaseRolePossibleVictim, rastro.CaseRoleSuspect, nil, rastro.EFORBIDDEN, false},
		{"victim to person of interest", rastro.CaseRoleVictim, rastro.CaseRolePersonOfInt, nil, rastro.EFORBIDDEN, false},
		{"victim to suspect with override", rastro.CaseRolePossibleVictim, rastro.CaseRoleSuspect, o, "", true},
		{"victim to witness", rastro.CaseRoleVictim, rastro.CaseRoleWitness, nil, "", false},
		{"unknown to suspect", rastro.CaseRoleUnknown, rastro.CaseRoleSuspect, nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc, err := screen.CheckRoleChange(7, "v1", tt.from, tt.to, tt.override)
			if got := rastro.ErrorCode(err); got != tt.code {
				t.Fatalf("error code = %q (%v), want %q", got, err, tt.code)
			}
			if (rc.Audit != nil) != tt.wantAudit {
				t.Errorf("audit = %+v, want audit %v", rc.Audit, tt.wantAudit)
			}
		})
	}
}

func TestRolesFromEntities(t *testing.T) {
	ents := []*rastro.Entity{
		{ID: "victim", Schema: "Person", CaseRole: rastro.CaseRolePossibleVictim},
		{ID: "boss", Schema: "Person", CaseRole: rastro.CaseRoleSuspect},
		{ID: "phone-v", Schema: "Identifier"},
		{ID: "ad-1", Schema: "Document"},
		{ID: "acct-v", Schema: "BankAccount", Statements: []*rastro.Statement{{Prop: "holder", Value: "victim"}}},
		{ID: "acct-boss", Schema: "BankAccount"},
	}
	links := []*rastro.Link{
		{Schema: "uses", SourceID: "victim", TargetID: "phone-v"},
		{Schema: "appears_in", SourceID: "phone-v", TargetID: "ad-1"},
		{Schema: "Ownership", SourceID: "boss", TargetID: "acct-boss"},
		{Schema: "Payment", SourceID: "acct-v", TargetID: "acct-boss"},
	}
	roles := screen.RolesFromEntities(ents, links)
	want := map[string]rastro.CaseRole{
		"victim": rastro.CaseRolePossibleVictim, "phone-v": rastro.CaseRolePossibleVictim, "ad-1": rastro.CaseRolePossibleVictim,
		"acct-v": rastro.CaseRolePossibleVictim, "boss": rastro.CaseRoleSuspect, "acct-boss": rastro.CaseRoleUnknown, "nobody": rastro.CaseRoleUnknown,
	}
	for id, w := range want {
		if got := roles(id); got != w {
			t.Errorf("%s: %s, want %s", id, got, w)
		}
	}
	// An alert on money from the victim's account to the boss's shows the
	// victim as victim and keeps the boss's account as subject.
	p, err := screen.Protect(&rastro.Finding{CaseID: 1, Kind: "money.fan_in", Title: "t", EntityIDs: []string{"acct-boss", "acct-v"}}, roles, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Subjects) != 1 || p.Subjects[0] != "acct-boss" || len(p.Victims) != 1 || p.Victims[0].ID != "acct-v" {
		t.Errorf("subjects %v victims %v", p.Subjects, p.Victims)
	}
}

func TestReprotectKeepsStoredOverrideOnly(t *testing.T) {
	created, err := screen.Protect(finding(), roles, lead())
	if err != nil {
		t.Fatal(err)
	}
	// Later "s1" is recorded as a possible victim too.
	later := func(id string) rastro.CaseRole {
		if id == "s1" {
			return rastro.CaseRolePossibleVictim
		}
		return roles(id)
	}
	p, err := screen.Reprotect(created.Finding, later, created.Overrode)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"v2"}, p.Subjects); diff != "" {
		t.Errorf("subjects (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"v2"}, p.Overrode); diff != "" {
		t.Errorf("overrode (-want +got):\n%s", diff)
	}
	if len(p.Victims) != 2 || p.Audit != nil {
		t.Errorf("victims %v, audit %v", p.Victims, p.Audit)
	}
}
