package money

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rastro/rastro"
)

func TestPaymentLinkAndFinding(t *testing.T) {
	c := loadSynth(t, "tiny", 7)
	ent := func(acc string) string { return "acct:" + acc }
	l := PaymentLink(3, &c.g.Txs[0], 42, ent)
	if l.Schema != "Payment" || l.Amount != c.g.Txs[0].Amount.String() || l.Locator != "line:"+itoa(c.g.Txs[0].Line) || l.EvidenceID != 42 {
		t.Errorf("link %+v", l)
	}
	rules, err := DefaultRulePack()
	if err != nil {
		t.Fatal(err)
	}
	var fanIn *Alert
	alerts := c.g.Detect(DefaultParams(), c.roles, KindFanIn)
	for i := range alerts {
		if len(alerts[i].Victims) > 0 {
			fanIn = &alerts[i]
			break
		}
	}
	if fanIn == nil {
		t.Fatal("no fan-in alert involving a possible victim (the planted collection of victims' earnings)")
	}
	f := Finding(3, fanIn, ent)
	if f.Kind != "money.fan_in" || f.Triage != rastro.TriageNew || !strings.Contains(f.Explanation, "victims/witnesses") {
		t.Errorf("finding %+v", f)
	}
	if i := slices.Index(f.EntityIDs, ent(fanIn.Victims[0])); i < len(fanIn.Subjects) {
		t.Errorf("victim entity at %d, want after the %d subjects: %v", i, len(fanIn.Subjects), f.EntityIDs)
	}
	ads := c.g.Evaluate(rules, c.roles, c.lists)
	if len(ads) == 0 || Finding(3, &ads[0], ent).Title == "" {
		t.Error("no rule finding")
	}
}

func TestAccountKind(t *testing.T) {
	tests := []struct{ key, want string }{
		{"CR05090456727725746485", "iban"}, {"742076849790", "bank"},
		{"bc1qjnypl8kfmhut8whfxpk0dhfc6l4fu07spjn2mf", "btc"}, {"1HYcUetsJdQe2j8qibEDBNcaHmVC5Lrhaz", "btc"},
		{"0x66B40c064c6bCf95600B301Dc8f1213d845e99c3", "eth"}, {"TMmeiWvBcU9KAPAV2yRGhRSJKyHiNwBTW2", "tron"},
		{"cp:POS PURCHASE SHOP", "counterparty"}, {"2323", ""},
	}
	for _, tc := range tests {
		if got := AccountKind(tc.key); got != tc.want {
			t.Errorf("AccountKind(%q) = %q, want %q", tc.key, got, tc.want)
		}
	}
}

// itoa formats an int.
func itoa(n int) string { return strconv.Itoa(n) }
