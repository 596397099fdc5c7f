package screen

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

// iloData is the ILO/EC Delphi indicator list, kept as data so that its
// weights can be corrected without touching code. Its status is UNVERIFIED
// until every weight has been checked against the ILO publication.
//
//go:embed ilo_indicators.UNVERIFIED.json
var iloData string

// Profile selects one of the four ILO lists: adult or child, labour or
// sexual exploitation.
type Profile string

// The four profiles.
const (
	AdultLabour Profile = "adult_labour"
	ChildLabour Profile = "child_labour"
	AdultSexual Profile = "adult_sexual"
	ChildSexual Profile = "child_sexual"
)

// ProfileFor returns the profile for a child or adult and sexual or labour
// exploitation.
func ProfileFor(child, sexual bool) Profile {
	switch {
	case child && sexual:
		return ChildSexual
	case child:
		return ChildLabour
	case sexual:
		return AdultSexual
	}
	return AdultLabour
}

// Child reports whether p is one of the children's lists.
func (p Profile) Child() bool { return p == ChildLabour || p == ChildSexual }

// Weight is an indicator's weight in a list: S (strong), M (medium), W (weak).
type Weight string

// Weights.
const (
	Strong Weight = "S"
	Medium Weight = "M"
	Weak   Weight = "W"
)

// Indicator is one operational indicator with its weight per list; a list
// without the indicator has no entry (or null in the data file).
type Indicator struct {
	ID          string              `json:"id"`
	Indicator   string              `json:"indicator"`
	IndicatorES string              `json:"indicator_es"` // Rastro's Spanish rendering
	Weights     map[Profile]*Weight `json:"weights"`
}

// Text returns the indicator's name in lang ("es" or English).
func (it Indicator) Text(lang string) string {
	if lang == "es" && it.IndicatorES != "" {
		return it.IndicatorES
	}
	return it.Indicator
}

// Dimension is one of the six ILO dimensions (deceptive recruitment, ...).
type Dimension struct {
	ID         string      `json:"id"`
	Label      string      `json:"label"`
	LabelES    string      `json:"label_es"`
	Stage      string      `json:"stage"` // recruitment, exploitation, destination
	Indicators []Indicator `json:"indicators"`
}

// Indicators is the whole data file: the lists, their source and status.
type Indicators struct {
	Status        string              `json:"status"` // UNVERIFIED or VERIFIED
	Warning       string              `json:"warning"`
	Source        string              `json:"source"`
	License       string              `json:"license"`
	Provenance    string              `json:"provenance"`
	DimensionRule string              `json:"dimension_rule"`
	CaseRuleAdult string              `json:"case_rule_adult"`
	CaseRuleChild string              `json:"case_rule_child"`
	Lists         map[Profile]string  `json:"lists"`
	Fallback      map[Profile]Profile `json:"fallback"`
	Dimensions    []Dimension         `json:"dimensions"`
}

// The six dimension IDs the scoring rules refer to.
const (
	DimDeceptiveRecruitment = "deceptive_recruitment"
	DimCoerciveRecruitment  = "coercive_recruitment"
	DimRecruitmentAbuse     = "recruitment_abuse_of_vulnerability"
	DimExploitation         = "exploitative_conditions"
	DimCoercionDestination  = "coercion_at_destination"
	DimAbuseDestination     = "abuse_of_vulnerability_at_destination"
)

// LoadIndicators returns the embedded ILO indicator data.
func LoadIndicators() (*Indicators, error) {
	return ParseIndicators([]byte(iloData))
}

// ParseIndicators reads an indicator file (the embedded one or a corrected
// copy) and checks that the scoring rules can use it: the six dimensions,
// unique indicator IDs, weights S, M or W.
func ParseIndicators(data []byte) (*Indicators, error) {
	var ind Indicators
	if err := json.Unmarshal(data, &ind); err != nil {
		return nil, fmt.Errorf("indicators: %w", err)
	}
	if ind.Source == "" || ind.Status == "" {
		return nil, fmt.Errorf("indicators: the file must name its source and status")
	}
	seen := map[string]bool{}
	dims := map[string]bool{}
	for _, d := range ind.Dimensions {
		dims[d.ID] = true
		for _, it := range d.Indicators {
			if seen[it.ID] || it.ID == "" {
				return nil, fmt.Errorf("indicators: duplicate or empty indicator id %q", it.ID)
			}
			seen[it.ID] = true
			for p, w := range it.Weights {
				if w != nil && *w != Strong && *w != Medium && *w != Weak {
					return nil, fmt.Errorf("indicators: %s: weight %q for %s: use S, M, W or null", it.ID, *w, p)
				}
			}
		}
	}
	for _, d := range []string{DimDeceptiveRecruitment, DimCoerciveRecruitment, DimRecruitmentAbuse, DimExploitation, DimCoercionDestination, DimAbuseDestination} {
		if !dims[d] {
			return nil, fmt.Errorf("indicators: dimension %q missing", d)
		}
	}
	return &ind, nil
}

// listFor returns the list whose weights apply to p, and a warning when a
// fallback list stands in for a missing one.
func (ind *Indicators) listFor(p Profile) (Profile, string) {
	if fb, ok := ind.Fallback[p]; ok {
		return fb, fmt.Sprintf("The %s list is not in the data (%s); the %s weights are used provisionally.", p, ind.Lists[p], fb)
	}
	return p, ""
}

// weight returns the weight of it under list p, false when absent.
func (it Indicator) weight(p Profile) (Weight, bool) {
	w := it.Weights[p]
	if w == nil {
		return "", false
	}
	return *w, true
}
