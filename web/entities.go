package web

import (
	"net/http"
	"net/url"
	"strconv"
)

// entitiesView is the entity list's data.
type entitiesView struct {
	CaseID int64
	Query  string
	Schema string
	Role   string
	Page   *entityPage
	Prev   string // URL of the previous page, "" on the first
	Next   string // URL of the next page, "" on the last
}

// entitiesPage lists and searches a case's entities; htmx requests get the
// results fragment only (live search).
func (s *Server) entitiesPage(w http.ResponseWriter, r *http.Request) {
	p, err := s.listEntities(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, _ := pathID(r, "caseID")
	q := r.URL.Query()
	v := entitiesView{CaseID: id, Query: q.Get("q"), Schema: q.Get("schema"), Role: q.Get("role"), Page: p}
	if p.Offset > 0 {
		v.Prev = pageURL(r, max(0, p.Offset-p.Limit))
	}
	if p.Offset+len(p.Entities) < p.Total {
		v.Next = pageURL(r, p.Offset+p.Limit)
	}
	s.render(w, r, http.StatusOK, "entities", "results", v)
}

// pageURL is the current list URL at another offset.
func pageURL(r *http.Request, offset int) string {
	q := url.Values{}
	for _, k := range []string{"q", "schema", "role", "limit"} {
		if v := r.URL.Query().Get(k); v != "" {
			q.Set(k, v)
		}
	}
	q.Set("offset", strconv.Itoa(offset))
	return r.URL.Path + "?" + q.Encode()
}
