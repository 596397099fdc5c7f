package stats_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rastro/rastro/htcds"
	"github.com/rastro/rastro/stats"
	"github.com/rastro/rastro/synth"
)

func TestFromHTCDS(t *testing.T) {
	in := "prs_Gender,prs_Birthdate,prs_Citizenship,vic_TraffickingStatus,vic_TypeOfExploitation,vic_MethodsOfControl,hte_Type,hte_Date,hte_Country,cas_IncomingReferralDate\n" +
		"Feminine,2008-07-01,hn,PossibleVictimOfTrafficking,SexualExploitation,DebtBondage;FalsePromises,Exploitation,2024-06-30,mx,2024-09-01\n" +
		"Masculine,,GT,NotAVictimOfTrafficking,,,,,,\n"
	f, err := htcds.Read(bytes.NewBufferString(in))
	if err != nil {
		t.Fatal(err)
	}
	if !stats.IsVictimRecord(f.Records[0]) || stats.IsVictimRecord(f.Records[1]) {
		t.Error("victim record detection")
	}
	v := stats.FromHTCDS(f.Records[0])
	want := map[string]string{"gender": "Woman", "ageBroad": "9--17", "majorityStatusAtExploit": "Minor", "citizenship": "HN",
		"CountryOfExploitation": "MX", "yearOfRegistration": "2024", "isSexualExploit": "1", "isForcedLabour": "0",
		"meansDebtBondageEarnings": "1", "meansFalsePromises": "1", "meansThreats": "0"}
	for k, w := range want {
		if v[k] != w {
			t.Errorf("%s = %q, want %q", k, v[k], w)
		}
	}
}

// TestScenarioIsFullySuppressed: a training case has a handful of victims,
// so at k = 11 nothing about them may be released.
func TestScenarioIsFullySuppressed(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Generate(context.Background(), synth.Options{Size: "tiny", Seed: 1, Out: dir}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "htcds", "victims.csv"))
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := htcds.Import(bytes.NewReader(data), htcds.MapOptions{CaseID: 1, Source: "victims.csv"})
	if err != nil {
		t.Fatal(err)
	}
	vs := stats.VictimsFromEntities(m.Entities, m.Links)
	if len(vs) != 4 {
		t.Fatalf("%d victims from the scenario's entities, want 4", len(vs))
	}
	if vs[0]["ageBroad"] == stats.Unknown {
		t.Errorf("age band lost on the way through entities: %v", vs[0])
	}
	tab, err := releaser(t).Release(context.Background(), vs, stats.Spec{Scope: "case:demo", Rows: "gender", Cols: "ageBroad"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range tab.Cells {
		if !c.Suppressed {
			t.Errorf("%s/%s released with %d victims in the case", c.Row, c.Col, len(vs))
		}
	}
}

func BenchmarkReleaseCitizenshipByAge(b *testing.B) {
	vs := population(20000, 9)
	for b.Loop() {
		rl := &stats.Releaser{Ledger: &stats.FileLedger{Path: filepath.Join(b.TempDir(), "l.json")}}
		if _, err := rl.Release(context.Background(), vs, stats.Spec{Scope: "s", Rows: "citizenship", Cols: "ageBroad", K: 150}); err != nil {
			b.Fatal(err)
		}
	}
}
