package web

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/casegraph"
	"github.com/rastro/rastro/network"
)

// pathResponse is the path API's answer: the shortest paths between two
// entities (direction ignored), each hop with the links behind it.
type pathResponse struct {
	From  string      `json:"from"`
	To    string      `json:"to"`
	Paths []graphPath `json:"paths"`
}

// graphPath is one shortest path.
type graphPath struct {
	Nodes []pathNode `json:"nodes"`
	Hops  []pathHop  `json:"hops"`
}

// pathNode is a node on a path, as the view lists it.
type pathNode struct {
	ID      string          `json:"id"`
	Label   string          `json:"label"`
	Schema  string          `json:"schema"`
	Role    rastro.CaseRole `json:"role"`
	Victim  bool            `json:"victim"`
	URL     string          `json:"url"`
	Redact  bool            `json:"redacted,omitempty"`
	Protect rastro.CaseRole `json:"protected,omitempty"`
}

// pathHop is one hop and the evidence behind it.
type pathHop struct {
	From  string     `json:"from"`
	To    string     `json:"to"`
	Links []pathLink `json:"links"`
	More  int        `json:"more"` // links not listed
}

// pathLink is one link (or shared-identifier statement) behind a hop, with
// links to the pages that show its evidence.
type pathLink struct {
	casegraph.Provenance
	EvidenceURL  string `json:"evidence_url,omitempty"`
	StatementURL string `json:"statement_url,omitempty"`
}

// apiGraphPath answers GET /api/v1/cases/{caseID}/graph/path?from=&to=.
func (s *Server) apiGraphPath(w http.ResponseWriter, r *http.Request) {
	caseID, _ := pathID(r, "caseID")
	from, to := r.URL.Query().Get("from"), r.URL.Query().Get("to")
	if from == "" || to == "" {
		s.fail(w, r, rastro.Errorf(rastro.EINVALID, "Query parameters from and to (entity IDs) are both required."))
		return
	}
	opt, err := graphFilter(r, "since", "until")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	limit, err := queryInt(r, "limit")
	if err != nil || limit > maxPaths {
		s.fail(w, r, cmp.Or(err, error(rastro.Errorf(rastro.EINVALID, "Query parameter limit must be at most %d.", maxPaths))))
		return
	}
	cg, err := s.loadGraph(r, opt)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := findPaths(cg, caseID, from, to, cmp.Or(limit, maxPaths))
	if err == nil {
		var shown []*casegraph.Node
		for _, p := range res.Paths {
			for _, n := range p.Nodes {
				shown = append(shown, cg.Nodes[mustNode(cg, n.ID)])
			}
		}
		err = s.auditVictims(r, caseID, shown, "network path")
	}
	s.respond(w, r, http.StatusOK, res, err)
}

// findPaths returns up to limit shortest paths from one entity to another.
func findPaths(cg *casegraph.CaseGraph, caseID int64, from, to string, limit int) (*pathResponse, error) {
	g := cg.Graph.Undirected()
	ids := [2]int32{}
	for i, key := range []string{from, to} {
		v, ok := g.Node(cg.Canon(key))
		if !ok {
			return nil, rastro.Errorf(rastro.ENOTFOUND, "Entity %q is not in this case's network.", truncate(key, 80))
		}
		ids[i] = v
	}
	res := &pathResponse{From: from, To: to, Paths: []graphPath{}}
	if ids[0] == ids[1] {
		return nil, rastro.Errorf(rastro.EINVALID, "Query parameters from and to name the same entity (or two entities merged into one identity).")
	}
	paths, err := network.AllShortestPaths(g, ids[0], ids[1], network.PathOptions{Limit: limit})
	if rastro.ErrorCode(err) == rastro.ENOTFOUND {
		return res, nil // no path: an answer, not an error
	} else if err != nil {
		return nil, fmt.Errorf("graph path: %w", err)
	}
	for _, p := range paths {
		res.Paths = append(res.Paths, describePath(cg, caseID, p))
	}
	return res, nil
}

// describePath turns a network path into nodes and hops with evidence.
func describePath(cg *casegraph.CaseGraph, caseID int64, p network.Path) graphPath {
	gp := graphPath{}
	base := "/cases/" + strconv.FormatInt(caseID, 10)
	for _, v := range p.Nodes {
		n := cg.Nodes[v]
		gp.Nodes = append(gp.Nodes, pathNode{ID: n.ID, Label: n.Caption, Schema: n.Schema, Role: n.Role, Victim: n.IsVictim(),
			URL: base + "/entities/" + n.ID, Redact: n.Redacted, Protect: n.Protected})
	}
	for _, h := range p.Hops {
		hop := pathHop{From: cg.Graph.Key(h.From), To: cg.Graph.Key(h.To), Links: []pathLink{}}
		for i, e := range h.Edges {
			if i == maxHopEdges {
				hop.More = len(h.Edges) - i
				break
			}
			pl := pathLink{Provenance: cg.Edges[e]}
			if pl.EvidenceID != 0 {
				pl.EvidenceURL = base + "/evidence/" + strconv.FormatInt(pl.EvidenceID, 10)
			}
			if pl.StatementID != 0 {
				pl.StatementURL = base + "/statements/" + strconv.FormatInt(pl.StatementID, 10)
			}
			hop.Links = append(hop.Links, pl)
		}
		gp.Hops = append(gp.Hops, hop)
	}
	return gp
}

// GraphML (http://graphml.graphdrawing.org/) document types.
type (
	graphML struct {
		XMLName xml.Name     `xml:"graphml"`
		XMLNS   string       `xml:"xmlns,attr"`
		Keys    []graphMLKey `xml:"key"`
		Graph   graphMLGraph `xml:"graph"`
	}
	graphMLKey struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	}
	graphMLGraph struct {
		ID          string        `xml:"id,attr"`
		EdgeDefault string        `xml:"edgedefault,attr"`
		Nodes       []graphMLNode `xml:"node"`
		Edges       []graphMLEdge `xml:"edge"`
	}
	graphMLNode struct {
		ID   string        `xml:"id,attr"`
		Data []graphMLData `xml:"data"`
	}
	graphMLEdge struct {
		ID     string        `xml:"id,attr"`
		Source string        `xml:"source,attr"`
		Target string        `xml:"target,attr"`
		Data   []graphMLData `xml:"data"`
	}
	graphMLData struct {
		Key   string `xml:"key,attr"`
		Value string `xml:",chardata"`
	}
)

// graphMLKeys declares every attribute the export writes.
var graphMLKeys = []graphMLKey{
	{"label", "node", "label", "string"}, {"schema", "node", "schema", "string"}, {"role", "node", "case_role", "string"},
	{"protected", "node", "protected_role", "string"}, {"redacted", "node", "redacted", "boolean"},
	{"community", "node", "community", "int"}, {"degree", "node", "degree", "int"}, {"kcore", "node", "kcore", "int"},
	{"type", "edge", "type", "string"}, {"start", "edge", "start", "string"}, {"end", "edge", "end", "string"},
	{"link", "edge", "link_id", "string"}, {"statement", "edge", "statement_id", "long"},
	{"evidence", "edge", "evidence_id", "long"}, {"record", "edge", "record_id", "long"}, {"locator", "edge", "locator", "string"},
	{"amount", "edge", "amount", "string"}, {"currency", "edge", "currency", "string"},
}

// apiGraphML answers GET /api/v1/cases/{caseID}/graph.graphml: the filtered
// network, one edge per link, with communities and k-cores. Audited as an
// export.
func (s *Server) apiGraphML(w http.ResponseWriter, r *http.Request) {
	caseID, _ := pathID(r, "caseID")
	opt, err := graphFilter(r, "from", "to")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cg, err := s.loadGraph(r, opt)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	doc := buildGraphML(cg, caseID)
	ev := &rastro.AuditEvent{Time: s.cfg.Now(), UserID: actor(r).UserID, Username: actor(r).Username, Action: "export",
		CaseID: caseID, Object: fmt.Sprintf("case:%d", caseID), Purpose: actor(r).Purpose,
		Details: fmt.Sprintf("graphml, %d nodes, %d edges", len(doc.Graph.Nodes), len(doc.Graph.Edges)), Remote: remoteAddr(r)}
	if err := s.store.Audit(r.Context(), actor(r), ev); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/graphml+xml")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"case-%d.graphml\"", caseID))
	_, _ = w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(doc); err != nil {
		s.log.Error("graphml", "request_id", reqInfo(r).id, "err", err)
	}
}

// buildGraphML converts the graph into a GraphML document.
func buildGraphML(cg *casegraph.CaseGraph, caseID int64) *graphML {
	und := cg.Graph.Undirected()
	part := network.Leiden(und, network.LeidenOptions{Seed: leidenSeed})
	deg, kcore := network.Degree(und, network.DegreeAll), network.KCore(und)
	doc := &graphML{XMLNS: "http://graphml.graphdrawing.org/xmlns", Keys: graphMLKeys,
		Graph: graphMLGraph{ID: "case-" + strconv.FormatInt(caseID, 10), EdgeDefault: "directed"}}
	for v, n := range cg.Nodes {
		d := []graphMLData{{"label", n.Caption}, {"schema", n.Schema}, {"role", string(n.Role)},
			{"community", itoa(int64(part.Membership[v]))}, {"degree", itoa(int64(deg[v]))}, {"kcore", itoa(int64(kcore[v]))}}
		if n.Protected != "" {
			d = append(d, graphMLData{"protected", string(n.Protected)})
		}
		if n.Redacted {
			d = append(d, graphMLData{"redacted", "true"})
		}
		doc.Graph.Nodes = append(doc.Graph.Nodes, graphMLNode{ID: n.ID, Data: d})
	}
	for i, p := range cg.Edges {
		e := cg.Graph.Edge(int32(i))
		d := []graphMLData{{"type", p.Type}}
		add := func(key, v string) {
			if v != "" && v != "0" {
				d = append(d, graphMLData{key, v})
			}
		}
		add("start", stamp(p.Start))
		add("end", stamp(p.End))
		add("link", p.LinkID)
		add("statement", itoa(p.StatementID))
		add("evidence", itoa(p.EvidenceID))
		add("record", itoa(p.RecordID))
		add("locator", p.Locator)
		add("amount", p.Amount)
		add("currency", p.Currency)
		doc.Graph.Edges = append(doc.Graph.Edges, graphMLEdge{ID: "e" + strconv.Itoa(i), Source: e.Source, Target: e.Target, Data: d})
	}
	return doc
}

// stamp formats a time as RFC 3339, "" for zero.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// networkView is the network page's data.
type networkView struct {
	CaseID int64
	Title  string
}

// networkPage renders the network view; network.js loads the graph.
func (s *Server) networkPage(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "caseID")
	c, err := s.store.CaseByID(r.Context(), actor(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "network", "", networkView{CaseID: id, Title: c.Title})
}
