package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/rastro/rastro"
)

// TestProtectionGrantRevoke: the case's lead grants a member (an analyst)
// access to the victims' data; the analyst then reads the possible victim's
// name, and after the revocation the pseudonym again. A non-lead member is
// refused (403, audited), and every grant and revocation is audited.
func TestProtectionGrantRevoke(t *testing.T) {
	f := newFixture(t)
	sys := rastro.SystemActor("test")
	must(t, f.db.AddMember(t.Context(), sys, &rastro.CaseMember{CaseID: f.caseID, UserID: f.target.ID, Role: rastro.MemberMember}))
	lead, lcsrf := f.session(f.users["investigator-m"])
	analyst, acsrf := f.session(f.target)
	page := fmt.Sprintf("/cases/%d/protection", f.caseID)
	victimPage := fmt.Sprintf("/cases/%d/entities/%s", f.caseID, f.victim.ID)
	seesName := func(when string, want bool) {
		t.Helper()
		res := f.get(victimPage, analyst)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: entity page %d", when, res.StatusCode)
		}
		if got := strings.Contains(text(body(t, res)), "Ana Ficticia"); got != want {
			t.Errorf("%s: analyst sees the victim's name: %v, want %v", when, got, want)
		}
	}
	seesName("before any grant", false)

	if res := f.get(page, analyst); res.StatusCode != http.StatusForbidden {
		t.Errorf("non-lead GET protection: %d, want 403", res.StatusCode)
	}
	grant := url.Values{"user_id": {fmt.Sprint(f.target.ID)}, "days": {"2"}, "reason": {"Preparing the victim's testimony with the prosecutor."}}
	if res := f.postForm(page+"/grants", analyst, acsrf, grant); res.StatusCode != http.StatusForbidden {
		t.Errorf("non-lead grants itself access: %d, want 403", res.StatusCode)
	}
	short := url.Values{"user_id": {fmt.Sprint(f.target.ID)}, "days": {"2"}, "reason": {"because"}}
	if res := f.postForm(page+"/grants", lead, lcsrf, short); res.StatusCode != http.StatusBadRequest || !strings.Contains(body(t, res), "20 characters") {
		t.Errorf("grant without a written reason: %d, want 400 naming the minimum", res.StatusCode)
	}
	if res := f.postForm(page+"/grants", lead, lcsrf, grant); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("lead grants: %d: %s", res.StatusCode, body(t, res))
	}
	res := f.get(page, lead)
	if b := text(body(t, res)); res.StatusCode != http.StatusOK || !strings.Contains(b, "Preparing the victim's testimony") {
		t.Errorf("protection page does not list the grant: %d %s", res.StatusCode, b)
	}
	seesName("with the grant", true)
	if res := f.postForm(fmt.Sprintf("%s/grants/%d/revoke", page, f.target.ID), lead, lcsrf, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("lead revokes: %d: %s", res.StatusCode, body(t, res))
	}
	seesName("after the revocation", false)
	for action, want := range map[string]int{"need_to_know_grant": 1, "need_to_know_revoke": 1, AuditRefused: 2} {
		if n := f.screeningAudits(t, action); n != want {
			t.Errorf("%d %s audit events, want %d", n, action, want)
		}
	}
}

// TestProtectionOverride: the lead investigator records, with a written
// reason, that a possible victim named in a finding stays its subject; a
// lead who is not an investigator and a non-lead member are refused.
func TestProtectionOverride(t *testing.T) {
	f := newFixture(t)
	sys := rastro.SystemActor("test")
	must(t, f.db.AddMember(t.Context(), sys, &rastro.CaseMember{CaseID: f.caseID, UserID: f.target.ID, Role: rastro.MemberMember}))
	fd := &rastro.Finding{CaseID: f.caseID, Kind: "network.broker", Title: "Broker between two groups", Severity: 3,
		EntityIDs: []string{f.entity.ID, f.victim.ID}}
	must(t, f.db.CreateFinding(t.Context(), sys, fd))
	page := fmt.Sprintf("/cases/%d/protection", f.caseID)
	action := fmt.Sprintf("%s/overrides/%d", page, fd.ID)
	form := url.Values{"entity_id": {f.victim.ID}, "reason": {"Recruited two other women since 2025 (statement 14)."}}

	lead, lcsrf := f.session(f.users["investigator-m"])
	if b := text(body(t, f.get(page, lead))); !strings.Contains(b, "Broker between two groups") {
		t.Errorf("protection page does not offer the finding: %s", b)
	}
	for _, u := range []string{"analyst-m", "target-user"} {
		var user *rastro.User
		if u == "target-user" {
			user = f.target
		} else {
			user = f.users[u]
		}
		c, csrf := f.session(user)
		if res := f.postForm(action, c, csrf, form); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s overrides: %d, want 403", u, res.StatusCode)
		}
	}
	short := url.Values{"entity_id": {f.victim.ID}, "reason": {"she did"}}
	if res := f.postForm(action, lead, lcsrf, short); res.StatusCode != http.StatusBadRequest {
		t.Errorf("override without a written reason: %d, want 400", res.StatusCode)
	}
	if res := f.postForm(action, lead, lcsrf, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("lead investigator overrides: %d: %s", res.StatusCode, body(t, res))
	}
	list, err := f.db.Findings(t.Context(), sys, f.caseID)
	must(t, err)
	i := slices.IndexFunc(list, func(x *rastro.Finding) bool { return x.ID == fd.ID })
	if i < 0 || fmt.Sprint(list[i].OverrideIDs) != "["+f.victim.ID+"]" || !slices.Contains(list[i].SubjectIDs, f.victim.ID) {
		t.Errorf("finding after the override: %+v", list)
	}
	if n := f.screeningAudits(t, "victim_subject_override"); n != 1 {
		t.Errorf("%d override audit events, want 1", n)
	}
}
