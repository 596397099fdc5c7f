package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// TimeFormat is how SQLite stores timestamps: UTC, fixed width, microseconds,
// so that text comparison orders them correctly. It is valid RFC 3339.
const TimeFormat = "2006-01-02T15:04:05.000000Z"

// timeCol scans a nullable timestamp column (time.Time from PostgreSQL, text
// from SQLite) into *t; NULL gives the zero time.
type timeCol struct{ t *time.Time }

// ts returns a scanner for a timestamp column.
func ts(t *time.Time) timeCol { return timeCol{t} }

// Scan implements sql.Scanner.
func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.t = time.Time{}
	case time.Time:
		*c.t = v.UTC()
	case string:
		return c.parse(v)
	case []byte:
		return c.parse(string(v))
	default:
		return fmt.Errorf("scan timestamp: unsupported type %T", src)
	}
	return nil
}

func (c timeCol) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, strings.Replace(s, " ", "T", 1))
	if err != nil {
		return fmt.Errorf("scan timestamp %q: %w", s, err)
	}
	*c.t = t.UTC()
	return nil
}

// likePattern returns a LIKE pattern matching s as a substring, with LIKE's
// wildcards in s escaped by a backslash (queries use ESCAPE '\').
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// args collects bind values and hands out their placeholders, for queries
// built from optional filters.
type args []any

// add appends v and returns its placeholder.
func (a *args) add(v any) string {
	*a = append(*a, v)
	return fmt.Sprintf("$%d", len(*a))
}

// rowScanner is what *sql.Row and *sql.Rows have in common.
type rowScanner interface{ Scan(...any) error }

// queryList runs query on q and scans every row with scan; op names the
// operation in errors. An empty result is an empty, non-nil slice (a JSON
// list, never null).
func queryList[T any](ctx context.Context, db *DB, q queryer, op string, scan func(rowScanner) (T, error), query string, args ...any) ([]T, error) {
	list := []T{}
	err := scanEach(ctx, db, q, op, func(r rowScanner) error {
		x, err := scan(r)
		list = append(list, x)
		return err
	}, query, args...)
	if err != nil {
		return nil, err
	}
	return list, nil
}

// scanEach runs query on q and calls fn for every row; op names the
// operation in errors.
func scanEach(ctx context.Context, db *DB, q queryer, op string, fn func(rowScanner) error, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return db.fail(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return db.fail(op, err)
		}
	}
	return db.fail(op, rows.Err())
}
