// Package store implements rastro.Store once, over database/sql, for every
// SQL backend. The SQL is written with $1, $2 placeholders, which both
// modernc.org/sqlite and pgx bind by position; what differs between the
// dialects (case-insensitive LIKE, row locking in the job queue, how a
// timestamp is bound, how driver errors are classified) lives in a Dialect
// supplied by the backend package (sqlite, postgres).
//
// Authorisation is part of every query: each method takes the acting user,
// checks the role's permission and, for case data, membership of the case in
// the same transaction as the data it reads or writes.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rastro/rastro"
)

// ErrKind classifies a driver error so that the shared code can map it to an
// application error code without importing the drivers.
type ErrKind int

// Kinds of driver error.
const (
	ErrOther       ErrKind = iota // anything else: EINTERNAL
	ErrUnique                     // unique or primary key violation: ECONFLICT
	ErrForeignKey                 // reference to a missing row: EINVALID
	ErrCheck                      // CHECK or NOT NULL violation: EINVALID
	ErrUnavailable                // the database cannot be reached: EUNAVAILABLE
)

// Dialect carries what differs between SQL backends.
type Dialect struct {
	// Name is "sqlite" or "postgres".
	Name string
	// ILike is the case-insensitive LIKE operator ("LIKE" on SQLite, whose
	// LIKE folds ASCII only; "ILIKE" on PostgreSQL).
	ILike string
	// SkipLocked is appended to the job queue's SELECT that picks a job
	// ("FOR UPDATE SKIP LOCKED" on PostgreSQL; empty on SQLite, where the
	// single writer makes the claim atomic).
	SkipLocked string
	// Time converts a non-zero UTC timestamp to the value bound for a
	// timestamp column.
	Time func(time.Time) any
	// Classify sorts a driver error into an ErrKind.
	Classify func(error) ErrKind
	// MigrationsTable is the CREATE TABLE IF NOT EXISTS statement for
	// schema_migrations.
	MigrationsTable string
	// Anonymous is set when bulk statements should use anonymous "?"
	// placeholders bound in order: SQLite looks "$N" up in a list per
	// parameter, which is quadratic in a statement with thousands of them.
	Anonymous bool
	// Lock and Unlock, when set, are run on the migrating connection around
	// all migrations, so that two nodes starting at once migrate in turn.
	Lock, Unlock string
}

// DB implements rastro.Store over database/sql. Writes go through the write
// pool, reads through the read pool; for PostgreSQL both are the same pool,
// for SQLite the write pool holds one connection (one writer) and the read
// pool several read-only ones.
type DB struct {
	write *sql.DB
	read  *sql.DB
	d     Dialect
	// bulk holds the prepared statements of the bulk path (bulk.go).
	bulk stmtCache
	// Now returns the current time; tests may replace it before first use.
	// The store truncates it to microseconds (PostgreSQL's precision) and UTC.
	Now func() time.Time
	// scrubs caches each case's text scrubbers (textScrubber).
	scrubs scrubCache
}

// New returns a DB over the given pools. write and read may be the same pool.
// The caller has applied migrations; Close closes both pools.
func New(write, read *sql.DB, d Dialect) *DB {
	return &DB{write: write, read: read, d: d, Now: time.Now}
}

var _ rastro.Store = (*DB)(nil)

// SQL returns the write pool, for tests and operations tooling (backups,
// checks); application code must use the service methods.
func (db *DB) SQL() *sql.DB { return db.write }

// Dialect returns the backend's dialect.
func (db *DB) Dialect() Dialect { return db.d }

// Ping reports whether the database answers; EUNAVAILABLE when it does not.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return db.fail("ping", unavailable(err))
	}
	if db.read != db.write {
		if err := db.read.PingContext(ctx); err != nil {
			return db.fail("ping", unavailable(err))
		}
	}
	return nil
}

// unavailable marks a ping error as a connection problem.
func unavailable(err error) error {
	return fmt.Errorf("%w: %w", rastro.Errorf(rastro.EUNAVAILABLE, "The database is unreachable; try again later."), err)
}

// Close closes both pools.
func (db *DB) Close() error {
	err := db.bulk.close()
	err = errors.Join(err, db.write.Close())
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// now returns the current time in UTC at microsecond precision.
func (db *DB) now() time.Time {
	return db.Now().UTC().Truncate(time.Microsecond)
}

// t returns the bind value of a timestamp: NULL for the zero time.
func (db *DB) t(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return db.d.Time(t.UTC().Truncate(time.Microsecond))
}

// beginWrite starts a read-write transaction on the write pool.
func (db *DB) beginWrite(ctx context.Context) (*sql.Tx, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, db.fail("begin", err)
	}
	return tx, nil
}

// beginRead starts a read-only snapshot transaction on the read pool.
func (db *DB) beginRead(ctx context.Context) (*sql.Tx, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return nil, db.fail("begin", err)
	}
	return tx, nil
}

// commit commits tx and maps its error.
func (db *DB) commit(tx *sql.Tx) error {
	if err := tx.Commit(); err != nil {
		return db.fail("commit", err)
	}
	return nil
}

// fail wraps err with op, turning driver errors into application errors:
// application errors pass unchanged, constraint violations become ECONFLICT or
// EINVALID, connection failures EUNAVAILABLE, anything else stays internal.
func (db *DB) fail(op string, err error) error {
	if err == nil {
		return nil
	}
	var e *rastro.Error
	if errors.As(err, &e) {
		return err
	}
	var app *rastro.Error
	switch db.kind(err) {
	case ErrUnique:
		app = rastro.Errorf(rastro.ECONFLICT, "The object already exists.")
	case ErrForeignKey:
		app = rastro.Errorf(rastro.EINVALID, "The object refers to something that does not exist.")
	case ErrCheck:
		app = rastro.Errorf(rastro.EINVALID, "A required value is missing or out of range.")
	case ErrUnavailable:
		app = rastro.Errorf(rastro.EUNAVAILABLE, "The database is unreachable; try again later.")
	default:
		return fmt.Errorf("store: %s: %w", op, err)
	}
	return fmt.Errorf("store: %s: %w: %w", op, app, err)
}

// kind classifies err with the dialect.
func (db *DB) kind(err error) ErrKind {
	if err == nil || db.d.Classify == nil {
		return ErrOther
	}
	return db.d.Classify(err)
}

// errorf is a shorthand for rastro.Errorf.
func errorf(code, format string, args ...any) error {
	return rastro.Errorf(code, format, args...)
}

// forbidden is the error for a missing role permission.
func forbidden(what string) error {
	return errorf(rastro.EFORBIDDEN, "Your role does not allow you to %s.", what)
}

// nullID binds 0 as NULL for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// queryer is what *sql.Tx and *sql.DB have in common.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// exactlyOne returns ENOTFOUND (with msg) unless res affected one row.
func exactlyOne(res sql.Result, format string, args ...any) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return errorf(rastro.ENOTFOUND, format, args...)
	}
	return nil
}
