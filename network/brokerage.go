package network

// Brokerage counts, for one node b, the open two-paths a→b→c (a≠c, no
// edge a→c) it brokers, by the groups of a, b and c (Gould & Fernandez
// 1989).
type Brokerage struct {
	Coordinator    int // a, b, c in the same group
	Gatekeeper     int // b and c share a group, a comes from outside
	Representative int // a and b share a group, c is outside
	Consultant     int // a and c share a group, b is outside (itinerant)
	Liaison        int // all three groups differ
}

// Total returns the number of brokered two-paths.
func (b Brokerage) Total() int {
	return b.Coordinator + b.Gatekeeper + b.Representative + b.Consultant + b.Liaison
}

// BrokerageRoles returns the Gould–Fernandez role counts of every node
// given a group label per node (e.g. Leiden communities, or organisations).
// On undirected views every edge counts both ways.
func BrokerageRoles(g *Graph, group []int32) []Brokerage {
	out := make([]Brokerage, g.N())
	for b := range int32(g.N()) {
		gb := group[b]
		for _, a := range g.in.row(b) {
			for _, c := range g.out.row(b) {
				if a == c || g.out.find(a, c) >= 0 {
					continue
				}
				ga, gc := group[a], group[c]
				r := &out[b]
				switch {
				case ga == gb && gb == gc:
					r.Coordinator++
				case ga != gb && gb == gc:
					r.Gatekeeper++
				case ga == gb && gb != gc:
					r.Representative++
				case ga == gc:
					r.Consultant++
				default:
					r.Liaison++
				}
			}
		}
	}
	return out
}
