package network

import "github.com/rastro/rastro"

// LinkOptions tunes FromLinks.
type LinkOptions struct {
	Directed bool
	// Canonical maps an entity ID to the node it belongs to, e.g. the
	// person an identity-resolution cluster stands for; nil keeps IDs.
	// Links of merged entities then collapse onto one node and keep their
	// own IDs as evidence; links inside one node are dropped.
	Canonical func(entityID string) string
}

// FromLinks builds the graph of a case from its entities and links: one
// node per entity (so that isolated people count), one edge per link keyed
// by the link's ID and typed by its schema (Payment, Message, Call, uses,
// ...), with its time bounds. Links may name entities absent from the list;
// they become nodes too. Every link weighs 1, so parallel links add up to
// their count in Strength, PageRank and Leiden.
func FromLinks(entities []*rastro.Entity, links []*rastro.Link, opt LinkOptions) *Graph {
	canon := opt.Canonical
	if canon == nil {
		canon = func(id string) string { return id }
	}
	b := NewBuilder(opt.Directed)
	for _, e := range entities {
		b.AddNode(canon(e.ID))
	}
	for _, l := range links {
		b.AddEdge(Edge{Key: l.ID, Source: canon(l.SourceID), Target: canon(l.TargetID), Type: l.Schema, Start: l.Start, End: l.End})
	}
	return b.Build()
}
