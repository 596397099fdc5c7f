package storetest

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/rastro/rastro"
)

// enqueue adds a job of kind to the fixture's case.
func (f *fixture) enqueue(t *testing.T, kind string, maxAttempts int) *rastro.Job {
	t.Helper()
	j := &rastro.Job{CaseID: f.caseID, Kind: kind, Payload: json.RawMessage(`{"n":1}`), MaxAttempts: maxAttempts}
	must(t, f.db.Enqueue(f.ctx, f.inv, j))
	return j
}

func testJobs(t *testing.T, f *fixture) {
	_, err := f.db.Claim(f.ctx, []string{"x"}, time.Minute)
	wantCode(t, err, rastro.ENOTFOUND)
	a := f.enqueue(t, "resolve", 0)
	f.clock.advance(time.Second)
	b := f.enqueue(t, "resolve", 0)
	other := f.enqueue(t, "export", 0)
	later := &rastro.Job{Kind: "resolve", RunAt: f.clock.t.Add(time.Hour)}
	must(t, f.db.Enqueue(f.ctx, f.sys, later))
	wantCode(t, f.db.Enqueue(f.ctx, f.inv, &rastro.Job{Kind: "resolve"}), rastro.EFORBIDDEN)
	wantCode(t, f.db.Enqueue(f.ctx, f.inv, &rastro.Job{CaseID: f.caseID}), rastro.EINVALID)
	wantCode(t, f.db.Enqueue(f.ctx, f.inv, &rastro.Job{CaseID: f.caseID, Kind: "x", Payload: []byte("{")}), rastro.EINVALID)

	got, err := f.db.Claim(f.ctx, []string{"resolve"}, time.Minute)
	must(t, err)
	if got.ID != a.ID || got.State != rastro.JobRunning || got.Attempts != 1 || got.MaxAttempts != 5 ||
		!got.LeaseUntil.Equal(f.clock.t.Add(time.Minute)) || string(got.Payload) != `{"n":1}` {
		t.Fatalf("first claim = %+v, want job %d running, attempt 1, lease a minute", got, a.ID)
	}
	must(t, f.db.Progress(f.ctx, got.ID, 0.5, "half way"))
	must(t, f.db.Complete(f.ctx, got.ID))
	wantCode(t, f.db.Complete(f.ctx, got.ID), rastro.ECONFLICT)
	wantCode(t, f.db.Complete(f.ctx, 999), rastro.ENOTFOUND)
	wantCode(t, f.db.Progress(f.ctx, got.ID, 2, ""), rastro.EINVALID)

	got, err = f.db.Claim(f.ctx, []string{"resolve", "parse"}, time.Minute)
	must(t, err)
	if got.ID != b.ID {
		t.Errorf("second claim = job %d, want %d", got.ID, b.ID)
	}
	_, err = f.db.Claim(f.ctx, []string{"resolve"}, time.Minute)
	wantCode(t, err, rastro.ENOTFOUND) // the later job is not due
	got, err = f.db.Claim(f.ctx, nil, time.Minute)
	must(t, err)
	if got.ID != other.ID {
		t.Errorf("claim of any kind = job %d, want %d", got.ID, other.ID)
	}
	jobs, err := f.db.Jobs(f.ctx, f.analyst, f.caseID)
	must(t, err)
	if len(jobs) != 3 || jobs[2].State != rastro.JobDone || jobs[2].Progress != 1 {
		t.Errorf("Jobs = %d, oldest %+v; want 3 with the first done", len(jobs), jobs[len(jobs)-1])
	}
	all, err := f.db.Jobs(f.ctx, f.sys, 0)
	must(t, err)
	if len(all) != 4 {
		t.Errorf("all jobs = %d, want 4", len(all))
	}
	_, err = f.db.Jobs(f.ctx, f.admin, 0)
	wantCode(t, err, rastro.EFORBIDDEN)
}

func testJobRetry(t *testing.T, f *fixture) {
	j := f.enqueue(t, "parse", 2)
	got, err := f.db.Claim(f.ctx, []string{"parse"}, time.Minute)
	must(t, err)
	must(t, f.db.Fail(f.ctx, got.ID, "parser crashed", 30*time.Second))
	_, err = f.db.Claim(f.ctx, []string{"parse"}, time.Minute)
	wantCode(t, err, rastro.ENOTFOUND) // backing off
	f.clock.advance(31 * time.Second)
	got, err = f.db.Claim(f.ctx, []string{"parse"}, time.Minute)
	must(t, err)
	if got.ID != j.ID || got.Attempts != 2 || got.LastError != "parser crashed" {
		t.Fatalf("retry claim = %+v", got)
	}
	must(t, f.db.Fail(f.ctx, got.ID, "parser crashed again", time.Second))
	f.clock.advance(time.Minute)
	_, err = f.db.Claim(f.ctx, []string{"parse"}, time.Minute)
	wantCode(t, err, rastro.ENOTFOUND)
	jobs, err := f.db.Jobs(f.ctx, f.inv, f.caseID)
	must(t, err)
	if jobs[0].State != rastro.JobFailed || jobs[0].LastError != "parser crashed again" {
		t.Errorf("after the last attempt: %+v, want failed", jobs[0])
	}
	wantCode(t, f.db.Fail(f.ctx, j.ID, "again", 0), rastro.ECONFLICT)
}

// testJobLeaseExpiry simulates a worker that dies holding a job: once the
// lease runs out another claim takes it again, and after the last attempt it
// is marked failed instead.
func testJobLeaseExpiry(t *testing.T, f *fixture) {
	j := f.enqueue(t, "parse", 2)
	_, err := f.db.Claim(f.ctx, nil, time.Minute)
	must(t, err)
	f.clock.advance(30 * time.Second)
	_, err = f.db.Claim(f.ctx, nil, time.Minute)
	wantCode(t, err, rastro.ENOTFOUND) // lease still held
	f.clock.advance(time.Minute)
	got, err := f.db.Claim(f.ctx, nil, time.Minute)
	must(t, err)
	if got.ID != j.ID || got.Attempts != 2 {
		t.Fatalf("reclaim = %+v, want job %d attempt 2", got, j.ID)
	}
	f.clock.advance(2 * time.Minute)
	_, err = f.db.Claim(f.ctx, nil, time.Minute)
	wantCode(t, err, rastro.ENOTFOUND)
	jobs, err := f.db.Jobs(f.ctx, f.inv, f.caseID)
	must(t, err)
	if jobs[0].State != rastro.JobFailed {
		t.Errorf("job whose lease expired on its last attempt is %q, want failed", jobs[0].State)
	}
}

// testJobConcurrentClaim runs several claimers at once: every job is claimed
// exactly once.
func testJobConcurrentClaim(t *testing.T, f *fixture) {
	const jobs, workers = 40, 4
	for range jobs {
		f.enqueue(t, "parse", 0)
	}
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				j, err := f.db.Claim(f.ctx, []string{"parse"}, time.Hour)
				if rastro.ErrorCode(err) == rastro.ENOTFOUND {
					return
				} else if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				seen[j.ID]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != jobs {
		t.Errorf("%d distinct jobs claimed, want %d", len(seen), jobs)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("job %d claimed %d times", id, n)
		}
	}
}

func testJobsVisibility(t *testing.T, f *fixture) {
	f.enqueue(t, "parse", 0)
	_, err := f.db.Jobs(f.ctx, f.outsider, f.caseID)
	wantCode(t, err, rastro.ENOTFOUND)
	_, err = f.db.Jobs(f.ctx, f.auditor, f.caseID)
	wantCode(t, err, rastro.EFORBIDDEN)
	wantCode(t, f.db.Enqueue(f.ctx, f.outsider, &rastro.Job{CaseID: f.caseID, Kind: "parse"}), rastro.ENOTFOUND)
}
