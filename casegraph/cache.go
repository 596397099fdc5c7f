package casegraph

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/internal/mru"
)

// Snapshot is what a case's graph is built from: its entities and links as
// one reader may see them (the store has redacted victims for that reader)
// and the identity clusters merged entities collapse onto. A snapshot is
// never modified once read, so graphs built from it may be shared.
type Snapshot struct {
	Entities []*rastro.Entity
	Links    []*rastro.Link
	Cluster  map[string]string // see Options.Cluster
}

// Read reads a case's entities and links as actor (Load's reading part);
// the caller fills Cluster.
func Read(ctx context.Context, s rastro.EntityService, actor rastro.Actor, caseID int64) (*Snapshot, error) {
	snap := &Snapshot{}
	err := s.ForEachEntity(ctx, actor, caseID, func(e *rastro.Entity) error {
		snap.Entities = append(snap.Entities, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("casegraph: entities: %w", err)
	}
	if snap.Links, err = s.Links(ctx, actor, caseID, ""); err != nil {
		return nil, fmt.Errorf("casegraph: links: %w", err)
	}
	return snap, nil
}

// Build builds the graph of the snapshot with opt, whose Cluster is
// replaced by the snapshot's.
func (snap *Snapshot) Build(opt Options) *CaseGraph {
	opt.Cluster = snap.Cluster
	return Build(snap.Entities, snap.Links, opt)
}

// Key names one snapshot of a case: the case, its data version and the
// view of the victims' compartment it was read with (whatever decides
// redaction for the reader: store.CaseDataVersion's pair). Two readers
// share a snapshot only when they would read the same one.
type Key struct {
	CaseID  int64
	Version int64
	View    string
}

// Cache keeps the snapshots of the last few cases read, and the last few
// graphs built from each (one per filter: types, time window), so that
// the network view's expand, filter and path requests on an unchanged case
// read nothing from the store and rebuild nothing. It lives in the value
// that serves the requests (web.Server); the zero value is not usable,
// use NewCache. Safe for concurrent use.
type Cache struct {
	mu      sync.Mutex
	entries *mru.List[Key, *cacheEntry]
	reads   int
	builds  int
}

// cacheEntry is one cached snapshot and the graphs built from it, by
// filter.
type cacheEntry struct {
	snap   *Snapshot
	graphs *mru.List[string, *CaseGraph]
}

// graphsPerSnapshot is how many filtered graphs of one snapshot are kept.
const graphsPerSnapshot = 4

// NewCache returns a cache of the last size snapshots (at least one).
func NewCache(size int) *Cache {
	return &Cache{entries: mru.New[Key, *cacheEntry](size)}
}

// Loader reads the snapshot of a key on a cache miss. It reports whether
// the snapshot is the key's and may be kept: false when the case changed
// (or the reader's view of it) while it was read.
type Loader func(ctx context.Context) (snap *Snapshot, keep bool, err error)

// Graph returns the graph of key's snapshot filtered by opt (whose Cluster
// is ignored: the snapshot's applies), reading the snapshot with load
// unless it is cached.
func (c *Cache) Graph(ctx context.Context, key Key, opt Options, load Loader) (*CaseGraph, error) {
	filter := filterKey(opt)
	snap, cg := c.lookup(key, filter)
	if cg != nil {
		return cg, nil
	}
	keep := true
	if snap == nil {
		var err error
		if snap, keep, err = load(ctx); err != nil {
			return nil, err
		}
		c.count(&c.reads)
	}
	cg = snap.Build(opt)
	c.count(&c.builds)
	if keep {
		c.store(key, snap, filter, cg)
	}
	return cg, nil
}

// Stats returns how many snapshots the cache has read and graphs it has
// built, for tests and benchmarks.
func (c *Cache) Stats() (reads, builds int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reads, c.builds
}

// count adds one to a counter of c.
func (c *Cache) count(n *int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	*n++
}

// lookup returns the cached snapshot of key, if any, and its graph for
// filter, if built, marking both most recently used.
func (c *Cache) lookup(key Key, filter string) (*Snapshot, *CaseGraph) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries.Get(key)
	if !ok {
		return nil, nil
	}
	cg, _ := e.graphs.Get(filter)
	return e.snap, cg
}

// store keeps snap under key and cg under its filter, dropping the least
// recently used snapshots and graphs beyond the bounds. A newer version of
// the same case and view replaces the older one at once: nobody can ask
// for the older one again.
func (c *Cache) store(key Key, snap *Snapshot, filter string, cg *CaseGraph) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries.Get(key)
	if !ok {
		c.entries.DeleteKeys(func(k Key) bool {
			return k.CaseID == key.CaseID && k.View == key.View && k.Version < key.Version
		})
		e = c.entries.Put(key, &cacheEntry{snap: snap, graphs: mru.New[string, *CaseGraph](graphsPerSnapshot)})
	}
	e.graphs.Put(filter, cg)
}

// filterKey names the filter of opt: its types and time window.
func filterKey(opt Options) string {
	types := slices.Clone(opt.Types)
	slices.Sort(types)
	var b strings.Builder
	b.WriteString(strings.Join(types, "\x00"))
	for _, t := range []time.Time{opt.From, opt.To} {
		b.WriteByte('\x01')
		if !t.IsZero() {
			b.WriteString(t.UTC().Format(time.RFC3339Nano))
		}
	}
	if opt.NoShared {
		b.WriteString("\x01noshared")
	}
	return b.String()
}
