package web

import (
	"net/http"

	"github.com/rastro/rastro"
)

// agenciesView is the agencies page's data.
type agenciesView struct {
	Agencies []*rastro.Agency
	Kinds    []rastro.AgencyKind
	Error    string
}

// agenciesPage lists agencies with a form to add one.
func (s *Server) agenciesPage(w http.ResponseWriter, r *http.Request) {
	s.renderAgencies(w, r, http.StatusOK, "")
}

// renderAgencies renders the page with an optional form error.
func (s *Server) renderAgencies(w http.ResponseWriter, r *http.Request, status int, msg string) {
	list, err := s.store.Agencies(r.Context(), actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "admin_agencies", "", agenciesView{Agencies: list, Kinds: rastro.AgencyKinds, Error: msg})
}

// createAgency adds an agency from the form.
func (s *Server) createAgency(w http.ResponseWriter, r *http.Request) {
	a := &rastro.Agency{Name: r.PostFormValue("name"), Country: r.PostFormValue("country"), Kind: rastro.AgencyKind(r.PostFormValue("kind"))}
	if err := s.store.CreateAgency(r.Context(), actor(r), a); err != nil {
		s.formError(w, r, err, func(msg string) { s.renderAgencies(w, r, statusFor(err), msg) })
		return
	}
	http.Redirect(w, r, "/admin/agencies", http.StatusSeeOther)
}
