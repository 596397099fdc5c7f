package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/rastro/rastro"
)

// auditView is the audit page's data.
type auditView struct {
	Events []*rastro.AuditEvent
	Action string
	Older  string // URL of the next (older) page, "" at the end
}

// auditPage shows the audit log to auditors, newest first, filtered by
// action, with keyset paging.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	f, err := auditFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.store.AuditEvents(r.Context(), actor(r), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := auditView{Events: list, Action: f.Action}
	if len(list) == f.Limit {
		q := url.Values{"before": {strconv.FormatInt(list[len(list)-1].ID, 10)}}
		if f.Action != "" {
			q.Set("action", f.Action)
		}
		v.Older = "/audit?" + q.Encode()
	}
	s.render(w, r, http.StatusOK, "audit", "", v)
}
