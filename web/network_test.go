package web

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/casegraph"
)

// seedNetwork adds to the fixture's case what the demo stores: phone
// identifiers the people use, chat accounts carrying the same numbers, a
// message from the possible victim's account to the suspect's, and the
// suspect's bank account receiving a payment.
func (f *fixture) seedNetwork() {
	t, sys, ctx := f.t, rastro.SystemActor("test"), context.Background()
	t.Helper()
	evs, err := f.db.EvidenceList(ctx, sys, f.caseID)
	must(t, err)
	ev := evs[0].ID
	st := func(prop, value string) *rastro.Statement {
		return &rastro.Statement{Prop: prop, Value: value, EvidenceID: ev, Locator: "line:3", Origin: rastro.OriginParser, Confidence: 1}
	}
	ents := []*rastro.Entity{
		{ID: "id-phone-v", Schema: "Identifier", Caption: "+50495550149", Statements: []*rastro.Statement{st("normalized", "+50495550149")}},
		{ID: "id-phone-s", Schema: "Identifier", Caption: "+525555500115", Statements: []*rastro.Statement{st("normalized", "+525555500115")}},
		{ID: "acct-v", Schema: "UserAccount", Caption: "Chat V", Statements: []*rastro.Statement{st("number", "+504 9555-0149")}},
		{ID: "acct-s", Schema: "UserAccount", Caption: "Chat S", Statements: []*rastro.Statement{st("number", "+52 55 5550 0115")}},
		{ID: "bank-s", Schema: "BankAccount", Caption: "0010593719"},
		{ID: "bank-x", Schema: "BankAccount", Caption: "9900000001"},
	}
	for _, e := range ents {
		e.CaseID = f.caseID
	}
	must(t, f.db.PutEntities(ctx, sys, ents))
	day := time.Date(2025, 5, 20, 12, 0, 0, 0, time.UTC)
	must(t, f.db.PutLinks(ctx, sys, f.caseID, []*rastro.Link{
		{ID: "uses-v", Schema: "uses", SourceID: f.victim.ID, TargetID: "id-phone-v", Origin: rastro.OriginImport},
		{ID: "uses-s", Schema: "uses", SourceID: f.entity.ID, TargetID: "id-phone-s", Origin: rastro.OriginImport},
		{ID: "msg-1", Schema: "Message", SourceID: "acct-v", TargetID: "acct-s", Start: day, EvidenceID: ev, Locator: "line:12", Origin: rastro.OriginParser},
		{ID: "msg-2", Schema: "Message", SourceID: "acct-v", TargetID: "acct-s", Start: day.Add(time.Hour), EvidenceID: ev, Locator: "line:13", Origin: rastro.OriginParser},
		{ID: "owns-s", Schema: "Ownership", SourceID: f.entity.ID, TargetID: "bank-s", Origin: rastro.OriginImport},
		{ID: "pay-1", Schema: "Payment", SourceID: "bank-x", TargetID: "bank-s", Start: day.AddDate(0, 1, 0), Amount: "100.00", Currency: "MXN", EvidenceID: ev, Locator: "line:9", Origin: rastro.OriginImport},
	}))
}

// getGraph fetches the graph API as user and decodes it.
func (f *fixture) getGraph(t *testing.T, user, query string) graphResponse {
	t.Helper()
	cookie, _ := f.session(f.users[user])
	res := f.get("/api/v1/cases/"+itoa(f.caseID)+"/graph"+query, cookie)
	if res.StatusCode != 200 {
		t.Fatalf("graph%s: %d %s", query, res.StatusCode, body(t, res))
	}
	var g graphResponse
	must(t, json.NewDecoder(res.Body).Decode(&g))
	return g
}

func nodeByID(g graphResponse) map[string]graphNodeData {
	m := map[string]graphNodeData{}
	for _, n := range g.Elements.Nodes {
		m[n.Data.ID] = n.Data
	}
	return m
}

func TestGraphAPI(t *testing.T) {
	f := newFixture(t)
	f.seedNetwork()
	g := f.getGraph(t, "investigator-m", "?centrality=pagerank")
	if g.Nodes != 8 || g.Shown != 8 || g.Truncated || g.Communities < 1 || g.Centrality != "pagerank" || g.Max <= 0 {
		t.Errorf("summary %+v", g)
	}
	nodes := nodeByID(g)
	v := nodes[f.victim.ID]
	if !v.Victim || v.Role != rastro.CaseRolePossibleVictim || !v.Redacted || strings.Contains(v.Label, "Ana") {
		t.Errorf("an investigator sees the possible victim as %+v: want her role and only a pseudonym", v)
	}
	if s := nodes[f.entity.ID]; s.Victim || s.Role != rastro.CaseRoleSuspect || s.Label != "Juan Ficticio" {
		t.Errorf("suspect %+v", s)
	}
	if p := nodes["id-phone-v"]; !p.Victim || p.Protected != rastro.CaseRolePossibleVictim {
		t.Errorf("the victim's phone %+v must be shown as protected, never as a suspect's", p)
	}
	var msg *graphEdgeData
	types := map[string]bool{}
	for i, e := range g.Elements.Edges {
		types[e.Data.Type] = true
		if e.Data.Type == "Message" {
			msg = &g.Elements.Edges[i].Data
		}
	}
	if msg == nil || msg.Count != 2 || msg.Source != "acct-v" || msg.Target != "acct-s" || msg.EvidenceID == 0 || msg.Locator != "line:12" || msg.First.IsZero() || !msg.Last.After(msg.First) {
		t.Errorf("two messages must collapse into one edge with count, span and provenance: %+v", msg)
	}
	if !types[casegraph.SharedIdentifier] {
		t.Errorf("no shared-identifier edge among %v", types)
	}
	if n := len(f.auditActions("view_victim")); n != 0 {
		t.Errorf("a pseudonymous view wrote %d view_victim events", n)
	}
	if cw := nodeByID(f.getGraph(t, "caseworker-m", ""))[f.victim.ID]; cw.Label != "Ana Ficticia" || !cw.Victim {
		t.Errorf("the caseworker sees the victim as %+v", cw)
	}
	if evs := f.auditActions("view_victim"); len(evs) != 1 || !strings.Contains(evs[0].Details, f.victim.ID) {
		t.Errorf("the caseworker's network view of the victim must be audited once: %+v", evs)
	}
}

func TestGraphAPIFiltersAndNeighbourhood(t *testing.T) {
	f := newFixture(t)
	f.seedNetwork()
	tests := []struct {
		query string
		nodes []string // shown nodes, when not nil
		types []string // edge types shown, when not nil
	}{
		{"?types=Payment", nil, []string{"Payment"}},
		{"?types=Message,Payment&from=2025-06-01", nil, []string{"Payment"}},
		{"?to=2025-05-20", nil, []string{"Message", "Ownership", casegraph.SharedIdentifier, "uses"}},
		{"?center=acct-s&depth=1", []string{"acct-s", "acct-v", "id-phone-s"}, []string{"Message", casegraph.SharedIdentifier}},
		{"?center=acct-s&types=Message", []string{"acct-s", "acct-v"}, []string{"Message"}},
		{"?limit=2&centrality=betweenness", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			g := f.getGraph(t, "analyst-m", tt.query)
			var nodes, types []string
			for _, n := range g.Elements.Nodes {
				nodes = append(nodes, n.Data.ID)
			}
			seen := map[string]bool{}
			for _, e := range g.Elements.Edges {
				if !seen[e.Data.Type] {
					seen[e.Data.Type] = true
					types = append(types, e.Data.Type)
				}
			}
			if tt.nodes != nil {
				if diff := cmp.Diff(tt.nodes, nodes); diff != "" {
					t.Errorf("nodes (-want +got):\n%s", diff)
				}
			}
			opt := cmp.Transformer("sort", func(in []string) []string {
				out := append([]string(nil), in...)
				sortStrings(out)
				return out
			})
			if diff := cmp.Diff(tt.types, types, opt); tt.types != nil && diff != "" {
				t.Errorf("edge types (-want +got):\n%s", diff)
			}
			if strings.Contains(tt.query, "limit=2") && (len(nodes) != 2 || !g.Truncated || g.Nodes != 8) {
				t.Errorf("limit=2: %d nodes shown of %d, truncated=%v", len(nodes), g.Nodes, g.Truncated)
			}
		})
	}
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func TestGraphAPIBadParams(t *testing.T) {
	f := newFixture(t)
	f.seedNetwork()
	cookie, _ := f.session(f.users["analyst-m"])
	base := "/api/v1/cases/" + itoa(f.caseID)
	tests := []struct {
		path   string
		status int
		detail string // a word the message must contain
	}{
		{"/graph?centrality=closeness", 400, "centrality"},
		{"/graph?from=yesterday", 400, "from"},
		{"/graph?from=2025-06-01&to=2025-05-01", 400, "empty"},
		{"/graph?depth=9&center=acct-s", 400, "depth"},
		{"/graph?depth=1", 400, "center"},
		{"/graph?limit=0", 400, "limit"},
		{"/graph?limit=many", 400, "limit"},
		{"/graph?center=nobody", 404, "nobody"},
		{"/graph/path?from=acct-v", 400, "required"},
		{"/graph/path?from=acct-v&to=acct-v", 400, "same"},
		{"/graph/path?from=acct-v&to=nobody", 404, "nobody"},
		{"/graph/path?from=acct-v&to=bank-s&limit=99", 400, "limit"},
		{"/graph/path?from=acct-v&to=bank-s&since=soon", 400, "since"},
		{"/graph.graphml?to=2025-13-01", 400, "to"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res := f.get(base+tt.path, cookie)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			if p := decodeProblem(t, res); !strings.Contains(p.Detail, tt.detail) {
				t.Errorf("detail %q does not say what is wrong (%q)", p.Detail, tt.detail)
			}
		})
	}
}

func TestGraphPathWithEvidence(t *testing.T) {
	f := newFixture(t)
	f.seedNetwork()
	cookie, _ := f.session(f.users["investigator-m"])
	res := f.get("/api/v1/cases/"+itoa(f.caseID)+"/graph/path?"+url.Values{"from": {"acct-v"}, "to": {"bank-s"}}.Encode(), cookie)
	if res.StatusCode != 200 {
		t.Fatalf("path: %d %s", res.StatusCode, body(t, res))
	}
	var pr pathResponse
	must(t, json.NewDecoder(res.Body).Decode(&pr))
	if len(pr.Paths) != 1 {
		t.Fatalf("%d paths, want 1: %+v", len(pr.Paths), pr)
	}
	p := pr.Paths[0]
	var ids, types []string
	for _, n := range p.Nodes {
		ids = append(ids, n.ID)
	}
	for _, h := range p.Hops {
		types = append(types, h.Links[0].Type)
	}
	if diff := cmp.Diff([]string{"acct-v", "acct-s", "id-phone-s", f.entity.ID, "bank-s"}, ids); diff != "" {
		t.Errorf("path nodes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Message", casegraph.SharedIdentifier, "uses", "Ownership"}, types); diff != "" {
		t.Errorf("hop types (-want +got):\n%s", diff)
	}
	caseURL := "/cases/" + itoa(f.caseID)
	msg, shared := p.Hops[0], p.Hops[1].Links[0]
	if len(msg.Links) != 2 || msg.Links[0].EvidenceURL == "" || !strings.HasPrefix(msg.Links[0].EvidenceURL, caseURL+"/evidence/") {
		t.Errorf("message hop: %+v", msg)
	}
	if !strings.HasPrefix(shared.StatementURL, caseURL+"/statements/") {
		t.Errorf("shared identifier hop cites no statement: %+v", shared)
	}
	if r := f.get(shared.StatementURL, cookie); r.StatusCode != 200 || !strings.Contains(body(t, r), "5550 0115") {
		t.Errorf("the statement page behind the shared identifier: %d", r.StatusCode)
	}
	// No path under a filter is an empty answer, not an error.
	res = f.get("/api/v1/cases/"+itoa(f.caseID)+"/graph/path?from=acct-v&to=bank-s&types=Payment", cookie)
	if b := body(t, res); res.StatusCode != 200 || !strings.Contains(b, `"paths": []`) {
		t.Errorf("no path: %d %s", res.StatusCode, b)
	}
}

func TestGraphMLExport(t *testing.T) {
	f := newFixture(t)
	f.seedNetwork()
	cookie, _ := f.session(f.users["analyst-m"])
	res := f.get("/api/v1/cases/"+itoa(f.caseID)+"/graph.graphml", cookie)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/graphml+xml" {
		t.Fatalf("graphml: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var doc struct {
		Keys []struct {
			ID  string `xml:"id,attr"`
			For string `xml:"for,attr"`
		} `xml:"key"`
		Graph struct {
			Nodes []struct {
				ID   string `xml:"id,attr"`
				Data []struct {
					Key   string `xml:"key,attr"`
					Value string `xml:",chardata"`
				} `xml:"data"`
			} `xml:"node"`
			Edges []struct {
				Source string `xml:"source,attr"`
				Target string `xml:"target,attr"`
				Data   []struct {
					Key   string `xml:"key,attr"`
					Value string `xml:",chardata"`
				} `xml:"data"`
			} `xml:"edge"`
		} `xml:"graph"`
	}
	must(t, xml.NewDecoder(res.Body).Decode(&doc))
	declared := map[string]bool{}
	for _, k := range doc.Keys {
		declared[k.ID] = true
	}
	// 6 links and 1 shared identifier: the victim's phone is redacted for
	// the analyst, so her chat account does not join it through its value.
	if len(doc.Graph.Nodes) != 8 || len(doc.Graph.Edges) != 7 {
		t.Errorf("%d nodes and %d edges, want 8 and 7", len(doc.Graph.Nodes), len(doc.Graph.Edges))
	}
	for _, n := range doc.Graph.Nodes {
		for _, d := range n.Data {
			if !declared[d.Key] {
				t.Errorf("node %s: data key %q not declared", n.ID, d.Key)
			}
			if n.ID == f.victim.ID && d.Key == "label" && strings.Contains(d.Value, "Ana") {
				t.Errorf("the analyst's export names the victim: %q", d.Value)
			}
		}
	}
	for _, e := range doc.Graph.Edges {
		for _, d := range e.Data {
			if !declared[d.Key] {
				t.Errorf("edge %s->%s: data key %q not declared", e.Source, e.Target, d.Key)
			}
		}
	}
	evs, err := f.db.AuditEvents(context.Background(), rastro.SystemActor("test"), rastro.AuditFilter{Action: "export", CaseID: f.caseID})
	must(t, err)
	if len(evs) != 1 || !strings.Contains(evs[0].Details, "graphml") {
		t.Errorf("export audit events: %+v", evs)
	}
}

func TestNetworkPage(t *testing.T) {
	f := newFixture(t)
	cookie, _ := f.session(f.users["analyst-m"])
	res := f.get("/cases/"+itoa(f.caseID)+"/network", cookie)
	b := body(t, res)
	for _, want := range []string{`src="/static/vendor/cytoscape.min.js"`, `src="/static/network.js"`, `id="net-cy"`, `data-case="` + itoa(f.caseID) + `"`} {
		if !strings.Contains(b, want) {
			t.Errorf("network page lacks %s", want)
		}
	}
	if res := f.get("/cases/"+itoa(f.caseID), cookie); !strings.Contains(body(t, res), `href="/cases/`+itoa(f.caseID)+`/network"`) {
		t.Error("the case page has no link to the network view")
	}
}

func TestGraphAPIDeterministic(t *testing.T) {
	f := newFixture(t)
	f.seedLargeNetwork(300, 900)
	a := f.getGraph(t, "analyst-m", "?centrality=betweenness")
	b := f.getGraph(t, "analyst-m", "?centrality=betweenness")
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("two reads of the same graph differ (communities, centralities and positions must be stable):\n%s", diff)
	}
	if a.Communities < 2 {
		t.Errorf("%d communities in a graph built from groups of 100", a.Communities)
	}
	// The neighbourhood of a node keeps the coordinates the whole view gave
	// it, so that an expansion lands in place.
	pos := map[string]position{}
	for _, n := range a.Elements.Nodes {
		pos[n.Data.ID] = n.Position
	}
	for _, n := range f.getGraph(t, "analyst-m", "?center=n00042&centrality=betweenness").Elements.Nodes {
		if pos[n.Data.ID] != n.Position {
			t.Errorf("%s at %v in the neighbourhood, %v in the whole view", n.Data.ID, n.Position, pos[n.Data.ID])
		}
	}
}

func TestGraphCollapsesMergedIdentities(t *testing.T) {
	f := newFixture(t)
	f.seedNetwork()
	ctx := context.Background()
	before := f.getGraph(t, "investigator-m", "")
	must(t, f.db.Judge(ctx, rastro.ActorOf(f.users["investigator-m"]), &rastro.IdentityJudgement{CaseID: f.caseID, A: f.entity.ID, B: "acct-s",
		Verdict: rastro.VerdictSame, Reason: "same phone and the same signature in every message"}))
	after := f.getGraph(t, "investigator-m", "")
	if after.Nodes != before.Nodes-1 {
		t.Fatalf("after merging the suspect with his chat account: %d nodes, want %d", after.Nodes, before.Nodes-1)
	}
	nodes := nodeByID(after)
	_, suspect := nodes[f.entity.ID]
	_, account := nodes["acct-s"]
	if suspect == account {
		t.Errorf("the suspect and his chat account must be one node: suspect shown %v, account shown %v", suspect, account)
	}
	// The path finder still takes the member's own ID and goes through the merged node.
	cookie, _ := f.session(f.users["investigator-m"])
	res := f.get("/api/v1/cases/"+itoa(f.caseID)+"/graph/path?from=acct-v&to=bank-s", cookie)
	var pr pathResponse
	must(t, json.NewDecoder(res.Body).Decode(&pr))
	if res.StatusCode != 200 || len(pr.Paths) != 1 || len(pr.Paths[0].Nodes) != 3 {
		t.Errorf("path through the merged identity: %d %+v", res.StatusCode, pr)
	}
}
