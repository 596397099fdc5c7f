package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/rastro/rastro"
)

// findingsView is the findings page's data.
type findingsView struct {
	CaseID   int64
	Kind     string
	Triage   string
	Kinds    []string // every kind in the case, for the filter
	Total    int
	Findings []*rastro.Finding
	Entities map[string]*rastro.Entity // entities the shown findings name
	Money    map[int64]*moneyFinding   // the shown money findings, with payments and holders
	Prev     string
	Next     string
	Back     string // the filter's query, for the triage forms to return to
	Error    string
}

// findingsPageSize is how many findings one page shows.
const findingsPageSize = 50

// findingsPage lists a case's findings, most severe first, filtered by kind
// and triage state, each with its entities and a triage form.
func (s *Server) findingsPage(w http.ResponseWriter, r *http.Request) {
	s.renderFindings(w, r, http.StatusOK, "")
}

// renderFindings renders the findings page with an optional form error.
func (s *Server) renderFindings(w http.ResponseWriter, r *http.Request, status int, msg string) {
	id, _ := pathID(r, "caseID")
	all, err := s.store.Findings(r.Context(), actor(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	v := findingsView{CaseID: id, Kind: q.Get("kind"), Triage: q.Get("triage"), Error: msg}
	v.Back = filterQuery(v.Kind, v.Triage)
	offset, _ := queryInt(r, "offset")
	var matched []*rastro.Finding
	for _, f := range all {
		if !slices.Contains(v.Kinds, f.Kind) {
			v.Kinds = append(v.Kinds, f.Kind)
		}
		if (v.Kind == "" || f.Kind == v.Kind) && (v.Triage == "" || string(f.Triage) == v.Triage) {
			matched = append(matched, f)
		}
	}
	slices.Sort(v.Kinds)
	v.Total = len(matched)
	v.Findings = matched[min(offset, len(matched)):min(offset+findingsPageSize, len(matched))]
	if offset > 0 {
		v.Prev = findingsPageURL(r, max(0, offset-findingsPageSize))
	}
	if offset+len(v.Findings) < v.Total {
		v.Next = findingsPageURL(r, offset+findingsPageSize)
	}
	if v.Entities, err = s.findingEntities(r, id, v.Findings); err != nil {
		s.fail(w, r, err)
		return
	}
	if v.Money, err = s.moneyFindings(r, id, v.Findings); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "findings", "", v)
}

// filterQuery encodes the findings filter as a query string.
func filterQuery(kind, triage string) string {
	q := url.Values{}
	if kind != "" {
		q.Set("kind", kind)
	}
	if triage != "" {
		q.Set("triage", triage)
	}
	return q.Encode()
}

// findingsPageURL is the findings URL at another offset.
func findingsPageURL(r *http.Request, offset int) string {
	q := url.Values{}
	for _, k := range []string{"kind", "triage"} {
		if v := r.URL.Query().Get(k); v != "" {
			q.Set(k, v)
		}
	}
	q.Set("offset", strconv.Itoa(offset))
	return r.URL.Path + "?" + q.Encode()
}

// findingEntities loads the caption and case role of every entity the
// findings name (entitiesNamed).
func (s *Server) findingEntities(r *http.Request, caseID int64, fs []*rastro.Finding) (map[string]*rastro.Entity, error) {
	want := map[string]bool{}
	for _, f := range fs {
		for _, id := range f.EntityIDs {
			want[id] = true
		}
	}
	return s.entitiesNamed(r, caseID, want)
}

// entitiesNamed loads the caption and case role of the wanted entities from
// the entity list: listing is not opening, so showing them writes no view
// audit events, and the store's redaction of protected people (pseudonyms)
// applies as in every list. It reads at most maxEntityScan entities; names
// not found are shown by id.
func (s *Server) entitiesNamed(r *http.Request, caseID int64, want map[string]bool) (map[string]*rastro.Entity, error) {
	out := map[string]*rastro.Entity{}
	for off := 0; len(out) < len(want) && off < maxEntityScan; off += entityScanPage {
		list, total, err := s.store.Entities(r.Context(), actor(r), caseID, rastro.EntityFilter{Offset: off, Limit: entityScanPage})
		if err != nil {
			return nil, err
		}
		for _, e := range list {
			if want[e.ID] {
				out[e.ID] = e
			}
		}
		if off+len(list) >= total || len(list) == 0 {
			break
		}
	}
	return out, nil
}

// Bounds of the entity scan behind the findings page.
const (
	entityScanPage = 1000
	maxEntityScan  = 50000
)

// setTriageForm changes a finding's triage state from the findings page.
func (s *Server) setTriageForm(w http.ResponseWriter, r *http.Request) {
	_, err := s.setTriage(r, rastro.Triage(r.PostFormValue("triage")))
	if err != nil {
		s.formError(w, r, err, func(msg string) { s.renderFindings(w, r, statusFor(err), msg) })
		return
	}
	id, _ := pathID(r, "caseID")
	next := fmt.Sprintf("/cases/%d/findings", id)
	if v, err := url.ParseQuery(r.PostFormValue("back")); err == nil && len(v) > 0 {
		next += "?" + filterQuery(v.Get("kind"), v.Get("triage"))
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// triageInput is the body of PATCH /api/v1/cases/{caseID}/findings/{findingID}.
type triageInput struct {
	Triage rastro.Triage `json:"triage"`
}

// apiSetTriage changes a finding's triage state and returns the finding.
func (s *Server) apiSetTriage(w http.ResponseWriter, r *http.Request) {
	var in triageInput
	if err := decodeJSON(w, r, &in, maxBody); err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := s.setTriage(r, in.Triage)
	s.respond(w, r, http.StatusOK, f, err)
}

// setTriage sets the triage state of the path's finding, audits the change
// (the store does not) and returns the finding as stored.
func (s *Server) setTriage(r *http.Request, t rastro.Triage) (*rastro.Finding, error) {
	caseID, err := pathID(r, "caseID")
	if err != nil {
		return nil, err
	}
	id, err := pathID(r, "findingID")
	if err != nil {
		return nil, err
	}
	if t != rastro.TriageNew && t != rastro.TriageConfirmed && t != rastro.TriageDismissed {
		return nil, rastro.Errorf(rastro.EINVALID, "Triage must be %q, %q or %q.", rastro.TriageNew, rastro.TriageConfirmed, rastro.TriageDismissed)
	}
	if err := s.store.SetTriage(r.Context(), actor(r), caseID, id, t); err != nil {
		return nil, err
	}
	a := actor(r)
	ev := &rastro.AuditEvent{Time: s.cfg.Now(), UserID: a.UserID, Username: a.Username, Action: "triage",
		CaseID: caseID, Object: fmt.Sprintf("finding:%d", id), Purpose: a.Purpose, Details: string(t), Remote: remoteAddr(r)}
	if err := s.store.Audit(r.Context(), a, ev); err != nil {
		return nil, err
	}
	return s.findingByID(r, caseID, id)
}

// findingByID reads one finding of a case.
func (s *Server) findingByID(r *http.Request, caseID, id int64) (*rastro.Finding, error) {
	all, err := s.store.Findings(r.Context(), actor(r), caseID)
	if err != nil {
		return nil, err
	}
	for _, f := range all {
		if f.ID == id {
			return f, nil
		}
	}
	return nil, rastro.Errorf(rastro.ENOTFOUND, "Finding %d not found in case %d.", id, caseID)
}
