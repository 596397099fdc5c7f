package postgres_test

import (
	"slices"
	"testing"

	"github.com/rastro/rastro/postgres"
	"github.com/rastro/rastro/store/storetest"
)

// TestMessageLinkMigration runs migration 0009 again on a schema holding a
// message link with a former ID.
func TestMessageLinkMigration(t *testing.T) {
	dsn := freshSchema(t, serverDSN(t))
	db, err := postgres.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.MessageLinkMigration(t, db, func(t *testing.T) {
		applied, err := postgres.Migrate(t.Context(), dsn)
		if err != nil || !slices.Equal(applied, []string{"0009_message_link_ids"}) {
			t.Fatalf("Migrate = %v, %v; want 0009 applied again", applied, err)
		}
	})
}
