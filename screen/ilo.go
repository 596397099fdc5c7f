package screen

import (
	"fmt"
	"slices"
	"strings"
)

// Outcome is the result of an ILO-indicator screening.
type Outcome string

// Outcomes. Present follows the ILO typology's rule for "trafficked";
// Possible means every group the rule needs has at least one indicator but
// not enough to make the dimension positive (a Rastro heuristic that maps
// to the typology's "possibly trafficked", to be reviewed against the ILO
// text); NotPresent otherwise.
const (
	OutcomePresent    Outcome = "indicators_present"
	OutcomePossible   Outcome = "some_indicators_present"
	OutcomeNotPresent Outcome = "indicators_not_present"
)

// WordingPossible is the summary prefix of OutcomePossible.
const WordingPossible = "Some indicators of trafficking present"

// DimensionResult is one dimension's count and whether it is positive.
type DimensionResult struct {
	ID       string   `json:"id"`
	Positive bool     `json:"positive"`
	Strong   int      `json:"strong"`
	Medium   int      `json:"medium"`
	Weak     int      `json:"weak"`
	Drivers  []string `json:"drivers"` // indicator IDs answered yes
}

// ILOResult is the scored interview: which dimensions are positive, the
// case rule applied, which groups are missing, and the data's status and
// source, shown with the result because the weights are UNVERIFIED.
type ILOResult struct {
	Outcome    Outcome           `json:"outcome"`
	Summary    string            `json:"summary"`
	Profile    Profile           `json:"profile"`
	CaseRule   string            `json:"case_rule"`
	Dimensions []DimensionResult `json:"dimensions"`
	Missing    []string          `json:"missing"`
	Unanswered int               `json:"unanswered"`
	DataStatus string            `json:"data_status"`
	Source     string            `json:"source"`
	Warnings   []string          `json:"warnings"`
	Disclaimer string            `json:"disclaimer"`
}

// dimensionPositive applies the ILO dimension rule: at least 2 strong; or
// 1 strong and 1 medium or weak; or 3 medium; or 2 medium and 1 weak.
func dimensionPositive(s, m, w int) bool {
	return s >= 2 || (s >= 1 && m+w >= 1) || m >= 3 || (m >= 2 && w >= 1)
}

// ruleGroups returns the groups of dimensions the case rule needs, one of
// each group: recruitment, exploitation and, for adults, coercion or abuse
// of vulnerability at destination.
func ruleGroups(child bool) [][]string {
	g := [][]string{
		{DimDeceptiveRecruitment, DimCoerciveRecruitment, DimRecruitmentAbuse},
		{DimExploitation},
	}
	if !child {
		g = append(g, []string{DimCoercionDestination, DimAbuseDestination})
	}
	return g
}

// Score scores the interview against ind with the dimension rule and the
// typology's case rule for the interview's profile (adult or child).
func Score(ind *Indicators, iv *Interview) (*ILOResult, error) {
	if ind == nil || iv == nil {
		return nil, fmt.Errorf("score: indicators and interview are required")
	}
	list, warn := ind.listFor(iv.Profile)
	r := &ILOResult{Profile: iv.Profile, DataStatus: ind.Status, Source: ind.Source,
		Disclaimer: Disclaimer, Missing: []string{}, Warnings: []string{}}
	if ind.Status != "VERIFIED" {
		r.Warnings = append(r.Warnings, ind.Warning)
	}
	if warn != "" {
		r.Warnings = append(r.Warnings, warn)
	}
	r.CaseRule = ind.CaseRuleAdult
	if iv.Profile.Child() {
		r.CaseRule = ind.CaseRuleChild
	}
	byID := map[string]DimensionResult{}
	for _, d := range ind.Dimensions {
		dr, unanswered := scoreDimension(d, list, iv.Answers)
		r.Unanswered += unanswered
		r.Dimensions = append(r.Dimensions, dr)
		byID[d.ID] = dr
	}
	r.Outcome, r.Missing = applyCaseRule(byID, iv.Profile.Child())
	r.Summary = iloSummary(r)
	return r, nil
}

// scoreDimension counts the yes answers of d by weight under list.
func scoreDimension(d Dimension, list Profile, answers map[string]Reply) (DimensionResult, int) {
	dr := DimensionResult{ID: d.ID, Drivers: []string{}}
	unanswered := 0
	for _, it := range d.Indicators {
		w, ok := it.weight(list)
		if !ok {
			continue
		}
		switch answers[it.ID] {
		case Yes:
			dr.Drivers = append(dr.Drivers, it.ID)
			switch w {
			case Strong:
				dr.Strong++
			case Medium:
				dr.Medium++
			case Weak:
				dr.Weak++
			}
		case "":
			unanswered++
		}
	}
	dr.Positive = dimensionPositive(dr.Strong, dr.Medium, dr.Weak)
	return dr, unanswered
}

// applyCaseRule returns the outcome and the groups the rule still misses.
func applyCaseRule(dims map[string]DimensionResult, child bool) (Outcome, []string) {
	missing := []string{}
	allTouched := true
	for _, group := range ruleGroups(child) {
		positive, touched := false, false
		for _, id := range group {
			positive = positive || dims[id].Positive
			touched = touched || len(dims[id].Drivers) > 0
		}
		if !positive {
			missing = append(missing, strings.Join(group, " or "))
		}
		allTouched = allTouched && touched
	}
	switch {
	case len(missing) == 0:
		return OutcomePresent, missing
	case allTouched:
		return OutcomePossible, missing
	}
	return OutcomeNotPresent, missing
}

// iloSummary writes the one-line outcome with the positive dimensions.
func iloSummary(r *ILOResult) string {
	var pos []string
	for _, d := range r.Dimensions {
		if d.Positive {
			pos = append(pos, strings.ReplaceAll(d.ID, "_", " "))
		}
	}
	found := "no dimension positive"
	if len(pos) > 0 {
		found = "positive dimensions: " + strings.Join(pos, ", ")
	}
	prefix := map[Outcome]string{OutcomePresent: WordingPresent, OutcomePossible: WordingPossible, OutcomeNotPresent: WordingNotPresent}[r.Outcome]
	s := fmt.Sprintf("%s (ILO indicators, %s; data %s): %s", prefix, strings.ReplaceAll(string(r.Profile), "_", " "), r.DataStatus, found)
	if len(r.Missing) > 0 {
		s += "; not positive: " + strings.Join(slices.Clone(r.Missing), "; ")
	}
	return s + "."
}

// SummaryIn returns the result's summary in lang ("es" for Spanish, English
// otherwise), naming dimensions by their labels in ind.
func (r *ILOResult) SummaryIn(ind *Indicators, lang string) string {
	msg := messages(lang)
	label := map[string]string{}
	for _, d := range ind.Dimensions {
		label[d.ID] = d.Label
		if lang == "es" {
			label[d.ID] = d.LabelES
		}
	}
	var pos []string
	for _, d := range r.Dimensions {
		if d.Positive {
			pos = append(pos, label[d.ID])
		}
	}
	prefix := map[Outcome]string{OutcomePresent: msg["present"], OutcomePossible: msg["some"], OutcomeNotPresent: msg["not_present"]}[r.Outcome]
	words := map[string][2]string{"en": {"ILO indicators", "positive dimensions"}, "es": {"indicadores de la OIT", "dimensiones positivas"}}
	w, ok := words[lang]
	if !ok {
		w = words["en"]
	}
	s := fmt.Sprintf("%s (%s, %s; %s)", prefix, w[0], r.Profile, r.DataStatus)
	if len(pos) > 0 {
		s += ": " + w[1] + ": " + strings.Join(pos, ", ")
	}
	return s + "."
}
