package web

import (
	"net/http"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/auth"
)

// apiMe returns the signed-in user.
func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, reqInfo(r).user)
}

// meUpdate is the body of PATCH /api/v1/me.
type meUpdate struct {
	DisplayName *string `json:"display_name"`
	Language    *string `json:"language"`
}

// apiUpdateMe lets users change their own display name and language.
func (s *Server) apiUpdateMe(w http.ResponseWriter, r *http.Request) {
	var in meUpdate
	if err := decodeJSON(w, r, &in, maxBody); err != nil {
		s.fail(w, r, err)
		return
	}
	u := *reqInfo(r).user
	if in.DisplayName != nil {
		u.DisplayName = *in.DisplayName
	}
	if in.Language != nil {
		u.Language = *in.Language
	}
	if err := s.store.UpdateUser(r.Context(), actor(r), &u); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, &u)
}

// apiAgencies lists agencies.
func (s *Server) apiAgencies(w http.ResponseWriter, r *http.Request) {
	list, err := s.store.Agencies(r.Context(), actor(r))
	s.respond(w, r, http.StatusOK, list, err)
}

// apiCreateAgency creates an agency from {name, country, kind}.
func (s *Server) apiCreateAgency(w http.ResponseWriter, r *http.Request) {
	var a rastro.Agency
	var in struct {
		Name    string            `json:"name"`
		Country string            `json:"country"`
		Kind    rastro.AgencyKind `json:"kind"`
	}
	if err := decodeJSON(w, r, &in, maxBody); err != nil {
		s.fail(w, r, err)
		return
	}
	a.Name, a.Country, a.Kind = in.Name, in.Country, in.Kind
	err := s.store.CreateAgency(r.Context(), actor(r), &a)
	s.respond(w, r, http.StatusCreated, &a, err)
}

// apiUsers lists users.
func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request) {
	list, err := s.store.Users(r.Context(), actor(r))
	s.respond(w, r, http.StatusOK, list, err)
}

// newUser is the body of POST /api/v1/users.
type newUser struct {
	AgencyID    int64       `json:"agency_id"`
	Username    string      `json:"username"`
	DisplayName string      `json:"display_name"`
	Role        rastro.Role `json:"role"`
	Language    string      `json:"language"`
	Password    string      `json:"password"` // generated when empty
}

// createdUser is the answer to user creation: the one-time password is
// shown only here.
type createdUser struct {
	User     *rastro.User `json:"user"`
	Password string       `json:"password,omitempty"`
}

// apiCreateUser creates a user, generating a one-time password unless one
// is given.
func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request) {
	var in newUser
	if err := decodeJSON(w, r, &in, maxBody); err != nil {
		s.fail(w, r, err)
		return
	}
	u, pw, err := s.newUserFrom(r, in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, createdUser{User: u, Password: pw})
}

// newUserFrom hashes (or generates) the password and creates the user; the
// generated password is returned, "" when the caller chose one.
func (s *Server) newUserFrom(r *http.Request, in newUser) (*rastro.User, string, error) {
	if !in.Role.Valid() {
		return nil, "", rastro.Errorf(rastro.EINVALID, "Unknown role %q; use one of %v.", in.Role, rastro.Roles)
	}
	hash, generated, err := hashOrGenerate(in.Password)
	if err != nil {
		return nil, "", err
	}
	u := &rastro.User{AgencyID: in.AgencyID, Username: in.Username, DisplayName: in.DisplayName,
		Role: in.Role, Language: in.Language, PasswordHash: hash}
	if err := s.store.CreateUser(r.Context(), actor(r), u); err != nil {
		return nil, "", err
	}
	return u, generated, nil
}

// hashOrGenerate hashes pw, or a fresh generated password when pw is empty
// (then returned so it can be shown once).
func hashOrGenerate(pw string) (hash, generated string, err error) {
	if pw == "" {
		pw = auth.GeneratePassword()
		generated = pw
	}
	hash, err = auth.HashPassword(pw)
	return hash, generated, err
}

// userUpdate is the body of PATCH /api/v1/users/{userID}.
type userUpdate struct {
	DisplayName *string      `json:"display_name"`
	Role        *rastro.Role `json:"role"`
	Language    *string      `json:"language"`
	Disabled    *bool        `json:"disabled"`
}

// apiUpdateUser changes a user's name, role, language or disabled flag.
func (s *Server) apiUpdateUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "userID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in userUpdate
	if err := decodeJSON(w, r, &in, maxBody); err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.updateUserFrom(r, id, in)
	s.respond(w, r, http.StatusOK, u, err)
}

// updateUserFrom applies in to user id.
func (s *Server) updateUserFrom(r *http.Request, id int64, in userUpdate) (*rastro.User, error) {
	u, err := s.store.UserByID(r.Context(), actor(r), id)
	if err != nil {
		return nil, err
	}
	if in.Role != nil && !in.Role.Valid() {
		return nil, rastro.Errorf(rastro.EINVALID, "Unknown role %q; use one of %v.", *in.Role, rastro.Roles)
	}
	if in.DisplayName != nil {
		u.DisplayName = *in.DisplayName
	}
	if in.Role != nil {
		u.Role = *in.Role
	}
	if in.Language != nil {
		u.Language = *in.Language
	}
	if in.Disabled != nil {
		u.Disabled = *in.Disabled
	}
	if err := s.store.UpdateUser(r.Context(), actor(r), u); err != nil {
		return nil, err
	}
	return u, nil
}

// apiSetPassword sets a user's password, generating one when none is given.
func (s *Server) apiSetPassword(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "userID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in struct {
		Password string `json:"password"`
	}
	if err := decodeJSON(w, r, &in, maxBody); err != nil {
		s.fail(w, r, err)
		return
	}
	hash, generated, err := hashOrGenerate(in.Password)
	if err == nil {
		err = s.store.SetPassword(r.Context(), actor(r), id, hash)
	}
	s.respond(w, r, http.StatusOK, map[string]string{"password": generated}, err)
}

// apiTokens lists the signed-in user's API tokens.
func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request) {
	list, err := s.store.APITokens(r.Context(), actor(r), actor(r).UserID)
	s.respond(w, r, http.StatusOK, list, err)
}

// newToken is the body of POST /api/v1/tokens.
type newToken struct {
	Name          string   `json:"name"`
	Scopes        []string `json:"scopes"`
	ExpiresInDays int      `json:"expires_in_days"`
}

// createdToken carries the secret, shown this once.
type createdToken struct {
	*rastro.APIToken
	Token string `json:"token"`
}

// apiCreateToken creates an API token for the signed-in user.
func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request) {
	var in newToken
	if err := decodeJSON(w, r, &in, maxBody); err != nil {
		s.fail(w, r, err)
		return
	}
	ct, err := s.newAPIToken(r, in)
	s.respond(w, r, http.StatusCreated, ct, err)
}

// newAPIToken validates in and stores a fresh token.
func (s *Server) newAPIToken(r *http.Request, in newToken) (*createdToken, error) {
	if in.Name == "" {
		return nil, rastro.Errorf(rastro.EINVALID, "Give the token a name, to recognise it later.")
	}
	if len(in.Scopes) == 0 {
		return nil, rastro.Errorf(rastro.EINVALID, "Choose at least one scope: read, write or report.")
	}
	for _, sc := range in.Scopes {
		if sc != rastro.ScopeRead && sc != rastro.ScopeWrite && sc != rastro.ScopeReport {
			return nil, rastro.Errorf(rastro.EINVALID, "Unknown scope %q; use read, write or report.", sc)
		}
	}
	if in.ExpiresInDays < 0 || in.ExpiresInDays > 3650 {
		return nil, rastro.Errorf(rastro.EINVALID, "expires_in_days must be between 0 (never) and 3650.")
	}
	secret, hash := auth.NewToken(auth.PrefixAPI)
	t := &rastro.APIToken{UserID: actor(r).UserID, Name: in.Name, Prefix: secret[:len(auth.PrefixAPI)+6],
		Hash: hash, Scopes: in.Scopes, CreatedAt: s.cfg.Now()}
	if in.ExpiresInDays > 0 {
		t.ExpiresAt = t.CreatedAt.Add(time.Duration(in.ExpiresInDays) * 24 * time.Hour)
	}
	if err := s.store.CreateAPIToken(r.Context(), actor(r), t); err != nil {
		return nil, err
	}
	return &createdToken{APIToken: t, Token: secret}, nil
}

// apiRevokeToken revokes one of the user's tokens.
func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "tokenID")
	if err == nil {
		err = s.store.RevokeAPIToken(r.Context(), actor(r), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// respond writes v with status, or the error.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, status, v)
}
