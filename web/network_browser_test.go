package web

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rastro/rastro/internal/browsertest"
)

// loginAndOpenNetwork logs user in and opens the case's network view,
// waiting until the graph is drawn.
func loginAndOpenNetwork(ctx context.Context, base, user string, caseID int64) error {
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	return chromedp.Do(ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(css("#username")),
		chromedp.SendKeys(css("#username"), user),
		chromedp.SendKeys(css("#password"), testPassword),
		chromedp.Click(css(`button[type=submit]`)),
		chromedp.WaitVisible(css("a.case-link")),
		chromedp.Navigate(base+"/cases/"+itoa(caseID)),
		chromedp.Click(css("[data-testid=network-link]")),
		chromedp.WaitVisible(css("#net-cy")),
		chromedp.Poll[chromedp.Void](`window.rastroGraph && window.rastroGraph.ready`, chromedp.WithPollingTimeout(2*time.Minute)),
	)
}

// TestBrowserNetwork drives chromium through the network view under the
// strict CSP: the graph renders, the possible victim shows only as a
// pseudonym with her role, a click expands a node's neighbours, and the
// path finder lists the path with links to its evidence.
func TestBrowserNetwork(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	f := newFixture(t)
	f.seedNetwork()
	ts := httptest.NewServer(f.h)
	defer ts.Close()
	ctx := browsertest.Context(t, 60*time.Second)
	if err := loginAndOpenNetwork(ctx, ts.URL, "investigator-m", f.caseID); err != nil {
		t.Fatalf("open the network view: %v", err)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.rastroGraph.cy.nodes().length`))
	must(t, err)
	if n != 8 {
		t.Errorf("%d nodes drawn, want 8", n)
	}
	status, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#net-status")))
	must(t, err)
	if !strings.Contains(status, "Showing 8 of 8 entities") {
		t.Errorf("status %q", status)
	}
	victim, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](`window.rastroGraph.cy.getElementById("p-victim").data()`))
	must(t, err)
	if label, _ := victim["label"].(string); !strings.HasPrefix(label, "Possible victim V-") || victim["victim"] != true {
		t.Errorf("the possible victim is drawn as %v; want her pseudonym and the victim marker", victim)
	}

	// Expansion: take a node away, click its neighbour, and it comes back.
	_, err = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`(function(){var cy=window.rastroGraph.cy; cy.getElementById("acct-v").remove(); cy.getElementById("acct-s").emit("tap");})()`))
	must(t, err)
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`window.rastroGraph.cy.getElementById("acct-v").nonempty()`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("clicking a node did not bring back its neighbour: %v", err)
	}
	sel, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#net-selected")))
	must(t, err)
	if !strings.Contains(sel, "Chat S") {
		t.Errorf("the side panel shows %q, want the clicked account", sel)
	}

	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	err = chromedp.Do(ctx,
		chromedp.SetValue(css("#net-path-from"), "acct-v"),
		chromedp.SetValue(css("#net-path-to"), "bank-s"),
		chromedp.Click(css("#net-path-go")),
		chromedp.WaitVisible(css("#net-path-result ol")),
	)
	if err != nil {
		t.Fatalf("path finder: %v", err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(css("#net-path-result")))
	must(t, err)
	for _, want := range []string{"Chat V", "Chat S", "Juan Ficticio", "0010593719", "Message", "shared_identifier", "Ownership", "evidence"} {
		if !strings.Contains(text, want) {
			t.Errorf("path result lacks %q: %q", want, text)
		}
	}
	on, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.rastroGraph.cy.$(".onpath").length`))
	must(t, err)
	if on != 9 {
		t.Errorf("%d elements highlighted, want the path's 5 nodes and 4 edges", on)
	}
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#net-path-result a[href*='/statements/']").getAttribute("href")`))
	if err != nil || !strings.HasPrefix(href, "/cases/"+itoa(f.caseID)+"/statements/") {
		t.Errorf("no link to the statement behind the shared identifier: %q %v", href, err)
	}
}
