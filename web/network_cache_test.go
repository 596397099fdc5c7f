package web

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/casegraph"
	"github.com/rastro/rastro/store"
)

// countingStore counts the store reads a graph is built from.
type countingStore struct {
	*store.DB
	reads atomic.Int64
}

// ForEachEntity counts one whole-case read.
func (c *countingStore) ForEachEntity(ctx context.Context, actor rastro.Actor, caseID int64, fn func(*rastro.Entity) error) error {
	c.reads.Add(1)
	return c.DB.ForEachEntity(ctx, actor, caseID, fn)
}

// TestGraphCache: the network view's requests on an unchanged case read the
// case once per view of the victims' compartment; a write to the case, or a
// need-to-know grant, is seen by the next request; and a reader who may not
// see the victim never gets the graph read for a caseworker (nor the other
// way round).
func TestGraphCache(t *testing.T) {
	f := newFixture(t)
	f.seedNetwork()
	cs := &countingStore{DB: f.db}
	f.srv.store = cs
	ctx, sys := context.Background(), rastro.SystemActor("test")
	wantReads := func(step string, want int64) {
		t.Helper()
		if got := cs.reads.Load(); got != want {
			t.Errorf("%s: %d whole-case reads so far, want %d", step, got, want)
		}
	}
	victimLabel := func(user, query string) string {
		t.Helper()
		n, ok := nodeByID(f.getGraph(t, user, query))[f.victim.ID]
		if !ok {
			t.Fatalf("%s%s: the victim's node is missing", user, query)
		}
		return n.Label
	}

	if l := victimLabel("analyst-m", ""); l == "Ana Ficticia" {
		t.Fatalf("the analyst sees the victim's name")
	}
	wantReads("first graph", 1)
	cookie, _ := f.session(f.users["analyst-m"])
	for _, path := range []string{
		"/graph?types=Message,uses",
		"/graph?center=acct-s&depth=2",
		"/graph?from=2025-06-01&centrality=pagerank",
		"/graph/path?from=acct-v&to=bank-s",
		"/graph.graphml",
	} {
		res := f.get("/api/v1/cases/"+itoa(f.caseID)+path, cookie)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, res.StatusCode, body(t, res))
		}
		res.Body.Close()
	}
	if l := victimLabel("investigator-m", "?types=uses"); l == "Ana Ficticia" {
		t.Errorf("the investigator sees the victim's name")
	}
	wantReads("filters, expansion, path, export and a second redacted reader", 1)

	if l := victimLabel("caseworker-m", "?types=uses"); l != "Ana Ficticia" {
		t.Errorf("the caseworker sees the victim as %q", l)
	}
	wantReads("a caseworker", 2)
	if l := victimLabel("analyst-m", "?types=uses"); l == "Ana Ficticia" {
		t.Errorf("after the caseworker's request the analyst gets the caseworker's graph")
	}
	if l := victimLabel("caseworker-m", ""); l != "Ana Ficticia" {
		t.Errorf("after the analyst's request the caseworker gets %q", l)
	}
	wantReads("both views cached", 2)

	must(t, f.db.PutEntity(ctx, sys, &rastro.Entity{ID: "p-new", CaseID: f.caseID, Schema: "Person", Caption: "Nuevo Ficticio"}))
	if _, ok := nodeByID(f.getGraph(t, "analyst-m", "?types=uses"))["p-new"]; !ok {
		t.Errorf("an entity added after the graph was cached is missing")
	}
	wantReads("after a write", 3)

	must(t, f.db.GrantNeedToKnow(ctx, sys, f.caseID, f.users["analyst-m"].ID, time.Now().Add(time.Hour),
		"Preparing the victim's testimony with the prosecutor."))
	if l := victimLabel("analyst-m", ""); l != "Ana Ficticia" {
		t.Errorf("the analyst with a need-to-know grant sees the victim as %q", l)
	}
	if l := victimLabel("investigator-m", ""); l == "Ana Ficticia" || strings.TrimSpace(l) == "" {
		t.Errorf("the investigator, without a grant, sees the victim as %q", l)
	}

	cookie, _ = f.session(f.users["analyst-n"])
	if res := f.get("/api/v1/cases/"+itoa(f.caseID)+"/graph", cookie); res.StatusCode != 404 {
		t.Errorf("a non-member gets %d from a warm cache, want 404", res.StatusCode)
	}
}

// resetGraphCache empties the server's graph cache (for benchmarks of
// the cold path).
func resetGraphCache(s *Server) { s.graphs = newGraphCache() }

// TestAnalysisCache: an analysis is reused for the same graph value and
// centrality only, and the cache stays bounded.
func TestAnalysisCache(t *testing.T) {
	snap := &casegraph.Snapshot{Entities: []*rastro.Entity{{ID: "a", Schema: "Person"}, {ID: "b", Schema: "Person"}},
		Links: []*rastro.Link{{ID: "l", Schema: "Message", SourceID: "a", TargetID: "b"}}}
	c := &analysisCache{}
	g1, g2 := snap.Build(casegraph.Options{}), snap.Build(casegraph.Options{})
	a := c.get(g1, "degree")
	if c.get(g1, "degree") != a {
		t.Errorf("the same graph and centrality were analysed twice")
	}
	if c.get(g1, "pagerank") == a || c.get(g2, "degree") == a {
		t.Errorf("an analysis was reused for another centrality or another graph")
	}
	for range 2 * analysisCacheSize {
		c.get(snap.Build(casegraph.Options{}), "degree")
	}
	if n := c.entries.Len(); n != analysisCacheSize {
		t.Errorf("%d analyses cached, want %d", n, analysisCacheSize)
	}
}

// The stores rastro serves over name a case's data version: without it the
// server would quietly read every graph afresh.
var _ caseVersioner = (*store.DB)(nil)
