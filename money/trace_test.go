package money

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// tx builds a test transfer at hour h.
func mk(id, from, to, amt string, h int) Tx {
	return Tx{ID: id, From: from, To: to, Amount: MustAmount(amt), Currency: "USD",
		Time: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(h) * time.Hour), File: "t.csv", Line: h + 1}
}

// traceGraph: A's 100 and C's 100 meet at B, which pays D 150 then E 50;
// B paid F before A's money arrived.
func traceGraph() *Graph {
	return NewGraph([]Tx{
		mk("f", "B", "F", "80.00", 0), mk("a", "A", "B", "100.00", 1), mk("c", "C", "B", "100.00", 2),
		mk("d", "B", "D", "150.00", 3), mk("e", "B", "E", "50.00", 4), mk("g", "D", "G", "150.00", 5),
	})
}

// attributed returns account → attributed amount at the given hop.
func attributed(f *Flow, hop int) map[string]string {
	m := map[string]string{}
	for _, e := range f.Edges {
		if n := f.Nodes[e.Target]; n.Hop == hop {
			m[n.Account] = e.Amount.String()
		}
	}
	return m
}

func TestTraceModels(t *testing.T) {
	tests := []struct {
		name  string
		model string
		hop2  map[string]string
		hop3  map[string]string
	}{
		{"fifo spends the oldest funds first", ModelFIFO, map[string]string{"D": "100.00"}, map[string]string{"G": "100.00"}},
		{"haircut carries the tainted share", ModelHaircut, map[string]string{"D": "75.00", "E": "25.00"}, map[string]string{"G": "75.00"}},
		{"poison taints every later outflow", ModelPoison, map[string]string{"D": "150.00", "E": "50.00"}, map[string]string{"G": "150.00"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := traceGraph().Trace(TraceOptions{TxID: "a", Hops: 3, Model: tc.model})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(map[string]string{"B": "100.00"}, attributed(f, 1)); diff != "" {
				t.Errorf("hop 1 (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.hop2, attributed(f, 2)); diff != "" {
				t.Errorf("hop 2 (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.hop3, attributed(f, 3)); diff != "" {
				t.Errorf("hop 3 (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTraceBackwardFIFO(t *testing.T) {
	f, err := traceGraph().Trace(TraceOptions{TxID: "d", Hops: 2, Backward: true, Model: ModelFIFO})
	if err != nil {
		t.Fatal(err)
	}
	// B→D's 150 was paid from A's 100 and 50 of C's 100 (F's payment came before both).
	want := map[string]string{"A": "100.00", "C": "50.00"}
	if diff := cmp.Diff(want, attributed(f, 2)); diff != "" {
		t.Errorf("sources (-want +got):\n%s", diff)
	}
}

func TestTraceCSV(t *testing.T) {
	f, err := traceGraph().Trace(TraceOptions{Account: "A", Hops: 3})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteTraceCSV(&b, f); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "A > B > D > G,100.00,150.00,USD,fifo,g,t.csv:6") {
		t.Errorf("trace CSV lacks the path to G with its source line:\n%s", b.String())
	}
	if _, err := traceGraph().Trace(TraceOptions{Account: "A", Model: "lifo"}); err == nil {
		t.Error("unknown model accepted")
	}
}

func TestTraceControllerToFinancier(t *testing.T) {
	c := loadSynth(t, "tiny", 7)
	number := func(role string) string {
		for _, a := range c.truth.Accounts {
			if a.Role == role && a.Kind == "bank" && a.Holder != "" {
				return a.Number
			}
		}
		t.Fatalf("no %s bank account in truth", role)
		return ""
	}
	controller, financier := number("controller"), number("financier")
	for _, m := range []string{ModelFIFO, ModelHaircut, ModelPoison} {
		f, err := c.g.Trace(TraceOptions{Account: controller, Hops: 2, Model: m})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range f.Edges {
			n := f.Nodes[e.Target]
			if n.Account == financier && n.Hop == 2 && e.Amount.Sign() > 0 && len(e.Refs) > 0 {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: the controller's money does not reach the financier's account in 2 hops (%d edges)", m, len(f.Edges))
		}
	}
}

func TestTraceMergeSumsPaths(t *testing.T) {
	// A splits 100 over B and C, both pay D: merged, D is one node with 100.
	g := NewGraph([]Tx{mk("1", "A", "B", "60.00", 1), mk("2", "A", "C", "40.00", 2), mk("3", "B", "D", "60.00", 3), mk("4", "C", "D", "40.00", 4)})
	f, err := g.Trace(TraceOptions{Account: "A", Hops: 2, Merge: true})
	if err != nil {
		t.Fatal(err)
	}
	var ds []FlowNode
	total := Amount{}
	for _, e := range f.Edges {
		if n := f.Nodes[e.Target]; n.Account == "D" {
			ds = append(ds, n)
			total = total.Add(e.Amount)
		}
	}
	if len(f.Nodes) != 4 || total.String() != "100.00" {
		t.Errorf("merged trace: %d nodes (want 4), %s reaches D (want 100.00)", len(f.Nodes), total)
	}
}

func TestFlowTotalsConverted(t *testing.T) {
	g := NewGraph([]Tx{mk("1", "A", "B", "100.00", 1), {ID: "2", From: "A", To: "C", Amount: MustAmount("1000.00"), Currency: "MXN", Time: time.Date(2025, 5, 1, 2, 0, 0, 0, time.UTC)},
		{ID: "3", From: "A", To: "D", Amount: MustAmount("5"), Currency: "XYZ", Time: time.Date(2025, 5, 1, 3, 0, 0, 0, time.UTC)}})
	f, err := g.Trace(TraceOptions{Account: "A", Hops: 1})
	if err != nil {
		t.Fatal(err)
	}
	tot := f.Totals(&Rates{To: "USD", Rates: map[string]Amount{"MXN": MustAmount("0.05")}})
	if len(tot) != 1 || tot[0].Converted.String() != "150.00" || len(tot[0].Missing) != 1 || tot[0].Missing[0] != "XYZ" {
		t.Errorf("totals %+v (converted %v)", tot, tot[0].Converted)
	}
}
