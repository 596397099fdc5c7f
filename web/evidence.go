package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rastro/rastro"
)

// evidenceListView is the evidence list's data.
type evidenceListView struct {
	CaseID  int64
	Query   string
	Total   int
	Items   []*rastro.Evidence
	Parents map[int64]*rastro.Evidence // containers of the listed items
	Prev    string
	Next    string
}

// evidencePageSize is how many items one page of the list shows.
const evidencePageSize = 50

// evidenceListPage lists a case's evidence items, filtered by name or
// exhibit number, one page at a time; htmx requests get the results only.
func (s *Server) evidenceListPage(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "caseID")
	all, err := s.store.EvidenceList(r.Context(), actor(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	offset, err := queryInt(r, "offset")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	limit, err := queryInt(r, "limit")
	if err != nil || limit == 0 || limit > 500 {
		limit = evidencePageSize
	}
	v := evidenceListView{CaseID: id, Query: r.URL.Query().Get("q"), Parents: map[int64]*rastro.Evidence{}}
	matched := filterEvidence(all, v.Query)
	v.Total = len(matched)
	v.Items = matched[min(offset, len(matched)):min(offset+limit, len(matched))]
	byID := map[int64]*rastro.Evidence{}
	for _, e := range all {
		byID[e.ID] = e
	}
	for _, e := range v.Items {
		if p := byID[e.ParentID]; p != nil {
			v.Parents[e.ID] = p
		}
	}
	if offset > 0 {
		v.Prev = evidencePageURL(r, max(0, offset-limit), limit)
	}
	if offset+len(v.Items) < v.Total {
		v.Next = evidencePageURL(r, offset+limit, limit)
	}
	s.render(w, r, http.StatusOK, "evidence_list", "evidence-results", v)
}

// filterEvidence keeps the items whose original name or exhibit number
// contains q, ignoring case.
func filterEvidence(all []*rastro.Evidence, q string) []*rastro.Evidence {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return all
	}
	var out []*rastro.Evidence
	for _, e := range all {
		if strings.Contains(strings.ToLower(e.OriginalName), q) || strings.Contains(strings.ToLower(e.ExhibitNo), q) {
			out = append(out, e)
		}
	}
	return out
}

// evidencePageURL is the list URL at another offset.
func evidencePageURL(r *http.Request, offset, limit int) string {
	q := url.Values{}
	if v := r.URL.Query().Get("q"); v != "" {
		q.Set("q", v)
	}
	if limit != evidencePageSize {
		q.Set("limit", strconv.Itoa(limit))
	}
	q.Set("offset", strconv.Itoa(offset))
	return r.URL.Path + "?" + q.Encode()
}

// evidenceDetail is one item with its family and custody timeline; the
// API returns it as JSON and the item page renders it.
type evidenceDetail struct {
	Evidence *rastro.Evidence   `json:"evidence"`
	Parent   *rastro.Evidence   `json:"parent,omitempty"`
	Children []*rastro.Evidence `json:"children"`
	Custody  *timeline          `json:"custody"`
	// ParseReport is what parsing the item did; nil until it is parsed.
	ParseReport *rastro.ParseReport `json:"parse_report,omitempty"`
}

// loadEvidence reads the evidence item named by the path.
func (s *Server) loadEvidence(r *http.Request) (*rastro.Evidence, error) {
	caseID, err := pathID(r, "caseID")
	if err != nil {
		return nil, err
	}
	id, err := pathID(r, "evidenceID")
	if err != nil {
		return nil, err
	}
	return s.store.EvidenceByID(r.Context(), actor(r), caseID, id)
}

// loadEvidenceDetail reads an item, its parent and children, and its
// verified custody timeline.
func (s *Server) loadEvidenceDetail(r *http.Request, e *rastro.Evidence) (*evidenceDetail, error) {
	d := &evidenceDetail{Evidence: e, Children: []*rastro.Evidence{}}
	all, err := s.store.EvidenceList(r.Context(), actor(r), e.CaseID)
	if err != nil {
		return nil, err
	}
	for _, x := range all {
		switch {
		case x.ID == e.ParentID:
			d.Parent = x
		case x.ParentID == e.ID:
			d.Children = append(d.Children, x)
		}
	}
	if d.Custody, err = s.loadTimeline(r, e.CaseID, e.ID); err != nil {
		return nil, err
	}
	reps, err := s.store.ParseReports(r.Context(), actor(r), e.CaseID, e.ID)
	if err != nil {
		return nil, err
	}
	if len(reps) > 0 {
		d.ParseReport = reps[0]
	}
	return d, nil
}

// apiEvidenceItem returns an item's metadata, family and custody timeline
// with its verification state.
func (s *Server) apiEvidenceItem(w http.ResponseWriter, r *http.Request) {
	e, err := s.loadEvidence(r)
	var d *evidenceDetail
	if err == nil {
		d, err = s.loadEvidenceDetail(r, e)
	}
	s.respond(w, r, http.StatusOK, d, err)
}

// apiEvidenceCustody returns an item's custody timeline alone.
func (s *Server) apiEvidenceCustody(w http.ResponseWriter, r *http.Request) {
	e, err := s.loadEvidence(r)
	var t *timeline
	if err == nil {
		t, err = s.loadTimeline(r, e.CaseID, e.ID)
	}
	s.respond(w, r, http.StatusOK, t, err)
}
