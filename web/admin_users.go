package web

import (
	"net/http"

	"github.com/rastro/rastro"
)

// usersView is the users page's data.
type usersView struct {
	Users    []*rastro.User
	Agencies []*rastro.Agency
	Roles    []rastro.Role
	Error    string
	// Created and Password show a new user's one-time password, once.
	Created  *rastro.User
	Password string
}

// usersPage lists users with forms to add one, change roles and disable.
func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	s.renderUsers(w, r, http.StatusOK, usersView{})
}

// renderUsers fills the lists of v and renders it.
func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, v usersView) {
	var err error
	if v.Users, err = s.store.Users(r.Context(), actor(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	if v.Agencies, err = s.store.Agencies(r.Context(), actor(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	v.Roles = rastro.Roles
	s.render(w, r, status, "admin_users", "", v)
}

// createUser adds a user with a generated one-time password, shown once.
func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	in := newUser{AgencyID: formInt64(r, "agency_id"), Username: r.PostFormValue("username"),
		DisplayName: r.PostFormValue("display_name"), Role: rastro.Role(r.PostFormValue("role")),
		Language: r.PostFormValue("language")}
	u, pw, err := s.newUserFrom(r, in)
	if err != nil {
		s.formError(w, r, err, func(msg string) { s.renderUsers(w, r, statusFor(err), usersView{Error: msg}) })
		return
	}
	s.renderUsers(w, r, http.StatusCreated, usersView{Created: u, Password: pw})
}

// updateUser changes a user's role or disabled flag from the list's forms.
func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "userID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in userUpdate
	if role := rastro.Role(r.PostFormValue("role")); role != "" {
		in.Role = &role
	}
	if d := r.PostFormValue("disabled"); d != "" {
		b := d == "true"
		in.Disabled = &b
	}
	if _, err := s.updateUserFrom(r, id, in); err != nil {
		s.formError(w, r, err, func(msg string) { s.renderUsers(w, r, statusFor(err), usersView{Error: msg}) })
		return
	}
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}
