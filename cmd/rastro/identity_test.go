package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/identity"
	"github.com/rastro/rastro/sqlite"
	"github.com/rastro/rastro/synth"
)

// loadedDemo sets the demo up in a temporary directory and runs its jobs
// (scenario load, parsing, identity resolution) to completion.
func loadedDemo(t *testing.T) (rastro.Store, int64, string) {
	t.Helper()
	ctx := t.Context()
	dir := t.TempDir()
	s, err := sqlite.Open(ctx, filepath.Join(dir, "rastro.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	_, caseID, err := setupDemo(ctx, s, dir, "tiny")
	if err != nil {
		t.Fatal(err)
	}
	ev, err := openEvidence(dir, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := newRunner(s, ev, slog.New(slog.NewJSONHandler(io.Discard, nil)), 1).RunPending(ctx); err != nil {
		t.Fatal(err)
	}
	return s, caseID, filepath.Join(dir, "scenarios", "tiny-seed7.truth.json")
}

// truePerson maps the demo's Person and UserAccount entities to the
// generated person they stand for: people by ID, chat accounts by the phone
// number they show (the person whose name the account shows when the
// generator gave that phone to several people). Accounts showing only a
// name are left out: namesakes make them ambiguous.
func truePerson(t *testing.T, ctx context.Context, s rastro.Store, caseID int64, truthFile string) map[string]string {
	t.Helper()
	tr, err := readTruthFile(truthFile)
	if err != nil {
		t.Fatal(err)
	}
	byPhone := map[string][]synth.Person{}
	for _, p := range tr.People {
		for _, ph := range p.Phones {
			byPhone[digitsOf(ph)] = append(byPhone[digitsOf(ph)], p)
		}
	}
	out := map[string]string{}
	err = s.ForEachEntity(ctx, rastro.SystemActor("test"), caseID, func(e *rastro.Entity) error {
		if id, ok := strings.CutPrefix(e.ID, "person-"); ok && e.Schema == "Person" {
			out[e.ID] = id
		}
		for _, st := range e.Statements {
			if e.Schema != "UserAccount" || st.Prop != "number" {
				continue
			}
			for _, p := range byPhone[digitsOf(st.Value)] {
				if len(byPhone[digitsOf(st.Value)]) == 1 || strings.HasPrefix(p.Name, e.Caption) {
					out[e.ID] = p.ID
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

func TestDemoResolvesIdentities(t *testing.T) {
	s, caseID, truthFile := loadedDemo(t)
	ctx := t.Context()
	sys := rastro.SystemActor("test")
	run, js, err := identity.Load(ctx, s, sys, caseID)
	if err != nil {
		t.Fatal(err)
	}
	if run.Records == 0 || len(run.Pairs) == 0 {
		t.Fatalf("the demo's identity run has %d records and %d candidate pairs; want some", run.Records, len(run.Pairs))
	}
	truth := truePerson(t, ctx, s, caseID, truthFile)
	right, wrong := 0, 0
	for _, p := range run.Pairs {
		if p.Probability < run.Threshold {
			continue
		}
		if a, b := truth[p.A], truth[p.B]; a != "" && a == b {
			right++
		} else if a != "" && b != "" {
			wrong++
		}
		if len(p.Contributions) == 0 {
			t.Errorf("pair %s/%s has no explanation", p.A, p.B)
		}
	}
	t.Logf("%d records, %d pairs kept, %d linked pairs of one person, %d of two, %d identities", run.Records, len(run.Pairs), right, wrong, len(identity.Current(run, js)))
	if right == 0 {
		t.Errorf("no linked pair is one generated person")
	}
	if wrong > right {
		t.Errorf("%d linked pairs join two people, more than the %d right ones", wrong, right)
	}
	// No identity holds both a (possible) victim and a suspect.
	roles := map[string]rastro.CaseRole{}
	for _, role := range []rastro.CaseRole{rastro.CaseRolePossibleVictim, rastro.CaseRoleVictim, rastro.CaseRoleSuspect} {
		es, _, err := s.Entities(ctx, sys, caseID, rastro.EntityFilter{Role: role, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			roles[e.ID] = role
		}
	}
	for _, id := range identity.Current(run, js) {
		victim, suspect := false, false
		for _, m := range id.Members {
			victim = victim || roles[m].IsVictim()
			suspect = suspect || roles[m] == rastro.CaseRoleSuspect
		}
		if victim && suspect {
			t.Errorf("identity %v joins a possible victim and a suspect", id.Members)
		}
	}
}

// The demo's role-hints job runs after parsing: its hints are findings
// about suspects, never about a (possible) victim, each with its reasons.
func TestDemoSuggestsRoles(t *testing.T) {
	s, caseID, truthFile := loadedDemo(t)
	ctx := t.Context()
	tr, err := readTruthFile(truthFile)
	if err != nil {
		t.Fatal(err)
	}
	planted := map[string][]string{}
	for _, p := range tr.People {
		planted["person-"+p.ID] = p.Roles
	}
	fs, err := s.Findings(ctx, rastro.SystemActor("test"), caseID)
	if err != nil {
		t.Fatal(err)
	}
	hints, right := 0, 0
	for _, f := range fs {
		role, ok := strings.CutPrefix(f.Kind, "role.")
		if !ok {
			continue
		}
		hints++
		if len(f.VictimIDs) > 0 || len(f.SubjectIDs) != 1 {
			t.Errorf("role hint %q: subjects %v, victims %v; want one subject and no victim", f.Title, f.SubjectIDs, f.VictimIDs)
		}
		if !strings.Contains(f.Explanation, "not a conclusion") || !strings.Contains(f.Explanation, "Evidence:") {
			t.Errorf("role hint %q is not explained as a hint with its evidence: %q", f.Title, f.Explanation)
		}
		for _, r := range planted[f.EntityIDs[0]] {
			if r == role {
				right++
			}
		}
	}
	t.Logf("%d role hints, %d match a planted role", hints, right)
	if hints == 0 || right*2 < hints {
		t.Errorf("%d role hints of which %d match the planted roles; want some, mostly right", hints, right)
	}
}

// The demo's ads are partly paid with a possible victim's card: the
// ad-payment red flag on her account names her as a victim, never as its
// subject (FinCEN: a potential victim is not the subject of a SAR), and the
// one on the advertiser's account names the advertiser as subject.
func TestDemoAdPaymentsNameVictimAsVictim(t *testing.T) {
	s, caseID, _ := loadedDemo(t)
	ctx := t.Context()
	sys := rastro.SystemActor("test")
	fs, err := s.Findings(ctx, sys, caseID)
	if err != nil {
		t.Fatal(err)
	}
	var asVictim, asSubject int
	for _, f := range fs {
		if f.Kind != "money.ht.ad_payments" {
			continue
		}
		if !strings.Contains(f.Explanation, "Transfers: ") {
			t.Errorf("%q is not explained by its transfers", f.Title)
		}
		for _, id := range f.SubjectIDs {
			e, err := s.Entity(ctx, sys, caseID, id)
			if err != nil {
				t.Fatal(err)
			}
			if e.CaseRole.IsVictim() {
				t.Errorf("%q makes possible victim %s its subject", f.Title, id)
			}
			asSubject++
		}
		asVictim += len(f.VictimIDs)
	}
	if asVictim == 0 || asSubject == 0 {
		t.Errorf("ad-payment red flags: %d victims named as victims, %d subjects; want both", asVictim, asSubject)
	}
}
