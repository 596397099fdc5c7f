package web

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rastro/rastro"
	"github.com/rastro/rastro/internal/browsertest"
)

// TestBrowserNeedToKnow: in chromium, the case's lead grants an analyst
// access to the victims' data; the analyst then reads the possible victim's
// name on her page; after the lead revokes the grant, the pseudonym again.
func TestBrowserNeedToKnow(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	f := newFixture(t)
	must(t, f.db.AddMember(t.Context(), rastro.SystemActor("test"), &rastro.CaseMember{CaseID: f.caseID, UserID: f.target.ID, Role: rastro.MemberMember}))
	ts := httptest.NewServer(f.h)
	defer ts.Close()
	ctx := browsertest.Context(t, 90*time.Second)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	login := func(user string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(
			chromedp.Navigate(ts.URL+"/login"),
			chromedp.WaitVisible(css("#username")),
			chromedp.SendKeys(css("#username"), user),
			chromedp.SendKeys(css("#password"), testPassword),
			chromedp.Click(css(`button[type=submit]`)),
			chromedp.WaitVisible(css("[data-testid=logout]")),
		)
	}
	logout := chromedp.Steps(chromedp.Click(css("[data-testid=logout]")), chromedp.WaitVisible(css("#username")))
	protection := fmt.Sprintf("%s/cases/%d/protection", ts.URL, f.caseID)
	victim := fmt.Sprintf("%s/cases/%d/entities/%s", ts.URL, f.caseID, f.victim.ID)
	analystReads := func(when string, wantName bool) {
		t.Helper()
		err := chromedp.Do(ctx, login(f.target.Username), chromedp.Navigate(victim), chromedp.WaitVisible(css("h1")))
		must(t, err)
		page, err := chromedp.Run(ctx, chromedp.Text(css("main")))
		must(t, err)
		if got := strings.Contains(page, "Ana Ficticia"); got != wantName {
			t.Errorf("%s: analyst reads the victim's name: %v, want %v\n%s", when, got, wantName, page)
		}
		if !wantName && !strings.Contains(page, "V-") {
			t.Errorf("%s: no pseudonym on the page:\n%s", when, page)
		}
		must(t, chromedp.Do(ctx, logout))
	}

	analystReads("before the grant", false)
	err := chromedp.Do(ctx,
		login("investigator-m"),
		chromedp.Navigate(protection),
		chromedp.WaitVisible(css("[data-testid=grants-none]")),
		chromedp.SetValue(css("[data-testid=grant-user]"), fmt.Sprint(f.target.ID)),
		chromedp.SetValue(css("[data-testid=grant-days]"), "3"),
		chromedp.SendKeys(css("[data-testid=grant-reason]"), "Preparing the victim's testimony with the prosecutor."),
		chromedp.Click(css("[data-testid=grant-create]")),
		chromedp.WaitVisible(css("[data-testid=grant]")),
		logout,
	)
	if err != nil {
		t.Fatalf("lead grants: %v", err)
	}
	analystReads("with the grant", true)
	err = chromedp.Do(ctx,
		login("investigator-m"),
		chromedp.Navigate(protection),
		chromedp.Click(css(fmt.Sprintf("[data-testid=grant-revoke-%d]", f.target.ID))),
		chromedp.WaitVisible(css("[data-testid=grants-none]")),
		logout,
	)
	if err != nil {
		t.Fatalf("lead revokes: %v", err)
	}
	analystReads("after the revocation", false)
}
