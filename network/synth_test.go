package network

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/rastro/rastro/synth"
)

// scenarioGraph generates the tiny training case and builds the graph an
// analyst would see once identities are resolved: people linked by shared
// chats and events, and to the phones and accounts they use.
func scenarioGraph(t *testing.T) (*Graph, *synth.Truth) {
	t.Helper()
	tr, err := synth.Generate(context.Background(), synth.Options{Size: "tiny", Seed: 7, Out: filepath.Join(t.TempDir(), "case")})
	if err != nil {
		t.Fatal(err)
	}
	b := NewBuilder(false)
	for _, p := range tr.People {
		b.AddNode(p.ID)
		for _, ph := range p.Phones {
			b.AddEdge(Edge{Source: p.ID, Target: "phone:" + ph, Type: "uses"})
		}
		for _, a := range p.Accounts {
			b.AddEdge(Edge{Source: p.ID, Target: "account:" + a, Type: "uses"})
		}
	}
	for _, c := range tr.Chats {
		for i, a := range c.Participants {
			for _, z := range c.Participants[i+1:] {
				b.AddEdge(Edge{Source: a, Target: z, Type: "Message", Key: c.File})
			}
		}
	}
	for _, ev := range tr.Events {
		for _, s := range ev.Suspects {
			for _, v := range ev.Victims {
				b.AddEdge(Edge{Source: s, Target: v, Type: "Associate", Key: ev.ID, Start: ev.Start, End: ev.End})
			}
		}
	}
	return b.Build(), tr
}

// TestScenarioBrokersAreSuspects: on the generated ring, the people who
// hold the network together (top betweenness among people, and the first
// key players) are suspects, never possible victims or bystanders.
func TestScenarioBrokersAreSuspects(t *testing.T) {
	g, tr := scenarioGraph(t)
	kind := map[string]string{}
	for _, p := range tr.People {
		kind[p.ID] = p.Kind
	}
	bc := Betweenness(g, BetweennessOptions{})
	var people []int32
	for v := range int32(g.N()) {
		if kind[g.Key(v)] != "" {
			people = append(people, v)
		}
	}
	slices.SortStableFunc(people, func(a, b int32) int {
		if bc[a] > bc[b] {
			return -1
		} else if bc[a] < bc[b] {
			return 1
		}
		return 0
	})
	var top []string
	for _, v := range people[:3] {
		top = append(top, g.Key(v)+"/"+kind[g.Key(v)])
		if kind[g.Key(v)] != "suspect" {
			t.Errorf("top-3 betweenness includes %s, a %s", g.Key(v), kind[g.Key(v)])
		}
	}
	var kp []string
	for _, p := range KeyPlayers(g, 3, Fragmentation) {
		key := g.Key(p.Node)
		kp = append(kp, key+"/"+kind[key])
		if k := kind[key]; k == "victim" || k == "bystander" {
			t.Errorf("key player %s is a %s", key, k)
		}
	}
	t.Logf("%s; top betweenness %v; key players %v", g, top, kp)
}
