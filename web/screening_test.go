package web

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/store"
)

// startScreeningAs starts a screening of the fixture's possible victim and
// returns the address of its first section.
func (f *fixture) startScreeningAs(t *testing.T, cookie, csrf string, profile string) string {
	t.Helper()
	res := f.postForm(fmt.Sprintf("/cases/%d/entities/%s/screenings", f.caseID, f.victim.ID), cookie, csrf, url.Values{"profile": {profile}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("start screening: %d: %s", res.StatusCode, body(t, res))
	}
	return res.Header.Get("Location")
}

// screeningAudits counts the audit events with the action.
func (f *fixture) screeningAudits(t *testing.T, action string) int {
	t.Helper()
	evs, err := f.db.AuditEvents(t.Context(), rastro.SystemActor("test"), rastro.AuditFilter{Action: action})
	must(t, err)
	return len(evs)
}

// text returns the page's text without tags, with entities decoded and
// whitespace collapsed, for assertions on what the user reads.
func text(page string) string {
	s := regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString(page, " ")
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}

func TestScreeningChildRule(t *testing.T) {
	f := newFixture(t)
	worker := f.users["caseworker-m"]
	cookie, csrf := f.session(worker)
	first := f.startScreeningAs(t, cookie, csrf, "child_sexual")
	if !strings.Contains(first, "section=facts") {
		t.Fatalf("start redirects to %q", first)
	}
	page := text(body(t, f.get(first, cookie)))
	for _, want := range []string{"Act, means, purpose and age", "recruitment", "deception", "sexual exploitation", "Save draft"} {
		if !strings.Contains(page, want) {
			t.Errorf("facts section lacks %q", want)
		}
	}
	// Save a draft with the act only, then resume it: the answer is kept.
	action := strings.Split(first, "?")[0]
	res := f.postForm(action, cookie, csrf, url.Values{"section": {"facts"}, "act": {"recruitment"}, "action": {"save"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save draft: %d: %s", res.StatusCode, body(t, res))
	}
	if resumed := body(t, f.get(first, cookie)); !strings.Contains(resumed, `value="recruitment" checked`) {
		t.Errorf("resumed draft lost the act")
	}
	// Act and purpose, no means, age 15 at the time: the child rule.
	res = f.postForm(action, cookie, csrf, url.Values{"section": {"facts"}, "act": {"recruitment"},
		"purpose": {"sexual_exploitation"}, "stated_age": {"15"}, "action": {"finish"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "section=result") {
		t.Fatalf("finish: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	result := res.Header.Get("Location")
	en := text(body(t, f.get(result, cookie)))
	for _, want := range []string{
		"Indicators of trafficking present (child rule, age 15 at the time of the events)",
		"act (recruitment), purpose (sexual exploitation) indicated",
		"Child rule: the person was under 18 at the time of the events, so an act and a purpose suffice; no means is needed",
		"Means: not required for a child",
		"UNVERIFIED data",
		"not a legal determination",
	} {
		if !strings.Contains(en, want) {
			t.Errorf("English result lacks %q:\n%s", want, en)
		}
	}
	if sum := palermoSummary(t, body(t, f.get(result, cookie))); strings.Contains(sum, "not present") {
		t.Errorf("Palermo result says not present: %s", sum)
	}
	res = f.postForm("/language", cookie, csrf, url.Values{"lang": {"es"}, "next": {"/"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("set language: %d", res.StatusCode)
	}
	es := text(body(t, f.get(result, cookie)))
	for _, want := range []string{
		"Indicadores de trata presentes (regla para niñas, niños y adolescentes, edad 15 en el momento de los hechos)",
		"acto (captación), fin (explotación sexual) indicado(s)",
		"bastan un acto y un fin; no se requiere ningún medio",
		"Medio: no se requiere para menores de edad",
		"NO VERIFICADOS",
		"no es una determinación jurídica",
	} {
		if !strings.Contains(es, want) {
			t.Errorf("Spanish result lacks %q:\n%s", want, es)
		}
	}
	if n := f.screeningAudits(t, store.AuditScreeningSave); n != 3 {
		t.Errorf("screening_save events = %d, want 3 (create, draft, finish)", n)
	}
	if n := f.screeningAudits(t, store.AuditScreeningView); n < 4 {
		t.Errorf("screening_view events = %d, want every view audited", n)
	}
}

func TestScreeningAdultMissingMeans(t *testing.T) {
	f := newFixture(t)
	cookie, csrf := f.session(f.users["caseworker-m"])
	first := f.startScreeningAs(t, cookie, csrf, "adult_labour")
	action := strings.Split(first, "?")[0]
	res := f.postForm(action, cookie, csrf, url.Values{"section": {"facts"}, "act": {"recruitment"},
		"purpose": {"forced_labour_or_services"}, "stated_age": {"30"}, "action": {"finish"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("finish: %d", res.StatusCode)
	}
	page := text(body(t, f.get(res.Header.Get("Location"), cookie)))
	for _, want := range []string{"Indicators of trafficking not present (adult rule)", "no indicator of means recorded", "Missing element: Means."} {
		if !strings.Contains(page, want) {
			t.Errorf("adult result lacks %q:\n%s", want, page)
		}
	}
}

func TestScreeningILOSection(t *testing.T) {
	f := newFixture(t)
	cookie, csrf := f.session(f.users["caseworker-m"])
	first := f.startScreeningAs(t, cookie, csrf, "adult_labour")
	page := body(t, f.get(first, cookie))
	m := regexp.MustCompile(`section=([a-z_]+)"`).FindAllStringSubmatch(page, -1)
	var dim string
	for _, x := range m {
		if x[1] != "facts" && x[1] != "result" {
			dim = x[1]
			break
		}
	}
	if dim == "" {
		t.Fatalf("no dimension section linked:\n%s", page)
	}
	sec := body(t, f.get(strings.Split(first, "?")[0]+"?section="+dim, cookie))
	q := regexp.MustCompile(`name="(q\.[^"]+)" value="yes"`).FindStringSubmatch(sec)
	if q == nil {
		t.Fatalf("dimension section has no question:\n%s", sec)
	}
	res := f.postForm(strings.Split(first, "?")[0], cookie, csrf, url.Values{"section": {dim}, q[1]: {"yes"}, "action": {"save"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d: %s", res.StatusCode, body(t, res))
	}
	if again := body(t, f.get(res.Header.Get("Location"), cookie)); !strings.Contains(again, `name="`+q[1]+`" value="yes" checked`) {
		t.Errorf("the yes-answer to %s was not kept", q[1])
	}
	res = f.postForm(strings.Split(first, "?")[0], cookie, csrf, url.Values{"section": {dim}, q[1]: {"perhaps"}, "action": {"save"}})
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("invalid reply: %d, want 400", res.StatusCode)
	}
	res = f.postForm(strings.Split(first, "?")[0], cookie, csrf, url.Values{"section": {dim}, "action": {"finish"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("finish: %d: %s", res.StatusCode, body(t, res))
	}
	page = text(body(t, f.get(res.Header.Get("Location"), cookie)))
	if !strings.Contains(page, "Answers that drove the result:") || !strings.Contains(page, "ILO question: ") {
		t.Errorf("the yes-answer does not show as a driver:\n%s", page)
	}
}

func TestScreeningDenied(t *testing.T) {
	f := newFixture(t)
	wc, wcsrf := f.session(f.users["caseworker-m"])
	first := f.startScreeningAs(t, wc, wcsrf, "adult_sexual")
	screenings := fmt.Sprintf("/cases/%d/entities/%s/screenings", f.caseID, f.victim.ID)
	referrals := fmt.Sprintf("/cases/%d/entities/%s/referrals", f.caseID, f.victim.ID)
	tests := []struct {
		user string
		want int
	}{
		{"analyst-m", http.StatusForbidden},
		{"investigator-m", http.StatusForbidden},
		{"analyst-n", http.StatusForbidden}, // the role is refused before membership is checked
		{"caseworker-n", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			cookie, csrf := f.session(f.users[tt.user])
			for _, path := range []string{screenings, referrals, first} {
				if res := f.get(path, cookie); res.StatusCode != tt.want {
					t.Errorf("GET %s: %d, want %d", path, res.StatusCode, tt.want)
				}
			}
			res := f.postForm(screenings, cookie, csrf, url.Values{"profile": {"adult_sexual"}})
			if res.StatusCode != tt.want {
				t.Errorf("POST start: %d, want %d", res.StatusCode, tt.want)
			}
		})
	}
	// A suspect is never screened as a victim.
	res := f.postForm(fmt.Sprintf("/cases/%d/entities/%s/screenings", f.caseID, f.entity.ID), wc, wcsrf, url.Values{"profile": {"adult_sexual"}})
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("screening a suspect: %d, want 400", res.StatusCode)
	}
}

func TestEntityPageLinksScreening(t *testing.T) {
	f := newFixture(t)
	path := fmt.Sprintf("/cases/%d/entities/%s", f.caseID, f.victim.ID)
	for user, want := range map[string]bool{"caseworker-m": true, "analyst-m": false} {
		cookie, _ := f.session(f.users[user])
		page := body(t, f.get(path, cookie))
		if got := strings.Contains(page, `data-testid="entity-screen"`) && strings.Contains(page, `data-testid="entity-refer"`); got != want {
			t.Errorf("%s: screen/refer links shown = %v, want %v", user, got, want)
		}
	}
}

func TestReferralFlow(t *testing.T) {
	f := newFixture(t)
	cookie, csrf := f.session(f.users["caseworker-m"])
	path := fmt.Sprintf("/cases/%d/entities/%s/referrals", f.caseID, f.victim.ID)
	form := url.Values{"service": {"shelter"}, "provider": {"Casa Refugio Ficticia"}, "consent_given": {"no"}}
	res := f.postForm(path, cookie, csrf, form)
	if page := text(body(t, res)); res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "informed consent, or a documented exception") {
		t.Fatalf("referral without consent: %d:\n%s", res.StatusCode, page)
	}
	if res := f.postForm(path, cookie, "", withConsent(form)); res.StatusCode != http.StatusForbidden {
		t.Errorf("referral without CSRF token: %d, want 403", res.StatusCode)
	}
	if n := f.screeningAudits(t, store.AuditReferralCreate); n != 0 {
		t.Fatalf("%d referrals created by refused requests", n)
	}
	res = f.postForm(path, cookie, csrf, withConsent(form))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path {
		t.Fatalf("referral with consent: %d to %q: %s", res.StatusCode, res.Header.Get("Location"), body(t, res))
	}
	page := body(t, f.get(path, cookie))
	if !strings.Contains(text(page), "Shelter · Casa Refugio Ficticia · Sent") || !strings.Contains(text(page), "Consent: Written, 2026") && !strings.Contains(text(page), "Consent: Written") {
		t.Fatalf("referral list:\n%s", text(page))
	}
	upd := regexp.MustCompile(`action="(/cases/\d+/referrals/\d+)"`).FindStringSubmatch(page)
	if upd == nil {
		t.Fatalf("no update form:\n%s", page)
	}
	if res := f.postForm(upd[1], cookie, "", url.Values{"status": {"accepted"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("update without CSRF token: %d, want 403", res.StatusCode)
	}
	analyst, acsrf := f.session(f.users["analyst-m"])
	if res := f.postForm(upd[1], analyst, acsrf, url.Values{"status": {"accepted"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("update by analyst: %d, want 403", res.StatusCode)
	}
	res = f.postForm(upd[1], cookie, csrf, url.Values{"status": {"accepted"}, "notes": {"Bed from Monday."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d: %s", res.StatusCode, body(t, res))
	}
	if page := text(body(t, f.get(path, cookie))); !strings.Contains(page, "Casa Refugio Ficticia · Accepted") || !strings.Contains(page, "Bed from Monday.") {
		t.Errorf("after update:\n%s", page)
	}
	if n := f.screeningAudits(t, store.AuditReferralUpdate); n != 1 {
		t.Errorf("referral_update events = %d, want 1", n)
	}
	// A documented exception replaces consent (child protection duty).
	exc := url.Values{"service": {"medical"}, "provider": {"Clínica Ficticia"}, "consent_given": {"no"},
		"exception": {"Child protection duty: unaccompanied minor needing care."}}
	if res := f.postForm(path, cookie, csrf, exc); res.StatusCode != http.StatusSeeOther {
		t.Errorf("referral under exception: %d: %s", res.StatusCode, body(t, res))
	}
	if n := f.screeningAudits(t, store.AuditReferralCreate); n != 2 {
		t.Errorf("referral_create events = %d, want 2", n)
	}
}

// palermoSummary returns the text of the Palermo summary of a result page.
func palermoSummary(t *testing.T, page string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)data-testid="palermo-summary">(.*?)</p>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no Palermo summary in:\n%s", page)
	}
	return text(m[1])
}

// withConsent returns form with written consent given today.
func withConsent(form url.Values) url.Values {
	c := url.Values{}
	for k, v := range form {
		c[k] = v
	}
	c.Del("csrf_token")
	c.Set("consent_given", "yes")
	c.Set("consent_form", "written")
	c.Set("consent_date", "2026-03-01")
	c.Set("consent_by", "Trabajadora social ficticia")
	return c
}

func TestReferralAPI(t *testing.T) {
	f := newFixture(t)
	path := fmt.Sprintf("/api/v1/cases/%d/entities/%s/referrals", f.caseID, f.victim.ID)
	call := func(method, path, user, body string) *http.Response {
		t.Helper()
		secret, _ := f.apiToken(f.users[user], "read", "write")
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+secret)
		req.Header.Set("Content-Type", "application/json")
		return f.do(req)
	}
	noConsent := `{"service":"legal","provider":"Defensoría Ficticia","consent":{"given":false}}`
	withConsent := `{"service":"legal","provider":"Defensoría Ficticia","consent":{"given":true,"date":"2026-03-01T00:00:00Z","form":"verbal","by":"carla"}}`
	tests := []struct {
		name, method, path, user, body string
		want                           int
	}{
		{"no consent refused", "POST", path, "caseworker-m", noConsent, http.StatusBadRequest},
		{"analyst denied", "POST", path, "analyst-m", withConsent, http.StatusForbidden},
		{"non-member caseworker", "POST", path, "caseworker-n", withConsent, http.StatusNotFound},
		{"with consent", "POST", path, "caseworker-m", withConsent, http.StatusCreated},
		{"analyst cannot list", "GET", path, "analyst-m", "", http.StatusForbidden},
		{"caseworker lists", "GET", path, "caseworker-m", "", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if res := call(tt.method, tt.path, tt.user, tt.body); res.StatusCode != tt.want {
				t.Errorf("%s %s: %d, want %d: %s", tt.method, tt.path, res.StatusCode, tt.want, body(t, res))
			}
		})
	}
	var list []*rastro.Referral
	must(t, json.NewDecoder(call("GET", path, "caseworker-m", "").Body).Decode(&list))
	if len(list) != 1 || !list[0].Consent.Given || list[0].Consent.Form != rastro.ConsentVerbal {
		t.Fatalf("referrals = %+v", list)
	}
	res := call("PATCH", fmt.Sprintf("/api/v1/cases/%d/referrals/%d", f.caseID, list[0].ID), "caseworker-m", `{"status":"completed"}`)
	var got rastro.Referral
	must(t, json.NewDecoder(res.Body).Decode(&got))
	if res.StatusCode != http.StatusOK || got.Status != rastro.ReferralCompleted {
		t.Errorf("PATCH: %d %+v", res.StatusCode, got)
	}
}

// TestRefusedScreeningAudited: every refused attempt on the victims'
// compartment is audited with who, what and why, and the answer is the same
// for a person who exists and one who does not.
func TestRefusedScreeningAudited(t *testing.T) {
	f := newFixture(t)
	analyst, _ := f.session(f.users["analyst-m"])
	outsider, _ := f.session(f.users["caseworker-n"])
	exists := fmt.Sprintf("/cases/%d/entities/%s/screenings", f.caseID, f.victim.ID)
	missing := fmt.Sprintf("/cases/%d/entities/%s/screenings", f.caseID, "no-such-person")
	var bodies []string
	for _, path := range []string{exists, missing} {
		res := f.get(path, analyst)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("analyst GET %s: %d, want 403", path, res.StatusCode)
		}
		bodies = append(bodies, strings.ReplaceAll(body(t, res), path, ""))
	}
	if bodies[0] != bodies[1] {
		t.Errorf("the refusal differs for an existing and a missing person:\n%s\n---\n%s", bodies[0], bodies[1])
	}
	tok, _ := f.apiToken(f.users["analyst-m"], rastro.ScopeRead)
	api := fmt.Sprintf("/api/v1/cases/%d/entities/%s/referrals", f.caseID, f.victim.ID)
	if res := f.get(api, "", "Authorization", "Bearer "+tok); res.StatusCode != http.StatusForbidden {
		t.Errorf("analyst API GET referrals: %d, want 403", res.StatusCode)
	}
	if res := f.get(exists, outsider); res.StatusCode != http.StatusNotFound {
		t.Errorf("non-member caseworker: %d, want 404", res.StatusCode)
	}
	evs, err := f.db.AuditEvents(t.Context(), rastro.SystemActor("test"), rastro.AuditFilter{Action: AuditRefused})
	must(t, err)
	type seen struct{ user, object string }
	var got []seen
	for _, ev := range evs {
		got = append(got, seen{ev.Username, ev.Object})
		if ev.Time.IsZero() || ev.Details == "" {
			t.Errorf("refusal audited without time or reason: %+v", ev)
		}
	}
	want := []seen{ // newest first
		{f.users["caseworker-n"].Username, exists},
		{f.users["analyst-m"].Username, api},
		{f.users["analyst-m"].Username, missing},
		{f.users["analyst-m"].Username, exists},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("refusals audited %v, want %v", got, want)
	}
	// A caseworker of the case is not refused, and nothing is recorded.
	cw, _ := f.session(f.users["caseworker-m"])
	if res := f.get(exists, cw); res.StatusCode != http.StatusOK {
		t.Errorf("caseworker: %d", res.StatusCode)
	}
	if n := f.screeningAudits(t, AuditRefused); n != len(want) {
		t.Errorf("%d refusals audited after a caseworker's visit, want %d", n, len(want))
	}
}
