package store

import (
	"strings"
	"testing"
	"time"

	"github.com/rastro/rastro"
)

func TestIsMinor(t *testing.T) {
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		prop, value string
		want        bool
	}{
		{"birthDate", "2008-03-02", true},  // 18 tomorrow
		{"birthDate", "2008-03-01", false}, // 18 today
		{"birthDate", "2008-03", true},     // could be born on 31 March
		{"birthDate", "2008", true},        // could be born in December
		{"birthDate", "2007", false},       // 18 by 31 December 2025
		{"birthDate", "1990-01-01", false}, // adult
		{"birthDate", "01/02/2015", false}, // not ISO: ignored
		{"age", "16", true},                // stated age
		{"age", "16 años", true},           // with a unit
		{"age", "18+", false},              // adult
		{"age", "unknown", false},          // no number
		{"nationality", "16", false},       // other props do not count
	} {
		t.Run(tt.prop+" "+tt.value, func(t *testing.T) {
			got := rastro.IsMinor([]*rastro.Statement{{Prop: tt.prop, Value: tt.value}}, at)
			if got != tt.want {
				t.Errorf("IsMinor(%s=%q at %s) = %v, want %v", tt.prop, tt.value, at.Format(time.DateOnly), got, tt.want)
			}
		})
	}
}

func TestPseudonym(t *testing.T) {
	key, other := []byte("0123456789abcdef0123456789abcdef"), []byte("fedcba9876543210fedcba9876543210")
	p := Pseudonym(key, "person-1", rastro.CaseRolePossibleVictim, "Person")
	if !strings.HasPrefix(p, "Possible victim V-") || len(p) != len("Possible victim V-")+6 {
		t.Errorf("pseudonym %q", p)
	}
	if p != Pseudonym(key, "person-1", rastro.CaseRolePossibleVictim, "Person") {
		t.Error("pseudonym not stable")
	}
	if p == Pseudonym(other, "person-1", rastro.CaseRolePossibleVictim, "Person") {
		t.Error("pseudonym the same under another case's key")
	}
	if got := Pseudonym(key, "acct-1", rastro.CaseRoleUnknown, "BankAccount"); !strings.HasPrefix(got, "Protected BankAccount P-") {
		t.Errorf("pseudonym of a protected account %q", got)
	}
}
