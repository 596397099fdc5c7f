package money

import (
	"slices"
	"strings"
	"testing"
)

func TestVictimNeverSubject(t *testing.T) {
	// Four clients pay V (a possible victim) within hours; V hands it to boss S.
	g := NewGraph([]Tx{
		mk("1", "c1", "V", "100.00", 1), mk("2", "c2", "V", "120.00", 2), mk("3", "c3", "V", "90.00", 3),
		mk("4", "c4", "V", "110.00", 4), mk("5", "V", "S", "400.00", 5),
	})
	roles := map[string]Role{"V": RoleVictim, "S": RoleSuspect}
	alerts := g.Detect(DefaultParams(), roles, KindFanIn)
	if len(alerts) != 1 || alerts[0].Account != "V" {
		t.Fatalf("want one fan-in alert on V, got %+v", alerts)
	}
	a := alerts[0]
	if slices.Contains(a.Subjects, "V") {
		t.Errorf("possible victim V is a subject: %v", a.Subjects)
	}
	if !slices.Contains(a.Victims, "V") || !strings.Contains(a.Explanation, "victim/witness") {
		t.Errorf("V not named as victim/witness: victims %v, explanation %q", a.Victims, a.Explanation)
	}
	// Without roles the same account is the subject.
	if a := g.Detect(DefaultParams(), nil, KindFanIn)[0]; !slices.Contains(a.Subjects, "V") {
		t.Errorf("without roles the flagged account should be the subject, got %v", a.Subjects)
	}
}

func TestSynthVictimsNeverSubjects(t *testing.T) {
	c := loadSynth(t, "tiny", 7)
	rules, err := DefaultRulePack()
	if err != nil {
		t.Fatal(err)
	}
	alerts := append(c.g.Detect(DefaultParams(), c.roles), c.g.Evaluate(rules, c.roles, c.lists)...)
	victims := 0
	for _, a := range alerts {
		for _, s := range a.Subjects {
			if c.roles[s] == RoleVictim {
				t.Errorf("%s alert on %s names possible victim %s as subject", a.Kind, a.Account, s)
			}
		}
		if len(a.Victims) > 0 {
			victims++
		}
	}
	if victims == 0 {
		t.Error("no alert names a possible victim as victim/witness, though the planted fan-in moves victims' earnings")
	}
}
