package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"

	"github.com/rastro/rastro"
)

// ctxKey is the type of this package's context keys.
type ctxKey int

const infoKey ctxKey = iota

// requestInfo is what the middleware learns about a request, shared through
// the context so that the outer layers (log, metrics) can see it.
type requestInfo struct {
	id      string
	pattern string // route pattern, never the raw path
	actor   rastro.Actor
	user    *rastro.User
	session *rastro.Session // nil for bearer and anonymous requests
	bearer  *rastro.APIToken
	lang    string
}

// reqInfo returns the request's info (an empty one outside the middleware).
func reqInfo(r *http.Request) *requestInfo {
	if ri, ok := r.Context().Value(infoKey).(*requestInfo); ok {
		return ri
	}
	return &requestInfo{}
}

// actor returns the authenticated actor of the request.
func actor(r *http.Request) rastro.Actor { return reqInfo(r).actor }

// newRequestID returns 16 random hex characters.
func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe assigns a request id, then logs and counts every request by route
// pattern and status. Query strings are never logged: they may carry names.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.cfg.Now()
		ri := &requestInfo{id: newRequestID(), pattern: "unmatched"}
		r = r.WithContext(context.WithValue(r.Context(), infoKey, ri))
		sw := &statusWriter{ResponseWriter: w}
		w.Header().Set("X-Request-Id", ri.id)
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		d := s.cfg.Now().Sub(start)
		s.metrics.observe(r.Method, ri.pattern, sw.status, d)
		s.log.LogAttrs(r.Context(), levelFor(sw.status), "request",
			slogStr("request_id", ri.id), slogStr("method", r.Method), slogStr("route", ri.pattern),
			slogInt("status", sw.status), slogInt("bytes", sw.bytes), slogDur("duration", d),
			slogInt("user_id", int(ri.actor.UserID)))
	})
}

// recoverer turns a panic into a logged 500 instead of a dropped connection.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "request_id", reqInfo(r).id, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.fail(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// csp is the Content-Security-Policy of every response: no inline script or
// style, nothing from elsewhere.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// securityHeaders sets the headers every response carries.
func securityHeaders(tls bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if tls {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// stateChanging reports whether the method may change state.
func stateChanging(m string) bool {
	return m == http.MethodPost || m == http.MethodPut || m == http.MethodPatch || m == http.MethodDelete
}

// crossSite reports whether a state-changing request comes from another
// site, by Sec-Fetch-Site when the browser sends it, else by Origin.
func crossSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return false
	case "":
	default:
		return true
	}
	o := r.Header.Get("Origin")
	if o == "" {
		return false
	}
	u, err := url.Parse(o)
	return err != nil || u.Host != r.Host
}

// guard wraps a route's handler in authentication, CSRF protection and the
// route's authorisation rule.
func (s *Server) guard(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ri := reqInfo(r)
		ri.pattern = rt.method + " " + rt.pattern
		if stateChanging(r.Method) && crossSite(r) {
			s.deny(w, r, rastro.Errorf(rastro.EFORBIDDEN, "Cross-site requests are not accepted."))
			return
		}
		if !rt.rule.ownCredentials {
			if err := s.authenticate(w, r, ri); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		if err := s.authorize(r, rt.rule, ri); err != nil {
			s.auditRefusal(r, rt, ri, err)
			s.deny(w, r, err)
			return
		}
		ri.lang = s.language(r, ri.user)
		if !rt.rule.public {
			w.Header().Set("Cache-Control", "no-store")
		}
		rt.handler(s, w, r)
	})
}

// AuditRefused is the audit action of a refused attempt to open the victims'
// compartment (screenings, referrals).
const AuditRefused = "refused"

// auditRefusal records a signed-in user's refused request to a route of the
// victims' compartment: who, which route and path, when, and why. The answer
// itself is the same whatever the path names, so it tells nobody whether the
// person or case exists. A failure to audit is logged, and the request is
// refused anyway.
func (s *Server) auditRefusal(r *http.Request, rt route, ri *requestInfo, refusal error) {
	if rt.rule.perm != rastro.PermReadVictims || ri.user == nil {
		return
	}
	ev := &rastro.AuditEvent{Action: AuditRefused, Object: r.URL.Path, Remote: remoteAddr(r),
		Details: rt.method + " " + rt.pattern + ": " + rastro.ErrorCode(refusal) + ": " + rastro.ErrorMessage(refusal)}
	if id, err := pathID(r, "caseID"); err == nil && rastro.ErrorCode(refusal) != rastro.ENOTFOUND {
		ev.CaseID = id // a member's case: a non-member's guess is in Object only
	}
	if err := s.store.Audit(r.Context(), ri.actor, ev); err != nil {
		s.log.Error("audit refused request", "err", err)
	}
}

// deny answers an authentication or authorisation failure: a UI request
// without credentials is sent to the login page.
func (s *Server) deny(w http.ResponseWriter, r *http.Request, err error) {
	if rastro.ErrorCode(err) == rastro.EUNAUTHORIZED && !isAPI(r) {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.Path), http.StatusSeeOther)
		return
	}
	s.fail(w, r, err)
}

// authorize applies rule to the authenticated request.
func (s *Server) authorize(r *http.Request, ru rule, ri *requestInfo) error {
	if !ru.defined() {
		return rastro.Errorf(rastro.EINTERNAL, "route without a rule")
	}
	if ru.public {
		return nil
	}
	if ri.user == nil {
		return rastro.Errorf(rastro.EUNAUTHORIZED, "Sign in first: send a session cookie or an Authorization: Bearer token.")
	}
	if ri.bearer != nil && !tokenHas(ri.bearer, ru.scope) {
		return rastro.Errorf(rastro.EFORBIDDEN, "This API token lacks the scope this request needs (%s).", scopeName(ru.scope))
	}
	if ri.session != nil && stateChanging(r.Method) && !validCSRF(r, ri.session) {
		return rastro.Errorf(rastro.EFORBIDDEN, "Missing or wrong CSRF token: reload the page and try again.")
	}
	if ru.perm != "" && !ri.actor.Can(ru.perm) {
		return rastro.Errorf(rastro.EFORBIDDEN, "Your role (%s) may not do this.", ri.actor.Role)
	}
	if ru.inCase {
		id, err := pathID(r, "caseID")
		if err != nil {
			return err
		}
		if _, err := s.store.Membership(r.Context(), ri.actor, id); err != nil {
			if rastro.ErrorCode(err) == rastro.ENOTFOUND {
				return rastro.Errorf(rastro.ENOTFOUND, "Case %d does not exist or you are not a member of it.", id)
			}
			return err
		}
	}
	return nil
}

// tokenHas reports whether the API token holds scope ("" never matches: the
// route is for browser sessions only).
func tokenHas(t *rastro.APIToken, scope string) bool {
	for _, sc := range t.Scopes {
		if scope != "" && sc == scope {
			return true
		}
	}
	return false
}

// scopeName names a scope for messages.
func scopeName(scope string) string {
	if scope == "" {
		return "a browser session"
	}
	return strconv.Quote(scope)
}

// notFound answers paths no route matched.
func (s *Server) notFound() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, rastro.Errorf(rastro.ENOTFOUND, "There is nothing at this address."))
	})
}

// remoteAddr is the client's address without port, for audit and limits.
func remoteAddr(r *http.Request) string {
	host := r.RemoteAddr
	for i := len(host) - 1; i >= 0; i-- {
		if host[i] == ':' {
			return trimBrackets(host[:i])
		}
	}
	return host
}

// trimBrackets strips the brackets of an IPv6 literal.
func trimBrackets(h string) string {
	if len(h) > 1 && h[0] == '[' && h[len(h)-1] == ']' {
		return h[1 : len(h)-1]
	}
	return h
}
