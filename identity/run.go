package identity

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/resolve"
)

// JobKind is the durable job that resolves a case's identities; its
// payload is empty (the job's case is the case to resolve).
const JobKind = "identity.resolve"

// MaxKeptPairs is how many candidate pairs below the linking threshold a run
// keeps with their explanations; pairs at or above it are always kept.
const MaxKeptPairs = 500

// Store is what resolution reads and writes.
type Store interface {
	rastro.EntityService
	rastro.JudgementService
}

// Run is the stored outcome of resolving a case (rastro.IdentityRun.Result).
type Run struct {
	Records   int                 `json:"records"`
	Threshold float64             `json:"threshold"`
	Pairs     []resolve.PairScore `json:"pairs"`    // strongest first, with per-field explanations
	Clusters  []resolve.Cluster   `json:"clusters"` // identities of more than one entity, at run time
	// Guards keep every (possible) victim apart from every suspect and
	// person of interest: a victim is never merged into a suspect's identity.
	Guards     []resolve.Judgement        `json:"guards,omitempty"`
	Schemas    map[string]string          `json:"schemas"` // of every record, to pick representatives
	Judgements []resolve.JudgementOutcome `json:"judgements,omitempty"`
}

// Resolve resolves the identities of a case as actor: it builds the
// subjects' records, applies the live judgements (which always win) and the
// victim guards, and returns the run.
func Resolve(ctx context.Context, s Store, actor rastro.Actor, caseID int64, o resolve.Options) (*Run, error) {
	subjects, err := Subjects(ctx, s, actor, caseID)
	if err != nil {
		return nil, err
	}
	stored, err := s.Judgements(ctx, actor, caseID, "")
	if err != nil {
		return nil, fmt.Errorf("identity resolve: %w", err)
	}
	recs := make([]resolve.Record, len(subjects))
	for i, sub := range subjects {
		recs[i] = sub.Record
	}
	guards := victimGuards(subjects)
	js := append(Judgements(stored), guards...)
	res, err := resolve.Resolve(ctx, recs, js, o)
	if err != nil {
		return nil, fmt.Errorf("identity resolve case %d: %w", caseID, err)
	}
	run := &Run{Records: len(recs), Threshold: res.Threshold, Pairs: keptPairs(res), Guards: guards,
		Schemas: map[string]string{}, Judgements: res.Judgements[:len(js)-len(guards)]}
	for _, sub := range subjects {
		run.Schemas[sub.Record.ID] = sub.Schema
	}
	for _, c := range res.Clusters {
		if len(c.Members) > 1 {
			run.Clusters = append(run.Clusters, c)
		}
	}
	return run, nil
}

// keptPairs returns every pair at or above the threshold and at most
// MaxKeptPairs others, strongest first.
func keptPairs(res *resolve.Result) []resolve.PairScore {
	n := 0
	for _, p := range res.Pairs {
		if p.Probability >= res.Threshold {
			n++
		}
	}
	return slices.Clone(res.Pairs[:min(len(res.Pairs), n+MaxKeptPairs)])
}

// Judgements converts the live stored judgements for the engine, oldest
// first so that the newest wins.
func Judgements(stored []*rastro.IdentityJudgement) []resolve.Judgement {
	var out []resolve.Judgement
	for _, j := range slices.Backward(stored) {
		if j.Live() {
			out = append(out, resolve.Judgement{A: j.A, B: j.B, Verdict: resolve.Verdict(j.Verdict)})
		}
	}
	return out
}

// victimGuards returns a not-same constraint between every (possible)
// victim and every suspect or person of interest among the subjects.
func victimGuards(subjects []Subject) []resolve.Judgement {
	var victims, suspects []string
	for _, s := range subjects {
		switch {
		case s.Role.IsVictim():
			victims = append(victims, s.Record.ID)
		case s.Role == rastro.CaseRoleSuspect || s.Role == rastro.CaseRolePersonOfInt:
			suspects = append(suspects, s.Record.ID)
		}
	}
	var out []resolve.Judgement
	for _, v := range victims {
		for _, s := range suspects {
			out = append(out, resolve.Judgement{A: v, B: s, Verdict: resolve.NotSame})
		}
	}
	return out
}

// Queue is what the job handler needs of the store.
type Queue interface {
	Store
	rastro.JobService
}

// Parsing in progress defers a resolution: the chat accounts it would
// miss are what resolution is for. A deferred run is queued again after
// deferDelay, at most maxDeferrals times; then it runs on what there is.
const (
	deferDelay    = 5 * time.Second
	maxDeferrals  = 120
	jobParseKind  = "evidence.parse"
	jobScenarioLd = "scenario.load"
)

// payload is the identity.resolve job's payload.
type payload struct {
	Deferrals int `json:"deferrals,omitempty"`
}

// Handler returns the identity.resolve job handler: it resolves the job's
// case as the system actor and stores the run. While the case still has
// evidence being parsed it queues itself again for later instead. Re-running
// it after a crash stores one more run; the newest is the one shown.
func Handler(s Queue) func(ctx context.Context, j *rastro.Job, progress func(float64, string)) error {
	return func(ctx context.Context, j *rastro.Job, progress func(float64, string)) error {
		actor := rastro.SystemActor("resolve identities")
		if deferred, err := DeferWhileParsing(ctx, s, actor, j); err != nil || deferred {
			if deferred {
				progress(1, "evidence is still being parsed; resolution queued again")
			}
			return err
		}
		progress(0, "resolving identities")
		run, err := Resolve(ctx, s, actor, j.CaseID, resolve.Options{Seed: uint64(j.CaseID)})
		if err != nil {
			return err
		}
		b, err := json.Marshal(run)
		if err != nil {
			return fmt.Errorf("identity resolve: %w", err)
		}
		if err := s.SaveIdentityRun(ctx, actor, &rastro.IdentityRun{CaseID: j.CaseID, Result: b}); err != nil {
			return fmt.Errorf("identity resolve: %w", err)
		}
		progress(1, fmt.Sprintf("%d records, %d candidate pairs, %d identities of several entities", run.Records, len(run.Pairs), len(run.Clusters)))
		return nil
	}
}

// DeferWhileParsing queues job j (of any kind whose payload may carry
// "deferrals") again for later, and reports true, while other jobs that add
// entities to the case are still queued or running: resolution and role
// hints are about what parsing finds. After maxDeferrals it reports false
// and the job runs on what there is.
func DeferWhileParsing(ctx context.Context, s Queue, actor rastro.Actor, j *rastro.Job) (bool, error) {
	var p payload
	if len(j.Payload) > 0 {
		if err := json.Unmarshal(j.Payload, &p); err != nil {
			return false, fmt.Errorf("%s payload: %w", j.Kind, err)
		}
	}
	if p.Deferrals >= maxDeferrals {
		return false, nil
	}
	jobs, err := s.Jobs(ctx, actor, j.CaseID)
	if err != nil {
		return false, fmt.Errorf("%s: %w", j.Kind, err)
	}
	busy := slices.ContainsFunc(jobs, func(o *rastro.Job) bool {
		return o.ID != j.ID && (o.Kind == jobParseKind || o.Kind == jobScenarioLd) &&
			(o.State == rastro.JobQueued || o.State == rastro.JobRunning)
	})
	if !busy {
		return false, nil
	}
	next, _ := json.Marshal(payload{Deferrals: p.Deferrals + 1})
	err = s.Enqueue(ctx, actor, &rastro.Job{CaseID: j.CaseID, Kind: j.Kind, Payload: next, MaxAttempts: 3, RunAt: time.Now().Add(deferDelay)})
	if err != nil {
		return false, fmt.Errorf("%s: queue again: %w", j.Kind, err)
	}
	return true, nil
}

// Enqueue queues the resolution of a case.
func Enqueue(ctx context.Context, q rastro.JobService, actor rastro.Actor, caseID int64) error {
	return q.Enqueue(ctx, actor, &rastro.Job{CaseID: caseID, Kind: JobKind, MaxAttempts: 3})
}
