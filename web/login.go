package web

import (
	"net/http"
	"strings"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/auth"
)

// loginView is the login page's data.
type loginView struct {
	Next     string
	Username string
	Error    string
}

// loginPage shows the login form.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login", "", loginView{Next: safeNext(r.URL.Query().Get("next"))})
}

// login checks the credentials and starts a new session. Failures are
// audited by the authenticator; the password is never logged.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	name := strings.TrimSpace(r.PostFormValue("username"))
	next := safeNext(r.PostFormValue("next"))
	u, err := s.auth.Login(r.Context(), name, r.PostFormValue("password"), remoteAddr(r))
	if err == nil {
		err = s.startSession(w, r, u)
	}
	if err != nil {
		st := statusFor(err)
		if st == http.StatusInternalServerError {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, st, "login", "", loginView{Next: next, Username: name, Error: rastro.ErrorMessage(err)})
		return
	}
	if next == "" {
		next = homeFor(rastro.ActorOf(u))
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// logout deletes the server-side session and the cookie.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.store.DeleteSession(r.Context(), auth.HashToken(c.Value)); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	clearSessionCookie(w, s.cfg.TLS)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// home sends the user to the first page their role can use.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, homeFor(actor(r)), http.StatusSeeOther)
}

// homeFor is the landing page of a role.
func homeFor(a rastro.Actor) string {
	switch {
	case a.Can(rastro.PermReadCase):
		return "/cases"
	case a.Can(rastro.PermReadAudit):
		return "/audit"
	}
	return "/tokens"
}

// safeNext keeps only local absolute paths, so that the login form cannot
// redirect elsewhere.
func safeNext(n string) string {
	if !strings.HasPrefix(n, "/") || strings.HasPrefix(n, "//") || strings.ContainsAny(n, "\\\r\n") {
		return ""
	}
	return n
}

// setLanguage stores the user's language choice and goes back.
func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request) {
	u := *reqInfo(r).user
	u.Language = r.PostFormValue("lang")
	if u.Language != "" && !validLang(u.Language) {
		s.fail(w, r, rastro.Errorf(rastro.EINVALID, "Unknown language %q.", truncate(u.Language, 10)))
		return
	}
	if err := s.store.UpdateUser(r.Context(), actor(r), &u); err != nil {
		s.fail(w, r, err)
		return
	}
	back := safeNext(r.PostFormValue("next"))
	if back == "" {
		back = "/"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
