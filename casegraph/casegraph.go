// Package casegraph builds the network of a case — its entities as nodes,
// its links plus derived "shared identifier" ties as edges — from the store,
// for the network view and its exports. It reads through rastro.Store with
// the reading actor, so that membership, victim redaction (pseudonym
// captions, withheld statements) and every other rule of the store apply to
// what the graph shows. Analysis is left to package network.
package casegraph

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/network"
	"github.com/rastro/rastro/screen"
)

// SharedIdentifier is the edge type of a derived tie between an entity whose
// statements carry an identifier value (a chat account's phone number, a
// wallet's public key) and the Identifier entity with that value.
const SharedIdentifier = "shared_identifier"

// Options says which part of a case's network to build.
type Options struct {
	// Types keeps only edges of these types (link schemas, or
	// SharedIdentifier); empty keeps all.
	Types []string
	// From and To keep only edges active in the window (zero: unbounded).
	// Timeless edges (ownership, uses, shared identifiers) always pass.
	From, To time.Time
	// Cluster maps an entity ID to the ID of the identity cluster it was
	// merged into; entities of one cluster then collapse onto one node keyed
	// by the cluster ID. Nil keeps every entity apart.
	Cluster map[string]string
	// NoShared leaves out the derived shared-identifier edges.
	NoShared bool
}

// Node is what the view needs to know about one node.
type Node struct {
	ID      string          `json:"id"`
	Schema  string          `json:"schema"`
	Caption string          `json:"caption"` // a pseudonym when Redacted
	Role    rastro.CaseRole `json:"role"`    // the entity's own case role
	// Protected is the role of a (possible) victim this entity belongs to
	// (uses, owns), when it is not itself a victim: the view must show it
	// as linked to a victim, never as a suspect's.
	Protected rastro.CaseRole `json:"protected,omitempty"`
	Redacted  bool            `json:"redacted,omitempty"`
	Minor     bool            `json:"minor,omitempty"`
	Members   []string        `json:"members,omitempty"` // merged entity IDs, for cluster nodes
}

// IsVictim reports whether the node is a (possible) victim or belongs to
// one.
func (n *Node) IsVictim() bool { return n.Role.IsVictim() || n.Protected.IsVictim() }

// Provenance is where an edge comes from: the link (or, for a shared
// identifier, the statement) and its evidence.
type Provenance struct {
	LinkID      string    `json:"link_id,omitempty"`
	StatementID int64     `json:"statement_id,omitempty"`
	Type        string    `json:"type"`
	Source      string    `json:"source"`
	Target      string    `json:"target"`
	Start       time.Time `json:"start,omitzero"`
	End         time.Time `json:"end,omitzero"`
	Amount      string    `json:"amount,omitempty"`
	Currency    string    `json:"currency,omitempty"`
	EvidenceID  int64     `json:"evidence_id,omitempty"`
	RecordID    int64     `json:"record_id,omitempty"`
	Locator     string    `json:"locator,omitempty"`
	Origin      string    `json:"origin,omitempty"`
}

// CaseGraph is a case's network with what the view shows of each node and
// edge. Node and edge ids of Graph index Nodes and Edges.
type CaseGraph struct {
	Graph *network.Graph // directed; use Undirected() to ignore direction
	Nodes []*Node        // by node id of Graph
	Edges []Provenance   // by edge id of Graph
	Types []string       // every edge type of the case, sorted, before filtering
	// cluster maps a merged entity to the node it was collapsed onto.
	cluster map[string]string
}

// Canon returns the key of the node standing for entity id: its identity
// cluster's when it was merged into one, else id itself.
func (g *CaseGraph) Canon(id string) string {
	if c, ok := g.cluster[id]; ok && c != "" {
		return c
	}
	return id
}

// Node returns the node with key id.
func (g *CaseGraph) Node(id string) (*Node, bool) {
	v, ok := g.Graph.Node(g.Canon(id))
	if !ok {
		return nil, false
	}
	return g.Nodes[v], true
}

// Load reads a case's entities and links as actor and builds its graph.
// The store checks membership and redacts victims for actor.
func Load(ctx context.Context, s rastro.EntityService, actor rastro.Actor, caseID int64, opt Options) (*CaseGraph, error) {
	snap, err := Read(ctx, s, actor, caseID)
	if err != nil {
		return nil, err
	}
	return Build(snap.Entities, snap.Links, opt), nil
}

// Build builds the graph from entities and links already read (Load's pure
// part). Links naming an entity absent from ents are dropped: the reader
// may not see it.
func Build(ents []*rastro.Entity, links []*rastro.Link, opt Options) *CaseGraph {
	canon := func(id string) string {
		if c, ok := opt.Cluster[id]; ok && c != "" {
			return c
		}
		return id
	}
	roles := screen.RolesFromEntities(ents, links)
	b := network.NewBuilder(true)
	cg := &CaseGraph{cluster: opt.Cluster}
	known := map[string]bool{}
	for _, e := range ents {
		known[e.ID] = true
		cg.addNode(b, e, canon(e.ID), roles(e.ID))
	}
	types := map[string]bool{}
	keep := func(p Provenance) bool {
		types[p.Type] = true
		return typeKept(opt.Types, p.Type) && inWindow(opt.From, opt.To, p.Start, p.End)
	}
	for _, l := range links {
		if !known[l.SourceID] || !known[l.TargetID] {
			continue
		}
		p := Provenance{LinkID: l.ID, Type: l.Schema, Source: l.SourceID, Target: l.TargetID, Start: l.Start, End: l.End,
			Amount: l.Amount, Currency: l.Currency, EvidenceID: l.EvidenceID, RecordID: l.RecordID, Locator: l.Locator, Origin: string(l.Origin)}
		if keep(p) {
			cg.addEdge(b, p, canon)
		}
	}
	if !opt.NoShared {
		for _, p := range SharedIdentifiers(ents) {
			if keep(p) {
				cg.addEdge(b, p, canon)
			}
		}
	}
	cg.Graph = b.Build()
	for t := range types {
		cg.Types = append(cg.Types, t)
	}
	slices.Sort(cg.Types)
	return cg
}

// addNode adds e as (or into) node key.
func (cg *CaseGraph) addNode(b *network.Builder, e *rastro.Entity, key string, eff rastro.CaseRole) {
	v := int(b.AddNode(key))
	prot := rastro.CaseRole("")
	if eff.IsVictim() && !e.CaseRole.IsVictim() {
		prot = eff
	}
	if v < len(cg.Nodes) { // a cluster met again: victims' protection wins
		n := cg.Nodes[v]
		n.Members = append(n.Members, e.ID)
		n.Redacted = n.Redacted || e.Redacted
		n.Minor = n.Minor || e.Minor
		if e.CaseRole.IsVictim() || (!n.Role.IsVictim() && n.Role == rastro.CaseRoleUnknown) {
			n.Role = e.CaseRole
		}
		if prot != "" && !n.Role.IsVictim() {
			n.Protected = prot
		}
		if n.Role.IsVictim() {
			n.Protected = ""
		}
		if e.Redacted {
			n.Caption = e.Caption
		}
		return
	}
	n := &Node{ID: key, Schema: e.Schema, Caption: e.Caption, Role: e.CaseRole, Protected: prot, Redacted: e.Redacted, Minor: e.Minor}
	if key != e.ID {
		n.Members = []string{e.ID}
	}
	cg.Nodes = append(cg.Nodes, n)
}

// addEdge adds one edge; its endpoints already are nodes.
func (cg *CaseGraph) addEdge(b *network.Builder, p Provenance, canon func(string) string) {
	key := p.LinkID
	if key == "" {
		key = fmt.Sprintf("stmt:%d", p.StatementID)
	}
	b.AddEdge(network.Edge{Key: key, Source: canon(p.Source), Target: canon(p.Target), Type: p.Type, Start: p.Start, End: p.End})
	cg.Edges = append(cg.Edges, p)
}

// typeKept reports whether an edge of type t passes the type filter.
func typeKept(types []string, t string) bool {
	return len(types) == 0 || slices.Contains(types, t)
}

// inWindow applies network.Filter's rule: an edge with a Start but no End
// is an instant; one with neither is timeless and always passes.
func inWindow(from, to, start, end time.Time) bool {
	if end.IsZero() {
		end = start
	}
	if !from.IsZero() && !end.IsZero() && end.Before(from) {
		return false
	}
	return to.IsZero() || start.IsZero() || !start.After(to)
}

// identifyingProps are the statement properties whose values name an
// identifier: phone numbers, addresses, handles, account numbers, keys.
var identifyingProps = []string{"number", "phone", "email", "emailAddress", "username", "handle",
	"publicKey", "accountNumber", "iban", "website", "url", "domain"}

// minKeyLen is the shortest normalised value that may join two entities:
// shorter ones ("12", "ana") are not identifying.
const minKeyLen = 5

// SharedIdentifiers returns a shared-identifier edge from every entity
// whose statements carry a value equal (once normalised) to an Identifier
// entity's value, to that Identifier, citing the statement. Identifier
// values come from their caption, "value"/"normalized" statements and
// statements' Normalized field; entities redacted for the reader carry no
// identifying statements, so they join nothing through hidden values.
func SharedIdentifiers(ents []*rastro.Entity) []Provenance {
	byValue := map[string][]string{}
	for _, e := range ents {
		if e.Schema != "Identifier" {
			continue
		}
		for _, k := range identifierKeys(e) {
			if !slices.Contains(byValue[k], e.ID) {
				byValue[k] = append(byValue[k], e.ID)
			}
		}
	}
	var out []Provenance
	seen := map[string]bool{}
	for _, e := range ents {
		if e.Schema == "Identifier" {
			continue
		}
		for _, s := range e.Statements {
			if !slices.Contains(identifyingProps, s.Prop) && s.Normalized == "" {
				continue
			}
			for _, k := range statementKeys(s) {
				for _, target := range byValue[k] {
					if seen[e.ID+"\x00"+target] {
						continue
					}
					seen[e.ID+"\x00"+target] = true
					out = append(out, Provenance{StatementID: s.ID, Type: SharedIdentifier, Source: e.ID, Target: target,
						EvidenceID: s.EvidenceID, RecordID: s.RecordID, Locator: s.Locator, Origin: string(rastro.OriginAlgorithm)})
				}
			}
		}
	}
	return out
}

// identifierKeys returns the normalised values an Identifier entity stands
// for. A redacted identifier's pseudonym caption is no value.
func identifierKeys(e *rastro.Entity) []string {
	var vals []string
	if !e.Redacted {
		vals = append(vals, e.Caption)
	}
	for _, s := range e.Statements {
		if s.Prop == "value" || s.Prop == "normalized" {
			vals = append(vals, s.Value)
		}
		vals = append(vals, s.Normalized)
	}
	return keys(vals)
}

// statementKeys returns the normalised values of a statement.
func statementKeys(s *rastro.Statement) []string {
	return keys([]string{s.Value, s.Normalized})
}

// keys normalises values and drops short and duplicate ones.
func keys(vals []string) []string {
	var out []string
	for _, v := range vals {
		k := Normalize(v)
		if len(k) >= minKeyLen && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// Normalize reduces an identifier value to the form used to compare it:
// lower case, without spaces, dashes, dots between digits, brackets or a
// leading "@", so that "+504 9555-0123" equals "+50495550123" and
// "@Ana_x" equals "ana_x".
func Normalize(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	v = strings.TrimPrefix(v, "@")
	if strings.Contains(v, "@") || strings.Contains(v, "/") {
		return v // an e-mail address or URL: its dots matter
	}
	var sb strings.Builder
	for _, r := range v {
		switch r {
		case ' ', '-', '(', ')', '\u00a0':
			continue
		case '.':
			if looksNumeric(v) {
				continue
			}
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// looksNumeric reports whether v is written with digits and separators
// only, like a phone or account number.
func looksNumeric(v string) bool {
	return strings.Trim(v, "+0123456789 -().") == ""
}
