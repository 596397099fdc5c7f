package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/postgres"
	"github.com/rastro/rastro/sqlite"
)

// config is what every command shares: where the data lives.
type config struct {
	DataDir  string
	DB       string
	LogLevel string
}

// bind registers the shared flags on fs, with RASTRO_* environment
// variables as defaults.
func (c *config) bind(fs *flag.FlagSet) {
	fs.StringVar(&c.DataDir, "data", envOr("RASTRO_DATA", "./rastro-data"), "data directory: database file and blob folder (RASTRO_DATA)")
	fs.StringVar(&c.DB, "db", envOr("RASTRO_DB", ""), "database: empty for SQLite in the data directory, or postgres://... (RASTRO_DB)")
	fs.StringVar(&c.LogLevel, "log-level", envOr("RASTRO_LOG_LEVEL", "info"), "log level: debug, info, warn, error (RASTRO_LOG_LEVEL)")
}

func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// openStore opens (and migrates) the configured store.
func (c *config) openStore(ctx context.Context) (rastro.Store, error) {
	if strings.HasPrefix(c.DB, "postgres://") || strings.HasPrefix(c.DB, "postgresql://") {
		return postgres.Open(ctx, c.DB)
	}
	if c.DB != "" {
		return nil, fmt.Errorf("--db: want empty (SQLite) or a postgres:// URL, got %q", redactDSN(c.DB))
	}
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	return sqlite.Open(ctx, filepath.Join(c.DataDir, "rastro.db"))
}

// logger writes JSON logs to stderr.
func (c *config) logger(e *environment) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(e.stderr, &slog.HandlerOptions{Level: level}))
}

// redactDSN hides a password in a connection string before it is printed.
func redactDSN(dsn string) string {
	at := strings.LastIndex(dsn, "@")
	scheme := strings.Index(dsn, "://")
	if at < 0 || scheme < 0 {
		return dsn
	}
	return dsn[:scheme+3] + "***" + dsn[at:]
}

func keys[V any](m map[string]V) string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

// newFlags returns a flag set that reports errors instead of exiting.
func (e *environment) newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("rastro "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}
