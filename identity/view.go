package identity

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/resolve"
)

// defaultThreshold is the linking threshold when no run exists yet.
const defaultThreshold = 0.9

// Identity is a set of entities currently taken for one person.
type Identity struct {
	Representative string   `json:"representative"` // the member standing for the identity: its first Person, else its first member
	Members        []string `json:"members"`        // sorted
}

// Current returns the identities of more than one entity as they stand now:
// the run's scored pairs, reclustered with the live judgements (which always
// win) and the run's victim guards. With an empty run (no resolution yet)
// the "same" judgements alone make the identities.
func Current(run *Run, judgements []*rastro.IdentityJudgement) []Identity {
	js := append(Judgements(judgements), run.Guards...)
	ids := map[string]bool{}
	for _, p := range run.Pairs {
		ids[p.A], ids[p.B] = true, true
	}
	for _, j := range js {
		if j.Verdict == resolve.Same {
			ids[j.A], ids[j.B] = true, true
		}
	}
	list := make([]string, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	slices.Sort(list)
	clusters, _ := resolve.Recluster(list, run.Pairs, js, run.Threshold, false)
	var out []Identity
	for _, c := range clusters {
		if len(c.Members) > 1 {
			out = append(out, Identity{Representative: representative(c.Members, run.Schemas), Members: c.Members})
		}
	}
	return out
}

// representative is the first Person among members, else the first member.
func representative(members []string, schemas map[string]string) string {
	for _, m := range members {
		if schemas[m] == "Person" {
			return m
		}
	}
	return members[0]
}

// RepresentativeOf maps every entity of an identity of several entities to
// its representative; entities standing alone are absent.
func RepresentativeOf(ids []Identity) map[string]string {
	out := map[string]string{}
	for _, id := range ids {
		for _, m := range id.Members {
			out[m] = id.Representative
		}
	}
	return out
}

// Load returns the case's latest run (an empty one when resolution has not
// run yet) and its judgements, newest first, read as actor.
func Load(ctx context.Context, s rastro.JudgementService, actor rastro.Actor, caseID int64) (*Run, []*rastro.IdentityJudgement, error) {
	js, err := s.Judgements(ctx, actor, caseID, "")
	if err != nil {
		return nil, nil, fmt.Errorf("identity load: %w", err)
	}
	r, err := s.LatestIdentityRun(ctx, actor, caseID)
	if rastro.ErrorCode(err) == rastro.ENOTFOUND {
		return &Run{Threshold: defaultThreshold}, js, nil
	} else if err != nil {
		return nil, nil, fmt.Errorf("identity load: %w", err)
	}
	var run Run
	if err := json.Unmarshal(r.Result, &run); err != nil {
		return nil, nil, fmt.Errorf("identity run %d: %w", r.ID, err)
	}
	return &run, js, nil
}

// Collapse returns, for a case read as actor, the map from entity ID to the
// representative of its identity, for every entity merged with another
// (entities standing alone are absent): what a network view needs to draw
// one node per person. It requires case membership, like every read.
func Collapse(ctx context.Context, s rastro.JudgementService, actor rastro.Actor, caseID int64) (map[string]string, error) {
	run, js, err := Load(ctx, s, actor, caseID)
	if err != nil {
		return nil, err
	}
	return RepresentativeOf(Current(run, js)), nil
}
