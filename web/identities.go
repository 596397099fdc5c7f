package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/identity"
	"github.com/rastro/rastro/resolve"
	"github.com/rastro/rastro/roles"
)

// maxShownPairs is how many candidate pairs the identities page lists.
const maxShownPairs = 50

// candidate is a scored pair as the identities page shows it.
type candidate struct {
	resolve.PairScore
	Fields []resolve.Contribution    // the contributions that moved the weight
	Live   *rastro.IdentityJudgement // the pair's live judgement, if any
}

// identitiesView is the identities page's data.
type identitiesView struct {
	CaseID     int64
	Ran        bool // resolution has run on the case
	Threshold  float64
	Identities []identity.Identity
	Candidates []candidate
	Judgements []*rastro.IdentityJudgement
	Entities   map[string]*rastro.Entity // captions (pseudonyms for protected people) and roles
	Error      string
}

// identitiesPage lists the current identities of several entities, the
// candidate pairs with each field's share of the score, and the analysts'
// judgements with their undo buttons.
func (s *Server) identitiesPage(w http.ResponseWriter, r *http.Request) {
	s.renderIdentities(w, r, http.StatusOK, "")
}

// renderIdentities renders the identities page with an optional form error.
func (s *Server) renderIdentities(w http.ResponseWriter, r *http.Request, status int, msg string) {
	caseID, _ := pathID(r, "caseID")
	run, js, err := identity.Load(r.Context(), s.store, actor(r), caseID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := identitiesView{CaseID: caseID, Ran: run.Records > 0, Threshold: run.Threshold, Identities: identity.Current(run, js),
		Judgements: js, Error: msg}
	v.Candidates = candidates(run, js)
	want := map[string]bool{}
	for _, c := range v.Candidates {
		want[c.A], want[c.B] = true, true
	}
	for _, id := range v.Identities {
		for _, m := range id.Members {
			want[m] = true
		}
	}
	for _, j := range js {
		want[j.A], want[j.B] = true, true
	}
	if v.Entities, err = s.entitiesNamed(r, caseID, want); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "identities", "", v)
}

// candidates returns the strongest pairs of the run, each with its live
// judgement and the fields that moved its weight.
func candidates(run *identity.Run, js []*rastro.IdentityJudgement) []candidate {
	live := map[[2]string]*rastro.IdentityJudgement{}
	for _, j := range js {
		if j.Live() {
			live[[2]string{j.A, j.B}] = j
		}
	}
	var out []candidate
	for _, p := range run.Pairs[:min(len(run.Pairs), maxShownPairs)] {
		c := candidate{PairScore: p, Live: live[orderedPair(p.A, p.B)]}
		for _, ct := range p.Contributions {
			if ct.Level != "missing" {
				c.Fields = append(c.Fields, ct)
			}
		}
		out = append(out, c)
	}
	return out
}

// orderedPair returns a and b in the order the store keeps them.
func orderedPair(a, b string) [2]string {
	if b < a {
		a, b = b, a
	}
	return [2]string{a, b}
}

// judgeForm stores a judgement from the identities page and returns to it.
func (s *Server) judgeForm(w http.ResponseWriter, r *http.Request) {
	in := judgementInput{A: r.PostFormValue("a"), B: r.PostFormValue("b"),
		Verdict: rastro.IdentityVerdict(r.PostFormValue("verdict")), Reason: r.PostFormValue("reason")}
	if _, err := s.judge(r, in); err != nil {
		s.formError(w, r, err, func(msg string) { s.renderIdentities(w, r, statusFor(err), msg) })
		return
	}
	s.backToIdentities(w, r)
}

// undoJudgementForm undoes a judgement from the identities or entity page.
func (s *Server) undoJudgementForm(w http.ResponseWriter, r *http.Request) {
	if _, err := s.undoJudgement(r); err != nil {
		s.formError(w, r, err, func(msg string) { s.renderIdentities(w, r, statusFor(err), msg) })
		return
	}
	s.backToIdentities(w, r)
}

// backToIdentities redirects to the form's "back" entity page, or to the
// identities page.
func (s *Server) backToIdentities(w http.ResponseWriter, r *http.Request) {
	caseID, _ := pathID(r, "caseID")
	next := fmt.Sprintf("/cases/%d/identities", caseID)
	if e := r.PostFormValue("back_entity"); e != "" {
		next = fmt.Sprintf("/cases/%d/entities/%s", caseID, e)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// judgementInput is the body of POST /api/v1/cases/{caseID}/judgements.
type judgementInput struct {
	A       string                 `json:"a"`
	B       string                 `json:"b"`
	Verdict rastro.IdentityVerdict `json:"verdict"`
	Reason  string                 `json:"reason"`
}

// judge stores a judgement about the path's case with the pair's score and
// explanation from the latest resolution, as the analyst saw them.
func (s *Server) judge(r *http.Request, in judgementInput) (*rastro.IdentityJudgement, error) {
	caseID, err := pathID(r, "caseID")
	if err != nil {
		return nil, err
	}
	j := &rastro.IdentityJudgement{CaseID: caseID, A: in.A, B: in.B, Verdict: in.Verdict, Reason: in.Reason}
	run, _, err := identity.Load(r.Context(), s.store, actor(r), caseID)
	if err != nil {
		return nil, err
	}
	key := orderedPair(in.A, in.B)
	if i := slices.IndexFunc(run.Pairs, func(p resolve.PairScore) bool { return orderedPair(p.A, p.B) == key }); i >= 0 {
		j.Score = run.Pairs[i].Probability
		if j.Explanation, err = json.Marshal(run.Pairs[i]); err != nil {
			return nil, fmt.Errorf("judge: %w", err)
		}
	}
	if err := s.store.Judge(r.Context(), actor(r), j); err != nil {
		return nil, err
	}
	s.requeueRoleHints(r.Context(), caseID)
	return j, nil
}

// undoJudgement undoes the path's judgement.
func (s *Server) undoJudgement(r *http.Request) (*rastro.IdentityJudgement, error) {
	caseID, err := pathID(r, "caseID")
	if err != nil {
		return nil, err
	}
	id, err := pathID(r, "judgementID")
	if err != nil {
		return nil, err
	}
	j, err := s.store.UndoJudgement(r.Context(), actor(r), caseID, id)
	if err != nil {
		return nil, err
	}
	s.requeueRoleHints(r.Context(), caseID)
	return j, nil
}

// requeueRoleHints queues the role-hints job after an identity judgement
// (see roles.JobKind); one queued job is enough. The judgement stands
// whatever happens here, so a failure is logged, not returned.
func (s *Server) requeueRoleHints(ctx context.Context, caseID int64) {
	sys := rastro.SystemActor("role hints after an identity judgement")
	jobs, err := s.store.Jobs(ctx, sys, caseID)
	if err == nil && slices.ContainsFunc(jobs, func(j *rastro.Job) bool { return j.Kind == roles.JobKind && j.State == rastro.JobQueued }) {
		return
	}
	if err == nil {
		err = s.store.Enqueue(ctx, sys, &rastro.Job{CaseID: caseID, Kind: roles.JobKind, MaxAttempts: 3})
	}
	if err != nil {
		s.log.WarnContext(ctx, "role hints not queued after an identity judgement", "case", caseID, "err", err)
	}
}

// apiJudgements lists a case's judgements, newest first, undone ones
// included; ?entity= narrows them to one entity.
func (s *Server) apiJudgements(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "caseID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	js, err := s.store.Judgements(r.Context(), actor(r), caseID, r.URL.Query().Get("entity"))
	s.respond(w, r, http.StatusOK, js, err)
}

// apiJudge stores a judgement and returns it.
func (s *Server) apiJudge(w http.ResponseWriter, r *http.Request) {
	var in judgementInput
	if err := decodeJSON(w, r, &in, maxBody); err != nil {
		s.fail(w, r, err)
		return
	}
	j, err := s.judge(r, in)
	s.respond(w, r, http.StatusCreated, j, err)
}

// apiUndoJudgement undoes a judgement and returns it.
func (s *Server) apiUndoJudgement(w http.ResponseWriter, r *http.Request) {
	j, err := s.undoJudgement(r)
	s.respond(w, r, http.StatusOK, j, err)
}

// identitiesOutput is the body of GET /api/v1/cases/{caseID}/identities.
type identitiesOutput struct {
	Identities       []identity.Identity `json:"identities"`
	RepresentativeOf map[string]string   `json:"representative_of"`
}

// apiIdentities returns the current identities of several entities and the
// map from each of their members to its representative.
func (s *Server) apiIdentities(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "caseID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	run, js, err := identity.Load(r.Context(), s.store, actor(r), caseID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ids := identity.Current(run, js)
	if ids == nil {
		ids = []identity.Identity{}
	}
	writeJSON(w, http.StatusOK, identitiesOutput{Identities: ids, RepresentativeOf: identity.RepresentativeOf(ids)})
}

// resolveIdentities queues a new resolution of the case.
func (s *Server) resolveIdentities(w http.ResponseWriter, r *http.Request) {
	caseID, _ := pathID(r, "caseID")
	if err := identity.Enqueue(r.Context(), s.store, actor(r), caseID); err != nil {
		s.formError(w, r, err, func(msg string) { s.renderIdentities(w, r, statusFor(err), msg) })
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/cases/%d/identities", caseID), http.StatusSeeOther)
}

// entityIdentity is what the entity page shows of identity resolution.
type entityIdentity struct {
	MergedWith []string // the other members of the entity's identity
	Judgements []*rastro.IdentityJudgement
	Entities   map[string]*rastro.Entity
}

// loadEntityIdentity reads the identity of entity id: who it is merged with
// and the judgements about it.
func (s *Server) loadEntityIdentity(r *http.Request, caseID int64, id string) (*entityIdentity, error) {
	run, js, err := identity.Load(r.Context(), s.store, actor(r), caseID)
	if err != nil {
		return nil, err
	}
	v := &entityIdentity{}
	want := map[string]bool{id: true}
	for _, c := range identity.Current(run, js) {
		if slices.Contains(c.Members, id) {
			for _, m := range c.Members {
				if m != id {
					v.MergedWith, want[m] = append(v.MergedWith, m), true
				}
			}
		}
	}
	for _, j := range js {
		if j.A == id || j.B == id {
			v.Judgements, want[j.Other(id)] = append(v.Judgements, j), true
		}
	}
	if v.Entities, err = s.entitiesNamed(r, caseID, want); err != nil {
		return nil, err
	}
	return v, nil
}
