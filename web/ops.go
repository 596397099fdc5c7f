package web

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/rastro/rastro"
)

// metrics are the server's own Prometheus collectors. Labels hold route
// patterns and status codes only: never paths, names or ids.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// newMetrics registers the collectors on reg.
func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rastro_http_requests_total", Help: "HTTP requests by route pattern and status.",
		}, []string{"route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "rastro_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.latency)
	return m
}

// observe counts one request.
func (m *metrics) observe(method, pattern string, status int, d time.Duration) {
	m.requests.WithLabelValues(pattern, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(pattern).Observe(d.Seconds())
}

// healthz answers 200 while the process runs.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.cfg.Version})
}

// readyz answers 200 when the database answers, else a 503 problem.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.log.WarnContext(ctx, "readiness check failed", "err", err)
		writeProblem(w, r, http.StatusServiceUnavailable, rastro.EUNAVAILABLE, "The database does not answer; try again shortly.")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// metricsHandler serves the server's registry in Prometheus text format
// to the clients metricsAllowed lets through.
func (s *Server) metricsHandler(w http.ResponseWriter, r *http.Request) {
	if status, detail := s.metricsAllowed(r); status != 0 {
		code := rastro.EFORBIDDEN
		if status == http.StatusUnauthorized {
			code = rastro.EUNAUTHORIZED
			w.Header().Set("WWW-Authenticate", `Bearer realm="rastro metrics"`)
		}
		writeProblem(w, r, status, code, detail)
		return
	}
	promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
}

// levelFor logs server errors as errors and the rest as info.
func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}

func slogStr(k, v string) slog.Attr     { return slog.String(k, v) }
func slogInt(k string, v int) slog.Attr { return slog.Int(k, v) }
func slogDur(k string, v time.Duration) slog.Attr {
	return slog.Float64(k+"_ms", float64(v.Microseconds())/1000)
}

// metricsAllowed returns 0 when r may read /metrics, else the status and
// the problem's detail: with a metrics token configured, the request must
// carry it as a bearer token; without one, only a direct loopback client
// (no Forwarded or X-Forwarded-For header, which a reverse proxy adds) may.
func (s *Server) metricsAllowed(r *http.Request) (int, string) {
	if tok := s.cfg.MetricsToken; tok != "" {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(tok)) != 1 {
			return http.StatusUnauthorized, "Metrics need the metrics token as a bearer token (Authorization: Bearer ...)."
		}
		return 0, ""
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	ip := net.ParseIP(host)
	if err != nil || ip == nil || !ip.IsLoopback() || r.Header.Get("Forwarded") != "" || r.Header.Get("X-Forwarded-For") != "" {
		return http.StatusForbidden, "Metrics are served only to local clients unless the server has a metrics token (RASTRO_METRICS_TOKEN_FILE)."
	}
	return 0, ""
}
