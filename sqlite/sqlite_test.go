package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/rastro/rastro/sqlite"
	"github.com/rastro/rastro/store"
	"github.com/rastro/rastro/store/storetest"
)

// TestConformance runs the store conformance suite on a fresh database file
// per subtest.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) *store.DB {
		db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "rastro.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}

// BenchmarkStore runs the store benchmarks on a database file.
func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(tb testing.TB) *store.DB {
		db, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "rastro.db"))
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { db.Close() })
		return db
	})
}
