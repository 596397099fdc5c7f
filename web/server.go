// Package web is Rastro's HTTP surface: the JSON API v1, the server-rendered
// UI (html/template + htmx) and the middleware that authenticates, authorises
// and protects every request. The route table in routes.go is the single
// source of truth for who may call what.
package web

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/auth"
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
	// Now is the clock; time.Now when nil.
	Now func() time.Time
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
