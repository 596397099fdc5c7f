package integration_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/custody"
	"github.com/rastro/rastro/postgres"
	"github.com/rastro/rastro/sqlite"
	"github.com/rastro/rastro/store"
	"github.com/rastro/rastro/store/storetest"
)

// openSQLite opens a fresh SQLite store.
func openSQLite(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "rastro.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// TestExportFromStore runs the whole path on a real SQLite store: intake
// events, export events, a checkpoint, a package from StoreSource, and the
// offline verification of that package; then a non-member cannot export.
func TestExportFromStore(t *testing.T) {
	ctx := t.Context()
	db := openSQLite(t)
	sys := rastro.SystemActor("test")
	agency := &rastro.Agency{Name: "Unidad de Prueba", Country: "MX", Kind: rastro.AgencyPolice}
	must(t, db.CreateAgency(ctx, sys, agency))
	inv := &rastro.User{AgencyID: agency.ID, Username: "ines", DisplayName: "Inés", Role: rastro.RoleInvestigator, PasswordHash: "x"}
	must(t, db.CreateUser(ctx, sys, inv))
	actor := rastro.ActorOf(inv)
	cs := &rastro.Case{Title: "Operación Ficticia", Jurisdiction: "MX"}
	must(t, db.CreateCase(ctx, actor, cs))

	vault := map[string][]byte{}
	var ids []int64
	for _, body := range []string{"chat export (fictional)\n", "ledger (fictional)\n", "photo bytes (fictional)\n"} {
		sum := sha256.Sum256([]byte(body))
		e := &rastro.Evidence{CaseID: cs.ID, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(body)), OriginalName: "item.txt", Source: "seizure"}
		_, err := db.CreateEvidence(ctx, actor, e)
		must(t, err)
		vault[e.SHA256] = []byte(body)
		ids = append(ids, e.ID)
		for _, a := range []rastro.CustodyAction{rastro.CustodyAcquire, rastro.CustodyParse, rastro.CustodyExport} {
			_, err := db.AppendCustody(ctx, actor, &rastro.CustodyEvent{CaseID: cs.ID, EvidenceID: e.ID, Action: a, ToolVersion: "test"})
			must(t, err)
		}
	}
	keys, err := custody.LoadOrCreateKeys(t.TempDir(), "rastro.test/custody")
	must(t, err)
	cp, err := custody.CheckpointNow(ctx, db, keys, custody.CheckpointOptions{})
	must(t, err)
	if again, err := custody.CheckpointNow(ctx, db, keys, custody.CheckpointOptions{}); err != nil || again.Note != cp.Note {
		t.Errorf("second CheckpointNow: %v", err)
	}
	src := &custody.StoreSource{Store: db, Actor: actor, CaseID: cs.ID, ItemIDs: ids[:2], Key: keys.VerifierKey,
		HashesOnly: func(e *rastro.Evidence) bool { return e.ID == ids[1] },
		OpenOriginal: func(_ context.Context, e *rastro.Evidence) (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(vault[e.SHA256])), nil
		}}
	var zipped bytes.Buffer
	must(t, custody.WritePackage(ctx, &zipped, src, custody.WriteOptions{Tool: "rastro", ToolVersion: "test"}))
	path := filepath.Join(t.TempDir(), "package.zip")
	must(t, os.WriteFile(path, zipped.Bytes(), 0o644))
	r, err := custody.VerifyPackage(path, keys.VerifierKey)
	must(t, err)
	if r.Items != 2 || r.Originals != 1 || r.HashesOnly != 1 || r.Events != 6 || r.TreeSize != 9 {
		t.Errorf("report = %+v", r)
	}

	outsider := &rastro.User{AgencyID: agency.ID, Username: "otto", DisplayName: "Otto", Role: rastro.RoleInvestigator, PasswordHash: "x"}
	must(t, db.CreateUser(ctx, sys, outsider))
	src.Actor = rastro.ActorOf(outsider)
	err = custody.WritePackage(ctx, io.Discard, src, custody.WriteOptions{})
	if rastro.ErrorCode(err) != rastro.ENOTFOUND {
		t.Errorf("export by a non-member: %v, want not found", err)
	}
	_, err = db.AppendCustody(ctx, actor, &rastro.CustodyEvent{CaseID: cs.ID, EvidenceID: ids[0], Action: rastro.CustodyView})
	must(t, err)
	src.Actor = actor
	err = custody.WritePackage(ctx, io.Discard, src, custody.WriteOptions{})
	if err == nil || !strings.Contains(err.Error(), "save a new checkpoint first") {
		t.Errorf("export with an event after the checkpoint: %v", err)
	}
}

// must fails the test on err.
func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		var e *rastro.Error
		if errors.As(err, &e) {
			tb.Fatalf("%v (code %s)", err, e.Code)
		}
		tb.Fatal(err)
	}
}

// BenchmarkCustodySQLite measures AppendCustody on SQLite:
// go test ./custody/integration -run XXX -bench CustodySQLite
func BenchmarkCustodySQLite(b *testing.B) {
	storetest.BenchCustody(b, openSQLite)
}

// BenchmarkCustodyPostgres measures AppendCustody on PostgreSQL when
// TEST_POSTGRES_DSN is set (each run in a fresh schema):
// go test ./custody/integration -run XXX -bench CustodyPostgres
func BenchmarkCustodyPostgres(b *testing.B) {
	dsn := os.Getenv("TEST_POSTGRES_DSN")
	if dsn == "" {
		b.Skip("TEST_POSTGRES_DSN not set")
	}
	storetest.BenchCustody(b, func(tb testing.TB) *store.DB {
		admin, err := sql.Open("pgx", dsn)
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { admin.Close() })
		schema := "custody_bench_" + strings.ToLower(rand.Text()[:10])
		if _, err := admin.ExecContext(tb.Context(), "CREATE SCHEMA "+schema); err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
		u, err := url.Parse(dsn)
		if err != nil {
			tb.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		db, err := postgres.Open(tb.Context(), u.String())
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { db.Close() })
		return db
	})
}
