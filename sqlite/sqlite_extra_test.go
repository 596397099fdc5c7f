package sqlite_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/sqlite"
	"github.com/rastro/rastro/store/storetest"
)

func TestMigrate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	applied, err := sqlite.Migrate(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) == 0 || applied[0] != "0001_init" || !slices.IsSorted(applied) {
		t.Errorf("first Migrate applied %v, want every migration in order from 0001_init", applied)
	}
	applied, err = sqlite.Migrate(t.Context(), path)
	if err != nil || len(applied) != 0 {
		t.Errorf("second Migrate = %v, %v; want nothing to do", applied, err)
	}
	db, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mode string
	if err := db.SQL().QueryRowContext(t.Context(), "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q (%v), want wal", mode, err)
	}
	var fk int
	if err := db.SQL().QueryRowContext(t.Context(), "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d (%v), want 1", fk, err)
	}
}

// TestRestart checks that data and queued jobs survive closing and reopening
// the store, as after a crash or an upgrade.
func TestRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	ctx := t.Context()
	sys := rastro.SystemActor("test")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ag := &rastro.Agency{Name: "Agencia", Country: "ES"}
	c := &rastro.Case{Title: "Caso", Jurisdiction: "ES"}
	if err := db.CreateAgency(ctx, sys, ag); err != nil {
		t.Fatal(err)
	}
	c.AgencyID = ag.ID
	if err := db.CreateCase(ctx, sys, c); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateEvidence(ctx, sys, &rastro.Evidence{CaseID: c.ID, SHA256: fmt.Sprintf("%064x", 1)}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Claim(ctx, nil, time.Nanosecond); err != nil { // a worker takes it and dies
		t.Fatal(err)
	}
	db.Close()
	time.Sleep(time.Millisecond)

	db, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	j, err := db.Claim(ctx, []string{"evidence.parse"}, time.Minute)
	if err != nil {
		t.Fatalf("after restart the interrupted job is not claimable: %v", err)
	}
	if j.Attempts != 2 || j.CaseID != c.ID {
		t.Errorf("reclaimed job = %+v, want attempt 2 of case %d", j, c.ID)
	}
}

// TestTwoProcesses opens the same file twice (as the CLI does while a server
// runs) and writes from both at once: busy_timeout and IMMEDIATE
// transactions make every write succeed.
func TestTwoProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "two.db")
	ctx := t.Context()
	sys := rastro.SystemActor("test")
	var wg sync.WaitGroup
	for p := range 2 {
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		wg.Go(func() {
			for i := range 25 {
				a := &rastro.Agency{Name: fmt.Sprintf("Agencia %d-%d", p, i), Country: "ES"}
				if err := db.CreateAgency(ctx, sys, a); err != nil {
					t.Errorf("process %d write %d: %v", p, i, err)
					return
				}
				if _, err := db.Agencies(ctx, sys); err != nil {
					t.Errorf("process %d read %d: %v", p, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestMessageLinkMigration runs migration 0009 again on a database holding
// a message link with a former ID.
func TestMessageLinkMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	db, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.MessageLinkMigration(t, db, func(t *testing.T) {
		applied, err := sqlite.Migrate(t.Context(), path)
		if err != nil || !slices.Equal(applied, []string{"0009_message_link_ids"}) {
			t.Fatalf("Migrate = %v, %v; want 0009 applied again", applied, err)
		}
	})
}
