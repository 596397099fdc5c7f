package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/jobs"
	"github.com/rastro/rastro/web"
)

// serveConfig is what serve and demo share beyond the data location.
type serveConfig struct {
	config
	Addr    string
	TLSCert string
	TLSKey  string
	Workers int
	// MetricsTokenFile holds the bearer token /metrics requires (a file, so
	// the secret is not in the process list or the shell history).
	MetricsTokenFile string
}

func (c *serveConfig) bind(fs *flag.FlagSet, defAddr string) {
	c.config.bind(fs)
	fs.StringVar(&c.Addr, "addr", envOr("RASTRO_ADDR", defAddr), "listen address (RASTRO_ADDR)")
	fs.StringVar(&c.TLSCert, "tls-cert", envOr("RASTRO_TLS_CERT", ""), "TLS certificate file (RASTRO_TLS_CERT)")
	fs.StringVar(&c.TLSKey, "tls-key", envOr("RASTRO_TLS_KEY", ""), "TLS private key file (RASTRO_TLS_KEY)")
	fs.IntVar(&c.Workers, "workers", 2, "background job workers on this node")
	fs.StringVar(&c.MetricsTokenFile, "metrics-token-file", envOr("RASTRO_METRICS_TOKEN_FILE", ""), "file holding the bearer token /metrics requires; without it /metrics answers only local clients (RASTRO_METRICS_TOKEN_FILE)")
}

func (e *environment) serve(ctx context.Context, args []string) error {
	var c serveConfig
	fs := e.newFlags("serve")
	c.bind(fs, "127.0.0.1:8080")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := c.logger(e)
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	fmt.Fprintf(e.stdout, "rastro %s serving on %s\n", version, c.url(ln))
	return c.run(ctx, ln, s, log)
}

// metricsToken reads the metrics bearer token from MetricsTokenFile; ""
// when no file is set.
func (c *serveConfig) metricsToken() (string, error) {
	if c.MetricsTokenFile == "" {
		return "", nil
	}
	b, err := os.ReadFile(c.MetricsTokenFile)
	if err != nil {
		return "", fmt.Errorf("serve: metrics token: %w", err)
	}
	tok := strings.TrimSpace(string(b))
	if len(tok) < 16 {
		return "", fmt.Errorf("serve: metrics token in %s: want at least 16 characters, got %d", c.MetricsTokenFile, len(tok))
	}
	return tok, nil
}

// url is the address a person types into the browser.
func (c *serveConfig) url(ln net.Listener) string {
	scheme := "http"
	if c.TLSCert != "" {
		scheme = "https"
	}
	return scheme + "://" + ln.Addr().String()
}

// run serves the UI and API on ln and works the job queue until ctx ends,
// then shuts down gracefully: in-flight requests and jobs get time to finish.
func (c *serveConfig) run(ctx context.Context, ln net.Listener, s rastro.Store, log *slog.Logger) error {
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return errors.New("serve: --tls-cert and --tls-key go together")
	}
	metricsToken, err := c.metricsToken()
	if err != nil {
		return err
	}
	ev, err := openEvidence(c.DataDir, s)
	if err != nil {
		return err
	}
	srv := web.New(web.Config{Addr: ln.Addr().String(), TLS: c.TLSCert != "", Version: version, MetricsToken: metricsToken,
		Blobs: ev.vault, CustodyKey: ev.keys.VerifierKey,
		Intake: web.WithUploadLimits(ev.intake(), web.UploadLimits{TempDir: filepath.Join(c.DataDir, "upload-tmp")})}, s, log)
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	runner := newRunner(s, ev, log, c.Workers)
	jobCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		runner.Run(jobCtx)
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		ev.checkpointEvery(jobCtx, log, checkpointInterval)
	}()
	errc := make(chan error, 1)
	go func() {
		if c.TLSCert != "" {
			errc <- hs.ServeTLS(ln, c.TLSCert, c.TLSKey)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err = <-errc:
	case <-ctx.Done():
		log.Info("shutting down")
	}
	shut, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if serr := hs.Shutdown(shut); serr != nil {
		log.Warn("shutdown", "err", serr)
	}
	stopJobs()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// newRunner registers every job handler the binary knows.
func newRunner(s rastro.Store, ev *evidenceEnv, log *slog.Logger, workers int) *jobs.Runner {
	r := &jobs.Runner{Queue: s, Log: log, Workers: workers}
	registerJobs(r, s, ev)
	return r
}
