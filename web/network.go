package web

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/casegraph"
	"github.com/rastro/rastro/identity"
	"github.com/rastro/rastro/internal/mru"
	"github.com/rastro/rastro/network"
)

// The network view (issue 6): a case's entities and links as an interactive
// graph, with communities, a chosen centrality, k-cores, filters by link
// type and time, neighbourhood expansion, a path finder with the evidence
// behind each hop, and GraphML export. The graph is read through the store
// with the reader's actor, so victims come back redacted for readers
// outside the compartment and are shown with their case role.

// Limits of the graph API.
const (
	defaultGraphLimit = 5000  // nodes returned when limit is not given
	maxGraphLimit     = 20000 // largest limit accepted
	maxDepth          = 3     // largest neighbourhood depth
	maxPaths          = 10    // all-shortest paths returned at most
	maxHopEdges       = 20    // links listed per hop of a path
	// exactBetweenness is the largest graph whose betweenness is computed
	// exactly; above it, it is estimated from betweennessSamples pivots.
	exactBetweenness   = 2000
	betweennessSamples = 256
	leidenSeed         = 6 // communities are deterministic: same graph, same colours
)

// centralities are the measures node size may show.
var centralities = []string{"degree", "pagerank", "betweenness"}

// graphQuery is the parsed query of the graph API.
type graphQuery struct {
	opt        casegraph.Options
	centrality string
	center     string
	depth      int
	limit      int
}

// parseGraphQuery reads types, from, to, centrality, center, depth and
// limit, with a message naming what is wrong.
func parseGraphQuery(r *http.Request) (graphQuery, error) {
	q := r.URL.Query()
	gq := graphQuery{centrality: cmp.Or(q.Get("centrality"), "degree"), center: q.Get("center"), limit: defaultGraphLimit}
	var err error
	if gq.opt, err = graphFilter(r, "from", "to"); err != nil {
		return gq, err
	}
	if !slices.Contains(centralities, gq.centrality) {
		return gq, rastro.Errorf(rastro.EINVALID, "Query parameter centrality must be one of %s, not %q.", strings.Join(centralities, ", "), truncate(gq.centrality, 40))
	}
	if gq.depth, err = queryInt(r, "depth"); err != nil {
		return gq, err
	}
	if gq.depth > maxDepth {
		return gq, rastro.Errorf(rastro.EINVALID, "Query parameter depth must be at most %d.", maxDepth)
	}
	if gq.center == "" && gq.depth > 0 {
		return gq, rastro.Errorf(rastro.EINVALID, "Query parameter depth needs center (the entity whose neighbourhood to show).")
	}
	if gq.center != "" && gq.depth == 0 {
		gq.depth = 1
	}
	if q.Get("limit") != "" {
		if gq.limit, err = queryInt(r, "limit"); err != nil {
			return gq, err
		}
		if gq.limit < 1 || gq.limit > maxGraphLimit {
			return gq, rastro.Errorf(rastro.EINVALID, "Query parameter limit must be between 1 and %d.", maxGraphLimit)
		}
	}
	return gq, nil
}

// graphFilter reads the types list and the time window (named fromKey and
// toKey) shared by the graph, path and GraphML endpoints.
func graphFilter(r *http.Request, fromKey, toKey string) (casegraph.Options, error) {
	q := r.URL.Query()
	var opt casegraph.Options
	for t := range strings.SplitSeq(q.Get("types"), ",") {
		if t = strings.TrimSpace(t); t != "" {
			opt.Types = append(opt.Types, t)
		}
	}
	var err error
	if opt.From, err = queryTime(r, fromKey, false); err != nil {
		return opt, err
	}
	if opt.To, err = queryTime(r, toKey, true); err != nil {
		return opt, err
	}
	if !opt.From.IsZero() && !opt.To.IsZero() && opt.To.Before(opt.From) {
		return opt, rastro.Errorf(rastro.EINVALID, "Query parameter %s is before %s: the time window is empty.", toKey, fromKey)
	}
	return opt, nil
}

// queryTime parses an optional RFC 3339 time or date (YYYY-MM-DD); a date
// given as the end of a window means the end of that day.
func queryTime(r *http.Request, name string, end bool) (time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, rastro.Errorf(rastro.EINVALID, "Query parameter %s must be an RFC 3339 date (2025-01-31) or time (2025-01-31T18:00:00Z), not %q.", name, truncate(v, 40))
	}
	if end {
		t = t.Add(24*time.Hour - time.Nanosecond)
	}
	return t, nil
}

// graphNode is one cytoscape node.
type graphNode struct {
	Data     graphNodeData `json:"data"`
	Position position      `json:"position"`
}

// graphNodeData is a node's data: what the view styles and lists.
type graphNodeData struct {
	ID         string          `json:"id"`
	Label      string          `json:"label"`
	Schema     string          `json:"schema"`
	Role       rastro.CaseRole `json:"role"`
	Protected  rastro.CaseRole `json:"protected,omitempty"`
	Victim     bool            `json:"victim"`
	Redacted   bool            `json:"redacted,omitempty"`
	Community  int32           `json:"community"`
	Centrality float64         `json:"centrality"`
	KCore      int             `json:"kcore"`
	Degree     int             `json:"degree"`
}

// position is a node's place in the server-side layout.
type position struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// graphEdge is one cytoscape edge: every link of one type from one node
// to another, collapsed, with the first one's provenance.
type graphEdge struct {
	Data graphEdgeData `json:"data"`
}

// graphEdgeData is an edge's data.
type graphEdgeData struct {
	ID          string    `json:"id"`
	Source      string    `json:"source"`
	Target      string    `json:"target"`
	Type        string    `json:"type"`
	Count       int       `json:"count"`
	First       time.Time `json:"first,omitzero"`
	Last        time.Time `json:"last,omitzero"`
	LinkID      string    `json:"link_id,omitempty"`
	StatementID int64     `json:"statement_id,omitempty"`
	EvidenceID  int64     `json:"evidence_id,omitempty"`
	RecordID    int64     `json:"record_id,omitempty"`
	Locator     string    `json:"locator,omitempty"`
}

// graphResponse is the graph API's answer.
type graphResponse struct {
	CaseID      int64    `json:"case_id"`
	Nodes       int      `json:"nodes_total"` // nodes of the filtered graph
	Edges       int      `json:"edges_total"` // links of the filtered graph
	Shown       int      `json:"nodes_shown"`
	Truncated   bool     `json:"truncated"`
	Types       []string `json:"types"` // every link type of the case
	Centrality  string   `json:"centrality"`
	Max         float64  `json:"centrality_max"`
	Communities int      `json:"communities"`
	Elements    struct {
		Nodes []graphNode `json:"nodes"`
		Edges []graphEdge `json:"edges"`
	} `json:"elements"`
}

// analysis is what the view computes over the filtered graph.
type analysis struct {
	cg     *casegraph.CaseGraph
	und    *network.Graph
	part   network.Partition
	cent   []float64
	kcore  []int
	degree []int
	pos    []position
}

// analyse runs communities, the centrality, k-cores and the layout.
func analyse(cg *casegraph.CaseGraph, centrality string) *analysis {
	a := &analysis{cg: cg, und: cg.Graph.Undirected()}
	a.part = network.Leiden(a.und, network.LeidenOptions{Seed: leidenSeed})
	a.degree = network.Degree(a.und, network.DegreeAll)
	a.kcore = network.KCore(a.und)
	switch centrality {
	case "pagerank":
		a.cent = network.PageRank(cg.Graph, network.PageRankOptions{})
	case "betweenness":
		opt := network.BetweennessOptions{Seed: leidenSeed}
		if a.und.N() > exactBetweenness {
			opt.Samples = betweennessSamples
		}
		a.cent = network.Betweenness(a.und, opt)
	default:
		a.cent = make([]float64, len(a.degree))
		for i, d := range a.degree {
			a.cent[i] = float64(d)
		}
	}
	a.pos = layout(a.part.Membership, a.part.Count, a.cent)
	return a
}

// graphCacheSize is how many case snapshots (case, data version and view of
// the victims' compartment) the server keeps for the network view: a
// snapshot holds every entity with its statements, so a large case's can
// take tens of megabytes.
const graphCacheSize = 4

// caseVersioner names a case's data version and the reader's view of its
// victims' compartment (*store.DB does). Over a store without it graphs
// are read afresh for every request.
type caseVersioner interface {
	CaseDataVersion(ctx context.Context, actor rastro.Actor, caseID int64) (version int64, view string, err error)
}

// graphCache is the network view's cache: case snapshots and the graphs
// built from them, and the analyses of those graphs.
type graphCache struct {
	graphs   *casegraph.Cache
	analyses analysisCache
}

// newGraphCache returns an empty graph cache.
func newGraphCache() *graphCache {
	return &graphCache{graphs: casegraph.NewCache(graphCacheSize)}
}

// analysisCacheSize is how many analyses (graph and centrality) the server
// keeps: the graphs of the cases open in the network view, under a few
// filters.
const analysisCacheSize = 8

// analysisCache keeps the analyses of the last few graphs the graph cache
// handed out, so that expanding a node of an unchanged case reruns neither
// communities nor the centrality. Graphs are immutable and a cached graph
// is the same value for every reader with the same key, so the graph value
// itself is the key. Safe for concurrent use; the zero value is ready.
type analysisCache struct {
	mu      sync.Mutex
	entries *mru.List[analysisKey, *analysis]
}

// analysisKey names one analysis: the graph and the centrality sized by.
type analysisKey struct {
	cg         *casegraph.CaseGraph
	centrality string
}

// get returns the analysis of cg with centrality, computing it unless
// cached.
func (c *analysisCache) get(cg *casegraph.CaseGraph, centrality string) *analysis {
	key := analysisKey{cg, centrality}
	c.mu.Lock()
	if c.entries == nil {
		c.entries = mru.New[analysisKey, *analysis](analysisCacheSize)
	}
	a, ok := c.entries.Get(key)
	c.mu.Unlock()
	if ok {
		return a
	}
	a = analyse(cg, centrality)
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entries.Put(key, a)
}

// loadGraph returns the case's graph for the request's actor, filtered by
// opt. Snapshots are cached under the case's data version and the actor's
// view (what decides redaction), read first: membership is checked by that
// read on every request, a write to the case moves on to a new snapshot,
// and a reader never gets one read for a reader who sees more. A snapshot
// is kept only when the version and view read again after it are the same,
// so that it is exactly that version's.
func (s *Server) loadGraph(r *http.Request, opt casegraph.Options) (*casegraph.CaseGraph, error) {
	id, err := pathID(r, "caseID")
	if err != nil {
		return nil, err
	}
	ctx, a := r.Context(), actor(r)
	v, ok := s.store.(caseVersioner)
	if !ok {
		snap, err := s.readGraph(ctx, a, id)
		if err != nil {
			return nil, err
		}
		return snap.Build(opt), nil
	}
	version, view, err := v.CaseDataVersion(ctx, a, id)
	if err != nil {
		return nil, err
	}
	key := casegraph.Key{CaseID: id, Version: version, View: view}
	return s.graphs.graphs.Graph(ctx, key, opt, func(ctx context.Context) (*casegraph.Snapshot, bool, error) {
		snap, err := s.readGraph(ctx, a, id)
		if err != nil {
			return nil, false, err
		}
		again, view2, err := v.CaseDataVersion(ctx, a, id)
		if err != nil {
			return nil, false, err
		}
		return snap, again == version && view2 == view, nil
	})
}

// readGraph reads the case's snapshot for actor: its entities and links
// and the identities the analysts merged, which collapse onto one node.
func (s *Server) readGraph(ctx context.Context, a rastro.Actor, caseID int64) (*casegraph.Snapshot, error) {
	cluster, err := identity.Collapse(ctx, s.store, a, caseID)
	if err != nil {
		return nil, err
	}
	snap, err := casegraph.Read(ctx, s.store, a, caseID)
	if err != nil {
		return nil, err
	}
	snap.Cluster = cluster
	return snap, nil
}

// apiGraph answers GET /api/v1/cases/{caseID}/graph.
func (s *Server) apiGraph(w http.ResponseWriter, r *http.Request) {
	gq, err := parseGraphQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cg, err := s.loadGraph(r, gq.opt)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var seed int32 = -1
	if gq.center != "" {
		v, ok := cg.Graph.Node(cg.Canon(gq.center))
		if !ok {
			s.fail(w, r, rastro.Errorf(rastro.ENOTFOUND, "Entity %q is not in this case's network.", truncate(gq.center, 80)))
			return
		}
		seed = v
	}
	a := s.graphs.analyses.get(cg, gq.centrality)
	res := a.response(gq, seed)
	res.CaseID, _ = pathID(r, "caseID")
	var shown []*casegraph.Node
	for _, n := range res.Elements.Nodes {
		shown = append(shown, cg.Nodes[mustNode(cg, n.Data.ID)])
	}
	if err := s.auditVictims(r, res.CaseID, shown, "network view"); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(res) // compact: thousands of elements
}

// response selects the nodes to show (the neighbourhood of seed when not
// -1, else everything) up to the limit, most central first, and their edges.
func (a *analysis) response(gq graphQuery, seed int32) *graphResponse {
	res := &graphResponse{Nodes: a.und.N(), Edges: a.cg.Graph.M(), Types: a.cg.Types, Centrality: gq.centrality, Communities: a.part.Count}
	if res.Types == nil {
		res.Types = []string{}
	}
	sel := a.selectNodes(seed, gq.depth)
	if len(sel) > gq.limit {
		slices.SortStableFunc(sel, func(x, y int32) int {
			if x == seed || y == seed {
				return boolCmp(y == seed, x == seed)
			}
			return cmp.Compare(a.cent[y], a.cent[x])
		})
		sel, res.Truncated = sel[:gq.limit], true
		slices.Sort(sel)
	}
	res.Shown = len(sel)
	in := make(map[int32]bool, len(sel))
	for _, v := range sel {
		in[v] = true
		res.Max = max(res.Max, a.cent[v])
		res.Elements.Nodes = append(res.Elements.Nodes, a.node(v))
	}
	res.Elements.Edges = a.edges(in)
	if res.Elements.Nodes == nil {
		res.Elements.Nodes = []graphNode{}
	}
	return res
}

// boolCmp orders true before false.
func boolCmp(x, y bool) int {
	switch {
	case x == y:
		return 0
	case x:
		return 1
	}
	return -1
}

// selectNodes returns every node, or those within depth hops of seed.
func (a *analysis) selectNodes(seed int32, depth int) []int32 {
	if seed < 0 {
		all := make([]int32, a.und.N())
		for i := range all {
			all[i] = int32(i)
		}
		return all
	}
	dist := map[int32]int{seed: 0}
	frontier, out := []int32{seed}, []int32{seed}
	for d := 1; d <= depth; d++ {
		var next []int32
		for _, v := range frontier {
			for _, u := range a.und.Neighbors(v) {
				if _, ok := dist[u]; !ok {
					dist[u] = d
					next = append(next, u)
				}
			}
		}
		out, frontier = append(out, next...), next
	}
	slices.Sort(out)
	return out
}

// node returns the cytoscape node of v.
func (a *analysis) node(v int32) graphNode {
	n := a.cg.Nodes[v]
	return graphNode{Data: graphNodeData{ID: n.ID, Label: n.Caption, Schema: n.Schema, Role: n.Role, Protected: n.Protected,
		Victim: n.IsVictim(), Redacted: n.Redacted, Community: a.part.Membership[v], Centrality: round(a.cent[v]),
		KCore: a.kcore[v], Degree: a.degree[v]}, Position: a.pos[v]}
}

// round keeps 6 significant digits, enough to size a node.
func round(f float64) float64 {
	if f == 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 6, 64), 64)
	return v
}

// edges collapses the links between shown nodes into one edge per source,
// target and type, in link order.
func (a *analysis) edges(in map[int32]bool) []graphEdge {
	g := a.cg.Graph
	index := map[string]int{}
	out := []graphEdge{}
	for v := range int32(g.N()) {
		if !in[v] {
			continue
		}
		for _, u := range g.Successors(v) {
			if !in[u] {
				continue
			}
			for _, e := range g.EdgesBetween(v, u) {
				p := a.cg.Edges[e]
				key := g.Key(v) + "\x00" + g.Key(u) + "\x00" + p.Type
				if i, ok := index[key]; ok {
					out[i].Data.add(p)
					continue
				}
				index[key] = len(out)
				d := graphEdgeData{ID: fmt.Sprintf("e%d", len(out)), Source: g.Key(v), Target: g.Key(u), Type: p.Type,
					LinkID: p.LinkID, StatementID: p.StatementID, EvidenceID: p.EvidenceID, RecordID: p.RecordID, Locator: p.Locator}
				d.add(p)
				out = append(out, graphEdge{Data: d})
			}
		}
	}
	return out
}

// add counts one more link in the edge and widens its time span.
func (d *graphEdgeData) add(p casegraph.Provenance) {
	d.Count++
	end := cmp.Or(p.End, p.Start)
	if !p.Start.IsZero() && (d.First.IsZero() || p.Start.Before(d.First)) {
		d.First = p.Start
	}
	if !end.IsZero() && end.After(d.Last) {
		d.Last = end
	}
}

// layout places communities on a grid of cells sized to fit them, largest
// first, and each community's nodes on a sunflower spiral, most central in
// the middle: O(n log n), deterministic, and the same coordinates whichever
// part of the graph a request shows, so that expansions fit in place.
func layout(memb []int32, k int, cent []float64) []position {
	const spacing = 30.0
	groups := make([][]int32, k)
	for v, c := range memb {
		groups[c] = append(groups[c], int32(v))
	}
	order := make([]int, k)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(len(groups[y]), len(groups[x])) })
	pos := make([]position, len(memb))
	rowWidth := spacing * 2 * math.Sqrt(float64(len(memb))+1) * 1.6
	x, y, rowH := 0.0, 0.0, 0.0
	golden := math.Pi * (3 - math.Sqrt(5))
	for _, c := range order {
		g := groups[c]
		slices.SortStableFunc(g, func(a, b int32) int { return cmp.Compare(cent[b], cent[a]) })
		r := spacing * (math.Sqrt(float64(len(g))) + 1)
		if x > 0 && x+2*r > rowWidth {
			x, y, rowH = 0, y+rowH, 0
		}
		cx, cy := x+r, y+r
		for i, v := range g {
			d := spacing * math.Sqrt(float64(i))
			pos[v] = position{X: math.Round(cx + d*math.Cos(float64(i)*golden)), Y: math.Round(cy + d*math.Sin(float64(i)*golden))}
		}
		x += 2*r + spacing
		rowH = max(rowH, 2*r+spacing)
	}
	return pos
}

// mustNode returns the node id of a key known to be in the graph.
func mustNode(cg *casegraph.CaseGraph, key string) int32 {
	v, _ := cg.Graph.Node(cg.Canon(key))
	return v
}

// auditVictims records one view_victim event when the answer shows
// (possible) victims unredacted, as the entity page does for one victim:
// the network view must not be a way around the audit of victims' data.
func (s *Server) auditVictims(r *http.Request, caseID int64, nodes []*casegraph.Node, what string) error {
	var ids []string
	for _, n := range nodes {
		if n.Role.IsVictim() && !n.Redacted && !slices.Contains(ids, n.ID) {
			ids = append(ids, n.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	a := actor(r)
	shown := strings.Join(ids[:min(len(ids), 20)], ", ")
	if len(ids) > 20 {
		shown += fmt.Sprintf(" and %d more", len(ids)-20)
	}
	ev := &rastro.AuditEvent{Time: s.cfg.Now(), UserID: a.UserID, Username: a.Username, Action: "view_victim",
		CaseID: caseID, Object: fmt.Sprintf("case:%d", caseID), Purpose: a.Purpose,
		Details: fmt.Sprintf("%s: %d (possible) victims shown: %s", what, len(ids), shown), Remote: remoteAddr(r)}
	return s.store.Audit(r.Context(), a, ev)
}
