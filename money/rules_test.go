package money

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestRulePackCitesRealFlags(t *testing.T) {
	p, err := DefaultRulePack()
	if err != nil {
		t.Fatal(err)
	}
	if p.Version == "" || len(p.Rules) < 5 {
		t.Fatalf("pack %s@%s has %d rules", p.Name, p.Version, len(p.Rules))
	}
	path := filepath.Join(sharedData(t, "indicators"), "fincen_fin-2020-a008.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var adv struct {
		Financial []string `json:"financial"`
		Old       []string `json:"fin_2014_a008_partial_from_summaries_UNVERIFIED"`
	}
	if err := json.Unmarshal(b, &adv); err != nil {
		t.Fatal(err)
	}
	for _, r := range p.Rules {
		for _, c := range r.Cites {
			n, list := 0, []string(nil)
			switch {
			case strings.HasPrefix(c, "FIN-2020-A008/financial/"):
				n, _ = strconv.Atoi(strings.TrimPrefix(c, "FIN-2020-A008/financial/"))
				list = adv.Financial
			case strings.HasPrefix(c, "FIN-2014-A008/"):
				n, _ = strconv.Atoi(strings.TrimPrefix(c, "FIN-2014-A008/"))
				list = adv.Old
			default:
				if p.Sources[c] == "" {
					t.Errorf("rule %s cites %q, which the pack's sources do not describe", r.ID, c)
				}
				continue
			}
			if n < 1 || n > len(list) {
				t.Errorf("rule %s cites %s: no such red flag (the list has %d)", r.ID, c, len(list))
			}
		}
	}
}

func TestParseRulePackRejects(t *testing.T) {
	tests := []struct{ name, json string }{
		{"no version", `{"name":"x","rules":[]}`},
		{"no cites", `{"version":"1","rules":[{"id":"a","flag":"from","count":{"min":1,"window":"1h"}}]}`},
		{"bad flag", `{"version":"1","rules":[{"id":"a","cites":["X"],"flag":"both","count":{"min":1,"window":"1h"}}]}`},
		{"bad window", `{"version":"1","rules":[{"id":"a","cites":["X"],"flag":"to","count":{"min":1,"window":"a week"}}]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParseRulePack([]byte(tc.json)); err == nil {
				t.Error("accepted")
			}
		})
	}
}

func TestRuleConditions(t *testing.T) {
	at := func(h int, wd time.Weekday) time.Time {
		d := time.Date(2025, 6, 1, h, 0, 0, 0, time.UTC) // a Sunday
		return d.AddDate(0, 0, int(wd))
	}
	night := When{TimeAny: []string{"night"}}
	weekend := When{TimeAny: []string{"weekend"}}
	tests := []struct {
		name string
		w    When
		tx   Tx
		want bool
	}{
		{"23:00 is night", night, Tx{Time: at(23, time.Monday)}, true},
		{"03:00 is night", night, Tx{Time: at(3, time.Monday)}, true},
		{"12:00 is not", night, Tx{Time: at(12, time.Monday)}, false},
		{"a statement date is not night", night, Tx{Time: at(0, time.Monday), DateOnly: true}, false},
		{"Saturday is weekend", weekend, Tx{Time: at(12, time.Saturday)}, true},
		{"Wednesday is not", weekend, Tx{Time: at(12, time.Wednesday)}, false},
		{"3 passengers", When{PeopleMin: 2}, Tx{Description: "BOLETOS TRANSPORTES 3 PASAJEROS"}, true},
		{"1 room", When{PeopleMin: 2}, Tx{Description: "HOSPEDAJE HOTEL 1 HABITACIONES"}, false},
		{"keyword any case", When{DescriptionAny: []string{"publicacion"}}, Tx{Description: "COMPRA INTERNET X PUBLICACION"}, true},
		{"amount max", When{AmountMax: ptr(MustAmount("50"))}, Tx{Amount: MustAmount("49.99")}, true},
		{"amount over max", When{AmountMax: ptr(MustAmount("50"))}, Tx{Amount: MustAmount("50.01")}, false},
		{"method", When{MethodAny: []string{"wire"}}, Tx{Method: "Wire"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.tx.From, tc.tx.To = "a", "b"
			g := NewGraph([]Tx{tc.tx})
			if got := g.matches(&tc.w, 0, nil); got != tc.want {
				t.Errorf("matches = %v, want %v", got, tc.want)
			}
		})
	}
}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }
