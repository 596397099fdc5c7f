package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rastro/rastro/internal/browsertest"
)

// TestBrowserMoneyTrace drives chromium under the strict CSP through the
// analyst's path: open the controller's account from its entity page, see
// its flows chart, start a forward trace and find the financier's wallet
// in the Sankey diagram, then open the wallet from the diagram.
func TestBrowserMoneyTrace(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	f := newMoneyFixture(t)
	ts := httptest.NewServer(f.h)
	defer ts.Close()
	ctx := browsertest.Context(t, 60*time.Second)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/login"),
		chromedp.WaitVisible(css("#username")),
		chromedp.SendKeys(css("#username"), "analyst-m"),
		chromedp.SendKeys(css("#password"), testPassword),
		chromedp.Click(css(`button[type=submit]`)),
		chromedp.WaitVisible(css("a.case-link")),
		chromedp.Navigate(ts.URL+f.casePath("/entities/"+f.acc(accCtl))),
		chromedp.Click(css(`[data-testid=account-page]`)),
		chromedp.WaitVisible(css(`[data-testid=flow-chart]`)),
		chromedp.Click(css(`[data-testid=trace-forward]`)),
		chromedp.WaitVisible(css(`[data-testid=sankey]`)),
	)
	if err != nil {
		t.Fatalf("browser flow: %v", err)
	}
	sankey, err := chromedp.Run(ctx, chromedp.TextContent(css(`[data-testid=sankey]`)))
	must(t, err)
	if !strings.Contains(sankey, "bc1qfictionalfinancier0wallet") {
		t.Errorf("the Sankey does not show the financier's wallet: %q", sankey)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(css(`a[data-account="`+f.acc(accFin)+`"]`)),
		chromedp.WaitVisible(css(`[data-testid=account-title]`)),
	)
	if err != nil {
		t.Fatalf("open the wallet from the Sankey: %v", err)
	}
	title, err := chromedp.Run(ctx, chromedp.Text(css(`[data-testid=account-title]`)))
	must(t, err)
	holders, err := chromedp.Run(ctx, chromedp.Text(css(`[data-testid=account-holders]`)))
	must(t, err)
	if title != "bc1qfictionalfinancier0wallet" || !strings.Contains(holders, "Pedro Financista") {
		t.Errorf("wallet page: title %q, holders %q", title, holders)
	}
}
