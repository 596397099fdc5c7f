// Package web is Rastro's HTTP surface: the JSON API v1, the server-rendered
// UI (html/template + htmx) and the middleware that authenticates, authorises
// and protects every request. The route table in routes.go is the single
// source of truth for who may call what.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/auth"
	"github.com/rastro/rastro/vault"
)

// Config configures a Server.
type Config struct {
	Addr       string        // listen address, for logs only
	TLS        bool          // cookies are Secure and HSTS is sent
	Version    string        // shown in the footer and /healthz
	SessionTTL time.Duration // absolute session lifetime; default 12h
	IdleTTL    time.Duration // idle session timeout; default 30m
	// Metrics is the registry /metrics serves; a fresh one when nil.
	Metrics *prometheus.Registry
	// MetricsToken, when set, is the bearer token /metrics requires. When
	// empty, /metrics answers only direct loopback clients (no proxy
	// forwarding headers), so a server behind a public proxy does not tell
	// the world its traffic.
	MetricsToken string
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Blobs opens evidence content (a *vault.Vault); nil means content is
	// not available on this server and pages say so. Beware of assigning a
	// nil *vault.Vault: leave the field unset instead.
	Blobs BlobStore
	// CustodyKey is the custody log's checkpoint verifier key
	// ("name+hash+base64"), used to verify timelines and shown on evidence
	// pages so that an outside expert can check them. Without it no
	// signature is checked.
	CustodyKey string
	// RevealTTL is how long after a deliberate reveal the session may fetch
	// an item's content; default 5m.
	RevealTTL time.Duration
	// Intake stores uploaded evidence (an *intake.Service, optionally
	// wrapped by WithUploadLimits); nil means uploads are not available on
	// this server and the upload pages say so.
	Intake Ingester
}

// BlobStore opens evidence content by case and SHA-256; *vault.Vault
// satisfies it. Open returns ENOTFOUND when the content is absent and
// EINVALID when it fails authentication.
type BlobStore interface {
	Open(ctx context.Context, caseID int64, sha string) (*vault.Blob, error)
}

// Server serves the API and the UI over a Store.
type Server struct {
	cfg     Config
	store   rastro.Store
	log     *slog.Logger
	auth    *auth.Authenticator
	views   *views
	metrics *metrics
	handler http.Handler
	reveals *reveals
	leaves  *leafCache
	graphs  *graphCache
}

// New returns a server over s, logging to log.
func New(cfg Config, s rastro.Store, log *slog.Logger) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.IdleTTL == 0 {
		cfg.IdleTTL = 30 * time.Minute
	}
	if cfg.RevealTTL == 0 {
		cfg.RevealTTL = 5 * time.Minute
	}
	if cfg.Metrics == nil {
		cfg.Metrics = prometheus.NewRegistry()
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	srv := &Server{
		cfg:     cfg,
		store:   s,
		log:     log,
		auth:    auth.NewAuthenticator(s, cfg.Now),
		views:   mustParseViews(),
		metrics: newMetrics(cfg.Metrics),
		reveals: newReveals(cfg.RevealTTL),
		leaves:  &leafCache{},
		graphs:  newGraphCache(),
	}
	srv.handler = srv.buildHandler()
	return srv
}

// Handler returns the server's root handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Authenticator exposes the login checker, so that callers (and tests) can
// tune its limiter and lock-out rule.
func (s *Server) Authenticator() *auth.Authenticator { return s.auth }

// buildHandler registers every route of the table on a ServeMux, each
// wrapped in the authorisation middleware, and wraps the mux in the
// middleware every response gets.
func (s *Server) buildHandler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.Handle(rt.method+" "+rt.pattern, s.guard(rt))
	}
	mux.Handle("/", s.notFound())
	return s.recoverer(s.observe(securityHeaders(s.cfg.TLS, mux)))
}
