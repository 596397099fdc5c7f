package web

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/auth"
)

// sessionCookie is the name of the session cookie.
const sessionCookie = "rastro_session"

// authenticate fills ri from a bearer token or a session cookie. No
// credentials is not an error here (the rule decides); bad bearer
// credentials are, because a machine client must learn at once.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, ri *requestInfo) error {
	if h := r.Header.Get("Authorization"); h != "" {
		return s.authBearer(r, ri, h)
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	return s.authSession(w, r, ri, c.Value)
}

// authBearer authenticates "Authorization: Bearer <token>".
func (s *Server) authBearer(r *http.Request, ri *requestInfo, h string) error {
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || tok == "" {
		return rastro.Errorf(rastro.EUNAUTHORIZED, "The Authorization header must be \"Bearer <token>\".")
	}
	t, err := s.store.APITokenByHash(r.Context(), auth.HashToken(tok))
	if rastro.ErrorCode(err) == rastro.ENOTFOUND {
		return rastro.Errorf(rastro.EUNAUTHORIZED, "The API token is unknown, expired or revoked.")
	} else if err != nil {
		return err
	}
	u, err := s.activeUser(r, t.UserID)
	if err != nil {
		return err
	}
	if u == nil {
		return rastro.Errorf(rastro.EUNAUTHORIZED, "The API token's user is disabled.")
	}
	ri.bearer, ri.user = t, u
	ri.actor = s.actorFor(r, u)
	return nil
}

// authSession authenticates a session cookie, enforcing the absolute and
// idle expiry with the server's clock. An invalid session is treated as no
// session (and its cookie cleared).
func (s *Server) authSession(w http.ResponseWriter, r *http.Request, ri *requestInfo, token string) error {
	hash := auth.HashToken(token)
	sess, err := s.store.SessionByHash(r.Context(), hash)
	if rastro.ErrorCode(err) == rastro.ENOTFOUND {
		clearSessionCookie(w, s.cfg.TLS)
		return nil
	} else if err != nil {
		return err
	}
	now := s.cfg.Now()
	if !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeen) > s.cfg.IdleTTL {
		_ = s.store.DeleteSession(r.Context(), hash)
		clearSessionCookie(w, s.cfg.TLS)
		return nil
	}
	u, err := s.activeUser(r, sess.UserID)
	if err != nil || u == nil {
		return err
	}
	if now.Sub(sess.LastSeen) > time.Minute {
		if err := s.store.TouchSession(r.Context(), hash, now); err != nil {
			return err
		}
	}
	ri.session, ri.user = sess, u
	ri.actor = s.actorFor(r, u)
	return nil
}

// activeUser loads a credential's user; nil (and no error) when the user is
// gone or disabled.
func (s *Server) activeUser(r *http.Request, id int64) (*rastro.User, error) {
	u, err := s.store.UserByID(r.Context(), rastro.SystemActor("authenticate"), id)
	if rastro.ErrorCode(err) == rastro.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, nil
	}
	return u, nil
}

// actorFor builds the actor of u with the purpose the request states.
func (s *Server) actorFor(r *http.Request, u *rastro.User) rastro.Actor {
	a := rastro.ActorOf(u)
	p := r.Header.Get("X-Rastro-Purpose")
	if p == "" {
		p = r.URL.Query().Get("purpose")
	}
	a.Purpose = truncate(strings.TrimSpace(p), 200)
	return a
}

// validCSRF checks the synchronizer token from the form field or header in
// constant time.
func validCSRF(r *http.Request, sess *rastro.Session) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" && strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		// An upload form without JavaScript: the token rides in the query
		// string (never logged; Referrer-Policy is no-referrer), so that a
		// multi-gigabyte body need not be parsed to check it.
		got = r.URL.Query().Get("csrf_token")
	}
	if got == "" {
		r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
		got = r.PostFormValue("csrf_token")
	}
	return got != "" && sess.CSRFToken != "" && subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRFToken)) == 1
}

// startSession creates a server-side session for u and sets its cookie.
// Any session the browser presented is deleted first (no fixation).
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *rastro.User) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		_ = s.store.DeleteSession(r.Context(), auth.HashToken(c.Value))
	}
	token, hash := auth.NewToken(auth.PrefixSession)
	csrf, _ := auth.NewToken("")
	now := s.cfg.Now()
	sess := &rastro.Session{TokenHash: hash, UserID: u.ID, CSRFToken: csrf, CreatedAt: now, ExpiresAt: now.Add(s.cfg.SessionTTL), LastSeen: now}
	if err := s.store.CreateSession(r.Context(), sess); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.cfg.TLS,
		SameSite: http.SameSiteLaxMode, Expires: sess.ExpiresAt,
	})
	return nil
}

// clearSessionCookie tells the browser to forget its session cookie.
func clearSessionCookie(w http.ResponseWriter, tls bool) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: tls, SameSite: http.SameSiteLaxMode})
}
