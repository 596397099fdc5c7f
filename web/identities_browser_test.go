package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rastro/rastro/internal/browsertest"
)

// TestBrowserMergeAndUndo drives chromium through the identities page: an
// analyst marks a candidate pair "same" with a written reason, sees the new
// identity with the pair's explanation and the judgement, undoes it, and the
// identity is gone.
func TestBrowserMergeAndUndo(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	f := newFixture(t)
	f.seedIdentityRun(t)
	ts := httptest.NewServer(f.h)
	defer ts.Close()
	ctx := browsertest.Context(t, 60*time.Second)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	pair := `article[data-a="acct-suspect"]`
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/login"),
		chromedp.WaitVisible(css("#username")),
		chromedp.SendKeys(css("#username"), "analyst-m"),
		chromedp.SendKeys(css("#password"), testPassword),
		chromedp.Click(css(`button[type=submit]`)),
		chromedp.WaitVisible(css("a.case-link")),
		chromedp.Navigate(ts.URL+f.identitiesPath()),
		chromedp.WaitVisible(css("[data-testid=no-identities]")),
		chromedp.SendKeys(css(pair+" [data-testid=judge-reason]"), "Same phone number in both chats"),
		chromedp.Click(css(pair+" [data-testid=judge-same]")),
		chromedp.WaitVisible(css("[data-testid=identity]")),
	)
	if err != nil {
		t.Fatalf("judging same: %v", err)
	}
	merged, err := chromedp.Run(ctx, chromedp.Text(css("[data-testid=identity]")))
	must(t, err)
	if !strings.Contains(merged, "Juanito") || !strings.Contains(merged, "Juan Ficticio") {
		t.Errorf("identity shows %q; want the account and the suspect", merged)
	}
	explained, err := chromedp.Run(ctx, chromedp.Text(css(pair+" table.explain")))
	must(t, err)
	if !strings.Contains(explained, "phone") || !strings.Contains(explained, "+8.5") {
		t.Errorf("explanation shows %q; want the shared phone and its bits", explained)
	}
	verdict, err := chromedp.Run(ctx, chromedp.Text(css("[data-testid=judgement]")))
	must(t, err)
	if !strings.Contains(verdict, "Same person") || !strings.Contains(verdict, "Same phone number in both chats") {
		t.Errorf("judgement shows %q", verdict)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(css("[data-testid=undo]")),
		chromedp.WaitVisible(css("[data-testid=no-identities]")),
		chromedp.WaitVisible(css("[data-testid=undone]")),
	)
	if err != nil {
		t.Fatalf("undo: %v", err)
	}
	if n := len(f.auditActions("identity_undo")); n != 1 {
		t.Errorf("%d identity_undo audit events, want 1", n)
	}
}
