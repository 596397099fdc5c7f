package storetest

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rastro/rastro"
	"github.com/rastro/rastro/screen"
)

// protectTests are the victim-protection cases of the suite (issue 8).
var protectTests = []struct {
	name string
	fn   func(t *testing.T, f *fixture)
}{
	{"FindingVictimAccount", testFindingVictimAccount},
	{"FindingOverride", testFindingOverride},
	{"FindingOverrideLater", testFindingOverrideLater},
	{"FindingScrubbed", testFindingScrubbed},
	{"FindingRoleChangedLater", testFindingRoleChangedLater},
	{"CompartmentAnalyst", testCompartmentAnalyst},
	{"CompartmentCaseworker", testCompartmentCaseworker},
	{"CompartmentSearchOracle", testCompartmentSearchOracle},
	{"CompartmentStatement", testCompartmentStatement},
	{"NeedToKnowGrant", testNeedToKnowGrant},
	{"RecordTextScrubbed", testRecordTextScrubbed},
	{"Minors", testMinors},
	{"ProtectMatchesScreen", testProtectMatchesScreen},
}

// victimCase stores a possible victim "v1" (adult, with name, birth date,
// address, gender and nationality), her bank account "acct-v1" (Ownership
// link), her phone "ph-v1" ("uses" link), an account "acct-v1b" whose holder
// statement names her, and a suspect "s1" with account "acct-s1".
func victimCase(t *testing.T, f *fixture) {
	t.Helper()
	v := person(f.caseID, "v1", "María Ficticia Solís", rastro.CaseRolePossibleVictim)
	v.Statements = append(v.Statements,
		stmt("birthDate", "1994-02-03"), stmt("address", "Calle Inventada 12, Puebla"),
		stmt("gender", "female"), stmt("nationality", "hn"))
	must(t, f.db.PutEntity(f.ctx, f.worker, v))
	must(t, f.db.PutEntity(f.ctx, f.inv, person(f.caseID, "s1", "Ramón Sospechoso", rastro.CaseRoleSuspect)))
	for _, e := range []*rastro.Entity{
		{ID: "acct-v1", Schema: "BankAccount", Caption: "MX12 0000 1111", Statements: []*rastro.Statement{stmt("iban", "MX1200001111")}},
		{ID: "acct-v1b", Schema: "BankAccount", Caption: "MX12 0000 2222", Statements: []*rastro.Statement{stmt("holder", "v1")}},
		{ID: "ph-v1", Schema: "Phone", Caption: "+52 222 000 0001", Statements: []*rastro.Statement{stmt("number", "+522220000001")}},
		{ID: "acct-s1", Schema: "BankAccount", Caption: "MX12 0000 9999"},
	} {
		e.CaseID = f.caseID
		must(t, f.db.PutEntity(f.ctx, f.inv, e))
	}
	must(t, f.db.PutLinks(f.ctx, f.inv, f.caseID, []*rastro.Link{
		{ID: "own-v1", Schema: "Ownership", SourceID: "v1", TargetID: "acct-v1", Origin: rastro.OriginAnalyst},
		{ID: "uses-v1", Schema: "uses", SourceID: "v1", TargetID: "ph-v1", Origin: rastro.OriginAnalyst},
		{ID: "own-s1", Schema: "Ownership", SourceID: "s1", TargetID: "acct-s1", Origin: rastro.OriginAnalyst},
		{ID: "pay-1", Schema: "Payment", SourceID: "acct-v1", TargetID: "acct-s1", Amount: "900.00", Currency: "MXN", Origin: rastro.OriginParser},
	}))
}

// stmt returns an analyst statement.
func stmt(prop, value string) *rastro.Statement {
	return &rastro.Statement{Prop: prop, Value: value, Origin: rastro.OriginAnalyst, Confidence: 1}
}

// moneyFinding is a fan-in style finding naming the given accounts.
func moneyFinding(caseID int64, ids ...string) *rastro.Finding {
	return &rastro.Finding{CaseID: caseID, Kind: "money.fan_in", Title: "Payments converge on one account",
		Explanation: "Several accounts pay the same account.", Severity: 4, EntityIDs: ids}
}

// wantProtected checks a finding's subjects and victims.
func wantProtected(t *testing.T, what string, fd *rastro.Finding, subjects, victims []string) {
	t.Helper()
	if !cmp.Equal(fd.SubjectIDs, subjects) || !cmp.Equal(fd.VictimIDs, victims) {
		t.Errorf("%s: subjects %v victims %v, want subjects %v victims %v", what, fd.SubjectIDs, fd.VictimIDs, subjects, victims)
	}
	for _, v := range victims {
		if !strings.Contains(fd.Explanation, "Entity "+v+" is recorded as a (possible) victim") {
			t.Errorf("%s: explanation %q does not say that %s is a victim", what, fd.Explanation, v)
		}
	}
}

// testFindingVictimAccount checks that a money finding naming a possible
// victim's account (through an Ownership link or a holder statement) stores
// the victim side as a victim, never as a subject, on create and on read.
func testFindingVictimAccount(t *testing.T, f *fixture) {
	victimCase(t, f)
	fd := moneyFinding(f.caseID, "acct-s1", "acct-v1", "acct-v1b", "ph-v1")
	must(t, f.db.CreateFinding(f.ctx, f.analyst, fd))
	victims := []string{"acct-v1", "acct-v1b", "ph-v1"}
	wantProtected(t, "created", fd, []string{"acct-s1"}, victims)
	list, err := f.db.Findings(f.ctx, f.analyst, f.caseID)
	must(t, err)
	if len(list) != 1 {
		t.Fatalf("%d findings, want 1", len(list))
	}
	wantProtected(t, "read", list[0], []string{"acct-s1"}, victims)
	if diff := cmp.Diff(fd, list[0]); diff != "" {
		t.Errorf("finding (-created +read):\n%s", diff)
	}
	var stored string
	must(t, f.db.SQL().QueryRowContext(f.ctx, `SELECT victim_ids FROM findings WHERE id = $1`, fd.ID).Scan(&stored))
	if stored != `["acct-v1","acct-v1b","ph-v1"]` {
		t.Errorf("stored victim_ids = %s", stored)
	}
}

// testFindingScrubbed checks that a victim's name or account number written
// into a finding's title or explanation reaches only readers of the
// compartment.
func testFindingScrubbed(t *testing.T, f *fixture) {
	victimCase(t, f)
	fd := moneyFinding(f.caseID, "v1", "acct-v1", "acct-s1")
	fd.Title = "Payments from maría ficticia solís"
	fd.Explanation = "Account MX1200001111 paid MX12 0000 9999 nine times."
	must(t, f.db.CreateFinding(f.ctx, f.inv, fd))
	for _, tt := range []struct {
		actor rastro.Actor
		open  bool
	}{{f.analyst, false}, {f.inv, false}, {f.worker, true}} {
		list, err := f.db.Findings(f.ctx, tt.actor, f.caseID)
		must(t, err)
		got := list[0].Title + "\n" + list[0].Explanation
		shown := strings.Contains(got, "ficticia solís") || strings.Contains(got, "MX1200001111")
		if shown != tt.open || !strings.Contains(got, "MX12 0000 9999") {
			t.Errorf("%s reads %q: victim's data shown %v, want %v (and the suspect's account always)", tt.actor.Username, got, shown, tt.open)
		}
		if !tt.open && !strings.Contains(got, "Payments from Possible victim V-") {
			t.Errorf("%s reads title %q, want the pseudonym in place of the name", tt.actor.Username, list[0].Title)
		}
	}
}

// testFindingOverride checks that only the case's lead investigator, with a
// written reason, can keep a victim as a subject, and that it is audited.
func testFindingOverride(t *testing.T, f *fixture) {
	victimCase(t, f)
	reason := "Recorded recruiting two other women since 2025 (statement 14)."
	wantCode(t, f.db.CreateFindingWithOverride(f.ctx, f.analyst, moneyFinding(f.caseID, "acct-v1"), []string{"acct-v1"}, reason), rastro.EFORBIDDEN)
	wantCode(t, f.db.CreateFindingWithOverride(f.ctx, f.inv, moneyFinding(f.caseID, "acct-v1"), []string{"acct-v1"}, "she did it"), rastro.EINVALID)
	// An investigator who is a member but not the lead may not either.
	must(t, f.db.AddMember(f.ctx, f.inv, &rastro.CaseMember{CaseID: f.caseID, UserID: f.outsider.UserID, Role: rastro.MemberMember}))
	wantCode(t, f.db.CreateFindingWithOverride(f.ctx, f.outsider, moneyFinding(f.caseID, "acct-v1"), []string{"acct-v1"}, reason), rastro.EFORBIDDEN)
	if n := f.count(t, "findings"); n != 0 {
		t.Fatalf("%d findings stored after refused overrides, want 0", n)
	}
	fd := moneyFinding(f.caseID, "acct-s1", "acct-v1", "ph-v1")
	must(t, f.db.CreateFindingWithOverride(f.ctx, f.inv, fd, []string{"acct-v1"}, reason))
	wantProtected(t, "override", fd, []string{"acct-s1", "acct-v1"}, []string{"ph-v1"})
	if !cmp.Equal(fd.OverrideIDs, []string{"acct-v1"}) {
		t.Errorf("OverrideIDs = %v, want [acct-v1]", fd.OverrideIDs)
	}
	list, err := f.db.Findings(f.ctx, f.analyst, f.caseID)
	must(t, err)
	if diff := cmp.Diff([]*rastro.Finding{fd}, list); diff != "" {
		t.Errorf("finding (-created +read):\n%s", diff)
	}
	evs, err := f.db.AuditEvents(f.ctx, f.auditor, rastro.AuditFilter{Action: screen.AuditActionOverride})
	must(t, err)
	if len(evs) != 1 || evs[0].Username != "ines" || evs[0].Purpose != reason || evs[0].Object != "entity:acct-v1" ||
		evs[0].CaseID != f.caseID || !strings.Contains(evs[0].Details, "finding") {
		t.Errorf("override audit events = %+v", evs)
	}
}

// testFindingRoleChangedLater checks that a person recorded as a possible
// victim after a finding was created is shown as a victim when read.
func testFindingRoleChangedLater(t *testing.T, f *fixture) {
	must(t, f.db.PutEntity(f.ctx, f.inv, person(f.caseID, "p1", "Persona Uno", rastro.CaseRoleUnknown)))
	must(t, f.db.PutEntity(f.ctx, f.inv, &rastro.Entity{CaseID: f.caseID, ID: "acct-p1", Schema: "BankAccount"}))
	must(t, f.db.PutLinks(f.ctx, f.inv, f.caseID, []*rastro.Link{
		{ID: "own", Schema: "Ownership", SourceID: "p1", TargetID: "acct-p1", Origin: rastro.OriginAnalyst}}))
	fd := moneyFinding(f.caseID, "p1", "acct-p1")
	must(t, f.db.CreateFinding(f.ctx, f.analyst, fd))
	wantProtected(t, "before", fd, []string{"p1", "acct-p1"}, []string{})
	must(t, f.db.SetCaseRole(f.ctx, f.worker, f.caseID, "p1", rastro.CaseRolePossibleVictim, ""))
	list, err := f.db.Findings(f.ctx, f.inv, f.caseID)
	must(t, err)
	wantProtected(t, "after role change", list[0], []string{}, []string{"p1", "acct-p1"})
}

// testCompartmentAnalyst checks that an analyst sees a pseudonym and only
// non-identifying statements of a possible victim and what identifies her,
// in every read, and that opening her is an audited, denied attempt.
func testCompartmentAnalyst(t *testing.T, f *fixture) {
	victimCase(t, f)
	analyst := f.analyst
	analyst.Purpose = "network analysis"
	e, err := f.db.Entity(f.ctx, analyst, f.caseID, "v1")
	must(t, err)
	if !e.Redacted || !strings.HasPrefix(e.Caption, "Possible victim V-") || e.CaseRole != rastro.CaseRolePossibleVictim {
		t.Errorf("analyst's view: redacted %v caption %q role %q, want a pseudonym and the role", e.Redacted, e.Caption, e.CaseRole)
	}
	if got := props(e); !cmp.Equal(got, []string{"gender", "nationality"}) {
		t.Errorf("analyst sees statements %v, want only gender and nationality", got)
	}
	for _, id := range []string{"acct-v1", "acct-v1b", "ph-v1"} {
		e, err := f.db.Entity(f.ctx, analyst, f.caseID, id)
		must(t, err)
		if !e.Redacted || len(e.Statements) != 0 || !strings.HasPrefix(e.Caption, "Protected ") {
			t.Errorf("analyst's view of %s: %+v, want it redacted (it identifies the victim)", id, e)
		}
	}
	s, err := f.db.Entity(f.ctx, analyst, f.caseID, "acct-s1")
	must(t, err)
	if s.Redacted || s.Caption != "MX12 0000 9999" {
		t.Errorf("suspect's account redacted: %+v", s)
	}
	evs, err := f.db.AuditEvents(f.ctx, f.auditor, rastro.AuditFilter{Action: "view_victim_denied"})
	must(t, err)
	if len(evs) != 4 || evs[3].Object != "entity:v1" || evs[3].Purpose != "network analysis" || evs[3].Username != "ana" {
		t.Errorf("view_victim_denied events = %+v, want 4, the first for v1 with the purpose", evs)
	}
	if evs, _ := f.db.AuditEvents(f.ctx, f.auditor, rastro.AuditFilter{Action: "view_victim"}); len(evs) != 0 {
		t.Errorf("view_victim events for a denied analyst: %+v", evs)
	}
	// Lists and streams carry the same pseudonym and no personal data.
	list, _, err := f.db.Entities(f.ctx, analyst, f.caseID, rastro.EntityFilter{})
	must(t, err)
	captions := map[string]string{}
	for _, x := range list {
		captions[x.ID] = x.Caption
	}
	if captions["v1"] != e.Caption {
		t.Errorf("pseudonym in list %q, in Entity %q: want the same", captions["v1"], e.Caption)
	}
	// Writing the redacted entity back keeps the stored name.
	e.Statements = []*rastro.Statement{stmt("nationality", "gt")}
	must(t, f.db.PutEntity(f.ctx, analyst, e))
	full, err := f.db.Entity(f.ctx, f.worker, f.caseID, "v1")
	must(t, err)
	if full.Caption != "María Ficticia Solís" || len(full.Statements) != 6 {
		t.Errorf("after the analyst saved the redacted entity: caption %q, %d statements; want the name kept and 6",
			full.Caption, len(full.Statements))
	}
	must(t, f.db.ForEachEntity(f.ctx, analyst, f.caseID, func(x *rastro.Entity) error {
		for _, secret := range []string{"María", "Calle Inventada", "1994-02-03", "MX1200001111", "+522220000001", "MX12 0000 1111"} {
			if strings.Contains(x.Caption, secret) || strings.Contains(fmtStatements(x), secret) {
				t.Errorf("ForEachEntity gives the analyst %q in entity %s", secret, x.ID)
			}
		}
		return nil
	}))
}

// props returns the sorted props of e's statements.
func props(e *rastro.Entity) []string {
	var out []string
	for _, s := range e.Statements {
		out = append(out, s.Prop)
	}
	return out
}

// fmtStatements joins e's statement values.
func fmtStatements(e *rastro.Entity) string {
	var b strings.Builder
	for _, s := range e.Statements {
		b.WriteString(s.Value + "\n")
	}
	return b.String()
}

// testCompartmentCaseworker checks that a caseworker and the system actor
// see everything, and that the caseworker's opening is audited with purpose.
func testCompartmentCaseworker(t *testing.T, f *fixture) {
	victimCase(t, f)
	worker := f.worker
	worker.Purpose = "shelter referral"
	e, err := f.db.Entity(f.ctx, worker, f.caseID, "v1")
	must(t, err)
	if e.Redacted || e.Caption != "María Ficticia Solís" || len(e.Statements) != 5 {
		t.Errorf("caseworker's view: %+v, want the full entity", e)
	}
	evs, err := f.db.AuditEvents(f.ctx, f.auditor, rastro.AuditFilter{Action: "view_victim"})
	must(t, err)
	if len(evs) != 1 || evs[0].Purpose != "shelter referral" || evs[0].Object != "entity:v1" {
		t.Errorf("view_victim events = %+v", evs)
	}
	n := 0
	must(t, f.db.ForEachEntity(f.ctx, f.sys, f.caseID, func(x *rastro.Entity) error {
		if x.Redacted {
			t.Errorf("system actor got %s redacted", x.ID)
		}
		n++
		return nil
	}))
	if n != 6 {
		t.Errorf("system actor streamed %d entities, want 6", n)
	}
}

// testCompartmentSearchOracle checks that a search cannot reveal a hidden
// value of a victim to someone outside the compartment.
func testCompartmentSearchOracle(t *testing.T, f *fixture) {
	victimCase(t, f)
	shown, err := f.db.Entity(f.ctx, f.analyst, f.caseID, "v1")
	must(t, err)
	pseudonym := shown.Caption
	for _, tt := range []struct {
		name  string
		actor rastro.Actor
		query string
		want  []string
	}{
		{"analyst by name", f.analyst, "María", []string{}},
		{"analyst by address", f.analyst, "Inventada", []string{}},
		{"analyst by phone", f.analyst, "2220000001", []string{}},
		{"analyst by caption of her account", f.analyst, "0000 1111", []string{}},
		{"analyst by kept gender", f.analyst, "female", []string{"v1"}},
		{"analyst finds suspect", f.analyst, "Ramón", []string{"s1"}},
		{"analyst by pseudonym", f.analyst, "pseudonym", []string{"v1"}},
		{"caseworker by name", f.worker, "María", []string{"v1"}},
		{"caseworker by phone", f.worker, "2220000001", []string{"ph-v1"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.query == "pseudonym" {
				tt.query = strings.TrimPrefix(pseudonym, "Possible victim ")
			}
			list, total, err := f.db.Entities(f.ctx, tt.actor, f.caseID, rastro.EntityFilter{Query: tt.query})
			must(t, err)
			ids := []string{}
			for _, e := range list {
				ids = append(ids, e.ID)
			}
			if !cmp.Equal(ids, tt.want) || total != len(tt.want) {
				t.Errorf("Entities(%q) = %v total %d, want %v", tt.query, ids, total, tt.want)
			}
		})
	}
}

// testCompartmentStatement checks Statement on a victim's personal data.
func testCompartmentStatement(t *testing.T, f *fixture) {
	victimCase(t, f)
	e, err := f.db.Entity(f.ctx, f.sys, f.caseID, "v1")
	must(t, err)
	ids := map[string]int64{}
	for _, s := range e.Statements {
		ids[s.Prop] = s.ID
	}
	_, err = f.db.Statement(f.ctx, f.analyst, f.caseID, ids["birthDate"])
	wantCode(t, err, rastro.EFORBIDDEN)
	g, err := f.db.Statement(f.ctx, f.analyst, f.caseID, ids["gender"])
	must(t, err)
	if g.Value != "female" {
		t.Errorf("gender statement = %+v", g)
	}
	b, err := f.db.Statement(f.ctx, f.worker, f.caseID, ids["birthDate"])
	must(t, err)
	if b.Value != "1994-02-03" {
		t.Errorf("caseworker's birthDate statement = %+v", b)
	}
	denied, err := f.db.AuditEvents(f.ctx, f.auditor, rastro.AuditFilter{Action: "view_victim_denied", UserID: f.analyst.UserID})
	must(t, err)
	if len(denied) != 1 || !strings.Contains(denied[0].Object, "entity:v1") {
		t.Errorf("denied statement views = %+v, want 1", denied)
	}
}

// testNeedToKnowGrant checks that a lead's grant opens the compartment to
// one member until it expires or is revoked, and that both are audited.
func testNeedToKnowGrant(t *testing.T, f *fixture) {
	victimCase(t, f)
	reason := "Preparing the victim's testimony with the prosecutor."
	until := f.clock.t.Add(48 * time.Hour)
	wantCode(t, f.db.GrantNeedToKnow(f.ctx, f.worker, f.caseID, f.analyst.UserID, until, reason), rastro.EFORBIDDEN)
	wantCode(t, f.db.GrantNeedToKnow(f.ctx, f.inv, f.caseID, f.analyst.UserID, until, "because"), rastro.EINVALID)
	wantCode(t, f.db.GrantNeedToKnow(f.ctx, f.inv, f.caseID, f.analyst.UserID, f.clock.t.Add(-time.Hour), reason), rastro.EINVALID)
	wantCode(t, f.db.GrantNeedToKnow(f.ctx, f.inv, f.caseID, f.analyst.UserID, f.clock.t.Add(365*24*time.Hour), reason), rastro.EINVALID)
	wantCode(t, f.db.GrantNeedToKnow(f.ctx, f.inv, f.caseID, f.outsider.UserID, until, reason), rastro.EINVALID)
	wantCode(t, f.db.GrantNeedToKnow(f.ctx, f.outsider, f.caseID, f.analyst.UserID, until, reason), rastro.ENOTFOUND)
	sees := func(want bool, when string) {
		t.Helper()
		e, err := f.db.Entity(f.ctx, f.analyst, f.caseID, "v1")
		must(t, err)
		if got := !e.Redacted && e.Caption == "María Ficticia Solís"; got != want {
			t.Errorf("%s: analyst sees the victim's name: %v, want %v (caption %q)", when, got, want, e.Caption)
		}
		list, _, err := f.db.Entities(f.ctx, f.analyst, f.caseID, rastro.EntityFilter{Query: "María"})
		must(t, err)
		if (len(list) == 1) != want {
			t.Errorf("%s: search by name finds %d, want found=%v", when, len(list), want)
		}
	}
	sees(false, "before the grant")
	must(t, f.db.GrantNeedToKnow(f.ctx, f.inv, f.caseID, f.analyst.UserID, until, reason))
	sees(true, "with the grant")
	grants, err := f.db.NeedToKnowGrants(f.ctx, f.analyst, f.caseID)
	must(t, err)
	if len(grants) != 1 || grants[0].Reason != reason || !grants[0].Until.Equal(until) || grants[0].GrantedBy != f.inv.UserID {
		t.Errorf("grants = %+v", grants)
	}
	f.clock.advance(49 * time.Hour)
	sees(false, "after expiry")
	wantCode(t, f.db.RevokeNeedToKnow(f.ctx, f.inv, f.caseID, f.analyst.UserID), rastro.ENOTFOUND)
	must(t, f.db.GrantNeedToKnow(f.ctx, f.inv, f.caseID, f.analyst.UserID, f.clock.t.Add(time.Hour), reason))
	sees(true, "with a second grant")
	wantCode(t, f.db.RevokeNeedToKnow(f.ctx, f.analyst, f.caseID, f.analyst.UserID), rastro.EFORBIDDEN)
	must(t, f.db.RevokeNeedToKnow(f.ctx, f.inv, f.caseID, f.analyst.UserID))
	sees(false, "after revocation")
	// Leaving the case ends a grant: re-adding the user does not revive it.
	must(t, f.db.GrantNeedToKnow(f.ctx, f.inv, f.caseID, f.analyst.UserID, f.clock.t.Add(time.Hour), reason))
	must(t, f.db.RemoveMember(f.ctx, f.inv, f.caseID, f.analyst.UserID))
	must(t, f.db.AddMember(f.ctx, f.inv, &rastro.CaseMember{CaseID: f.caseID, UserID: f.analyst.UserID, Role: rastro.MemberMember}))
	sees(false, "after leaving and rejoining the case")
	for action, n := range map[string]int{"need_to_know_grant": 3, "need_to_know_revoke": 1} {
		evs, err := f.db.AuditEvents(f.ctx, f.auditor, rastro.AuditFilter{Action: action})
		must(t, err)
		if len(evs) != n || evs[0].Object != "user:"+strconv.FormatInt(f.analyst.UserID, 10) || evs[0].Username != "ines" {
			t.Errorf("%s events = %+v, want %d", action, evs, n)
		}
	}
}

// testMinors checks the stricter defaults for minors: no names or photos to
// anyone but caseworkers, even with a need-to-know grant, whatever their
// role; age at the time of the events when a record dates them.
func testMinors(t *testing.T, f *fixture) {
	ev := &rastro.Evidence{CaseID: f.caseID, SHA256: hexHash("chat 2023"), Size: 9}
	_, err := f.db.CreateEvidence(f.ctx, f.inv, ev)
	must(t, err)
	rec := &rastro.Record{EvidenceID: ev.ID, Kind: "message", Locator: "line:1", Time: time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)}
	must(t, f.db.CreateRecords(f.ctx, f.inv, f.caseID, []*rastro.Record{rec}))
	child := person(f.caseID, "m1", "Niña Ficticia", rastro.CaseRolePossibleVictim)
	child.Statements = append(child.Statements, stmt("birthDate", "2011-05"), stmt("address", "Calle Falsa 1"), stmt("photo", "img-1.jpg"))
	witness := person(f.caseID, "m2", "Chico Testigo", rastro.CaseRoleWitness)
	witness.Statements = append(witness.Statements, stmt("age", "16 años"), stmt("phone", "+52 1"))
	// 19 today, but 16 at the time of the message that mentions him.
	then := person(f.caseID, "m3", "Joven Entonces", rastro.CaseRoleUnknown)
	then.Statements = append(then.Statements, stmt("birthDate", "2007-01-01"),
		&rastro.Statement{Prop: "alias", Value: "el flaco", Origin: rastro.OriginParser, EvidenceID: ev.ID, RecordID: rec.ID, Locator: "line:1"})
	adult := person(f.caseID, "a1", "Adulto Ficticio", rastro.CaseRoleWitness)
	adult.Statements = append(adult.Statements, stmt("birthDate", "2007-01-01"))
	for _, e := range []*rastro.Entity{child, witness, then, adult} {
		must(t, f.db.PutEntity(f.ctx, f.worker, e))
	}
	must(t, f.db.GrantNeedToKnow(f.ctx, f.inv, f.caseID, f.analyst.UserID, f.clock.t.Add(time.Hour), "Preparing the hearing with the prosecutor."))
	for _, tt := range []struct {
		name    string
		actor   rastro.Actor
		id      string
		caption string // "" for a pseudonym
		props   []string
	}{
		{"granted analyst, minor victim", f.analyst, "m1", "", []string{"birthDate", "address"}},
		{"granted analyst, minor witness", f.analyst, "m2", "", []string{"age", "phone"}},
		{"granted analyst, minor at the time", f.analyst, "m3", "", []string{"birthDate"}},
		{"granted analyst, adult", f.analyst, "a1", "Adulto Ficticio", []string{"name", "birthDate"}},
		{"investigator, minor witness", f.inv, "m2", "", []string{"age", "phone"}},
		{"caseworker, minor victim", f.worker, "m1", "Niña Ficticia", []string{"name", "birthDate", "address", "photo"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, err := f.db.Entity(f.ctx, tt.actor, f.caseID, tt.id)
			must(t, err)
			if tt.caption == "" && (!e.Redacted || !strings.Contains(e.Caption, "-")) || tt.caption != "" && e.Caption != tt.caption {
				t.Errorf("caption %q (redacted %v), want %q (\"\" for a pseudonym)", e.Caption, e.Redacted, tt.caption)
			}
			if got := props(e); !cmp.Equal(got, tt.props) {
				t.Errorf("props %v, want %v", got, tt.props)
			}
			if e.Minor != (tt.id != "a1") {
				t.Errorf("Minor = %v", e.Minor)
			}
		})
	}
	list, _, err := f.db.Entities(f.ctx, f.inv, f.caseID, rastro.EntityFilter{Query: "Chico"})
	must(t, err)
	if len(list) != 0 {
		t.Errorf("investigator finds the minor witness by name: %v", list)
	}
}

// testProtectMatchesScreen checks, on a pseudo-random graph, that the
// store's targeted SQL computes the same protection as
// screen.RolesFromEntities over the whole case.
func testProtectMatchesScreen(t *testing.T, f *fixture) {
	rng := rand.New(rand.NewPCG(8, 2026))
	roles := []rastro.CaseRole{rastro.CaseRoleUnknown, rastro.CaseRoleUnknown, rastro.CaseRoleUnknown,
		rastro.CaseRoleSuspect, rastro.CaseRolePossibleVictim, rastro.CaseRoleVictim}
	schemas := []string{"uses", "Ownership", "appears_in", "Payment", "Associate"}
	const n = 60
	ids := make([]string, n)
	for i := range n {
		ids[i] = fmt.Sprintf("e%02d", i)
	}
	for i, id := range ids {
		e := &rastro.Entity{CaseID: f.caseID, ID: id, Schema: "Thing", CaseRole: roles[rng.IntN(len(roles))]}
		if i > 0 && rng.IntN(8) == 0 {
			e.Statements = []*rastro.Statement{stmt("owner", ids[rng.IntN(i)])}
		}
		must(t, f.db.PutEntity(f.ctx, f.sys, e))
	}
	var links []*rastro.Link
	for i := range 70 {
		links = append(links, &rastro.Link{ID: fmt.Sprintf("l%02d", i), Schema: schemas[rng.IntN(len(schemas))],
			SourceID: ids[rng.IntN(n)], TargetID: ids[rng.IntN(n)], Origin: rastro.OriginAlgorithm})
	}
	must(t, f.db.PutLinks(f.ctx, f.sys, f.caseID, links))
	var ents []*rastro.Entity
	must(t, f.db.ForEachEntity(f.ctx, f.sys, f.caseID, func(e *rastro.Entity) error { ents = append(ents, e); return nil }))
	fd := &rastro.Finding{CaseID: f.caseID, Kind: "test.all", Title: "Every entity", Severity: 1, EntityIDs: ids}
	want, err := screen.Protect(fd, screen.RolesFromEntities(ents, links), nil)
	must(t, err)
	must(t, f.db.CreateFinding(f.ctx, f.sys, fd))
	var wantVictims []string
	for _, v := range want.Victims {
		wantVictims = append(wantVictims, v.ID)
	}
	if len(wantVictims) < 10 {
		t.Fatalf("only %d victims in the random graph: the test would prove little", len(wantVictims))
	}
	if diff := cmp.Diff(wantVictims, fd.VictimIDs); diff != "" {
		t.Errorf("victims (-screen.RolesFromEntities +store):\n%s", diff)
	}
	if diff := cmp.Diff(want.Subjects, fd.SubjectIDs); diff != "" {
		t.Errorf("subjects (-screen.RolesFromEntities +store):\n%s", diff)
	}
}

// testRecordTextScrubbed: a message naming a possible victim, her phone (in
// another writing), her e-mail and her handle reads, for an analyst, with
// her pseudonym and "[redacted phone]"; a caseworker and an analyst with a
// need-to-know grant read it as written; a chat account saved under her
// short name shows the pseudonym in lists and statements too.
func testRecordTextScrubbed(t *testing.T, f *fixture) {
	victimCase(t, f)
	v, err := f.db.Entity(f.ctx, f.worker, f.caseID, "v1")
	must(t, err)
	v.Statements = append(v.Statements, stmt("email", "maria.ficticia@example.org"), stmt("alias", "mari_flor"))
	must(t, f.db.PutEntity(f.ctx, f.worker, v))
	acct := &rastro.Entity{ID: "wa-maria", CaseID: f.caseID, Schema: "UserAccount", Caption: "María Ficticia",
		Statements: []*rastro.Statement{stmt("username", "María Ficticia")}}
	must(t, f.db.PutEntity(f.ctx, f.inv, acct))
	ev := &rastro.Evidence{CaseID: f.caseID, SHA256: hexHash("chat with her"), Size: 9}
	_, err = f.db.CreateEvidence(f.ctx, f.inv, ev)
	must(t, err)
	text := "Ramón Sospechoso: María Ficticia Solís llega mañana, su número es 222-000-0001, correo maria.ficticia@example.org, IG @mari_flor"
	rec := &rastro.Record{EvidenceID: ev.ID, Kind: "message", Locator: "line:1", Text: text}
	must(t, f.db.CreateRecords(f.ctx, f.inv, f.caseID, []*rastro.Record{rec}))

	w, err := f.db.Entity(f.ctx, f.analyst, f.caseID, "v1")
	must(t, err)
	pseudo := w.Caption
	want := "Ramón Sospechoso: " + pseudo + " llega mañana, su número es [redacted phone], correo " + pseudo + ", IG " + pseudo
	got, err := f.db.RecordByID(f.ctx, f.analyst, f.caseID, rec.ID)
	must(t, err)
	if got.Text != want {
		t.Errorf("analyst reads record text\n%q\nwant\n%q", got.Text, want)
	}
	must(t, f.db.ForEachRecord(f.ctx, f.analyst, f.caseID, func(r *rastro.Record) error {
		if r.ID == rec.ID && r.Text != want {
			t.Errorf("analyst streams record text\n%q\nwant\n%q", r.Text, want)
		}
		return nil
	}))
	// A payment's description naming her reads the same way.
	pay := &rastro.Link{ID: "pay-v1", Schema: "Payment", SourceID: "acct-s1", TargetID: "acct-v1", Amount: "10.00",
		Origin: rastro.OriginImport, Description: "TRANSFERENCIA A María Ficticia Solís"}
	must(t, f.db.PutLinks(f.ctx, f.inv, f.caseID, []*rastro.Link{pay}))
	for _, a := range []rastro.Actor{f.analyst, f.worker} {
		wantDesc := pay.Description
		if a.UserID == f.analyst.UserID {
			wantDesc = "TRANSFERENCIA A " + pseudo
		}
		all, err := f.db.Links(f.ctx, a, f.caseID, "acct-v1")
		must(t, err)
		money, err := f.db.MoneyLinks(f.ctx, a, f.caseID, "")
		must(t, err)
		for _, l := range append(all, money...) {
			if l.ID == pay.ID && l.Description != wantDesc {
				t.Errorf("%s reads the payment's description %q, want %q", a.Username, l.Description, wantDesc)
			}
		}
	}
	for _, a := range []rastro.Actor{f.worker, f.sys} {
		got, err := f.db.RecordByID(f.ctx, a, f.caseID, rec.ID)
		must(t, err)
		if got.Text != text {
			t.Errorf("%s reads %q, want the text as written", a.Username, got.Text)
		}
	}
	list, _, err := f.db.Entities(f.ctx, f.analyst, f.caseID, rastro.EntityFilter{Schema: "UserAccount"})
	must(t, err)
	if len(list) != 1 || list[0].Caption != pseudo {
		t.Errorf("analyst's account list: %+v, want caption %q", list, pseudo)
	}
	seen, err := f.db.Entity(f.ctx, f.analyst, f.caseID, "wa-maria")
	must(t, err)
	if seen.Caption != pseudo || len(seen.Statements) != 1 || seen.Statements[0].Value != pseudo {
		t.Errorf("analyst opens the account named after her: caption %q, statements %+v", seen.Caption, seen.Statements)
	}
	a, err := f.db.Entity(f.ctx, f.worker, f.caseID, "wa-maria")
	must(t, err)
	if a.Caption != "María Ficticia" {
		t.Errorf("caseworker reads the account as %q", a.Caption)
	}
	st, err := f.db.Statement(f.ctx, f.analyst, f.caseID, a.Statements[0].ID)
	must(t, err)
	if st.Value != pseudo {
		t.Errorf("analyst reads the account's username %q, want %q", st.Value, pseudo)
	}
	// Recording Ramón as a possible victim hides his name from the next
	// read (the store's scrubber cache follows the change).
	must(t, f.db.SetCaseRole(f.ctx, rastro.Actor{UserID: f.worker.UserID, Username: f.worker.Username, Role: f.worker.Role,
		Purpose: "interview: he was recruited too"}, f.caseID, "s1", rastro.CaseRolePossibleVictim, ""))
	got, err = f.db.RecordByID(f.ctx, f.analyst, f.caseID, rec.ID)
	must(t, err)
	if strings.Contains(got.Text, "Ramón Sospechoso") {
		t.Errorf("after s1 became a possible victim the analyst still reads his name: %q", got.Text)
	}
	must(t, f.db.GrantNeedToKnow(f.ctx, f.inv, f.caseID, f.analyst.UserID, f.clock.t.Add(time.Hour), "Preparing the victim's testimony with the prosecutor."))
	got, err = f.db.RecordByID(f.ctx, f.analyst, f.caseID, rec.ID)
	must(t, err)
	if got.Text != text {
		t.Errorf("analyst with a need-to-know grant reads %q, want the text as written", got.Text)
	}
}

// testFindingOverrideLater: the case's lead investigator lets a possible
// victim named in an existing finding stay its subject, with a written
// reason; audited; nobody else may.
func testFindingOverrideLater(t *testing.T, f *fixture) {
	victimCase(t, f)
	fd := moneyFinding(f.caseID, "acct-s1", "acct-v1", "ph-v1")
	must(t, f.db.CreateFinding(f.ctx, f.analyst, fd))
	wantProtected(t, "created", fd, []string{"acct-s1"}, []string{"acct-v1", "ph-v1"})
	reason := "Recorded recruiting two other women since 2025 (statement 14)."
	_, err := f.db.OverrideFinding(f.ctx, f.analyst, f.caseID, fd.ID, []string{"acct-v1"}, reason)
	wantCode(t, err, rastro.EFORBIDDEN)
	_, err = f.db.OverrideFinding(f.ctx, f.inv, f.caseID, fd.ID, []string{"acct-v1"}, "she did it")
	wantCode(t, err, rastro.EINVALID)
	_, err = f.db.OverrideFinding(f.ctx, f.inv, f.caseID, fd.ID, []string{"acct-s1"}, reason)
	wantCode(t, err, rastro.EINVALID)
	_, err = f.db.OverrideFinding(f.ctx, f.inv, f.caseID, fd.ID+100, []string{"acct-v1"}, reason)
	wantCode(t, err, rastro.ENOTFOUND)
	got, err := f.db.OverrideFinding(f.ctx, f.inv, f.caseID, fd.ID, []string{"acct-v1"}, reason)
	must(t, err)
	wantProtected(t, "overridden", got, []string{"acct-s1", "acct-v1"}, []string{"ph-v1"})
	list, err := f.db.Findings(f.ctx, f.analyst, f.caseID)
	must(t, err)
	if len(list) != 1 || !cmp.Equal(list[0].OverrideIDs, []string{"acct-v1"}) || !cmp.Equal(list[0].SubjectIDs, []string{"acct-s1", "acct-v1"}) {
		t.Fatalf("read back: %+v", list)
	}
	if ex := list[0].Explanation; strings.Contains(ex, fmt.Sprintf(screen.ProtectedNote, "acct-v1")) || !strings.Contains(ex, fmt.Sprintf(screen.ProtectedNote, "ph-v1")) {
		t.Errorf("explanation after the override: %q", ex)
	}
	evs, err := f.db.AuditEvents(f.ctx, f.auditor, rastro.AuditFilter{Action: screen.AuditActionOverride})
	must(t, err)
	if len(evs) != 1 || evs[0].Username != "ines" || evs[0].Purpose != reason || !strings.Contains(evs[0].Details, fmt.Sprintf("finding %d", fd.ID)) {
		t.Errorf("override audit events = %+v", evs)
	}
}
