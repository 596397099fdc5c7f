// Package postgres is Rastro's scale-out store: rastro.Store on PostgreSQL
// through pgx v5's database/sql driver. The SQL itself is shared with SQLite
// in package store; this package opens the pool, supplies the dialect
// (ILIKE, FOR UPDATE SKIP LOCKED in the job queue, error classification) and
// applies the embedded migrations under an advisory lock, so that several
// nodes starting at once migrate one after the other.
package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/rastro/rastro"
	"github.com/rastro/rastro/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationLockID is the pg_advisory_lock key held while migrating.
const migrationLockID = 7_270_411_905

// Open connects to the database at dsn (a postgres:// URL or key=value
// string), applies pending migrations and returns the store. It fails with
// EUNAVAILABLE when the server cannot be reached.
func Open(ctx context.Context, dsn string) (*store.DB, error) {
	db, err := openPool(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return store.New(db, db, Dialect()), nil
}

// Migrate applies pending migrations to the database at dsn and returns the
// versions applied.
func Migrate(ctx context.Context, dsn string) (applied []string, err error) {
	db, err := openPool(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return migrate(ctx, db)
}

// openPool opens and pings a connection pool.
func openPool(ctx context.Context, dsn string) (*sql.DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(10)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: connect: %w: %w",
			rastro.Errorf(rastro.EUNAVAILABLE, "The PostgreSQL server cannot be reached; check RASTRO_DB and that the server runs."), err)
	}
	return db, nil
}

// migrate applies the embedded migrations.
func migrate(ctx context.Context, db *sql.DB) ([]string, error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	applied, err := store.Migrate(ctx, db, Dialect(), sub)
	if err != nil {
		return applied, fmt.Errorf("postgres: %w", err)
	}
	return applied, nil
}

// Dialect returns the PostgreSQL dialect of the shared store.
func Dialect() store.Dialect {
	return store.Dialect{
		Name:       "postgres",
		ILike:      "ILIKE",
		SkipLocked: "FOR UPDATE SKIP LOCKED",
		Time:       func(t time.Time) any { return t.UTC() },
		Classify:   classify,
		MigrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    text PRIMARY KEY,
			applied_at timestamptz NOT NULL DEFAULT now())`,
		Lock:   fmt.Sprintf("SELECT pg_advisory_lock(%d)", migrationLockID),
		Unlock: fmt.Sprintf("SELECT pg_advisory_unlock(%d)", migrationLockID),
	}
}

// classify sorts pgx errors by SQLSTATE, and connection failures.
func classify(err error) store.ErrKind {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "23505":
			return store.ErrUnique
		case pe.Code == "23503":
			return store.ErrForeignKey
		case pe.Code == "23514" || pe.Code == "23502":
			return store.ErrCheck
		case strings.HasPrefix(pe.Code, "08"), strings.HasPrefix(pe.Code, "57P"), pe.Code == "53300":
			return store.ErrUnavailable
		}
		return store.ErrOther
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne), errors.Is(err, driver.ErrBadConn), pgconn.SafeToRetry(err):
		return store.ErrUnavailable
	}
	return store.ErrOther
}
