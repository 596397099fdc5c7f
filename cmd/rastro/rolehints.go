package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/casegraph"
	"github.com/rastro/rastro/identity"
	"github.com/rastro/rastro/resolve"
	"github.com/rastro/rastro/roles"
)

// jobRoleHints suggests suspects' roles from the case's messages, payments
// and ads, as findings an analyst confirms or dismisses.
const jobRoleHints = roles.JobKind

// roleStore is what the role-hints job reads and writes.
type roleStore interface {
	identity.Queue
	rastro.FindingService
	rastro.EvidenceService
}

// roleHintsHandler reads the case as the system actor, computes the hints
// (roles.Hints never hints a (possible) victim, and the store's
// screen.Protect would keep one out of the subjects anyway) and stores each
// new one as a finding of kind "role.<role>". A hint already stored for the
// same person and role is not stored again, so a re-run adds only what is
// new. While evidence is still being parsed the job queues itself again.
func roleHintsHandler(s roleStore) func(ctx context.Context, j *rastro.Job, progress func(float64, string)) error {
	return func(ctx context.Context, j *rastro.Job, progress func(float64, string)) error {
		actor := rastro.SystemActor("suggest roles")
		if deferred, err := identity.DeferWhileParsing(ctx, s, actor, j); err != nil || deferred {
			if deferred {
				progress(1, "evidence is still being parsed; role hints queued again")
			}
			return err
		}
		if deferred, err := deferWhileResolving(ctx, s, actor, j); err != nil || deferred {
			if deferred {
				progress(1, "identities are being resolved; role hints queued again")
			}
			return err
		}
		progress(0, "reading the case")
		in, captions, err := roleInput(ctx, s, actor, j.CaseID)
		if err != nil {
			return err
		}
		hints := roles.Hints(in, roles.Options{})
		stored, err := storeRoleHints(ctx, s, actor, j.CaseID, hints, captions)
		progress(1, fmt.Sprintf("%d role hints, %d new", len(hints), stored))
		return err
	}
}

// roleDeferral is the roles.hint payload: how often it waited already.
type roleDeferral struct {
	Deferrals int `json:"deferrals,omitempty"`
}

// deferWhileResolving queues job j again for later, and reports true, while
// the case's identity resolution is queued or running (hints read the
// identities it resolves), at most maxRoleDeferrals times in all.
func deferWhileResolving(ctx context.Context, s roleStore, actor rastro.Actor, j *rastro.Job) (bool, error) {
	const maxRoleDeferrals, delay = 120, 5 * time.Second
	var p roleDeferral
	if len(j.Payload) > 0 {
		if err := json.Unmarshal(j.Payload, &p); err != nil {
			return false, fmt.Errorf("role hints payload: %w", err)
		}
	}
	if p.Deferrals >= maxRoleDeferrals {
		return false, nil
	}
	jobs, err := s.Jobs(ctx, actor, j.CaseID)
	if err != nil {
		return false, fmt.Errorf("role hints: %w", err)
	}
	busy := slices.ContainsFunc(jobs, func(o *rastro.Job) bool {
		return o.Kind == identity.JobKind && (o.State == rastro.JobQueued || o.State == rastro.JobRunning)
	})
	if !busy {
		return false, nil
	}
	next, _ := json.Marshal(roleDeferral{Deferrals: p.Deferrals + 1})
	err = s.Enqueue(ctx, actor, &rastro.Job{CaseID: j.CaseID, Kind: j.Kind, Payload: next, MaxAttempts: 3, RunAt: time.Now().Add(delay)})
	if err != nil {
		return false, fmt.Errorf("role hints: queue again: %w", err)
	}
	return true, nil
}

// roleInput reads a case's entities, links and records into the role
// engine's input, and the people's captions for the findings' titles.
func roleInput(ctx context.Context, s roleStore, actor rastro.Actor, caseID int64) (roles.Input, map[string]string, error) {
	var ents []*rastro.Entity
	captions := map[string]string{}
	err := s.ForEachEntity(ctx, actor, caseID, func(e *rastro.Entity) error {
		ents = append(ents, e)
		captions[e.ID] = e.Caption
		return nil
	})
	if err != nil {
		return roles.Input{}, nil, fmt.Errorf("role hints: entities: %w", err)
	}
	links, err := s.Links(ctx, actor, caseID, "")
	if err != nil {
		return roles.Input{}, nil, fmt.Errorf("role hints: links: %w", err)
	}
	var recs []*rastro.Record
	err = s.ForEachRecord(ctx, actor, caseID, func(r *rastro.Record) error {
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		return roles.Input{}, nil, fmt.Errorf("role hints: records: %w", err)
	}
	run, judgements, err := identity.Load(ctx, s, actor, caseID)
	if err != nil {
		return roles.Input{}, nil, fmt.Errorf("role hints: %w", err)
	}
	links = append(links, accountLinks(ents, links, recs, identity.Current(run, judgements), run.Pairs)...)
	return roles.FromCase(ents, links, recs), captions, nil
}

// Name matches below the resolution's threshold that still tie a chat
// account to a person for the role engine: at least nameMatchMin, and
// ahead of any other person's by nameMatchMargin (two namesakes tie, and
// tie nobody).
const (
	nameMatchMin    = 0.8
	nameMatchMargin = 0.1
)

// accountLinks ties chat accounts (and other entities) to the people behind
// them, which the parsed messages alone do not, as "uses" links from each
// person — only for the role engine's input; nothing is stored:
//
//   - an entity showing a phone, e-mail or handle that people use (a
//     shared identifier), or a chat account whose messages give one as the
//     writer's own ("mi correo es ...", roles.GivesOwnContact), is tied to
//     the people who use the most of its identifiers (a phone two people
//     share ties its account to both, unless an e-mail tells them apart);
//   - an entity resolved into one identity with people (identity
//     resolution, with the analysts' judgements) is tied to those people;
//   - a chat account still tied to nobody is tied to the one person whose
//     name its display name matches (a name-only pair of the resolution
//     run, at least nameMatchMin and clear of any namesake), unless an
//     analyst judged the two not the same.
func accountLinks(ents []*rastro.Entity, links []*rastro.Link, recs []*rastro.Record, ids []identity.Identity, pairs []resolve.PairScore) []*rastro.Link {
	schema := make(map[string]string, len(ents))
	for _, e := range ents {
		schema[e.ID] = e.Schema
	}
	users := map[string][]string{} // identifier → the people who use it
	for _, l := range links {
		if l.Schema == "uses" && schema[l.SourceID] == "Person" && !slices.Contains(users[l.TargetID], l.SourceID) {
			users[l.TargetID] = append(users[l.TargetID], l.SourceID)
		}
	}
	var out []*rastro.Link
	tied := map[string]bool{}
	tie := func(person, entity string) {
		if person == entity || schema[entity] == "Person" || tied[person+"\x00"+entity] {
			return
		}
		tied[person+"\x00"+entity], tied[entity] = true, true
		out = append(out, &rastro.Link{ID: "derived-uses-" + person + "-" + entity, Schema: "uses", SourceID: person, TargetID: entity})
	}
	held := ownContacts(ents, links, recs) // entity → identifiers it shows or gives
	for _, p := range casegraph.SharedIdentifiers(ents) {
		if !slices.Contains(held[p.Source], p.Target) {
			held[p.Source] = append(held[p.Source], p.Target)
		}
	}
	for entity, idents := range held {
		for _, person := range mostVoted(idents, users) {
			tie(person, entity)
		}
	}
	for _, id := range ids {
		for _, person := range id.Members {
			if schema[person] != "Person" {
				continue
			}
			for _, m := range id.Members {
				tie(person, m)
			}
		}
	}
	for account, person := range nameMatches(schema, pairs) {
		if !tied[account] {
			tie(person, account)
		}
	}
	return out
}

// ownContacts returns, for each chat account, the identifiers read from
// the messages it sent that give them as the writer's own.
func ownContacts(ents []*rastro.Entity, links []*rastro.Link, recs []*rastro.Record) map[string][]string {
	own := map[int64]bool{}
	for _, r := range recs {
		if r.Kind == "message" && roles.GivesOwnContact(r.Text) {
			own[r.ID] = true
		}
	}
	read := map[int64][]string{} // record → identifiers read from it
	for _, e := range ents {
		if e.Schema != "Identifier" {
			continue
		}
		for _, s := range e.Statements {
			if own[s.RecordID] && !slices.Contains(read[s.RecordID], e.ID) {
				read[s.RecordID] = append(read[s.RecordID], e.ID)
			}
		}
	}
	out := map[string][]string{}
	for _, l := range links {
		if l.Schema != "Message" || len(read[l.RecordID]) == 0 {
			continue
		}
		for _, id := range read[l.RecordID] {
			if !slices.Contains(out[l.SourceID], id) {
				out[l.SourceID] = append(out[l.SourceID], id)
			}
		}
	}
	return out
}

// mostVoted returns the people who use the most of the identifiers.
func mostVoted(idents []string, users map[string][]string) []string {
	votes := map[string]int{}
	top := 0
	for _, id := range idents {
		for _, p := range users[id] {
			votes[p]++
			top = max(top, votes[p])
		}
	}
	var out []string
	for p, n := range votes {
		if n == top {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// nameMatches returns, for each chat account, the one person its name
// matches clearly enough (see nameMatchMin and nameMatchMargin).
func nameMatches(schema map[string]string, pairs []resolve.PairScore) map[string]string {
	type cand struct {
		person      string
		best, other float64
	}
	byAccount := map[string]*cand{}
	for _, p := range pairs {
		account, person := p.A, p.B
		if schema[account] == "Person" {
			account, person = person, account
		}
		if schema[account] != "UserAccount" || schema[person] != "Person" || p.Judgement == resolve.NotSame {
			continue
		}
		c := byAccount[account]
		if c == nil {
			c = &cand{}
			byAccount[account] = c
		}
		switch {
		case p.Probability > c.best:
			c.person, c.best, c.other = person, p.Probability, c.best
		case p.Probability > c.other:
			c.other = p.Probability
		}
	}
	out := map[string]string{}
	for account, c := range byAccount {
		if c.best >= nameMatchMin && c.best-c.other >= nameMatchMargin {
			out[account] = c.person
		}
	}
	return out
}

// storeRoleHints stores the hints not yet among the case's findings and
// returns how many it stored.
func storeRoleHints(ctx context.Context, s roleStore, actor rastro.Actor, caseID int64, hints []roles.Hint, captions map[string]string) (int, error) {
	old, err := s.Findings(ctx, actor, caseID)
	if err != nil {
		return 0, fmt.Errorf("role hints: %w", err)
	}
	seen := map[string]bool{}
	for _, f := range old {
		if strings.HasPrefix(f.Kind, "role.") && len(f.EntityIDs) > 0 {
			seen[f.Kind+"|"+f.EntityIDs[0]] = true
		}
	}
	n := 0
	for _, h := range hints {
		f := roleFinding(caseID, h, captions[h.Person])
		if seen[f.Kind+"|"+h.Person] {
			continue
		}
		if err := s.CreateFinding(ctx, actor, f); err != nil {
			return n, fmt.Errorf("role hints: %s: %w", f.Kind, err)
		}
		n++
	}
	return n, nil
}

// roleFinding words one hint as a finding: a hint, with its reasons and the
// messages, payments and ads behind it, never a finding of fact.
func roleFinding(caseID int64, h roles.Hint, caption string) *rastro.Finding {
	expl := fmt.Sprintf("A hint to confirm or dismiss, not a conclusion (score %.2f). %s.", h.Score, strings.Join(h.Reasons, "; "))
	if len(h.Evidence) > 0 {
		expl += " Evidence: " + strings.Join(h.Evidence, ", ") + "."
	}
	return &rastro.Finding{CaseID: caseID, Kind: "role." + string(h.Role), Severity: 2,
		Title:       fmt.Sprintf("Possible %s: %s", h.Role, caption),
		Explanation: expl, EntityIDs: []string{h.Person}, Triage: rastro.TriageNew}
}
