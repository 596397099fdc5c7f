package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/rastro/rastro"
)

// casesView is the case list's data.
type casesView struct {
	Cases []*rastro.Case
	Error string
	Form  newCase
}

// casesPage lists the user's cases.
func (s *Server) casesPage(w http.ResponseWriter, r *http.Request) {
	list, err := s.store.Cases(r.Context(), actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "cases", "", casesView{Cases: list})
}

// createCase creates a case from the form and opens it.
func (s *Server) createCase(w http.ResponseWriter, r *http.Request) {
	in := newCase{Title: r.PostFormValue("title"), Jurisdiction: r.PostFormValue("jurisdiction")}
	c, err := s.newCaseFrom(r, in)
	if err != nil {
		s.formError(w, r, err, func(msg string) {
			list, _ := s.store.Cases(r.Context(), actor(r))
			s.render(w, r, statusFor(err), "cases", "", casesView{Cases: list, Error: msg, Form: in})
		})
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/cases/%d", c.ID), http.StatusSeeOther)
}

// formError re-renders a form with the user-facing message of err, except
// for internal errors, which get the generic error page.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, err error, rerender func(msg string)) {
	if statusFor(err) >= 500 {
		s.fail(w, r, err)
		return
	}
	rerender(rastro.ErrorMessage(err))
}

// formInt64 parses an integer form field, 0 when absent or malformed.
func formInt64(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(r.PostFormValue(name), 10, 64)
	return n
}
