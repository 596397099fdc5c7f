package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/postgres"
	"github.com/rastro/rastro/store"
	"github.com/rastro/rastro/store/storetest"
)

// serverDSN returns TEST_POSTGRES_DSN, or skips the test when it is unset
// (and fails instead when CI demands its services).
func serverDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("TEST_POSTGRES_DSN")
	if dsn == "" {
		if os.Getenv("RASTRO_REQUIRE_CI_SERVICES") != "" {
			t.Fatal("TEST_POSTGRES_DSN not set but RASTRO_REQUIRE_CI_SERVICES is: start PostgreSQL with .ci/postgres.sh")
		}
		t.Skip("TEST_POSTGRES_DSN not set: PostgreSQL conformance suite skipped (CI runs it)")
	}
	return dsn
}

// freshSchema creates an empty schema, drops it when the test ends, and
// returns a DSN whose search_path points at it.
func freshSchema(t testing.TB, dsn string) string {
	t.Helper()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	schema := "rastro_test_" + strings.ToLower(rand.Text()[:12])
	if _, err := admin.ExecContext(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return withSearchPath(t, dsn, schema)
}

// withSearchPath sets the search_path run-time parameter in dsn.
func withSearchPath(t testing.TB, dsn, schema string) string {
	t.Helper()
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return dsn + " search_path=" + schema
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("TEST_POSTGRES_DSN: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// TestConformance runs the store conformance suite, each subtest in a fresh
// schema.
func TestConformance(t *testing.T) {
	dsn := serverDSN(t)
	storetest.Run(t, func(t *testing.T) *store.DB {
		db, err := postgres.Open(t.Context(), freshSchema(t, dsn))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}

// TestConcurrentMigrate starts several nodes on an empty schema at once:
// the advisory lock makes exactly one of them apply each migration.
func TestConcurrentMigrate(t *testing.T) {
	dsn := freshSchema(t, serverDSN(t))
	const nodes = 4
	applied := make([][]string, nodes)
	errs := make([]error, nodes)
	var wg sync.WaitGroup
	for i := range nodes {
		wg.Go(func() { applied[i], errs[i] = postgres.Migrate(t.Context(), dsn) })
	}
	wg.Wait()
	times := map[string]int{}
	for i := range nodes {
		if errs[i] != nil {
			t.Errorf("node %d: %v", i, errs[i])
		}
		for _, v := range applied[i] {
			times[v]++
		}
	}
	if times["0001_init"] != 1 {
		t.Errorf("0001_init applied %d times (%v), want once", times["0001_init"], applied)
	}
	for v, n := range times {
		if n != 1 {
			t.Errorf("migration %s applied %d times (%v), want once", v, n, applied)
		}
	}
	again, err := postgres.Migrate(t.Context(), dsn)
	if err != nil || len(again) != 0 {
		t.Errorf("second Migrate = %v, %v; want nothing to do", again, err)
	}
}

// TestUnreachable checks that a server that is down gives EUNAVAILABLE.
func TestUnreachable(t *testing.T) {
	_, err := postgres.Open(t.Context(), "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	if got := rastro.ErrorCode(err); got != rastro.EUNAVAILABLE {
		t.Errorf("Open on a closed port: code %q (%v), want %q", got, err, rastro.EUNAVAILABLE)
	}
}

// BenchmarkStore runs the store benchmarks, each in a fresh schema.
func BenchmarkStore(b *testing.B) {
	dsn := serverDSN(b)
	storetest.Bench(b, func(tb testing.TB) *store.DB {
		db, err := postgres.Open(tb.Context(), freshSchema(tb, dsn))
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { db.Close() })
		return db
	})
}

// ExampleOpen shows how a server connects.
func ExampleOpen() {
	db, err := postgres.Open(context.Background(), "postgres://rastro@127.0.0.1:5432/rastro?sslmode=disable")
	if err != nil {
		fmt.Println(rastro.ErrorCode(err))
		return
	}
	defer db.Close()
}
