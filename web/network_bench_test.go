package web

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"
	"github.com/rastro/rastro"
	"github.com/rastro/rastro/internal/browsertest"
)

// seedLargeNetwork adds a synthetic network of n entities and m links to
// the fixture's case: groups of 100 entities (90% of links inside a
// group), people with a few suspects and possible victims, chat accounts,
// bank accounts and identifiers, and messages and payments spread over 2025.
func (f *fixture) seedLargeNetwork(n, m int) {
	t, sys, ctx := f.t, rastro.SystemActor("bench"), context.Background()
	t.Helper()
	rng := rand.New(rand.NewPCG(6, 6))
	schemas := []string{"Person", "UserAccount", "UserAccount", "BankAccount", "Identifier"}
	var ents []*rastro.Entity
	for i := range n {
		e := &rastro.Entity{ID: fmt.Sprintf("n%05d", i), CaseID: f.caseID, Schema: schemas[i%len(schemas)],
			Caption: fmt.Sprintf("Fictional %d", i), CaseRole: rastro.CaseRoleUnknown}
		if e.Schema == "Person" {
			switch i % 50 {
			case 0:
				e.CaseRole = rastro.CaseRolePossibleVictim
			case 1, 2:
				e.CaseRole = rastro.CaseRoleSuspect
			}
		}
		ents = append(ents, e)
		if len(ents) == 1000 || i == n-1 {
			must(t, f.db.PutEntities(ctx, sys, ents))
			ents = ents[:0]
		}
	}
	types := []string{"Message", "Message", "Message", "Message", "Message", "Message", "Payment", "Payment", "Call", "uses"}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var links []*rastro.Link
	for i := range m {
		a := rng.IntN(n)
		b := a/100*100 + rng.IntN(100)
		if rng.IntN(10) == 0 || b >= n {
			b = rng.IntN(n)
		}
		if a == b {
			b = (a + 1) % n
		}
		at := start.Add(time.Duration(rng.IntN(365*24)) * time.Hour)
		links = append(links, &rastro.Link{ID: fmt.Sprintf("l%06d", i), Schema: types[rng.IntN(len(types))],
			SourceID: fmt.Sprintf("n%05d", a), TargetID: fmt.Sprintf("n%05d", b), Start: at, Origin: rastro.OriginImport})
		if len(links) == 5000 || i == m-1 {
			must(t, f.db.PutLinks(ctx, sys, f.caseID, links))
			links = links[:0]
		}
	}
}

// mainThreadCPU returns the page's main-thread CPU time in milliseconds
// (DevTools' TaskDuration in the threadTicks domain): unlike wall time, it
// does not grow when other processes share the machine.
func mainThreadCPU(ctx context.Context) (float64, error) {
	return chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) (float64, error) {
		if _, err := cdp.Call(ctx, t, performance.Enable, performance.EnableParams{TimeDomain: performance.EnableTimeDomainThreadTicks}); err != nil {
			return 0, err
		}
		res, err := cdp.Call(ctx, t, performance.GetMetrics, cdp.Empty{})
		if err != nil {
			return 0, err
		}
		for _, m := range res.Metrics {
			if m.Name == "TaskDuration" {
				return m.Value * 1000, nil
			}
		}
		return 0, fmt.Errorf("no TaskDuration metric")
	})
}

// BenchmarkNetworkUI loads a 5,000-entity, 15,000-link case into the
// network view in chromium and reports the time to first render (from
// navigation start until the graph is drawn), the graph API's share of it,
// and the time to apply a filter (links of one type left out), in wall
// time and in the page's main-thread CPU time (stable on a busy machine;
// the API's own time runs in the server, not in the page). Run with
//
//	go test -run '^$' -bench BenchmarkNetworkUI -benchtime 3x ./web/
func BenchmarkNetworkUI(b *testing.B) {
	f := newFixture(b)
	f.seedLargeNetwork(5000, 15000)
	ts := httptest.NewServer(f.h)
	defer ts.Close()
	ctx := browsertest.Context(b, 5*time.Minute)
	if err := loginAndOpenNetwork(ctx, ts.URL, "analyst-m", f.caseID); err != nil {
		b.Fatalf("open the network view: %v", err)
	}
	page := ts.URL + "/cases/" + itoa(f.caseID) + "/network"
	var first, fetch, filter, firstCPU, filterCPU float64
	var nodes int
	b.ResetTimer()
	for b.Loop() {
		must(b, chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/healthz"))) // same site: same renderer process
		cpu0, err := mainThreadCPU(ctx)
		must(b, err)
		err = chromedp.Do(ctx, chromedp.Navigate(page),
			chromedp.Poll[chromedp.Void](`window.rastroGraph && window.rastroGraph.ready`, chromedp.WithPollingTimeout(2*time.Minute)))
		must(b, err)
		tm, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]float64](`window.rastroGraph.timings`))
		must(b, err)
		first, fetch = first+tm["sinceNavigation"], fetch+tm["fetch"]
		cpu1, err := mainThreadCPU(ctx)
		must(b, err)
		nodes, err = chromedp.Run(ctx, chromedp.Evaluate[int](`window.rastroGraph.cy.nodes().length`))
		must(b, err)
		err = chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS(`#net-types input[value="Message"]`)),
			chromedp.Click(chromedp.CSS("#net-apply")),
			chromedp.Poll[chromedp.Void](`window.rastroGraph.ready && window.rastroGraph.loads === 2`, chromedp.WithPollingTimeout(2*time.Minute)))
		must(b, err)
		tm, err = chromedp.Run(ctx, chromedp.Evaluate[map[string]float64](`window.rastroGraph.timings`))
		must(b, err)
		filter += tm["total"]
		cpu2, err := mainThreadCPU(ctx)
		must(b, err)
		firstCPU, filterCPU = firstCPU+cpu1-cpu0, filterCPU+cpu2-cpu1
	}
	if nodes != 5000 {
		b.Errorf("%d nodes drawn, want 5000", nodes)
	}
	k := float64(b.N)
	b.ReportMetric(first/k, "first-render-ms")
	b.ReportMetric(fetch/k, "api-fetch-ms")
	b.ReportMetric(filter/k, "filter-ms")
	b.ReportMetric(firstCPU/k, "first-render-cpu-ms")
	b.ReportMetric(filterCPU/k, "filter-cpu-ms")
}
