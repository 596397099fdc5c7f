package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/jobs"
	"github.com/rastro/rastro/sqlite"
	"github.com/rastro/rastro/store"
)

func openStore(t *testing.T, path string) *store.DB {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var sys = rastro.SystemActor("test")

func enqueue(t *testing.T, s rastro.Store, kind string, max int) *rastro.Job {
	t.Helper()
	j := &rastro.Job{Kind: kind, MaxAttempts: max}
	if err := s.Enqueue(context.Background(), sys, j); err != nil {
		t.Fatal(err)
	}
	return j
}

func jobByID(t *testing.T, s rastro.Store, id int64) *rastro.Job {
	t.Helper()
	all, err := s.Jobs(context.Background(), sys, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range all {
		if j.ID == id {
			return j
		}
	}
	t.Fatalf("job %d not found", id)
	return nil
}

func TestRunnerCompletesAndRecordsProgress(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "r.db"))
	j := enqueue(t, s, "count", 3)
	var ran atomic.Int32
	r := &jobs.Runner{Queue: s}
	r.Handle("count", func(ctx context.Context, j *rastro.Job, progress func(float64, string)) error {
		ran.Add(1)
		progress(0.5, "half way")
		return nil
	})
	if err := r.RunPending(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := jobByID(t, s, j.ID)
	if ran.Load() != 1 || got.State != rastro.JobDone {
		t.Fatalf("ran %d times, state %s; want once and done", ran.Load(), got.State)
	}
	if got.Message != "half way" {
		t.Errorf("message %q, want the handler's last progress message", got.Message)
	}
}

func TestRunnerRetriesThenGivesUp(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "r.db"))
	j := enqueue(t, s, "flaky", 2)
	r := &jobs.Runner{Queue: s, Backoff: time.Millisecond}
	calls := 0
	r.Handle("flaky", func(ctx context.Context, j *rastro.Job, progress func(float64, string)) error {
		calls++
		if calls == 1 {
			panic("handler bug")
		}
		return errors.New("source unreadable")
	})
	for range 3 {
		if err := r.RunPending(context.Background()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond) // let the backoff pass
	}
	got := jobByID(t, s, j.ID)
	if calls != 2 || got.State != rastro.JobFailed {
		t.Fatalf("calls %d, state %s: want 2 attempts then failed", calls, got.State)
	}
	if got.LastError != "source unreadable" {
		t.Errorf("last error %q", got.LastError)
	}
}

func TestRunnerStopsOnCancel(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "r.db"))
	r := &jobs.Runner{Queue: s, Poll: 10 * time.Millisecond, Workers: 2}
	r.Handle("noop", func(context.Context, *rastro.Job, func(float64, string)) error { return nil })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	j := enqueue(t, s, "noop", 1)
	r.Wake()
	deadline := time.Now().Add(10 * time.Second)
	for jobByID(t, s, j.ID).State != rastro.JobDone {
		if time.Now().After(deadline) {
			t.Fatal("running server never picked up the job")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
}

// TestKillDuringWrite kills a writer process with SIGKILL in the middle of
// its work, then checks that no partial entity is visible and that the job
// it held is taken up again and finished after restart.
func TestKillDuringWrite(t *testing.T) {
	if os.Getenv("RASTRO_KILL_CHILD") != "" {
		t.Skip("runs only as the parent")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	s := openStore(t, db)
	if err := s.CreateAgency(context.Background(), sys, &rastro.Agency{Name: "A", Country: "CR", Kind: rastro.AgencyPolice}); err != nil {
		t.Fatal(err)
	}
	k := &rastro.Case{AgencyID: 1, Title: "kill test", Jurisdiction: "CR", Status: rastro.CaseOpen}
	if err := s.CreateCase(context.Background(), sys, k); err != nil {
		t.Fatal(err)
	}
	j := &rastro.Job{Kind: "write", CaseID: k.ID, MaxAttempts: 3}
	if err := s.Enqueue(context.Background(), sys, j); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.v")
	cmd.Env = append(os.Environ(), "RASTRO_KILL_CHILD="+db, "RASTRO_KILL_CASE="+strconv.FormatInt(k.ID, 10))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool {
		_, n, _ := s.Entities(context.Background(), sys, k.ID, rastro.EntityFilter{})
		return n >= 20
	})
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	s2 := openStore(t, db)
	assertWhole(t, s2, k.ID)
	// The dead writer held the job; once its lease expires a new runner
	// takes it up and the idempotent handler finishes the work.
	r := &jobs.Runner{Queue: s2, Lease: time.Second}
	r.Handle("write", writeEntities(s2, k.ID, 60))
	waitFor(t, func() bool {
		if err := r.RunPending(context.Background()); err != nil {
			t.Fatal(err)
		}
		return jobByID(t, s2, j.ID).State == rastro.JobDone
	})
	if a := jobByID(t, s2, j.ID).Attempts; a != 2 {
		t.Errorf("job ran %d times, want 2 (killed, then resumed)", a)
	}
	_, n, err := s2.Entities(context.Background(), sys, k.ID, rastro.EntityFilter{})
	if err != nil || n != 60 {
		t.Fatalf("after resume: %d entities (err %v), want 60", n, err)
	}
	assertWhole(t, s2, k.ID)
}

// TestKillChild is the writer process of TestKillDuringWrite.
func TestKillChild(t *testing.T) {
	db := os.Getenv("RASTRO_KILL_CHILD")
	if db == "" {
		t.Skip("runs only as the child of TestKillDuringWrite")
	}
	caseID, _ := strconv.ParseInt(os.Getenv("RASTRO_KILL_CASE"), 10, 64)
	s := openStore(t, db)
	// A one-second lease: the parent's runner may retry soon after the kill.
	r := &jobs.Runner{Queue: s, Lease: time.Second}
	r.Handle("write", writeEntities(s, caseID, 1_000_000)) // never finishes: killed first
	r.RunPending(context.Background())
}

// writeEntities writes n entities of 5 statements each, one transaction per
// entity; it is idempotent because entity IDs are deterministic.
func writeEntities(s rastro.Store, caseID int64, n int) jobs.Handler {
	return func(ctx context.Context, j *rastro.Job, progress func(float64, string)) error {
		for i := range n {
			e := &rastro.Entity{ID: fmt.Sprintf("e%06d", i), CaseID: caseID, Schema: "Person", Caption: "P", CaseRole: rastro.CaseRoleUnknown}
			for p := range 5 {
				e.Statements = append(e.Statements, &rastro.Statement{Prop: "note", Value: fmt.Sprintf("v%d", p), Origin: rastro.OriginAlgorithm, Confidence: 1})
			}
			if err := s.PutEntity(ctx, sys, e); err != nil {
				return err
			}
		}
		return nil
	}
}

// assertWhole checks that every visible entity has all its statements.
func assertWhole(t *testing.T, s rastro.Store, caseID int64) {
	t.Helper()
	err := s.ForEachEntity(context.Background(), sys, caseID, func(e *rastro.Entity) error {
		if len(e.Statements) != 5 {
			return fmt.Errorf("entity %s has %d of its 5 statements", e.ID, len(e.Statements))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 30s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
