package screen

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Element is one element of the Palermo Protocol definition (Art. 3(a)).
type Element string

// The three elements.
const (
	ElementAct     Element = "act"
	ElementMeans   Element = "means"
	ElementPurpose Element = "purpose"
)

// Acts, means and purposes: the codes an Answer may carry.
const (
	ActRecruitment    = "recruitment"
	ActTransportation = "transportation"
	ActTransfer       = "transfer"
	ActHarbouring     = "harbouring"
	ActReceipt        = "receipt"

	MeansThreat        = "threat"
	MeansForce         = "force"
	MeansCoercion      = "coercion"
	MeansAbduction     = "abduction"
	MeansFraud         = "fraud"
	MeansDeception     = "deception"
	MeansAbuseOfPower  = "abuse_of_power_or_vulnerability"
	MeansPaymentToCtrl = "payment_to_person_in_control"

	PurposeSexual       = "sexual_exploitation"
	PurposeForcedLabour = "forced_labour_or_services"
	PurposeSlavery      = "slavery_or_similar_practices"
	PurposeServitude    = "servitude"
	PurposeOrgans       = "removal_of_organs"
	PurposeBegging      = "forced_begging"
	PurposeCriminality  = "forced_criminality"
	PurposeMarriage     = "forced_marriage"
	PurposeAdoption     = "illegal_adoption"
	PurposeChildLabour  = "worst_forms_of_child_labour"
	PurposeSurrogacy    = "forced_surrogacy"
	PurposeMilitary     = "forced_military_service"
)

// elementCodes lists the codes each element accepts.
func elementCodes() map[Element][]string {
	return map[Element][]string{
		ElementAct: {ActRecruitment, ActTransportation, ActTransfer, ActHarbouring, ActReceipt},
		ElementMeans: {MeansThreat, MeansForce, MeansCoercion, MeansAbduction, MeansFraud,
			MeansDeception, MeansAbuseOfPower, MeansPaymentToCtrl},
		ElementPurpose: {PurposeSexual, PurposeForcedLabour, PurposeSlavery, PurposeServitude,
			PurposeOrgans, PurposeBegging, PurposeCriminality, PurposeMarriage, PurposeAdoption,
			PurposeChildLabour, PurposeSurrogacy, PurposeMilitary},
	}
}

// Answer is one recorded fact that indicates an element, with where it came
// from (an HTCDS field and value, or an interview question).
type Answer struct {
	Element Element `json:"element"`
	Code    string  `json:"code"`
	Source  string  `json:"source"` // e.g. "vic_MethodsOfControl=FalsePromises"
}

// Facts are the inputs of the Palermo rule.
type Facts struct {
	Answers   []Answer  `json:"answers"`
	BirthDate time.Time `json:"birth_date,omitzero"`
	EventDate time.Time `json:"event_date,omitzero"`  // the first event (recruitment), for the age
	StatedAge *int      `json:"stated_age,omitempty"` // age at the time of the events, as stated
	Notes     []string  `json:"notes,omitempty"`      // answers that could not be mapped, for review
}

// ElementResult says whether an element is indicated and by which answers.
type ElementResult struct {
	Element  Element  `json:"element"`
	Required bool     `json:"required"`
	Found    bool     `json:"found"`
	Drivers  []Answer `json:"drivers"`
}

// PalermoResult is the outcome of the Palermo rule: indicators present or
// not present, with the answers that drove it. Never a legal determination.
type PalermoResult struct {
	Present    bool            `json:"present"`
	Summary    string          `json:"summary"`
	Rule       string          `json:"rule"`
	Child      bool            `json:"child"`
	AgeKnown   bool            `json:"age_known"`
	Age        int             `json:"age,omitempty"`
	AgeSource  string          `json:"age_source,omitempty"`
	Elements   []ElementResult `json:"elements"`
	Missing    []Element       `json:"missing"`
	Notes      []string        `json:"notes,omitempty"`
	Disclaimer string          `json:"disclaimer"`
}

// Wording of results: a screening outcome, never a legal determination.
const (
	WordingPresent    = "Indicators of trafficking present"
	WordingNotPresent = "Indicators of trafficking not present"
	Disclaimer        = "Screening aid only: this is not a legal determination of victim status or of any offence. A competent authority decides; the person is entitled to assistance and protection meanwhile."
	ruleAdult         = "adult: act AND means AND purpose (Palermo Protocol Art. 3(a))"
	ruleChild         = "child (under 18 at the time of the events): act AND purpose suffice (Palermo Protocol Art. 3(c))"
)

// Palermo applies the Palermo Protocol rule to f: for an adult an act, a
// means and a purpose must all be indicated; for a child (under 18 at the
// time of the events, from the birth date or the stated age) an act and a
// purpose suffice. When the age is unknown the adult rule applies and a note
// says what the child rule would give.
func Palermo(f Facts) PalermoResult {
	age, known, source := ageOf(f)
	r := PalermoResult{AgeKnown: known, Age: age, AgeSource: source, Child: known && age < 18,
		Notes: slices.Clone(f.Notes), Disclaimer: Disclaimer, Missing: []Element{}}
	r.Rule = ruleAdult
	if r.Child {
		r.Rule = ruleChild
	}
	r.Present = true
	for _, el := range []Element{ElementAct, ElementMeans, ElementPurpose} {
		er := ElementResult{Element: el, Required: el != ElementMeans || !r.Child, Drivers: drivers(f.Answers, el)}
		er.Found = len(er.Drivers) > 0
		if er.Required && !er.Found {
			r.Present = false
			r.Missing = append(r.Missing, el)
		}
		r.Elements = append(r.Elements, er)
	}
	if !known && !r.Present && slices.Equal(r.Missing, []Element{ElementMeans}) {
		r.Notes = append(r.Notes, "Age unknown: if the person was under 18 at the time of the events, act and purpose would suffice and indicators would be present. Record the birth date or the age.")
	}
	r.Summary = summary(r)
	return r
}

// drivers returns the valid answers for el, without duplicates.
func drivers(answers []Answer, el Element) []Answer {
	valid := elementCodes()[el]
	out := []Answer{}
	for _, a := range answers {
		if a.Element == el && slices.Contains(valid, a.Code) && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// ageOf returns the age at the time of the events and where it came from.
// A birth date and an event date take precedence over a stated age.
func ageOf(f Facts) (int, bool, string) {
	if !f.BirthDate.IsZero() && !f.EventDate.IsZero() {
		return yearsBetween(f.BirthDate, f.EventDate), true, "birth date " + f.BirthDate.Format(time.DateOnly) + " and event date " + f.EventDate.Format(time.DateOnly)
	}
	if f.StatedAge != nil && *f.StatedAge >= 0 {
		return *f.StatedAge, true, "stated age"
	}
	return 0, false, ""
}

// yearsBetween returns the whole years from birth to t.
func yearsBetween(birth, t time.Time) int {
	age := t.Year() - birth.Year()
	if t.Month() < birth.Month() || (t.Month() == birth.Month() && t.Day() < birth.Day()) {
		age--
	}
	return age
}

// summary writes the one-line outcome with its reasons, in English.
func summary(r PalermoResult) string { return summaryIn(r, "en") }

// summaryIn writes the one-line outcome with its reasons in lang.
func summaryIn(r PalermoResult, lang string) string {
	msg := messages(lang)
	var parts []string
	for _, e := range r.Elements {
		if e.Found {
			parts = append(parts, fmt.Sprintf("%s (%s)", msg[string(e.Element)], codesOf(e.Drivers, lang)))
		}
	}
	found := msg["none"]
	if len(parts) > 0 {
		found = strings.Join(parts, ", ") + " " + msg["indicated"]
	}
	rule := msg["adult_rule"]
	if r.Child {
		rule = fmt.Sprintf(msg["child_rule"], r.Age)
	}
	if r.Present {
		return fmt.Sprintf("%s (%s): %s.", msg["present"], rule, found)
	}
	missing := make([]string, len(r.Missing))
	for i, m := range r.Missing {
		missing[i] = msg[string(m)]
	}
	return fmt.Sprintf("%s (%s): %s; %s.", msg["not_present"], rule, fmt.Sprintf(msg["no_indicator"], strings.Join(missing, msg["or"])), found)
}

// codesOf lists the distinct codes of answers, readable in lang.
func codesOf(answers []Answer, lang string) string {
	var codes []string
	for _, a := range answers {
		c := codeText(a.Code, lang)
		if !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	return strings.Join(codes, ", ")
}
