package casemoney

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/money"
)

func TestTxOfReadsPaymentLinkBack(t *testing.T) {
	tx := money.Tx{From: "GT01", To: "GT02", Amount: money.MustAmount("1234.50"), Currency: "GTQ",
		Time: time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC), File: "money/statement.csv", Line: 17, Description: "HOSPEDAJE EJEMPLO 3 HABITACIONES"}
	l := money.PaymentLink(7, &tx, 42, func(k string) string { return "account-" + k })
	got, err := TxOf(l)
	if err != nil {
		t.Fatal(err)
	}
	want := money.Tx{ID: "money:money/statement.csv:17", From: "account-GT01", To: "account-GT02", Amount: tx.Amount, Currency: "GTQ",
		Time: tx.Time, Description: tx.Description, Format: "case", File: "evidence:42", Line: 17}
	if d := cmp.Diff(want, got, cmp.Comparer(func(a, b money.Amount) bool { return a.Cmp(b) == 0 })); d != "" {
		t.Errorf("TxOf (-want +got):\n%s", d)
	}
	if _, err := TxOf(&rastro.Link{ID: "bad", Amount: "ten"}); err == nil {
		t.Error("an unreadable amount was accepted")
	}
}

func TestVictimHeld(t *testing.T) {
	c := &Case{
		Entities: map[string]*rastro.Entity{
			"acc-v": {ID: "acc-v", CaseRole: rastro.CaseRoleUnknown}, "acc-s": {ID: "acc-s"}, "acc-own": {ID: "acc-own", CaseRole: rastro.CaseRoleVictim},
			"p-v": {ID: "p-v", CaseRole: rastro.CaseRolePossibleVictim}, "p-s": {ID: "p-s", CaseRole: rastro.CaseRoleSuspect},
		},
		Holders: map[string][]string{"acc-v": {"p-s", "p-v"}, "acc-s": {"p-s"}},
	}
	for _, tc := range []struct {
		account string
		want    bool
	}{{"acc-v", true}, {"acc-s", false}, {"acc-own", true}, {"unknown", false}} {
		if got := c.VictimHeld(tc.account); got != tc.want {
			t.Errorf("VictimHeld(%s) = %v, want %v", tc.account, got, tc.want)
		}
	}
}
