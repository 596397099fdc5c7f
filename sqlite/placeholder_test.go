package sqlite

import (
	"path/filepath"
	"testing"
)

// TestDollarPlaceholders checks that modernc.org/sqlite binds $N by position,
// including out of order and repeated, which the shared SQL relies on.
func TestDollarPlaceholders(t *testing.T) {
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var a, b, c string
	err = db.SQL().QueryRowContext(t.Context(), `SELECT $2, $1, $2 || $3`, "one", "two", "three").Scan(&a, &b, &c)
	if err != nil {
		t.Fatal(err)
	}
	if a != "two" || b != "one" || c != "twothree" {
		t.Errorf("got %q %q %q, want two one twothree", a, b, c)
	}
}
