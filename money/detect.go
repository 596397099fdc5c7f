package money

import (
	"runtime"
	"slices"
	"sync"
	"time"
)

// Params bounds every detector: time windows, minimum sizes and caps. The
// zero value is not useful; start from DefaultParams.
type Params struct {
	Window      time.Duration // fan-in/out, scatter/gather, bipartite: how close the transfers are
	MinDegree   int           // fan-in/out: distinct counterparties in Window
	MinBranches int           // scatter-gather, gather-scatter, bipartite: distinct intermediaries/sides
	CycleMinLen int           // shortest cycle, in hops (2 admits A→B→A round trips)
	CycleMaxLen int           // longest cycle, in hops
	CycleWindow time.Duration // first to last hop of a cycle
	// CycleAnyOrder drops the time order of hops (all within CycleWindow of
	// the first found): AMLSim plants cycles whose hops have random steps.
	CycleAnyOrder bool
	ChainMinLen   int           // layering: shortest chain reported, in hops
	ChainGap      time.Duration // layering: most time between consecutive hops
	MinKeep       int           // layering/pass-through: next amount ≥ MinKeep % of the previous (same currency)
	Threshold     Amount        // structuring: reporting threshold, in each account's currency
	Band          int           // structuring: "just under" means ≥ Threshold × (100-Band) %
	StructMin     int           // structuring: deposits in StructWindow
	StructWindow  time.Duration
	FunnelMin     int // funnel: cash deposits in FunnelWindow
	FunnelWindow  time.Duration
	FunnelOut     time.Duration // funnel: wired out within this after the last deposit
	PassWindow    time.Duration // pass-through: out within this after in
	PassMin       int           // pass-through: in/out pairs per account
	DormantGap    time.Duration // dormant: no activity for this long
	DormantBurst  int           // dormant: transfers within Window after waking
	MaxSearch     int           // cycles/chains: search steps per start transfer
	MaxAlerts     int           // per kind (highest scores kept)
	// IgnoreMethods are payment methods the structural detectors (fan,
	// cycle, scatter/gather, bipartite, layering, pass-through) leave out:
	// card purchases at merchants are ordinary commerce.
	IgnoreMethods []string
}

// DefaultParams are the parameters the quality figures are measured with.
func DefaultParams() Params {
	return Params{
		Window: 72 * time.Hour, MinDegree: 4, MinBranches: 3,
		CycleMinLen: 3, CycleMaxLen: 6, CycleWindow: 30 * 24 * time.Hour,
		ChainMinLen: 4, ChainGap: 72 * time.Hour, MinKeep: 80,
		Threshold: MustAmount("10000.00"), Band: 10, StructMin: 3, StructWindow: 30 * 24 * time.Hour,
		FunnelMin: 4, FunnelWindow: 14 * 24 * time.Hour, FunnelOut: 72 * time.Hour,
		PassWindow: 6 * time.Hour, PassMin: 2,
		DormantGap: 90 * 24 * time.Hour, DormantBurst: 5,
		MaxSearch: 20000, MaxAlerts: 5000, IgnoreMethods: []string{"Credit Card"},
	}
}

// Detector names, the Kind of their alerts.
const (
	KindFanIn         = "fan_in"
	KindFanOut        = "fan_out"
	KindCycle         = "cycle"
	KindScatterGather = "scatter_gather"
	KindGatherScatter = "gather_scatter"
	KindBipartite     = "bipartite"
	KindLayering      = "layering_chain"
	KindStructuring   = "structuring"
	KindFunnel        = "funnel"
	KindPassThrough   = "rapid_pass_through"
	KindDormant       = "dormant_then_active"
)

// detectors lists every typology detector by kind.
func detectors() []struct {
	kind string
	run  func(*Graph, Params) []Alert
} {
	return []struct {
		kind string
		run  func(*Graph, Params) []Alert
	}{
		{KindFanIn, (*Graph).FanIn}, {KindFanOut, (*Graph).FanOut}, {KindCycle, (*Graph).Cycles},
		{KindScatterGather, (*Graph).ScatterGather}, {KindGatherScatter, (*Graph).GatherScatter},
		{KindBipartite, (*Graph).Bipartite}, {KindLayering, (*Graph).Layering},
		{KindStructuring, (*Graph).Structuring}, {KindFunnel, (*Graph).Funnel},
		{KindPassThrough, (*Graph).PassThrough}, {KindDormant, (*Graph).Dormant},
	}
}

// Kinds lists the typology detectors' kinds.
func Kinds() []string {
	var k []string
	for _, d := range detectors() {
		k = append(k, d.kind)
	}
	return k
}

// Detect runs the typology detectors named in kinds (all when empty),
// concurrently (one per core), applies roles (possible victims are never
// subjects) and returns the alerts sorted by kind and score.
func (g *Graph) Detect(p Params, roles map[string]Role, kinds ...string) []Alert {
	want := map[string]bool{}
	for _, k := range kinds {
		want[k] = true
	}
	fg := g.without(p.IgnoreMethods)
	ds := detectors()
	results := make([][]Alert, len(ds))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, d := range ds {
		if len(want) > 0 && !want[d.kind] {
			continue
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = runDetector(g, fg, d.kind, d.run, p)
		})
	}
	wg.Wait()
	var all []Alert
	for _, r := range results {
		all = append(all, r...)
	}
	applyRoles(all, roles)
	sortAlerts(all)
	return all
}

// Scan runs every typology detector and the rule pack (nil: none) and
// returns all alerts, sorted by kind and score, with roles applied.
func (g *Graph) Scan(p Params, pack *RulePack, roles map[string]Role, lists map[string][]string) []Alert {
	alerts := g.Detect(p, roles)
	if pack != nil {
		alerts = append(alerts, g.Evaluate(pack, roles, lists)...)
		sortAlerts(alerts)
	}
	return alerts
}

// capAlerts keeps the n best-scored alerts.
func capAlerts(a []Alert, n int) []Alert {
	if n <= 0 || len(a) <= n {
		return a
	}
	sortAlerts(a)
	return a[:n]
}

// runDetector runs one detector on the full graph or, for structural
// detectors, on the view without ignored methods (same transfer indices).
// The graphs are only read, so detectors run concurrently.
func runDetector(g, fg *Graph, kind string, run func(*Graph, Params) []Alert, p Params) []Alert {
	if !structural(kind) {
		return capAlerts(run(g, p), p.MaxAlerts)
	}
	return capAlerts(run(fg, p), p.MaxAlerts)
}

// structural reports whether a detector looks at the shape of flows (and
// so ignores Params.IgnoreMethods transfers).
func structural(kind string) bool {
	switch kind {
	case KindStructuring, KindFunnel, KindDormant:
		return false
	}
	return true
}

// without returns a view of the graph without transfers paid by the given
// methods: the same transfers, accounts and indices (nothing is copied),
// with out and in lists that leave them out and ignored marking them for
// the detectors that walk every transfer.
func (g *Graph) without(methods []string) *Graph {
	if len(methods) == 0 || !slices.ContainsFunc(g.Txs, func(t Tx) bool { return anyEqual(methods, t.Method) }) {
		return g
	}
	v := &Graph{Txs: g.Txs, Accounts: g.Accounts, index: g.index, from: g.from, to: g.to, unix: g.unix, amt: g.amt, ignored: make([]bool, len(g.Txs))}
	for i := range g.Txs {
		v.ignored[i] = anyEqual(methods, g.Txs[i].Method)
	}
	v.fill(v.ignored)
	return v
}

// skip reports whether transfer e is left out of this view.
func (g *Graph) skip(e int) bool { return g.ignored != nil && g.ignored[e] }
