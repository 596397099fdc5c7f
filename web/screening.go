package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/screen"
)

// screeningDraft is what a screening's Interview JSON holds: the ILO
// interview and the Palermo facts the caseworker entered directly (acts,
// means, purposes, age).
type screeningDraft struct {
	ILO   *screen.Interview `json:"ilo"`
	Facts screen.Facts      `json:"facts"`
}

// screeningResult is what a finished screening's Result JSON holds.
type screeningResult struct {
	Palermo screen.PalermoResult `json:"palermo"`
	ILO     *screen.ILOResult    `json:"ilo"`
}

// Sections of the interview page: the Palermo facts, then one per ILO
// dimension, then the result.
const (
	sectionFacts  = "facts"
	sectionResult = "result"
)

// factSource marks Palermo answers the caseworker entered directly.
const factSource = "interview:palermo"

// screeningListView is the data of an entity's screening list page.
type screeningListView struct {
	Entity     *rastro.Entity
	Screenings []*rastro.Screening
	Profiles   []screen.Profile
	Default    screen.Profile
	Error      string
}

// codeOption is one act, means or purpose checkbox.
type codeOption struct {
	Code, Text string
	Checked    bool
}

// sectionLink is one entry of the interview's section navigation.
type sectionLink struct {
	ID, Label string
	Current   bool
}

// screeningView is the data of the interview page.
type screeningView struct {
	Screening *rastro.Screening
	Draft     *screeningDraft
	Section   string
	Sections  []sectionLink
	Next      string
	// Facts section.
	Acts, Means, Purposes []codeOption
	StatedAge             string
	BirthDate, EventDate  string
	// A dimension's section.
	DimensionLabel string
	Questions      []questionView
	// Result section.
	Result *resultView
	Error  string
}

// questionView is one ILO question in the page's language.
type questionView struct {
	ID, Text, Weight, Reply string
}

// resultView is a scored screening in the page's language.
type resultView struct {
	PalermoSummary, PalermoDisclaimer string
	Present, Child, AgeKnown          bool
	Elements                          []elementView
	Missing                           []string
	Notes                             []string
	ILOSummary                        string
	ILOOutcome                        string
	ILODrivers                        []string
	DataStatus, DataWarning, Source   string
	ILODisclaimer                     string
	Unanswered                        int
}

// elementView is one Palermo element with the answers that drove it.
type elementView struct {
	Element  string
	Required bool
	Found    bool
	Drivers  []driverView
}

// driverView is one answer that indicated an element: the code in words and
// the ILO question it came from ("" for facts entered directly).
type driverView struct {
	Code, Source string
}

// renderScreeningPage parses a screening or referral page with the layout
// and renders it.
// These pages are parsed per request; adding "screening" and "referrals" to
// pageNames (render.go) would let them use s.render like the others.
func (s *Server) renderScreeningPage(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	t, err := template.New("layout.html").Funcs(templateFuncs()).ParseFS(templateFS,
		"templates/layout.html", "templates/partials.html", "templates/"+name+".html")
	if err != nil {
		s.fail(w, r, fmt.Errorf("render %s: %w", name, err))
		return
	}
	s.execute(w, r, status, t, "layout.html", data)
}

// screeningsPage lists a (possible) victim's screenings with a form to start
// one. Caseworkers only; the store audits the listing.
func (s *Server) screeningsPage(w http.ResponseWriter, r *http.Request) {
	s.renderScreenings(w, r, http.StatusOK, "")
}

// renderScreenings renders the list page with an optional form error.
func (s *Server) renderScreenings(w http.ResponseWriter, r *http.Request, status int, msg string) {
	e, list, err := victimRecords(r, s.store.Entity, s.store.Screenings)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := screeningListView{Entity: e, Screenings: list, Error: msg,
		Profiles: []screen.Profile{screen.AdultLabour, screen.AdultSexual, screen.ChildLabour, screen.ChildSexual},
		Default:  screen.ProfileFor(e.Minor, false)}
	s.renderScreeningPage(w, r, status, "screening_list", v)
}

// startScreening creates a draft screening with an empty interview of the
// chosen profile and opens its first section.
func (s *Server) startScreening(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "caseID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	entityID := r.PathValue("entityID")
	sc, err := s.newScreening(r, caseID, entityID, screen.Profile(r.PostFormValue("profile")))
	if err == nil {
		err = s.store.CreateScreening(r.Context(), actor(r), sc)
	}
	if err != nil {
		s.formError(w, r, err, func(msg string) { s.renderScreenings(w, r, statusFor(err), msg) })
		return
	}
	http.Redirect(w, r, screeningURL(sc, sectionFacts), http.StatusSeeOther)
}

// newScreening builds a draft screening for the entity.
func (s *Server) newScreening(r *http.Request, caseID int64, entityID string, p screen.Profile) (*rastro.Screening, error) {
	iv, err := screen.NewInterview(caseID, entityID, p, s.screeningNow())
	if err != nil {
		return nil, rastro.Errorf(rastro.EINVALID, "Choose one of the four interview profiles.")
	}
	b, err := json.Marshal(screeningDraft{ILO: iv, Facts: screen.Facts{Answers: []screen.Answer{}}})
	if err != nil {
		return nil, fmt.Errorf("start screening: %w", err)
	}
	return &rastro.Screening{CaseID: caseID, EntityID: entityID, Status: rastro.ScreeningDraft, Interview: b}, nil
}

// screeningNow is the server's clock in UTC.
func (s *Server) screeningNow() time.Time { return s.cfg.Now().UTC() }

// screeningURL is the address of one section of a screening.
func screeningURL(sc *rastro.Screening, section string) string {
	return fmt.Sprintf("/cases/%d/screenings/%d?section=%s", sc.CaseID, sc.ID, section)
}

// loadScreening reads the screening of the path and its draft.
func (s *Server) loadScreening(r *http.Request) (*rastro.Screening, *screeningDraft, *screen.Indicators, error) {
	caseID, err := pathID(r, "caseID")
	if err != nil {
		return nil, nil, nil, err
	}
	id, err := pathID(r, "screeningID")
	if err != nil {
		return nil, nil, nil, err
	}
	sc, err := s.store.Screening(r.Context(), actor(r), caseID, id)
	if err != nil {
		return nil, nil, nil, err
	}
	ind, err := screen.LoadIndicators()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("screening: %w", err)
	}
	d, err := resumeDraft(sc.Interview, ind)
	if err != nil {
		return nil, nil, nil, err
	}
	return sc, d, ind, nil
}

// resumeDraft decodes a saved draft and resumes its interview.
func resumeDraft(data []byte, ind *screen.Indicators) (*screeningDraft, error) {
	var raw struct {
		ILO   json.RawMessage `json:"ilo"`
		Facts screen.Facts    `json:"facts"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("resume screening: %w", err)
	}
	iv, err := screen.ResumeInterview(raw.ILO, ind)
	if err != nil {
		return nil, fmt.Errorf("resume screening: %w", err)
	}
	return &screeningDraft{ILO: iv, Facts: raw.Facts}, nil
}

// screeningPage shows one section of a screening interview, or its result.
func (s *Server) screeningPage(w http.ResponseWriter, r *http.Request) {
	s.renderScreening(w, r, http.StatusOK, r.URL.Query().Get("section"), "")
}

// renderScreening renders a section with an optional form error.
func (s *Server) renderScreening(w http.ResponseWriter, r *http.Request, status int, section, msg string) {
	sc, d, ind, err := s.loadScreening(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang := reqInfo(r).lang
	v := screeningView{Screening: sc, Draft: d, Error: msg}
	s.fillSection(&v, ind, lang, section)
	s.renderScreeningPage(w, r, status, "screening", v)
}

// sectionIDs lists the sections in order: facts, the profile's dimensions, result.
func sectionIDs(ind *screen.Indicators, iv *screen.Interview) []string {
	ids := []string{sectionFacts}
	for _, dim := range ind.Dimensions {
		if slices.ContainsFunc(iv.Questions(ind), func(q screen.Question) bool { return q.Dimension == dim.ID }) {
			ids = append(ids, dim.ID)
		}
	}
	return append(ids, sectionResult)
}

// fillSection fills v for section (the facts when unknown) in lang.
func (s *Server) fillSection(v *screeningView, ind *screen.Indicators, lang, section string) {
	ids := sectionIDs(ind, v.Draft.ILO)
	if !slices.Contains(ids, section) || section == sectionResult && v.Screening.Status != rastro.ScreeningFinal {
		section = sectionFacts
	}
	v.Section = section
	for i, id := range ids {
		v.Sections = append(v.Sections, sectionLink{ID: id, Label: sectionLabel(ind, id, lang), Current: id == section})
		if id == section && i+1 < len(ids) {
			v.Next = ids[i+1]
		}
	}
	switch section {
	case sectionFacts:
		fillFacts(v, lang)
	case sectionResult:
		v.Result = buildResult(ind, v.Draft, lang)
	default:
		v.DimensionLabel = sectionLabel(ind, section, lang)
		for _, q := range v.Draft.ILO.Questions(ind) {
			if q.Dimension == section {
				text := q.Text
				if lang == "es" && q.TextES != "" {
					text = q.TextES
				}
				v.Questions = append(v.Questions, questionView{ID: q.ID, Text: text, Weight: string(q.Weight), Reply: string(q.Reply)})
			}
		}
	}
}

// sectionLabel names a section: "" for facts and result (the template uses
// the catalog), the dimension's label otherwise.
func sectionLabel(ind *screen.Indicators, id, lang string) string {
	for _, d := range ind.Dimensions {
		if d.ID == id {
			if lang == "es" && d.LabelES != "" {
				return d.LabelES
			}
			return d.Label
		}
	}
	return ""
}

// elementCodes are the codes offered for each Palermo element.
func elementCodes() map[screen.Element][]string {
	return map[screen.Element][]string{
		screen.ElementAct: {screen.ActRecruitment, screen.ActTransportation, screen.ActTransfer, screen.ActHarbouring, screen.ActReceipt},
		screen.ElementMeans: {screen.MeansThreat, screen.MeansForce, screen.MeansCoercion, screen.MeansAbduction, screen.MeansFraud,
			screen.MeansDeception, screen.MeansAbuseOfPower, screen.MeansPaymentToCtrl},
		screen.ElementPurpose: {screen.PurposeSexual, screen.PurposeForcedLabour, screen.PurposeSlavery, screen.PurposeServitude,
			screen.PurposeOrgans, screen.PurposeBegging, screen.PurposeCriminality, screen.PurposeMarriage, screen.PurposeAdoption,
			screen.PurposeChildLabour, screen.PurposeSurrogacy, screen.PurposeMilitary},
	}
}

// fillFacts fills the facts section from the draft.
func fillFacts(v *screeningView, lang string) {
	f := v.Draft.Facts
	opts := func(el screen.Element) []codeOption {
		var out []codeOption
		for _, c := range elementCodes()[el] {
			checked := slices.Contains(f.Answers, screen.Answer{Element: el, Code: c, Source: factSource})
			out = append(out, codeOption{Code: c, Text: codeText(c, lang), Checked: checked})
		}
		return out
	}
	v.Acts, v.Means, v.Purposes = opts(screen.ElementAct), opts(screen.ElementMeans), opts(screen.ElementPurpose)
	if f.StatedAge != nil {
		v.StatedAge = strconv.Itoa(*f.StatedAge)
	}
	v.BirthDate, v.EventDate = dateOnly(f.BirthDate), dateOnly(f.EventDate)
}

// codeText renders an element code in lang, through the screen package's
// own words (a one-element summary carries them).
func codeText(code, lang string) string {
	for el, codes := range elementCodes() {
		if slices.Contains(codes, code) {
			r := screen.Palermo(screen.Facts{Answers: []screen.Answer{{Element: el, Code: code}}})
			sum, _ := r.SummaryIn(lang)
			if i, j := strings.LastIndex(sum, "("), strings.LastIndex(sum, ")"); i >= 0 && j > i {
				return sum[i+1 : j]
			}
		}
	}
	return strings.ReplaceAll(code, "_", " ")
}

// dateOnly formats a date for an <input type="date">.
func dateOnly(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// combinedFacts are the Palermo facts of a draft: those entered directly
// and those the ILO interview's yes-answers indicate, with the age entered.
func combinedFacts(ind *screen.Indicators, d *screeningDraft) screen.Facts {
	f := screen.FactsFromInterview(ind, d.ILO)
	f.Answers = append(slices.Clone(d.Facts.Answers), f.Answers...)
	f.BirthDate, f.EventDate, f.StatedAge = d.Facts.BirthDate, d.Facts.EventDate, d.Facts.StatedAge
	return f
}

// buildResult scores the draft and words the result in lang.
func buildResult(ind *screen.Indicators, d *screeningDraft, lang string) *resultView {
	p := screen.Palermo(combinedFacts(ind, d))
	rv := &resultView{Present: p.Present, Child: p.Child, AgeKnown: p.AgeKnown, Notes: p.Notes}
	rv.PalermoSummary, rv.PalermoDisclaimer = p.SummaryIn(lang)
	for _, e := range p.Elements {
		ev := elementView{Element: string(e.Element), Required: e.Required, Found: e.Found}
		for _, a := range e.Drivers {
			ev.Drivers = append(ev.Drivers, driverView{Code: codeText(a.Code, lang), Source: driverSource(ind, a.Source, lang)})
		}
		rv.Elements = append(rv.Elements, ev)
	}
	for _, m := range p.Missing {
		rv.Missing = append(rv.Missing, string(m))
	}
	ilo, err := screen.Score(ind, d.ILO)
	if err != nil {
		return rv
	}
	rv.ILOSummary, rv.ILOOutcome = ilo.SummaryIn(ind, lang), string(ilo.Outcome)
	rv.DataStatus, rv.DataWarning, rv.Source = ilo.DataStatus, ind.Warning, ilo.Source
	rv.ILODisclaimer, rv.Unanswered = ilo.Disclaimer, ilo.Unanswered
	for _, dim := range ilo.Dimensions {
		for _, id := range dim.Drivers {
			rv.ILODrivers = append(rv.ILODrivers, indicatorText(ind, id, lang))
		}
	}
	return rv
}

// driverSource words where an answer came from: an ILO question's text in
// lang, or "" for the facts the caseworker entered (the template words it).
func driverSource(ind *screen.Indicators, source, lang string) string {
	if id, ok := strings.CutPrefix(source, "ilo:"); ok {
		return indicatorText(ind, id, lang)
	}
	if source == factSource {
		return ""
	}
	return source
}

// indicatorText returns an indicator's text in lang.
func indicatorText(ind *screen.Indicators, id, lang string) string {
	for _, d := range ind.Dimensions {
		for _, it := range d.Indicators {
			if it.ID == id {
				return it.Text(lang)
			}
		}
	}
	return id
}

// saveScreening stores the posted section's answers and, on "finish", scores
// the screening and marks it final.
func (s *Server) saveScreening(w http.ResponseWriter, r *http.Request) {
	sc, d, ind, err := s.loadScreening(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	section := r.PostFormValue("section")
	if err := applySection(r, ind, d, section, s.screeningNow()); err != nil {
		s.formError(w, r, err, func(msg string) { s.renderScreening(w, r, statusFor(err), section, msg) })
		return
	}
	action := r.PostFormValue("action")
	if err := s.storeDraft(r, sc, d, ind, action == "finish"); err != nil {
		s.formError(w, r, err, func(msg string) { s.renderScreening(w, r, statusFor(err), section, msg) })
		return
	}
	next := section
	switch action {
	case "finish":
		next = sectionResult
	case "next":
		next = r.PostFormValue("next")
	}
	http.Redirect(w, r, screeningURL(sc, next), http.StatusSeeOther)
}

// applySection records the posted answers of one section in d.
func applySection(r *http.Request, ind *screen.Indicators, d *screeningDraft, section string, now time.Time) error {
	if section == sectionFacts {
		return applyFacts(r, d)
	}
	for _, q := range d.ILO.Questions(ind) {
		if q.Dimension != section {
			continue
		}
		reply := screen.Reply(r.PostFormValue("q." + q.ID))
		if reply == "" {
			continue
		}
		if err := d.ILO.Answer(ind, q.ID, reply, "", now); err != nil {
			return rastro.Errorf(rastro.EINVALID, "Answer yes, no or unknown.")
		}
	}
	return nil
}

// applyFacts records the posted acts, means, purposes and age.
func applyFacts(r *http.Request, d *screeningDraft) error {
	var answers []screen.Answer
	for el, codes := range elementCodes() {
		for _, c := range r.PostForm[string(el)] {
			if !slices.Contains(codes, c) {
				return rastro.Errorf(rastro.EINVALID, "%q is not a %s of the Palermo definition.", c, el)
			}
			answers = append(answers, screen.Answer{Element: el, Code: c, Source: factSource})
		}
	}
	slices.SortFunc(answers, func(a, b screen.Answer) int {
		return strings.Compare(string(a.Element)+a.Code, string(b.Element)+b.Code)
	})
	f := screen.Facts{Answers: answers}
	if v := strings.TrimSpace(r.PostFormValue("stated_age")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 120 {
			return rastro.Errorf(rastro.EINVALID, "The age at the time must be a whole number of years.")
		}
		f.StatedAge = &n
	}
	var err error
	if f.BirthDate, err = formDate(r, "birth_date"); err != nil {
		return err
	}
	if f.EventDate, err = formDate(r, "event_date"); err != nil {
		return err
	}
	if f.Answers == nil {
		f.Answers = []screen.Answer{}
	}
	d.Facts = f
	return nil
}

// formDate parses an optional YYYY-MM-DD form field.
func formDate(r *http.Request, name string) (time.Time, error) {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, rastro.Errorf(rastro.EINVALID, "Dates are written YYYY-MM-DD, not %q.", truncate(v, 20))
	}
	return t, nil
}

// storeDraft saves the draft; finish also scores it and marks it final.
func (s *Server) storeDraft(r *http.Request, sc *rastro.Screening, d *screeningDraft, ind *screen.Indicators, finish bool) error {
	if finish {
		ilo, err := d.ILO.Finish(ind, s.screeningNow())
		if err != nil {
			return fmt.Errorf("finish screening: %w", err)
		}
		res, err := json.Marshal(screeningResult{Palermo: screen.Palermo(combinedFacts(ind, d)), ILO: ilo})
		if err != nil {
			return fmt.Errorf("finish screening: %w", err)
		}
		sc.Status, sc.Result = rastro.ScreeningFinal, res
	}
	b, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("save screening: %w", err)
	}
	sc.Interview = b
	return s.store.SaveScreening(r.Context(), actor(r), sc)
}

// apiScreenings lists a (possible) victim's screenings (caseworkers; audited).
func (s *Server) apiScreenings(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "caseID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.store.Screenings(r.Context(), actor(r), caseID, r.PathValue("entityID"))
	if list == nil {
		list = []*rastro.Screening{}
	}
	s.respond(w, r, http.StatusOK, list, err)
}

// apiScreening returns one screening with its interview and result (audited).
func (s *Server) apiScreening(w http.ResponseWriter, r *http.Request) {
	sc, _, _, err := s.loadScreening(r)
	s.respond(w, r, http.StatusOK, sc, err)
}
