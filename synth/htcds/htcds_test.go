package htcds_test

import (
	"bytes"
	"encoding/csv"
	"github.com/rastro/rastro/internal/shareddata"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rastro/rastro/synth/htcds"
)

// standardDir is the HTCDS standard of the reference data, or skips.
func standardDir(tb testing.TB) string { return shareddata.Dir(tb, "htcds") }

// standard reads the field list and the code lists of the HTCDS 2.0 field table.
func standard(tb testing.TB) (fields []string, codes map[string]map[string]bool) {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join(standardDir(tb), "HTCDS_Field_Standards_2.0_Field_Standards.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(raw))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	name := regexp.MustCompile(`^[a-z]{3}_\w+$`)
	codes = map[string]map[string]bool{}
	for _, rec := range recs[1:] {
		if len(rec) < 7 || !name.MatchString(rec[6]) {
			continue
		}
		fields = append(fields, rec[6])
		if len(rec) < 10 || !strings.Contains(rec[7], "Picklist") || strings.HasPrefix(rec[9], "Use ISO") || strings.TrimSpace(rec[9]) == "" {
			continue
		}
		set := map[string]bool{}
		for _, v := range strings.Split(rec[9], "\n") {
			if v = strings.TrimSpace(v); v != "" {
				set[v] = true
			}
		}
		codes[rec[6]] = set
	}
	return fields, codes
}

func testParams(dir string) htcds.Params {
	d := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	return htcds.Params{
		Dir: dir, Prefix: "htcds",
		Victims: []htcds.Victim{
			{Person: "p-v1", CaseID: "HT-2025-001", Gender: "Feminine", BirthDate: d("2009-05-14"), Citizenship: "gt",
				Exploitation: []string{"sexual"}, MethodsOfControl: []string{"debt", "confiscated documents", "isolation", "something odd"},
				Recruited: d("2024-11-02"), RecruitCountry: "GT", ExploitCountry: "MX", Identified: d("2025-03-01")},
			{Person: "p-v2", CaseID: "HT-2025-002", Gender: "male", BirthDate: d("2008-01-30"), Citizenship: "HN",
				Exploitation: []string{"labour", "begging"}, MethodsOfControl: []string{"WithholdsDocuments", "excessive hours"},
				Recruited: d("2024-06-10"), RecruitCountry: "HN", ExploitCountry: "US", Identified: d("2025-01-15")},
		},
		Suspects: []htcds.Suspect{
			{Person: "p-s1", Gender: "Masculine", Role: "recruiter", Citizenship: "GT"},
			{Person: "p-s2", Gender: "Feminine", Role: "controller", Citizenship: "MX"},
			{Person: "p-s3", Gender: "Masculine", Role: "buyer", Citizenship: "US"},
		},
	}
}

func readBack(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("read back %s: %v", name, err)
	}
	return recs
}

func TestHeaderIsTheStandard(t *testing.T) {
	fields, _ := standard(t)
	if diff := cmp.Diff(fields, htcds.Fields()); diff != "" {
		t.Fatalf("embedded field list differs from the standard (-standard +embedded):\n%s", diff)
	}
	dir := t.TempDir()
	if _, err := htcds.Generate(testParams(dir)); err != nil {
		t.Fatal(err)
	}
	recs := readBack(t, filepath.Join(dir, htcds.FileName))
	if diff := cmp.Diff(fields, recs[0]); diff != "" {
		t.Fatalf("header differs from the standard (-standard +file):\n%s", diff)
	}
}

func TestCodedValuesAreInCodeLists(t *testing.T) {
	fields, codes := standard(t)
	dir := t.TempDir()
	if _, err := htcds.Generate(testParams(dir)); err != nil {
		t.Fatal(err)
	}
	recs := readBack(t, filepath.Join(dir, htcds.FileName))
	if len(recs) != 3 {
		t.Fatalf("got %d records, want header + 2 victims", len(recs))
	}
	checked := 0
	for _, rec := range recs[1:] {
		for i, cell := range rec {
			list, ok := codes[fields[i]]
			if !ok || cell == "" {
				continue
			}
			for _, v := range strings.Split(cell, htcds.MultiSep) {
				checked++
				if !list[v] {
					t.Errorf("%s = %q: %q not in the code list", fields[i], cell, v)
				}
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d coded values checked; the rows look empty", checked)
	}
}

func TestRowContent(t *testing.T) {
	dir := t.TempDir()
	res, err := htcds.Generate(testParams(dir))
	if err != nil {
		t.Fatal(err)
	}
	recs := readBack(t, filepath.Join(dir, htcds.FileName))
	col := map[string]int{}
	for i, f := range recs[0] {
		col[f] = i
	}
	v1, v2 := recs[1], recs[2]
	tests := []struct {
		name, got, want string
	}{
		{"gender", v1[col["prs_Gender"]], "Feminine"},
		{"gender alias", v2[col["prs_Gender"]], "Masculine"},
		{"birthdate", v1[col["prs_Birthdate"]], "2009-05-14"},
		{"age when trafficked", v1[col["vic_AgeWhenTrafficked"]], "15"},
		{"control", v1[col["vic_MethodsOfControl"]], "DebtBondage;PsychologicalAbuse;WithholdsDocuments;Other"},
		{"exploitation child labour", v2[col["vic_TypeOfExploitation"]], "ForcedLabour;ChildLabour;ForcedBegging"},
		{"event type", v1[col["hte_Type"]], "Recruitment"},
		{"roles", v1[col["per_RoleInProcess"]], "RecruiterOrIntermediary;ControlledIndividual;Abuser;Exploiter"},
		{"citizenship upper", v1[col["prs_Citizenship"]], "GT"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	if !strings.Contains(v1[col["cco_CaseComment"]], "HT-2025-001") {
		t.Errorf("case comment %q lacks the case ID", v1[col["cco_CaseComment"]])
	}
	want := []string{"htcds/victims.csv"}
	if diff := cmp.Diff(want, res.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if len(res.Records) != 2 || res.Records[1].Locator != "line:3" || res.Records[1].Person != "p-v2" || res.Records[1].Kind != "case_record" {
		t.Errorf("records = %+v", res.Records)
	}
}

func TestDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		if _, err := htcds.Generate(testParams(d)); err != nil {
			t.Fatal(err)
		}
	}
	x, _ := os.ReadFile(filepath.Join(a, htcds.FileName))
	y, _ := os.ReadFile(filepath.Join(b, htcds.FileName))
	if !bytes.Equal(x, y) {
		t.Fatal("same params, different bytes")
	}
}

func TestRejectsUnknownCodes(t *testing.T) {
	tests := []struct {
		name string
		edit func(*htcds.Params)
	}{
		{"gender", func(p *htcds.Params) { p.Victims[0].Gender = "robot" }},
		{"exploitation", func(p *htcds.Params) { p.Victims[0].Exploitation = []string{"piracy"} }},
		{"role", func(p *htcds.Params) { p.Suspects[0].Role = "mastermind" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testParams(t.TempDir())
			tt.edit(&p)
			if _, err := htcds.Generate(p); err == nil {
				t.Fatal("want an error")
			}
		})
	}
}
