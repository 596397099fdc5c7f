package casegraph_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/casegraph"
	"github.com/rastro/rastro/network"
	"github.com/rastro/rastro/sqlite"
	"github.com/rastro/rastro/store"
)

// demoCase is a small case shaped like the demo's: people linked to their
// phone identifiers by "uses", chat accounts found by the parser carrying
// the same numbers, a message from the possible victim's account to a
// suspect's, and the suspect's bank account receiving a payment.
type demoCase struct {
	db         *store.DB
	caseID     int64
	caseworker rastro.Actor
	analyst    rastro.Actor
	outsider   rastro.Actor
}

const victimName = "Ana Ficticia"

func newDemoCase(t *testing.T) *demoCase {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "rastro.db"))
	must(t, err)
	t.Cleanup(func() { db.Close() })
	sys := rastro.SystemActor("test")
	ag := &rastro.Agency{Name: "Unidad Ficticia", Country: "MX", Kind: rastro.AgencyPolice}
	must(t, db.CreateAgency(ctx, sys, ag))
	d := &demoCase{db: db}
	user := func(name string, r rastro.Role) rastro.Actor {
		u := &rastro.User{AgencyID: ag.ID, Username: name, DisplayName: name, Role: r, PasswordHash: "x"}
		must(t, db.CreateUser(ctx, sys, u))
		return rastro.ActorOf(u)
	}
	d.caseworker, d.analyst, d.outsider = user("cw", rastro.RoleCaseworker), user("an", rastro.RoleAnalyst), user("out", rastro.RoleAnalyst)
	c := &rastro.Case{AgencyID: ag.ID, Title: "Operación Ficticia", Jurisdiction: "MX", Status: rastro.CaseOpen}
	must(t, db.CreateCase(ctx, sys, c))
	d.caseID = c.ID
	for _, a := range []rastro.Actor{d.caseworker, d.analyst} {
		must(t, db.AddMember(ctx, sys, &rastro.CaseMember{CaseID: c.ID, UserID: a.UserID, Role: rastro.MemberMember}))
	}
	ev := &rastro.Evidence{CaseID: c.ID, SHA256: strings.Repeat("cd", 32), Size: 10, MediaType: "text/plain",
		OriginalName: "chat.txt", Source: "seized phone (fictional)", AcquiredAt: time.Now()}
	_, err = db.CreateEvidence(ctx, sys, ev)
	must(t, err)
	rec := &rastro.Record{CaseID: c.ID, EvidenceID: ev.ID, Kind: "message", Locator: "line:3", Text: "hola"}
	must(t, db.CreateRecords(ctx, sys, c.ID, []*rastro.Record{rec}))
	st := func(prop, value string) *rastro.Statement {
		return &rastro.Statement{Prop: prop, Value: value, EvidenceID: ev.ID, RecordID: rec.ID, Locator: "line:3", Origin: rastro.OriginParser, Confidence: 1}
	}
	ents := []*rastro.Entity{
		{ID: "person-v", Schema: "Person", Caption: victimName, CaseRole: rastro.CaseRolePossibleVictim, Statements: []*rastro.Statement{st("name", victimName)}},
		{ID: "person-s", Schema: "Person", Caption: "Juan Ficticio", CaseRole: rastro.CaseRoleSuspect, Statements: []*rastro.Statement{st("name", "Juan Ficticio")}},
		{ID: "id-phone-v", Schema: "Identifier", Caption: "+50495550149", Statements: []*rastro.Statement{st("normalized", "+50495550149"), st("kind", "phone")}},
		{ID: "id-phone-s", Schema: "Identifier", Caption: "+525555500115", Statements: []*rastro.Statement{st("normalized", "+525555500115"), st("kind", "phone")}},
		{ID: "acct-v", Schema: "UserAccount", Caption: "Chat V", Statements: []*rastro.Statement{st("service", "whatsapp"), st("number", "+504 9555-0149")}},
		{ID: "acct-s", Schema: "UserAccount", Caption: "Chat S", Statements: []*rastro.Statement{st("service", "whatsapp"), st("number", "+52 55 5550 0115")}},
		{ID: "bank-s", Schema: "BankAccount", Caption: "0010593719", Statements: []*rastro.Statement{st("accountNumber", "0010593719")}},
		{ID: "bank-x", Schema: "BankAccount", Caption: "9900000001", Statements: []*rastro.Statement{st("accountNumber", "9900000001")}},
	}
	for _, e := range ents {
		e.CaseID = c.ID
	}
	must(t, db.PutEntities(ctx, sys, ents))
	day := time.Date(2025, 5, 20, 12, 0, 0, 0, time.UTC)
	links := []*rastro.Link{
		{ID: "uses-v", Schema: "uses", SourceID: "person-v", TargetID: "id-phone-v", Origin: rastro.OriginImport},
		{ID: "uses-s", Schema: "uses", SourceID: "person-s", TargetID: "id-phone-s", Origin: rastro.OriginImport},
		{ID: "msg-1", Schema: "Message", SourceID: "acct-v", TargetID: "acct-s", Start: day, End: day, EvidenceID: ev.ID, RecordID: rec.ID, Locator: "line:3", Origin: rastro.OriginParser},
		{ID: "owns-s", Schema: "Ownership", SourceID: "person-s", TargetID: "bank-s", Origin: rastro.OriginImport},
		{ID: "pay-1", Schema: "Payment", SourceID: "bank-x", TargetID: "bank-s", Start: day.AddDate(0, 1, 0), Amount: "100.00", Currency: "MXN", EvidenceID: ev.ID, Locator: "line:9", Origin: rastro.OriginImport},
	}
	must(t, db.PutLinks(ctx, sys, c.ID, links))
	return d
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// pathSchemas returns the schemas and edge types along the shortest path.
func pathSchemas(t *testing.T, cg *casegraph.CaseGraph, from, to string) []string {
	t.Helper()
	g := cg.Graph.Undirected()
	a, _ := g.Node(from)
	b, _ := g.Node(to)
	p, err := network.ShortestPath(g, a, b, network.PathOptions{})
	must(t, err)
	var out []string
	for i, v := range p.Nodes {
		out = append(out, cg.Nodes[v].ID)
		if i < len(p.Hops) {
			out = append(out, cg.Edges[p.Hops[i].Edges[0]].Type)
		}
	}
	return out
}

func TestLoadConnectsVictimChatToMoney(t *testing.T) {
	d := newDemoCase(t)
	cg, err := casegraph.Load(context.Background(), d.db, d.caseworker, d.caseID, casegraph.Options{})
	must(t, err)
	if cg.Graph.N() != 8 {
		t.Fatalf("%d nodes, want 8", cg.Graph.N())
	}
	want := []string{"acct-v", "Message", "acct-s", casegraph.SharedIdentifier, "id-phone-s", "uses", "person-s", "Ownership", "bank-s"}
	if diff := cmp.Diff(want, pathSchemas(t, cg, "acct-v", "bank-s")); diff != "" {
		t.Errorf("path from the possible victim's chat account to the suspect's bank account (-want +got):\n%s", diff)
	}
	v, _ := cg.Node("person-v")
	if v.Caption != victimName || v.Redacted || !v.IsVictim() {
		t.Errorf("caseworker sees the victim as %+v", v)
	}
	if phone, _ := cg.Node("id-phone-v"); phone.Protected != rastro.CaseRolePossibleVictim || !phone.IsVictim() {
		t.Errorf("the victim's phone is %+v: want it protected as a possible victim's", phone)
	}
	if s, _ := cg.Node("person-s"); s.IsVictim() || s.Role != rastro.CaseRoleSuspect {
		t.Errorf("suspect node %+v", s)
	}
	shared := 0
	for _, p := range cg.Edges {
		if p.Type == casegraph.SharedIdentifier {
			shared++
			if p.StatementID == 0 || p.EvidenceID == 0 || p.Locator != "line:3" {
				t.Errorf("shared identifier edge without its statement's provenance: %+v", p)
			}
		}
	}
	if shared != 2 {
		t.Errorf("%d shared-identifier edges, want 2 (each chat account to its phone)", shared)
	}
	if diff := cmp.Diff([]string{"Message", "Ownership", "Payment", casegraph.SharedIdentifier, "uses"}, cg.Types); diff != "" {
		t.Errorf("types (-want +got):\n%s", diff)
	}
}

func TestLoadRedactsVictimsForNonCaseworkers(t *testing.T) {
	d := newDemoCase(t)
	cg, err := casegraph.Load(context.Background(), d.db, d.analyst, d.caseID, casegraph.Options{})
	must(t, err)
	v, ok := cg.Node("person-v")
	if !ok {
		t.Fatal("the victim's node is missing: it must be shown, as a pseudonym")
	}
	if !v.Redacted || strings.Contains(v.Caption, "Ana") || !strings.HasPrefix(v.Caption, "Possible victim V-") || v.Role != rastro.CaseRolePossibleVictim {
		t.Errorf("analyst sees the victim as %+v; want only the pseudonym, with the case role", v)
	}
	phone, _ := cg.Node("id-phone-v")
	if !phone.Redacted || strings.Contains(phone.Caption, "9555") {
		t.Errorf("analyst sees the victim's phone as %+v", phone)
	}
	// The suspect's shared identifier is still derived; the victim's
	// phone, redacted, joins nothing through its hidden value.
	var shared []string
	for _, p := range cg.Edges {
		if p.Type == casegraph.SharedIdentifier {
			shared = append(shared, p.Source+"->"+p.Target)
		}
	}
	if diff := cmp.Diff([]string{"acct-s->id-phone-s"}, shared); diff != "" {
		t.Errorf("shared identifier edges for the analyst (-want +got):\n%s", diff)
	}
}

func TestLoadNeedsMembership(t *testing.T) {
	d := newDemoCase(t)
	_, err := casegraph.Load(context.Background(), d.db, d.outsider, d.caseID, casegraph.Options{})
	if rastro.ErrorCode(err) != rastro.ENOTFOUND {
		t.Fatalf("non-member: %v, want not_found", err)
	}
}

func TestLoadFilters(t *testing.T) {
	d := newDemoCase(t)
	tests := []struct {
		name string
		opt  casegraph.Options
		want map[string]int // edges per type
	}{
		{"payments only", casegraph.Options{Types: []string{"Payment"}}, map[string]int{"Payment": 1}},
		{"no shared identifiers", casegraph.Options{NoShared: true}, map[string]int{"Message": 1, "Ownership": 1, "Payment": 1, "uses": 2}},
		{"June only: the message is out, timeless links stay", casegraph.Options{From: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)},
			map[string]int{"Ownership": 1, "Payment": 1, "uses": 2, casegraph.SharedIdentifier: 2}},
		{"May only: the payment is out", casegraph.Options{From: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 5, 31, 0, 0, 0, 0, time.UTC)},
			map[string]int{"Message": 1, "Ownership": 1, "uses": 2, casegraph.SharedIdentifier: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cg, err := casegraph.Load(context.Background(), d.db, d.caseworker, d.caseID, tt.opt)
			must(t, err)
			got := map[string]int{}
			for _, p := range cg.Edges {
				got[p.Type]++
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("edges per type (-want +got):\n%s", diff)
			}
			if cg.Graph.N() != 8 || len(cg.Types) < 4 {
				t.Errorf("%d nodes and types %v: filters must keep every node and report every type", cg.Graph.N(), cg.Types)
			}
		})
	}
}

func TestLoadCollapsesClusters(t *testing.T) {
	d := newDemoCase(t)
	opt := casegraph.Options{Cluster: map[string]string{"acct-v": "cluster-v", "person-v": "cluster-v"}}
	cg, err := casegraph.Load(context.Background(), d.db, d.analyst, d.caseID, opt)
	must(t, err)
	n, ok := cg.Node("cluster-v")
	if !ok || cg.Graph.N() != 7 {
		t.Fatalf("cluster node %v, %d nodes; want one node for the merged pair and 7 in all", ok, cg.Graph.N())
	}
	if diff := cmp.Diff([]string{"acct-v", "person-v"}, n.Members); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
	if !n.IsVictim() || !n.Redacted || strings.Contains(n.Caption, "Ana") {
		t.Errorf("a cluster holding a victim must stay a redacted victim: %+v", n)
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+504 9555-0123", "+50495550123"},
		{"(55) 5550.0115", "5555500115"},
		{"@Ana_X", "ana_x"},
		{"Ana.Ficticia@Example.org", "ana.ficticia@example.org"},
		{"https://example.org/a.b", "https://example.org/a.b"},
		{"user.name", "user.name"},
	}
	for _, tt := range tests {
		if got := casegraph.Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
