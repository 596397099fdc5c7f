package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rastro/rastro"
)

// The bulk path: parsing and imports write records, entities with their
// statements and links a thousand at a time. Each call is still one
// transaction, but rows go in multi-row INSERT ... VALUES (...), (...)
// statements, duplicates are merged in memory first (PostgreSQL refuses an
// upsert that touches one row twice), and idempotency comes from the unique
// keys (ON CONFLICT) instead of a SELECT per row.

// maxBindVars is the most placeholders one statement may carry on every
// backend: SQLite's default limit (32766); PostgreSQL allows 65535.
const maxBindVars = 32766

// maxInsertRows bounds the rows of one multi-row INSERT: beyond a few
// hundred, longer statements save nothing and cost memory.
const maxInsertRows = 500

// rowsPerInsert is how many rows of cols placeholders fit one statement.
func rowsPerInsert(cols int) int {
	return min(maxInsertRows, maxBindVars/cols)
}

// inChunks calls fn with consecutive slices of xs: slices of n elements
// while that many remain, then the rest in slices of decreasing powers of
// two (300 = 256 + 32 + 8 + 4), so that a bulk statement has one of a few
// sizes whose preparation is reused (see bulkQuery) instead of a size that
// changes with every batch and is parsed anew each time.
func inChunks[T any](xs []T, n int, fn func([]T) error) error {
	for len(xs) > 0 {
		k := n
		if len(xs) < n {
			k = 1 << (bits.Len(uint(len(xs))) - 1)
		}
		if err := fn(xs[:k]); err != nil {
			return err
		}
		xs = xs[k:]
	}
	return nil
}

// reusedSize reports whether a bulk statement of rows rows, in chunks of
// at most full, has a size inChunks repeats from batch to batch.
func reusedSize(rows, full int) bool {
	return rows == full || rows&(rows-1) == 0
}

// values builds the VALUES list of a multi-row statement and its bind
// values: row appends one parenthesised row. Every cell gets a placeholder
// of its own, numbered ($3) on PostgreSQL and anonymous (?) on SQLite,
// which looks numbered and named parameters up in a list (quadratic in the
// thousands of parameters of a bulk statement; see Dialect.Anonymous).
type values struct {
	anon bool
	a    []any
	sb   strings.Builder
}

// values returns an empty VALUES list for the store's dialect.
func (db *DB) values() *values {
	return &values{anon: db.d.Anonymous}
}

// row appends one row. A bigint cell binds its value as a 64-bit integer
// explicitly, for VALUES lists outside an INSERT, which PostgreSQL would
// otherwise type as text.
func (v *values) row(cells ...any) {
	if v.sb.Len() > 0 {
		v.sb.WriteString(", ")
	}
	v.sb.WriteByte('(')
	for i, c := range cells {
		if i > 0 {
			v.sb.WriteString(", ")
		}
		if n, ok := c.(bigint); ok {
			v.sb.WriteString("CAST(" + v.ph(int64(n)) + " AS BIGINT)")
		} else {
			v.sb.WriteString(v.ph(c))
		}
	}
	v.sb.WriteByte(')')
}

// ph binds x and returns its placeholder.
func (v *values) ph(x any) string {
	v.a = append(v.a, x)
	if v.anon {
		return "?"
	}
	return "$" + strconv.Itoa(len(v.a))
}

// bigint is a cell bound as a 64-bit integer.
type bigint int64

// stmtCache keeps the prepared statements of full-size bulk chunks, whose
// text repeats batch after batch, so that SQLite parses a statement of
// thousands of placeholders once, not once per chunk. A statement is
// prepared on the write pool after the transaction that first ran it has
// ended (SQLite's write pool has one connection, which that transaction
// holds); later transactions use it through Tx.Stmt, which reuses the
// preparation on the transaction's connection.
type stmtCache struct {
	mu      sync.Mutex
	m       map[string]*sql.Stmt
	pending map[string]bool
}

// get returns the prepared statement for query, or false after noting the
// query for prepare.
func (c *stmtCache) get(query string) (*sql.Stmt, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st, true
	}
	if c.pending == nil {
		c.pending = map[string]bool{}
	}
	c.pending[query] = true
	return nil, false
}

// prepare prepares the noted queries on pool. A query that fails to
// prepare is dropped: it runs unprepared, as the first time. The lock is
// not held while preparing, which waits for a connection that another
// transaction, itself waiting in get, may hold.
func (c *stmtCache) prepare(ctx context.Context, pool *sql.DB) {
	c.mu.Lock()
	var queries []string
	for q := range c.pending {
		queries = append(queries, q)
	}
	clear(c.pending)
	c.mu.Unlock()
	for _, q := range queries {
		st, err := pool.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		c.mu.Lock()
		if _, ok := c.m[q]; ok {
			st.Close()
		} else {
			if c.m == nil {
				c.m = map[string]*sql.Stmt{}
			}
			c.m[q] = st
		}
		c.mu.Unlock()
	}
}

// close closes the cached statements.
func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	for _, st := range c.m {
		err = errors.Join(err, st.Close())
	}
	c.m = nil
	return err
}

// bulkQuery runs a bulk statement of rows rows in tx and calls fn for every
// row it returns; statements of a size inChunks repeats (a full chunk or a
// power of two) are prepared once and reused (see stmtCache; commitBulk
// prepares them).
func (db *DB) bulkQuery(ctx context.Context, tx *sql.Tx, op string, rows, full int, fn func(rowScanner) error, query string, args []any) error {
	var q queryer = tx
	if reusedSize(rows, full) {
		if st, ok := db.bulk.get(query); ok {
			q = stmtQueryer{tx.StmtContext(ctx, st)}
		}
	}
	return scanEach(ctx, db, q, op, fn, query, args...)
}

// commitBulk commits a transaction of the bulk path, then prepares the
// statements it ran for the first time.
func (db *DB) commitBulk(ctx context.Context, tx *sql.Tx) error {
	if err := db.commit(tx); err != nil {
		return err
	}
	db.bulk.prepare(ctx, db.write)
	return nil
}

// stmtQueryer runs a prepared statement through the queryer interface
// (the query text is ignored).
type stmtQueryer struct{ st *sql.Stmt }

func (s stmtQueryer) ExecContext(ctx context.Context, _ string, args ...any) (sql.Result, error) {
	return s.st.ExecContext(ctx, args...)
}

func (s stmtQueryer) QueryContext(ctx context.Context, _ string, args ...any) (*sql.Rows, error) {
	return s.st.QueryContext(ctx, args...)
}

func (s stmtQueryer) QueryRowContext(ctx context.Context, _ string, args ...any) *sql.Row {
	return s.st.QueryRowContext(ctx, args...)
}

// StoreParsed stores parsed records, then the entities and links derive
// returns for them, in one transaction (see rastro.EvidenceService): the
// parse job's batch costs one commit and one fsync of the WAL, not three.
// A nil derive stores the records alone (CreateRecords).
func (db *DB) StoreParsed(ctx context.Context, actor rastro.Actor, caseID int64, recs []*rastro.Record, derive func() ([]*rastro.Entity, []*rastro.Link, error)) error {
	if len(recs) == 0 {
		return nil
	}
	if err := validateRecords(recs); err != nil {
		return err
	}
	tx, err := db.writeCase(ctx, actor, caseID, rastro.PermWriteCase)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := db.checkRecordEvidence(ctx, tx, caseID, recs); err != nil {
		return err
	}
	if err := db.insertRecords(ctx, tx, caseID, recs); err != nil {
		return err
	}
	if derive != nil {
		if err := db.storeDerived(ctx, tx, caseID, derive); err != nil {
			return err
		}
	}
	if err := db.bumpCase(ctx, tx, caseID); err != nil {
		return err
	}
	return db.commitBulk(ctx, tx)
}

// storeDerived stores in tx the entities and links derive returns for
// records just stored (StoreParsed).
func (db *DB) storeDerived(ctx context.Context, tx *sql.Tx, caseID int64, derive func() ([]*rastro.Entity, []*rastro.Link, error)) error {
	es, links, err := derive()
	if err != nil {
		return err
	}
	if err := validateEntities(es, caseID); err != nil {
		return err
	}
	if err := validateLinks(links); err != nil {
		return err
	}
	now := db.now()
	if len(es) > 0 {
		if err := db.putEntities(ctx, tx, es, now); err != nil {
			return err
		}
	}
	return db.upsertLinks(ctx, tx, caseID, links, now)
}

// validateRecords checks that every record names its item, kind and locator.
func validateRecords(recs []*rastro.Record) error {
	for i, r := range recs {
		if r.Kind == "" || r.Locator == "" || r.EvidenceID == 0 {
			return errorf(rastro.EINVALID, "Record %d needs an evidence_id, a kind and a locator.", i)
		}
	}
	return nil
}

// recordKey identifies a record: its evidence item and locator.
type recordKey struct {
	evidence int64
	locator  string
}

// insertRecords upserts recs (validated, all of caseID) and sets their IDs.
// A record with the same item and locator keeps its row and ID.
func (db *DB) insertRecords(ctx context.Context, tx *sql.Tx, caseID int64, recs []*rastro.Record) error {
	last := map[recordKey]*rastro.Record{}
	var uniq []*rastro.Record
	for _, r := range recs {
		r.CaseID = caseID
		k := recordKey{r.EvidenceID, r.Locator}
		if _, ok := last[k]; !ok {
			uniq = append(uniq, r)
		}
		last[k] = r // a later duplicate wins, as if written after
	}
	ids := make(map[recordKey]int64, len(uniq))
	n := rowsPerInsert(6)
	err := inChunks(uniq, n, func(chunk []*rastro.Record) error {
		v := db.values()
		for _, r := range chunk {
			r = last[recordKey{r.EvidenceID, r.Locator}]
			v.row(caseID, r.EvidenceID, r.Kind, r.Locator, db.t(r.Time), r.Text)
		}
		return db.bulkQuery(ctx, tx, "create records", len(chunk), n, func(row rowScanner) error {
			var k recordKey
			var id int64
			if err := row.Scan(&id, &k.evidence, &k.locator); err != nil {
				return err
			}
			ids[k] = id
			return nil
		}, `INSERT INTO records (case_id, evidence_id, kind, locator, time, text) VALUES `+v.sb.String()+`
			ON CONFLICT (evidence_id, locator) DO UPDATE SET kind = excluded.kind, time = excluded.time, text = excluded.text
			RETURNING id, evidence_id, locator`, v.a)
	})
	if db.kind(err) == ErrForeignKey {
		return errorf(rastro.EINVALID, "A record refers to evidence that is not in case %d.", caseID)
	} else if err != nil {
		return err
	}
	for _, r := range recs {
		if r.ID = ids[recordKey{r.EvidenceID, r.Locator}]; r.ID == 0 {
			return fmt.Errorf("store: create records: no id returned for %d %q", r.EvidenceID, r.Locator)
		}
	}
	return nil
}

// checkRecordEvidence returns EINVALID unless every item the records cite
// is evidence of caseID.
func (db *DB) checkRecordEvidence(ctx context.Context, tx *sql.Tx, caseID int64, recs []*rastro.Record) error {
	seen := map[int64]bool{}
	a := args{caseID}
	var ph []string
	for _, r := range recs {
		if !seen[r.EvidenceID] {
			seen[r.EvidenceID] = true
			ph = append(ph, a.add(r.EvidenceID))
		}
	}
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM evidence WHERE case_id = $1 AND id IN (`+strings.Join(ph, ", ")+`)`, a...).Scan(&n)
	if err != nil {
		return db.fail("create records", err)
	}
	if n != len(ph) {
		return errorf(rastro.EINVALID, "A record refers to evidence that is not in case %d.", caseID)
	}
	return nil
}

// entityRow is one entity to upsert: the merged values of every copy of it
// in a batch, and the copies, which all receive the stored values.
type entityRow struct {
	e           *rastro.Entity
	copies      []*rastro.Entity
	keepCaption bool
}

// mergeEntities groups es by ID, in order of first appearance. The merged
// row has the last copy's schema, caption and sensitivity and the first
// known case role and legal status: what writing the copies one after the
// other would store.
func mergeEntities(es []*rastro.Entity) []*entityRow {
	byID := map[string]*entityRow{}
	var rows []*entityRow
	for _, e := range es {
		r := byID[e.ID]
		if r == nil {
			r = &entityRow{e: &rastro.Entity{CaseID: e.CaseID, ID: e.ID, CaseRole: rastro.CaseRoleUnknown}}
			byID[e.ID] = r
			rows = append(rows, r)
		}
		m := r.e
		m.Schema, m.Caption, m.Sensitivity = e.Schema, e.Caption, e.Sensitivity
		if m.CaseRole == rastro.CaseRoleUnknown {
			m.CaseRole = e.CaseRole
		}
		if m.LegalStatus == "" {
			m.LegalStatus = e.LegalStatus
		}
		r.copies = append(r.copies, e)
	}
	return rows
}

// upsertEntities writes the rows and copies the stored case role, legal
// status and times back to every copy. Rows whose caption is the pseudonym
// keep the stored caption (see isPseudonym).
func (db *DB) upsertEntities(ctx context.Context, tx *sql.Tx, rows []*entityRow, now time.Time) error {
	var keep, replace []*entityRow
	for _, r := range rows {
		if r.keepCaption {
			keep = append(keep, r)
		} else {
			replace = append(replace, r)
		}
	}
	byID := make(map[string]*entityRow, len(rows))
	for _, r := range rows {
		byID[r.e.ID] = r
	}
	at := db.t(now) // formatted once, not per row
	for _, group := range []struct {
		rows    []*entityRow
		caption string
	}{{replace, "excluded.caption"}, {keep, "e.caption"}} {
		n := rowsPerInsert(9)
		err := inChunks(group.rows, n, func(chunk []*entityRow) error {
			v := db.values()
			for _, r := range chunk {
				e := r.e
				v.row(e.CaseID, e.ID, e.Schema, e.Caption, e.CaseRole, e.LegalStatus, e.Sensitivity, at, at)
			}
			return db.bulkQuery(ctx, tx, "put entities", len(chunk), n, func(row rowScanner) error {
				var id string
				var s rastro.Entity
				if err := row.Scan(&id, &s.CaseRole, &s.LegalStatus, ts(&s.CreatedAt), ts(&s.UpdatedAt)); err != nil {
					return err
				}
				for _, c := range byID[id].copies {
					c.CaseRole, c.LegalStatus, c.CreatedAt, c.UpdatedAt = s.CaseRole, s.LegalStatus, s.CreatedAt, s.UpdatedAt
				}
				return nil
			}, `INSERT INTO entities AS e (case_id, id, schema, caption, case_role, legal_status, sensitivity, created_at, updated_at)
				VALUES `+v.sb.String()+`
				ON CONFLICT (case_id, id) DO UPDATE SET schema = excluded.schema, caption = `+group.caption+`,
					case_role = CASE WHEN e.case_role = 'unknown' THEN excluded.case_role ELSE e.case_role END,
					legal_status = CASE WHEN e.legal_status = '' THEN excluded.legal_status ELSE e.legal_status END,
					sensitivity = excluded.sensitivity, updated_at = excluded.updated_at
				RETURNING id, case_role, legal_status, created_at, updated_at`, v.a)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// statementKey is what makes a statement unique within its case (the
// statements_fact index).
type statementKey struct {
	entity, prop, value string
	evidence, record    int64
	locator             string
	origin              rastro.Origin
}

func keyOf(s *rastro.Statement) statementKey {
	return statementKey{s.EntityID, s.Prop, s.Value, s.EvidenceID, s.RecordID, s.Locator, s.Origin}
}

// statementRow is one fact to insert and the statements that state it.
type statementRow struct {
	s      *rastro.Statement
	copies []*rastro.Statement
}

// insertStatements adds the statements not yet stored (INSERT ... ON
// CONFLICT DO NOTHING) and gives every statement its stored row's ID and
// time. Statements of a case and fact are merged first.
func (db *DB) insertStatements(ctx context.Context, tx *sql.Tx, caseID int64, ss []*rastro.Statement, now time.Time) error {
	byKey := map[statementKey]*statementRow{}
	var rows []*statementRow
	for _, s := range ss {
		k := keyOf(s)
		r := byKey[k]
		if r == nil {
			r = &statementRow{s: s}
			byKey[k] = r
			rows = append(rows, r)
		}
		r.copies = append(r.copies, s)
	}
	found := func(row rowScanner) error {
		var k statementKey
		var id int64
		var at time.Time
		if err := row.Scan(&id, ts(&at), &k.entity, &k.prop, &k.value, &k.evidence, &k.record, &k.locator, &k.origin); err != nil {
			return err
		}
		if r := byKey[k]; r != nil {
			for _, c := range r.copies {
				c.ID, c.CreatedAt = id, at
			}
		}
		return nil
	}
	at := db.t(now) // formatted once, not per row
	n := rowsPerInsert(11)
	err := inChunks(rows, n, func(chunk []*statementRow) error {
		v := db.values()
		for _, r := range chunk {
			s := r.s
			v.row(caseID, s.EntityID, s.Prop, s.Value, s.Normalized, nullID(s.EvidenceID), nullID(s.RecordID),
				s.Locator, s.Origin, s.Confidence, at)
		}
		return db.bulkQuery(ctx, tx, "put statements", len(chunk), n, found, `
			INSERT INTO statements (case_id, entity_id, prop, value, normalized, evidence_id, record_id, locator, origin, confidence, created_at)
			VALUES `+v.sb.String()+` ON CONFLICT DO NOTHING
			RETURNING id, created_at, entity_id, prop, value, COALESCE(evidence_id, 0), COALESCE(record_id, 0), locator, origin`, v.a)
	})
	if db.kind(err) == ErrForeignKey {
		return errorf(rastro.EINVALID, "A statement refers to evidence or a record that is not in case %d.", caseID)
	} else if err != nil {
		return err
	}
	var stored []*statementRow // already there before: read their IDs
	for _, r := range rows {
		if r.s.ID == 0 {
			stored = append(stored, r)
		}
	}
	n = rowsPerInsert(8)
	return inChunks(stored, n, func(chunk []*statementRow) error {
		v := db.values()
		for _, r := range chunk {
			s := r.s
			v.row(bigint(caseID), s.EntityID, s.Prop, s.Value, bigint(s.EvidenceID), bigint(s.RecordID), s.Locator, s.Origin)
		}
		return db.bulkQuery(ctx, tx, "put statements", len(chunk), n, found, `
			WITH v (case_id, entity_id, prop, value, evidence_id, record_id, locator, origin) AS (VALUES `+v.sb.String()+`)
			SELECT s.id, s.created_at, s.entity_id, s.prop, s.value, COALESCE(s.evidence_id, 0), COALESCE(s.record_id, 0), s.locator, s.origin
			FROM v JOIN statements s ON s.case_id = v.case_id AND s.entity_id = v.entity_id AND s.prop = v.prop AND s.value = v.value
				AND COALESCE(s.evidence_id, 0) = v.evidence_id AND COALESCE(s.record_id, 0) = v.record_id
				AND s.locator = v.locator AND s.origin = v.origin`, v.a)
	})
}

// upsertLinks creates or replaces links (validated) of caseID by ID and sets
// their creation times. A later copy of an ID wins.
func (db *DB) upsertLinks(ctx context.Context, tx *sql.Tx, caseID int64, links []*rastro.Link, now time.Time) error {
	last := map[string]*rastro.Link{}
	var uniq []*rastro.Link
	for _, l := range links {
		l.CaseID = caseID
		if _, ok := last[l.ID]; !ok {
			uniq = append(uniq, l)
		}
		last[l.ID] = l
	}
	created, known, err := db.storedLinkTimes(ctx, tx, caseID, uniq)
	if err != nil {
		return err
	}
	returning := `
			RETURNING id, created_at`
	if known { // created holds the stored links; the others are new
		returning = ""
		stored := now.UTC().Truncate(time.Microsecond) // as read back
		for _, l := range uniq {
			if _, ok := created[l.ID]; !ok {
				created[l.ID] = stored
			}
		}
	}
	at := db.t(now) // formatted once, not per row
	var times timeMemo
	n := rowsPerInsert(15)
	err = inChunks(uniq, n, func(chunk []*rastro.Link) error {
		v := db.values()
		for _, l := range chunk {
			l = last[l.ID]
			v.row(caseID, l.ID, l.Schema, l.SourceID, l.TargetID, times.t(db, l.Start), times.t(db, l.End), l.Amount, l.Currency,
				nullID(l.EvidenceID), nullID(l.RecordID), l.Locator, l.Origin, at, l.Description)
		}
		return db.bulkQuery(ctx, tx, "put links", len(chunk), n, func(row rowScanner) error {
			var id string
			var at time.Time
			if err := row.Scan(&id, ts(&at)); err != nil {
				return err
			}
			created[id] = at
			return nil
		}, `INSERT INTO links (case_id, id, schema, source_id, target_id, start_at, end_at, amount, currency,
				evidence_id, record_id, locator, origin, created_at, description)
			VALUES `+v.sb.String()+`
			ON CONFLICT (case_id, id) DO UPDATE SET schema = excluded.schema, source_id = excluded.source_id,
				target_id = excluded.target_id, start_at = excluded.start_at, end_at = excluded.end_at,
				amount = excluded.amount, currency = excluded.currency, evidence_id = excluded.evidence_id,
				record_id = excluded.record_id, locator = excluded.locator, origin = excluded.origin,
				description = excluded.description`+returning, v.a)
	})
	if db.kind(err) == ErrForeignKey {
		return errorf(rastro.EINVALID, "A link joins entities, or cites evidence or a record, that are not all in case %d.", caseID)
	} else if err != nil {
		return err
	}
	for _, l := range links {
		l.CreatedAt = created[l.ID]
	}
	return nil
}

// timeMemo formats times for binding (DB.t), reusing the last result: the
// links of one message (one per recipient) share its time, and a batch's
// links mostly have no end time.
type timeMemo struct {
	last time.Time
	v    any
	ok   bool
}

// t returns db.t(x), formatting it only when it differs from the last x.
func (m *timeMemo) t(db *DB, x time.Time) any {
	if m.ok && x.Equal(m.last) {
		return m.v
	}
	m.last, m.v, m.ok = x, db.t(x), true
	return m.v
}

// storedLinkTimes returns the creation times of the links among ls that
// are already stored, and true, when ls are message links of one evidence
// item (IDs "msg-<evidence>-<record>-<hash>", see ingest.MessageLinkID):
// their IDs then span a narrow range of the primary key, read with one
// seek, which is empty for a batch parsed for the first time. That spares
// the insert a RETURNING row per link. For other links it returns false,
// and the insert returns the times.
func (db *DB) storedLinkTimes(ctx context.Context, tx *sql.Tx, caseID int64, ls []*rastro.Link) (map[string]time.Time, bool, error) {
	created := make(map[string]time.Time, len(ls))
	if len(ls) == 0 {
		return created, false, nil
	}
	lo, hi := ls[0].ID, ls[0].ID
	for _, l := range ls[1:] {
		lo, hi = min(lo, l.ID), max(hi, l.ID)
	}
	if !sameMessageItem(lo, hi) {
		return created, false, nil
	}
	want := make(map[string]bool, len(ls))
	for _, l := range ls {
		want[l.ID] = true
	}
	err := scanEach(ctx, db, tx, "put links", func(row rowScanner) error {
		var id string
		var at time.Time
		if err := row.Scan(&id, ts(&at)); err != nil {
			return err
		}
		if want[id] {
			created[id] = at
		}
		return nil
	}, `SELECT id, created_at FROM links WHERE case_id = $1 AND id BETWEEN $2 AND $3`, caseID, lo, hi)
	return created, err == nil, err
}

// sameMessageItem reports whether two link IDs are message link IDs of the
// same evidence item: "msg-", the same item number and a dash.
func sameMessageItem(a, b string) bool {
	const p = "msg-"
	if !strings.HasPrefix(a, p) || !strings.HasPrefix(b, p) {
		return false
	}
	i := strings.IndexByte(a[len(p):], '-')
	if i <= 0 {
		return false
	}
	n := len(p) + i + 1
	return len(b) >= n && a[:n] == b[:n]
}
