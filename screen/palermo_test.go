package screen_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rastro/rastro/screen"
	"github.com/rastro/rastro/synth"
)

func ans(el screen.Element, code string) screen.Answer {
	return screen.Answer{Element: el, Code: code, Source: "test"}
}

func age(n int) *int { return &n }

func TestPalermo(t *testing.T) {
	act := ans(screen.ElementAct, screen.ActRecruitment)
	means := ans(screen.ElementMeans, screen.MeansDeception)
	purpose := ans(screen.ElementPurpose, screen.PurposeForcedLabour)
	tests := []struct {
		name       string
		facts      screen.Facts
		present    bool
		child      bool
		missing    []screen.Element
		summaryHas string
	}{
		{"adult with all three", screen.Facts{Answers: []screen.Answer{act, means, purpose}, StatedAge: age(30)}, true, false, nil, "means (deception)"},
		{"adult without means", screen.Facts{Answers: []screen.Answer{act, purpose}, StatedAge: age(30)}, false, false, []screen.Element{screen.ElementMeans}, "no indicator of means"},
		{"child without means", screen.Facts{Answers: []screen.Answer{act, purpose}, StatedAge: age(15)}, true, true, nil, "child rule, age 15"},
		{"child from birth date", screen.Facts{Answers: []screen.Answer{act, purpose},
			BirthDate: time.Date(2007, 6, 10, 0, 0, 0, 0, time.UTC), EventDate: time.Date(2025, 6, 9, 0, 0, 0, 0, time.UTC)}, true, true, nil, "age 17"},
		{"eighteenth birthday is adult", screen.Facts{Answers: []screen.Answer{act, purpose},
			BirthDate: time.Date(2007, 6, 10, 0, 0, 0, 0, time.UTC), EventDate: time.Date(2025, 6, 10, 0, 0, 0, 0, time.UTC)}, false, false, []screen.Element{screen.ElementMeans}, "adult rule"},
		{"child without act", screen.Facts{Answers: []screen.Answer{means, purpose}, StatedAge: age(12)}, false, true, []screen.Element{screen.ElementAct}, "no indicator of act"},
		{"age unknown", screen.Facts{Answers: []screen.Answer{act, purpose}}, false, false, []screen.Element{screen.ElementMeans}, "adult rule"},
		{"nothing", screen.Facts{}, false, false, []screen.Element{screen.ElementAct, screen.ElementMeans, screen.ElementPurpose}, "none of act, means or purpose"},
		{"unknown code ignored", screen.Facts{Answers: []screen.Answer{act, ans(screen.ElementMeans, "bad_luck"), purpose}, StatedAge: age(40)}, false, false, []screen.Element{screen.ElementMeans}, "no indicator of means"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := screen.Palermo(tt.facts)
			if r.Present != tt.present || r.Child != tt.child {
				t.Errorf("present=%v child=%v, want %v %v (%s)", r.Present, r.Child, tt.present, tt.child, r.Summary)
			}
			if len(r.Missing) != len(tt.missing) {
				t.Errorf("missing = %v, want %v", r.Missing, tt.missing)
			}
			if !strings.Contains(r.Summary, tt.summaryHas) {
				t.Errorf("summary %q lacks %q", r.Summary, tt.summaryHas)
			}
			checkWording(t, r)
		})
	}
}

// checkWording asserts the result reads as a screening outcome, never as a
// legal determination.
func checkWording(t *testing.T, r screen.PalermoResult) {
	t.Helper()
	want := screen.WordingNotPresent
	if r.Present {
		want = screen.WordingPresent
	}
	if !strings.HasPrefix(r.Summary, want+" (") {
		t.Errorf("summary %q does not start with %q", r.Summary, want)
	}
	lower := strings.ToLower(r.Summary)
	for _, bad := range []string{"is a victim", "was trafficked", "is trafficked", "guilty", "confirmed", "proven", "determination"} {
		if strings.Contains(lower, bad) {
			t.Errorf("summary reads as a determination (%q): %q", bad, r.Summary)
		}
	}
	if !strings.Contains(r.Disclaimer, "not a legal determination") {
		t.Errorf("disclaimer = %q", r.Disclaimer)
	}
}

func TestPalermoAgeUnknownNote(t *testing.T) {
	r := screen.Palermo(screen.Facts{Answers: []screen.Answer{ans(screen.ElementAct, screen.ActReceipt), ans(screen.ElementPurpose, screen.PurposeSexual)}})
	if len(r.Notes) == 0 || !strings.Contains(r.Notes[0], "under 18") {
		t.Errorf("no note about the child rule when the age is unknown: %v", r.Notes)
	}
}

func TestFactsFromHTCDS(t *testing.T) {
	f := screen.FactsFromHTCDS(map[string]string{
		"hte_Type":               "Recruitment",
		"hte_Date":               "2024-06-12",
		"prs_Birthdate":          "2010-11-16",
		"vic_MethodsOfControl":   "ExcessiveWorkingHours;Other",
		"vic_TypeOfExploitation": "ForcedBegging",
	})
	r := screen.Palermo(f)
	if !r.Present || !r.Child || r.Age != 13 {
		t.Fatalf("child act+purpose from HTCDS: %s", r.Summary)
	}
	if !strings.Contains(r.Summary, "act (recruitment)") || !strings.Contains(r.Summary, "purpose (forced begging)") {
		t.Errorf("summary lacks the drivers: %s", r.Summary)
	}
	if len(r.Notes) != 2 {
		t.Errorf("unmapped values should be notes for review: %v", r.Notes)
	}
	adult := screen.FactsFromHTCDS(map[string]string{"hte_Type": "Transit", "vic_AgeWhenTrafficked": "25",
		"vic_MethodsOfControl": "ExcessiveWorkingHours", "vic_TypeOfExploitation": "ForcedLabour"})
	if r := screen.Palermo(adult); r.Present || r.Missing[0] != screen.ElementMeans {
		t.Errorf("excessive hours alone is not a means: %s", r.Summary)
	}
}

// TestPalermoOnScenario screens every victim record of a generated training
// scenario: the child rule must fire exactly for the minors of the truth.
func TestPalermoOnScenario(t *testing.T) {
	dir := t.TempDir()
	tr, err := synth.Generate(context.Background(), synth.Options{Size: "tiny", Seed: 3, Out: dir})
	if err != nil {
		t.Fatal(err)
	}
	minors := map[string]bool{}
	for _, p := range tr.People {
		minors[p.ID] = p.Minor
	}
	rows := readCSV(t, filepath.Join(dir, "htcds", "victims.csv"))
	screened, children := 0, 0
	for _, rec := range tr.Records {
		if rec.Kind != "case_record" {
			continue
		}
		line, _ := strconv.Atoi(strings.TrimPrefix(rec.Locator, "line:"))
		r := screen.Palermo(screen.FactsFromHTCDS(rows[line-2]))
		if r.Child != minors[rec.Person] {
			t.Errorf("%s: child=%v, truth minor=%v (%s)", rec.Person, r.Child, minors[rec.Person], r.Summary)
		}
		if r.Child && !r.Present {
			t.Errorf("%s: child with recruitment and a purpose not screened present: %s", rec.Person, r.Summary)
		}
		checkWording(t, r)
		screened++
		if r.Child {
			children++
		}
	}
	if screened == 0 || children == 0 || children == screened {
		t.Fatalf("scenario should hold adults and minors: %d records, %d children", screened, children)
	}
}

// readCSV reads a CSV with a header into one map per row.
func readCSV(t *testing.T, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, row := range all[1:] {
		m := map[string]string{}
		for i, h := range all[0] {
			m[h] = row[i]
		}
		out = append(out, m)
	}
	return out
}

func BenchmarkPalermoFromHTCDS(b *testing.B) {
	row := map[string]string{"hte_Type": "Recruitment", "hte_Date": "2024-06-12", "prs_Birthdate": "2010-11-16",
		"vic_MethodsOfControl": "FalsePromises;TakesEarnings;PsychologicalAbuse", "vic_TypeOfExploitation": "ForcedLabour;ChildLabour",
		"per_RoleInProcess": "Transporter;RecruiterOrIntermediary;Exploiter"}
	for b.Loop() {
		screen.Palermo(screen.FactsFromHTCDS(row))
	}
}

func TestPalermoSpanish(t *testing.T) {
	r := screen.Palermo(screen.Facts{Answers: []screen.Answer{ans(screen.ElementAct, screen.ActRecruitment), ans(screen.ElementPurpose, screen.PurposeSexual)}, StatedAge: age(14)})
	s, d := r.SummaryIn("es")
	want := "Indicadores de trata presentes (regla para niñas, niños y adolescentes, edad 14 en el momento de los hechos): acto (captación), fin (explotación sexual) indicado(s)."
	if s != want {
		t.Errorf("es summary\n got %q\nwant %q", s, want)
	}
	if !strings.Contains(d, "no es una determinación jurídica") {
		t.Errorf("es disclaimer %q", d)
	}
	if en, _ := r.SummaryIn("en"); en != r.Summary {
		t.Errorf("en summary %q differs from Summary %q", en, r.Summary)
	}
}
