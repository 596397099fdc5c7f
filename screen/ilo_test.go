package screen_test

import (
	"encoding/json"
	"github.com/rastro/rastro/internal/shareddata"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rastro/rastro"
	"github.com/rastro/rastro/screen"
)

var now = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

func indicators(t *testing.T) *screen.Indicators {
	t.Helper()
	ind, err := screen.LoadIndicators()
	if err != nil {
		t.Fatal(err)
	}
	return ind
}

func interview(t *testing.T, ind *screen.Indicators, p screen.Profile, yes ...string) *screen.Interview {
	t.Helper()
	iv, err := screen.NewInterview(1, "person-1", p, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range yes {
		if err := iv.Answer(ind, id, screen.Yes, "", now); err != nil {
			t.Fatal(err)
		}
	}
	return iv
}

func TestEmbeddedDataIsMarkedAndCited(t *testing.T) {
	ind := indicators(t)
	if ind.Status != "UNVERIFIED" || !strings.Contains(ind.Warning, "UNVERIFIED") {
		t.Errorf("status %q / warning %q: the data must stay marked UNVERIFIED until checked", ind.Status, ind.Warning)
	}
	if !strings.Contains(ind.Source, "WCMS_105023") {
		t.Errorf("source %q does not cite the ILO publication", ind.Source)
	}
	n := 0
	for _, d := range ind.Dimensions {
		n += len(d.Indicators)
		if d.Label == "" || d.LabelES == "" {
			t.Errorf("dimension %s lacks an English or Spanish label", d.ID)
		}
		for _, it := range d.Indicators {
			if it.Text("es") == it.Text("en") || it.IndicatorES == "" {
				t.Errorf("%s has no Spanish text", it.ID)
			}
		}
	}
	if n != 67 {
		t.Errorf("%d indicators, want the 67 of the adult labour list", n)
	}
	r, err := screen.Score(ind, interview(t, ind, screen.AdultLabour))
	if err != nil {
		t.Fatal(err)
	}
	if r.DataStatus != "UNVERIFIED" || len(r.Warnings) == 0 || r.Source == "" {
		t.Errorf("result must show the data status, source and warning: %+v", r)
	}
}

// TestEmbeddedMatchesShared checks the embedded weights against the staged
// research file, when present.
func TestEmbeddedMatchesShared(t *testing.T) {
	name := filepath.Join(sharedData(t), "indicators", "ilo_delphi_labour_adult_child.UNVERIFIED.json")
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var src struct {
		Dimensions map[string][]struct {
			Indicator   string  `json:"indicator"`
			AdultLabour *string `json:"adult_labour"`
			ChildLabour *string `json:"child_labour"`
		} `json:"dimensions"`
	}
	if err := json.Unmarshal(data, &src); err != nil {
		t.Fatal(err)
	}
	ind := indicators(t)
	for _, d := range ind.Dimensions {
		want := src.Dimensions[d.ID]
		if len(want) != len(d.Indicators) {
			t.Fatalf("%s: %d indicators, shared file has %d", d.ID, len(d.Indicators), len(want))
		}
		for i, it := range d.Indicators {
			if it.Indicator != want[i].Indicator || !cmp.Equal(str(it.Weights[screen.AdultLabour]), want[i].AdultLabour) ||
				!cmp.Equal(str(it.Weights[screen.ChildLabour]), want[i].ChildLabour) {
				t.Errorf("%s differs from the shared file", it.ID)
			}
		}
	}
}

func str(w *screen.Weight) *string {
	if w == nil {
		return nil
	}
	s := string(*w)
	return &s
}

// sharedData is the reference data folder, or skips.
func sharedData(t *testing.T) string { return shareddata.Dir(t, ".") }

func TestScore(t *testing.T) {
	ind := indicators(t)
	const (
		deceivedJob   = "deceptive_recruitment.deceived_nature_job_location"   // S
		deceivedWages = "deceptive_recruitment.deceived_wages_earnings"        // M
		excessive     = "exploitative_conditions.excessive_working_days_hours" // S
		lowSalary     = "exploitative_conditions.low_no_salary"                // M
		documents     = "coercion_at_destination.confiscation_documents"       // S
		debt          = "coercion_at_destination.debt_bondage"                 // S
		threats       = "coercive_recruitment.threats_violence_against_victim" // M adult, S child
		violence      = "coercive_recruitment.violence_victims"                // S
	)
	tests := []struct {
		name    string
		profile screen.Profile
		yes     []string
		want    screen.Outcome
		missing int
	}{
		{"adult all three groups", screen.AdultLabour, []string{deceivedJob, deceivedWages, excessive, lowSalary, documents, debt}, screen.OutcomePresent, 0},
		{"adult without destination coercion", screen.AdultLabour, []string{deceivedJob, deceivedWages, excessive, lowSalary}, screen.OutcomeNotPresent, 1},
		{"adult weak evidence everywhere", screen.AdultLabour, []string{deceivedWages, lowSalary, documents}, screen.OutcomePossible, 3},
		{"child needs no destination coercion", screen.ChildLabour, []string{deceivedJob, deceivedWages, excessive, lowSalary}, screen.OutcomePresent, 0},
		{"threats weigh more for children", screen.ChildLabour, []string{threats, violence, excessive, lowSalary}, screen.OutcomePresent, 0},
		{"one strong is not a dimension", screen.AdultLabour, []string{deceivedJob, excessive, documents}, screen.OutcomePossible, 3},
		{"nothing", screen.AdultLabour, nil, screen.OutcomeNotPresent, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := screen.Score(ind, interview(t, ind, tt.profile, tt.yes...))
			if err != nil {
				t.Fatal(err)
			}
			if r.Outcome != tt.want || len(r.Missing) != tt.missing {
				t.Errorf("outcome %s missing %v, want %s with %d missing\n%s", r.Outcome, r.Missing, tt.want, tt.missing, r.Summary)
			}
			prefix := map[screen.Outcome]string{screen.OutcomePresent: screen.WordingPresent, screen.OutcomePossible: screen.WordingPossible, screen.OutcomeNotPresent: screen.WordingNotPresent}[r.Outcome]
			if !strings.HasPrefix(r.Summary, prefix+" (") || !strings.Contains(r.Summary, "UNVERIFIED") {
				t.Errorf("summary %q", r.Summary)
			}
		})
	}
}

func TestDimensionRule(t *testing.T) {
	ind := indicators(t)
	// coercion_at_destination under adult_labour: 4 S, 10 M, 1 W (threat to inform family).
	tests := []struct {
		name string
		yes  []string
		pos  bool
	}{
		{"2 strong", []string{"coercion_at_destination.confiscation_documents", "coercion_at_destination.debt_bondage"}, true},
		{"1 strong 1 weak", []string{"coercion_at_destination.confiscation_documents", "coercion_at_destination.threat_inform_family_community"}, true},
		{"3 medium", []string{"coercion_at_destination.forced_act_against_peers", "coercion_at_destination.forced_lie_authorities_family", "coercion_at_destination.withholding_wages"}, true},
		{"2 medium 1 weak", []string{"coercion_at_destination.forced_act_against_peers", "coercion_at_destination.withholding_wages", "coercion_at_destination.threat_inform_family_community"}, true},
		{"2 medium", []string{"coercion_at_destination.forced_act_against_peers", "coercion_at_destination.withholding_wages"}, false},
		{"1 strong", []string{"coercion_at_destination.debt_bondage"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := screen.Score(ind, interview(t, ind, screen.AdultLabour, tt.yes...))
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range r.Dimensions {
				if d.ID == screen.DimCoercionDestination && d.Positive != tt.pos {
					t.Errorf("positive = %v, want %v (%+v)", d.Positive, tt.pos, d)
				}
			}
		})
	}
}

func TestInterviewDraftResumes(t *testing.T) {
	ind := indicators(t)
	iv := interview(t, ind, screen.ChildSexual, "deceptive_recruitment.deceived_nature_job_location")
	if err := iv.Answer(ind, "exploitative_conditions.low_no_salary", screen.No, "says she was paid", now); err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(iv)
	if err != nil {
		t.Fatal(err)
	}
	back, err := screen.ResumeInterview(data, ind)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(iv, back); diff != "" {
		t.Errorf("resumed draft differs (-saved +resumed):\n%s", diff)
	}
	qs := back.Questions(ind)
	if len(qs) == 0 || qs[0].Reply != screen.Yes {
		t.Errorf("questions do not carry the saved replies: %+v", qs[:1])
	}
	r, err := back.Finish(ind, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !back.Complete || !back.UpdatedAt.After(now) {
		t.Errorf("Finish did not close the draft: %+v", back)
	}
	if len(r.Warnings) < 2 || !strings.Contains(r.Warnings[1], "provisionally") {
		t.Errorf("the sexual-exploitation fallback must be shown: %v", r.Warnings)
	}
}

func TestInterviewRejects(t *testing.T) {
	ind := indicators(t)
	iv := interview(t, ind, screen.AdultLabour)
	if err := iv.Answer(ind, "no.such", screen.Yes, "", now); rastro.ErrorCode(err) != rastro.EINVALID {
		t.Errorf("unknown indicator: %v", err)
	}
	if err := iv.Answer(ind, "coercion_at_destination.debt_bondage", "maybe", "", now); rastro.ErrorCode(err) != rastro.EINVALID {
		t.Errorf("bad reply: %v", err)
	}
	if _, err := screen.NewInterview(1, "p", "teen_labour", now); rastro.ErrorCode(err) != rastro.EINVALID {
		t.Errorf("bad profile: %v", err)
	}
	if _, err := screen.ResumeInterview([]byte(`{"version":1,"profile":"adult_labour","answers":{"gone.indicator":"yes"}}`), ind); err == nil {
		t.Error("resumed a draft answering an indicator that no longer exists")
	}
}

func TestParseIndicatorsRejectsBadWeights(t *testing.T) {
	bad := strings.Replace(mustEmbedded(t), `"adult_labour": "S"`, `"adult_labour": "X"`, 1)
	if _, err := screen.ParseIndicators([]byte(bad)); err == nil {
		t.Error("accepted weight X")
	}
}

func mustEmbedded(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("ilo_indicators.UNVERIFIED.json")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestFactsFromInterview(t *testing.T) {
	ind := indicators(t)
	iv := interview(t, ind, screen.ChildSexual, "deceptive_recruitment.deceived_nature_job_location", "exploitative_conditions.excessive_working_days_hours")
	f := screen.FactsFromInterview(ind, iv)
	f.StatedAge = age(15)
	r := screen.Palermo(f)
	if !r.Present || !r.Child || !strings.Contains(r.Summary, "purpose (sexual exploitation)") || !strings.Contains(r.Summary, "act (recruitment)") {
		t.Errorf("child interview: %s", r.Summary)
	}
	for _, e := range r.Elements {
		for _, d := range e.Drivers {
			if !strings.HasPrefix(d.Source, "ilo:") {
				t.Errorf("driver without its question: %+v", d)
			}
		}
	}
	f.StatedAge = age(30)
	f.Answers = f.Answers[:1] // recruitment act only: no purpose
	if r := screen.Palermo(f); r.Present {
		t.Errorf("adult with an act only: %s", r.Summary)
	}
}

func TestILOSummarySpanish(t *testing.T) {
	ind := indicators(t)
	r, err := screen.Score(ind, interview(t, ind, screen.ChildLabour,
		"deceptive_recruitment.deceived_nature_job_location", "deceptive_recruitment.deceived_wages_earnings",
		"exploitative_conditions.excessive_working_days_hours", "exploitative_conditions.low_no_salary"))
	if err != nil {
		t.Fatal(err)
	}
	got := r.SummaryIn(ind, "es")
	if !strings.HasPrefix(got, "Indicadores de trata presentes") || !strings.Contains(got, "Reclutamiento engañoso, Explotación") || !strings.Contains(got, "UNVERIFIED") {
		t.Errorf("es summary %q", got)
	}
}
