package casegraph_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/casegraph"
)

// snapshotOf is a two-entity snapshot whose one node is named caption.
func snapshotOf(caption string) *casegraph.Snapshot {
	return &casegraph.Snapshot{
		Entities: []*rastro.Entity{{ID: "a", Schema: "Person", Caption: caption}, {ID: "b", Schema: "Person", Caption: "B"}},
		Links: []*rastro.Link{{ID: "l1", Schema: "Message", SourceID: "a", TargetID: "b", Start: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)},
			{ID: "l2", Schema: "uses", SourceID: "a", TargetID: "b"}},
	}
}

// loader counts its calls and returns a snapshot named after the key.
type loader struct {
	calls int
	keep  bool
}

func (l *loader) load(key casegraph.Key) casegraph.Loader {
	return func(context.Context) (*casegraph.Snapshot, bool, error) {
		l.calls++
		return snapshotOf(key.View), l.keep, nil
	}
}

func TestCache(t *testing.T) {
	ctx := context.Background()
	c := casegraph.NewCache(2)
	l := &loader{keep: true}
	get := func(key casegraph.Key, opt casegraph.Options) *casegraph.CaseGraph {
		t.Helper()
		cg, err := c.Graph(ctx, key, opt, l.load(key))
		must(t, err)
		if n, _ := cg.Node("a"); n.Caption != key.View {
			t.Fatalf("graph of %+v has node a named %q: built from another key's snapshot", key, n.Caption)
		}
		return cg
	}
	k1 := casegraph.Key{CaseID: 1, Version: 5, View: "redacted"}
	k1full := casegraph.Key{CaseID: 1, Version: 5, View: "full"}
	msg := casegraph.Options{Types: []string{"Message", "uses"}}
	tests := []struct {
		name          string
		key           casegraph.Key
		opt           casegraph.Options
		reads, builds int // totals after the step
	}{
		{"cold", k1, casegraph.Options{}, 1, 1},
		{"same filter", k1, casegraph.Options{}, 1, 1},
		{"new filter", k1, msg, 1, 2},
		{"same types in another order", k1, casegraph.Options{Types: []string{"uses", "Message"}}, 1, 2},
		{"time window", k1, casegraph.Options{From: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}, 1, 3},
		{"other view", k1full, casegraph.Options{}, 2, 4},
		{"first view still cached", k1, msg, 2, 4},
		{"new version", casegraph.Key{CaseID: 1, Version: 6, View: "redacted"}, msg, 3, 5},
		{"other case evicts the least recently used", casegraph.Key{CaseID: 2, View: "redacted"}, msg, 4, 6},
		{"evicted", k1full, casegraph.Options{}, 5, 7},
		{"older version replaced by the newer", k1, msg, 6, 8},
	}
	for _, tt := range tests {
		get(tt.key, tt.opt)
		if reads, builds := c.Stats(); reads != tt.reads || builds != tt.builds {
			t.Errorf("%s: %d reads, %d builds, want %d and %d", tt.name, reads, builds, tt.reads, tt.builds)
		}
	}
	if g := get(k1, casegraph.Options{Types: []string{"Message"}}); g.Graph.M() != 1 {
		t.Errorf("filtered graph has %d edges, want 1 (the message)", g.Graph.M())
	}
}

func TestCacheKeepsOnlyWhatTheLoaderVouchesFor(t *testing.T) {
	ctx := context.Background()
	c := casegraph.NewCache(4)
	l := &loader{keep: false}
	key := casegraph.Key{CaseID: 1, Version: 1, View: "redacted"}
	for range 3 {
		_, err := c.Graph(ctx, key, casegraph.Options{}, l.load(key))
		must(t, err)
	}
	if l.calls != 3 {
		t.Errorf("a snapshot the loader did not vouch for was reused: %d loads for 3 requests", l.calls)
	}
	boom := errors.New("boom")
	_, err := c.Graph(ctx, key, casegraph.Options{}, func(context.Context) (*casegraph.Snapshot, bool, error) { return nil, true, boom })
	if !errors.Is(err, boom) {
		t.Errorf("loader error = %v, want boom", err)
	}
}
