package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Migrate applies the *.sql files of fsys (its root directory) that are not
// yet recorded in schema_migrations, in name order, each in its own
// transaction together with its record. It returns the versions applied (file
// names without ".sql"). The dialect's Lock/Unlock statements, when set, are
// held on the migrating connection so that concurrent starts migrate in turn;
// on SQLite the write transaction itself serialises them.
func Migrate(ctx context.Context, db *sql.DB, d Dialect, fsys fs.FS) (applied []string, err error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	sort.Strings(names)
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: connect: %w", err)
	}
	defer conn.Close()
	if d.Lock != "" {
		if _, err := conn.ExecContext(ctx, d.Lock); err != nil {
			return nil, fmt.Errorf("migrate: lock: %w", err)
		}
		defer func() {
			_, uerr := conn.ExecContext(context.WithoutCancel(ctx), d.Unlock)
			err = errors.Join(err, uerr)
		}()
	}
	if _, err := conn.ExecContext(ctx, d.MigrationsTable); err != nil {
		return nil, fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	for _, name := range names {
		version := strings.TrimSuffix(path.Base(name), ".sql")
		ok, err := migrateOne(ctx, conn, d, fsys, name, version)
		if err != nil {
			return applied, fmt.Errorf("migrate %s: %w", version, err)
		}
		if ok {
			applied = append(applied, version)
		}
	}
	return applied, nil
}

// migrateOne applies one file unless its version is recorded, reporting
// whether it did.
func migrateOne(ctx context.Context, conn *sql.Conn, d Dialect, fsys fs.FS, name, version string) (bool, error) {
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		return false, err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, version).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, version); err != nil {
		return false, err
	}
	return true, tx.Commit()
}
