package screen

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/rastro/rastro"
)

// Reply is a caseworker's answer to one indicator question.
type Reply string

// Replies. Unknown and an absent answer both count as "not indicated".
const (
	Yes     Reply = "yes"
	No      Reply = "no"
	Unknown Reply = "unknown"
)

// InterviewVersion is the format version of a saved interview.
const InterviewVersion = 1

// Interview is a structured ILO-indicator interview with one possible
// victim. It is a plain value: save it as JSON (a draft) and resume it later
// with ResumeInterview.
type Interview struct {
	Version   int               `json:"version"`
	CaseID    int64             `json:"case_id"`
	PersonID  string            `json:"person_id"` // entity ID, never a name
	Profile   Profile           `json:"profile"`
	Answers   map[string]Reply  `json:"answers"`
	Notes     map[string]string `json:"notes,omitempty"`
	Complete  bool              `json:"complete"`
	StartedAt time.Time         `json:"started_at"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// Question is one indicator as the interview shows it.
type Question struct {
	ID        string `json:"id"`
	Dimension string `json:"dimension"`
	Text      string `json:"text"`
	TextES    string `json:"text_es"`
	Weight    Weight `json:"weight"`
	Reply     Reply  `json:"reply,omitempty"`
}

// NewInterview starts an empty interview draft.
func NewInterview(caseID int64, personID string, p Profile, now time.Time) (*Interview, error) {
	if !validProfile(p) {
		return nil, rastro.Errorf(rastro.EINVALID, "interview: unknown profile %q: use adult_labour, child_labour, adult_sexual or child_sexual", p)
	}
	return &Interview{Version: InterviewVersion, CaseID: caseID, PersonID: personID, Profile: p,
		Answers: map[string]Reply{}, StartedAt: now, UpdatedAt: now}, nil
}

// ResumeInterview reads a saved interview and checks it against ind: every
// answered indicator must still exist (after a correction of the data file,
// an unknown ID is reported rather than silently dropped).
func ResumeInterview(data []byte, ind *Indicators) (*Interview, error) {
	var iv Interview
	if err := json.Unmarshal(data, &iv); err != nil {
		return nil, rastro.Errorf(rastro.EINVALID, "interview: not a saved interview: %v", err)
	}
	if iv.Version != InterviewVersion {
		return nil, rastro.Errorf(rastro.EINVALID, "interview: format version %d, want %d", iv.Version, InterviewVersion)
	}
	if !validProfile(iv.Profile) {
		return nil, rastro.Errorf(rastro.EINVALID, "interview: unknown profile %q", iv.Profile)
	}
	if iv.Answers == nil {
		iv.Answers = map[string]Reply{}
	}
	for id, r := range iv.Answers {
		if err := checkAnswer(ind, id, r); err != nil {
			return nil, err
		}
	}
	return &iv, nil
}

// Answer records a reply (and an optional note) to the indicator id.
func (iv *Interview) Answer(ind *Indicators, id string, r Reply, note string, now time.Time) error {
	if err := checkAnswer(ind, id, r); err != nil {
		return err
	}
	iv.Answers[id] = r
	if note != "" {
		if iv.Notes == nil {
			iv.Notes = map[string]string{}
		}
		iv.Notes[id] = note
	}
	iv.UpdatedAt = now
	return nil
}

// Questions lists the questions of the interview's profile in order, with
// the replies given so far. Indicators absent from the profile's list are
// left out.
func (iv *Interview) Questions(ind *Indicators) []Question {
	list, _ := ind.listFor(iv.Profile)
	var qs []Question
	for _, d := range ind.Dimensions {
		for _, it := range d.Indicators {
			if w, ok := it.weight(list); ok {
				qs = append(qs, Question{ID: it.ID, Dimension: d.ID, Text: it.Indicator, TextES: it.IndicatorES, Weight: w, Reply: iv.Answers[it.ID]})
			}
		}
	}
	return qs
}

// checkAnswer validates an indicator ID and a reply.
func checkAnswer(ind *Indicators, id string, r Reply) error {
	if r != Yes && r != No && r != Unknown {
		return rastro.Errorf(rastro.EINVALID, "interview: reply %q to %s: use yes, no or unknown", r, id)
	}
	for _, d := range ind.Dimensions {
		for _, it := range d.Indicators {
			if it.ID == id {
				return nil
			}
		}
	}
	return rastro.Errorf(rastro.EINVALID, "interview: no indicator %q in the indicator data", id)
}

// validProfile reports whether p is one of the four profiles.
func validProfile(p Profile) bool {
	return p == AdultLabour || p == ChildLabour || p == AdultSexual || p == ChildSexual
}

// String describes the interview without personal data.
func (iv *Interview) String() string {
	return fmt.Sprintf("interview case %d person %s (%s, %d answers)", iv.CaseID, iv.PersonID, iv.Profile, len(iv.Answers))
}

// Finish marks the interview complete and scores it. A complete interview
// can still be resumed and corrected; Complete only tells the UI it was
// closed by the caseworker.
func (iv *Interview) Finish(ind *Indicators, now time.Time) (*ILOResult, error) {
	r, err := Score(ind, iv)
	if err != nil {
		return nil, err
	}
	iv.Complete, iv.UpdatedAt = true, now
	return r, nil
}
