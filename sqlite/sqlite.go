// Package sqlite is Rastro's embedded store: rastro.Store on a single SQLite
// file through modernc.org/sqlite (pure Go, no cgo). The SQL itself is shared
// with PostgreSQL in package store; this package opens the database with the
// right settings, supplies the dialect and applies the embedded migrations.
//
// Concurrency: SQLite allows one writer at a time. The store keeps a write
// pool of exactly one connection, whose transactions begin IMMEDIATE (take
// the write lock up front, so a read-then-write transaction never fails with
// SQLITE_BUSY halfway), and a separate pool of read-only connections, which
// in WAL mode read a consistent snapshot without blocking the writer or each
// other. Other processes (the CLI while a server runs) wait up to the busy
// timeout for the write lock.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"time"

	"github.com/rastro/rastro/store"
	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// busyTimeout is how long a connection waits for another's lock.
const busyTimeout = 10 * time.Second

// Open opens (creating if needed) the database file at path, applies pending
// migrations and returns the store.
func Open(ctx context.Context, path string) (*store.DB, error) {
	if path == "" {
		return nil, fmt.Errorf("sqlite: open: database path is empty")
	}
	write, err := openPool(ctx, path, false)
	if err != nil {
		return nil, err
	}
	if _, err := migrate(ctx, write); err != nil {
		write.Close()
		return nil, err
	}
	read, err := openPool(ctx, path, true)
	if err != nil {
		write.Close()
		return nil, err
	}
	return store.New(write, read, Dialect()), nil
}

// Migrate applies pending migrations to the database file at path and
// returns the versions applied.
func Migrate(ctx context.Context, path string) (applied []string, err error) {
	write, err := openPool(ctx, path, false)
	if err != nil {
		return nil, err
	}
	defer write.Close()
	return migrate(ctx, write)
}

// migrate applies the embedded migrations.
func migrate(ctx context.Context, db *sql.DB) ([]string, error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	applied, err := store.Migrate(ctx, db, Dialect(), sub)
	if err != nil {
		return applied, fmt.Errorf("sqlite: %w", err)
	}
	return applied, nil
}

// openPool opens the write pool (one connection, IMMEDIATE transactions, WAL)
// or the read pool (read-only connections).
func openPool(ctx context.Context, path string, readOnly bool) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Set("_txlock", "immediate")
	}
	db, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if readOnly {
		db.SetMaxOpenConns(max(4, runtime.GOMAXPROCS(0)))
	} else {
		db.SetMaxOpenConns(1)
	}
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return db, nil
}

// Dialect returns the SQLite dialect of the shared store.
func Dialect() store.Dialect {
	return store.Dialect{
		Name:       "sqlite",
		ILike:      "LIKE",
		SkipLocked: "",
		Time:       func(t time.Time) any { return t.UTC().Format(store.TimeFormat) },
		Classify:   classify,
		Anonymous:  true,
		MigrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    TEXT PRIMARY KEY,
			applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))`,
	}
}

// classify sorts SQLite errors by their result code.
func classify(err error) store.ErrKind {
	var e *sqlite3.Error
	if !errors.As(err, &e) {
		return store.ErrOther
	}
	switch e.Code() {
	case sqlite3lib.SQLITE_CONSTRAINT_UNIQUE, sqlite3lib.SQLITE_CONSTRAINT_PRIMARYKEY:
		return store.ErrUnique
	case sqlite3lib.SQLITE_CONSTRAINT_FOREIGNKEY:
		return store.ErrForeignKey
	case sqlite3lib.SQLITE_CONSTRAINT_CHECK, sqlite3lib.SQLITE_CONSTRAINT_NOTNULL:
		return store.ErrCheck
	}
	switch e.Code() & 0xff {
	case sqlite3lib.SQLITE_BUSY, sqlite3lib.SQLITE_LOCKED, sqlite3lib.SQLITE_CANTOPEN, sqlite3lib.SQLITE_IOERR:
		return store.ErrUnavailable
	}
	return store.ErrOther
}
