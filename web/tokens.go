package web

import (
	"net/http"

	"github.com/rastro/rastro"
)

// tokensView is the API tokens page's data.
type tokensView struct {
	Tokens  []*rastro.APIToken
	Created *createdToken // shown once, right after creation
	Error   string
}

// tokensPage lists the user's API tokens.
func (s *Server) tokensPage(w http.ResponseWriter, r *http.Request) {
	s.renderTokens(w, r, http.StatusOK, tokensView{})
}

// renderTokens fills the list of v and renders it.
func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, status int, v tokensView) {
	var err error
	if v.Tokens, err = s.store.APITokens(r.Context(), actor(r), actor(r).UserID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "tokens", "", v)
}

// createToken creates a token from the form and shows its secret once.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	in := newToken{Name: r.PostFormValue("name"), Scopes: r.PostForm["scope"]}
	ct, err := s.newAPIToken(r, in)
	if err != nil {
		s.formError(w, r, err, func(msg string) { s.renderTokens(w, r, statusFor(err), tokensView{Error: msg}) })
		return
	}
	s.renderTokens(w, r, http.StatusCreated, tokensView{Created: ct})
}

// revokeToken revokes one of the user's tokens.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "tokenID")
	if err == nil {
		err = s.store.RevokeAPIToken(r.Context(), actor(r), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/tokens", http.StatusSeeOther)
}
