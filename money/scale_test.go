package money

import (
	"testing"
	"time"
)

func TestParseAMLTimeAgreesWithTimeParse(t *testing.T) {
	for _, s := range []string{"2022/09/01 00:02", "2024/02/29 23:59", "2023/02/29 10:00", "2022/12/31 23:59", "2022/13/01 00:00",
		"2022/01/00 00:00", "2022/01/01 24:00", "2022/01/01 00:60", "2022/1/01 00:00", "2022-01-01 00:00", "", "2022/01/01 0a:00", "+022/01/01 00:00"} {
		want, werr := time.Parse("2006/01/02 15:04", s)
		got, gerr := parseAMLTime(s)
		if !got.Equal(want) || got.Location() != want.Location() || (gerr == nil) != (werr == nil) {
			t.Errorf("parseAMLTime(%q) = %v, %v; time.Parse = %v, %v", s, got, gerr, want, werr)
		}
	}
}

// at is a transfer at hour h of 2024-01-01.
func at(from, to, amount string, h int, line int) Tx {
	return Tx{From: from, To: to, Amount: MustAmount(amount), Currency: "USD", Time: time.Date(2024, 1, 1, h, 0, 0, 0, time.UTC), File: "t.csv", Line: line}
}

func TestTraceRespectsTime(t *testing.T) {
	txs := []Tx{
		at("B", "C", "100.00", 1, 2), // leaves B before A's money arrives: not traced
		at("A", "B", "0.30", 2, 3),
		at("B", "D", "0.10", 3, 4),
		at("B", "E", "0.20", 4, 5),
		at("D", "F", "0.10", 2, 6), // D pays on before it received: not traced
		at("D", "G", "0.10", 5, 7),
	}
	for _, model := range []string{ModelFIFO, ModelHaircut, ModelPoison} {
		t.Run(model, func(t *testing.T) {
			f, err := NewGraph(append([]Tx(nil), txs...)).Trace(TraceOptions{Account: "A", Hops: 3, Model: model})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, e := range f.Edges {
				got[f.Nodes[e.Target].Account] = e.Amount.String()
			}
			want := map[string]string{"B": "0.30", "D": "0.10", "E": "0.20", "G": "0.10"}
			if len(got) != len(want) {
				t.Errorf("reached %v, want %v", got, want)
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s: attributed %q, want %q exactly (all: %v)", k, got[k], v, got)
				}
			}
			if tot := f.Totals(nil); len(tot) < 2 || tot[1].ByCurrency["USD"].String() != "0.30" {
				t.Errorf("hop 2 total %v, want 0.30 USD exactly", tot)
			}
		})
	}
}

func TestTraceWindowBounds(t *testing.T) {
	txs := []Tx{at("A", "B", "5.00", 1, 2), at("B", "C", "5.00", 2, 3), at("B", "D", "5.00", 6, 4)}
	g := NewGraph(txs)
	f, err := g.Trace(TraceOptions{Account: "A", Hops: 2, Before: time.Date(2024, 1, 1, 5, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range f.Nodes {
		if n.Account == "D" {
			t.Errorf("trace bounded at 05:00 reached D, paid at 06:00")
		}
	}
	if len(f.Nodes) != 3 {
		t.Errorf("nodes %+v, want A, B, C", f.Nodes)
	}
}

func TestIgnoredMethodsKeepIndices(t *testing.T) {
	// A fan-in whose senders also made card purchases: the alert must
	// point at the fan-in transfers of the full graph.
	var txs []Tx
	for i, s := range []string{"S1", "S2", "S3", "S4", "S5"} {
		c := at(s, "SHOP", "20.00", i, 2*i+2)
		c.Method = "Credit Card"
		txs = append(txs, c, at(s, "HUB", "500.00", i, 2*i+3))
	}
	g := NewGraph(txs)
	alerts := g.Detect(DefaultParams(), nil, KindFanIn)
	if len(alerts) != 1 || alerts[0].Account != "HUB" {
		t.Fatalf("alerts %+v, want one fan-in on HUB (card purchases at SHOP are ignored)", alerts)
	}
	for _, i := range alerts[0].Txs {
		if tx := g.Txs[i]; tx.To != "HUB" || tx.Method != "" {
			t.Errorf("alert transfer %d is %+v, want a transfer to HUB", i, tx)
		}
	}
}

func TestPresize(t *testing.T) {
	tests := []struct {
		name          string
		n             int
		read, total   int64
		minCap, maxCp int
	}{
		{"a tenth read", 100, 1000, 10000, 1020, 1100},
		{"all read", 100, 1000, 1000, 100, 100},
		{"nothing read", 100, 0, 1000, 100, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			txs := make([]Tx, tt.n)
			txs[0].Line = 7
			got := presize(txs, tt.read, tt.total)
			if len(got) != tt.n || got[0].Line != 7 {
				t.Fatalf("presize changed the transfers: len %d", len(got))
			}
			if cap(got) < tt.minCap || cap(got) > tt.maxCp {
				t.Errorf("cap %d, want %d..%d", cap(got), tt.minCap, tt.maxCp)
			}
		})
	}
}

func TestCompactAmountsAgreeWithAmount(t *testing.T) {
	amounts := []string{"100.00", "80.00", "79.99", "80.001", "100", "99.999", "0.5", "1000000.00", "12.3", "80"}
	curs := []string{"USD", "EUR"}
	var txs []Tx
	for i, a := range amounts {
		tx := at("A", "B", a, i, i+2)
		tx.Currency = curs[i%2]
		if i%3 == 0 { // a conversion: credited in the other currency
			tx.Received, tx.RecvCur = MustAmount(amounts[(i+1)%len(amounts)]), curs[(i+1)%2]
		}
		txs = append(txs, tx)
	}
	tests := []struct {
		name   string
		extra  []Tx
		wantOK bool
	}{
		{"int64 at one scale", nil, true},
		{"an 18-decimal token amount does not fit", []Tx{at("A", "B", "123456789.123456789012345678", 20, 40)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewGraph(append(append([]Tx(nil), txs...), tt.extra...))
			if g.amt.ok != tt.wantOK {
				t.Fatalf("compact ok %v, want %v", g.amt.ok, tt.wantOK)
			}
			slow := &Graph{Txs: g.Txs, Accounts: g.Accounts, from: g.from, to: g.to, unix: g.unix}
			for a := range g.Txs {
				for b := range g.Txs {
					for _, k := range []int{0, 80, 95, 100} {
						if got, want := g.keeps(int32(a), int32(b), k), slow.keeps(int32(a), int32(b), k); got != want {
							t.Errorf("keeps(%s %s → %s %s, %d%%) = %v, Amount says %v", g.Txs[a].Amount, g.Txs[a].Currency, g.Txs[b].Amount, g.Txs[b].Currency, k, got, want)
						}
					}
				}
			}
		})
	}
}
