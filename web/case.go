package web

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/rastro/rastro"
)

// caseDashboard is the case page's data.
type caseDashboard struct {
	Case    *caseView
	Members []*rastro.CaseMember
	Jobs    jobPanel
	Parsed  parsePanel
	Error   string
}

// parsePanel lists what parsing did per evidence item, failures first,
// up to shownReports items.
type parsePanel struct {
	Reports []*rastro.ParseReport
	Hidden  int            // reports not shown
	Counts  map[string]int // by outcome
}

// shownReports is how many per-file parse reports the case page lists.
const shownReports = 50

func newParsePanel(reps []*rastro.ParseReport) parsePanel {
	p := parsePanel{Counts: map[string]int{}}
	for _, r := range reps {
		p.Counts[string(r.Outcome)]++
	}
	if len(reps) > shownReports {
		p.Hidden = len(reps) - shownReports
		reps = reps[:shownReports]
	}
	p.Reports = reps
	return p
}

// loadJobs reads a case's jobs and parse reports into d.
func (s *Server) loadJobs(r *http.Request, d *caseDashboard) error {
	jobs, err := s.store.Jobs(r.Context(), actor(r), d.Case.ID)
	if err != nil {
		return err
	}
	reps, err := s.store.ParseReports(r.Context(), actor(r), d.Case.ID, 0)
	if err != nil {
		return err
	}
	d.Jobs, d.Parsed = newJobPanel(jobs), newParsePanel(reps)
	return nil
}

// jobPanel is what the jobs panel shows: every job still to do (or failed)
// and the few most recently finished, so a case with thousands of finished
// jobs still has a short dashboard.
type jobPanel struct {
	Shown  []*rastro.Job
	Hidden int  // finished jobs not shown
	Active bool // some job is queued or running: keep polling
}

// recentDone is how many finished jobs the panel shows.
const recentDone = 5

func newJobPanel(jobs []*rastro.Job) jobPanel {
	var p jobPanel
	var done []*rastro.Job
	for _, j := range jobs {
		switch j.State {
		case rastro.JobDone:
			done = append(done, j)
		case rastro.JobQueued, rastro.JobRunning:
			p.Active = true
			p.Shown = append(p.Shown, j)
		default:
			p.Shown = append(p.Shown, j)
		}
	}
	slices.SortStableFunc(done, func(a, b *rastro.Job) int { return b.UpdatedAt.Compare(a.UpdatedAt) })
	if len(done) > recentDone {
		p.Hidden = len(done) - recentDone
		done = done[:recentDone]
	}
	p.Shown = append(p.Shown, done...)
	return p
}

// casePage shows a case's dashboard: counts, members and jobs.
func (s *Server) casePage(w http.ResponseWriter, r *http.Request) {
	s.renderCase(w, r, http.StatusOK, "")
}

// renderCase renders the dashboard with an optional form error.
func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, status int, msg string) {
	cv, err := s.loadCase(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := caseDashboard{Case: cv, Error: msg}
	if d.Members, err = s.store.Members(r.Context(), actor(r), cv.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.loadJobs(r, &d); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "case", "", d)
}

// caseJobs renders the jobs panel alone, for htmx polling.
func (s *Server) caseJobs(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "caseID")
	d := caseDashboard{Case: &caseView{Case: &rastro.Case{ID: id}}}
	if err := s.loadJobs(r, &d); err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderFragment(w, r, "case", "jobs", d)
}

// addMember adds a member from the dashboard form.
func (s *Server) addMember(w http.ResponseWriter, r *http.Request) {
	in := newMember{UserID: formInt64(r, "user_id"), Role: rastro.MemberRole(r.PostFormValue("role"))}
	m, err := s.newMemberFrom(r, in)
	if err != nil {
		s.formError(w, r, err, func(msg string) { s.renderCase(w, r, statusFor(err), msg) })
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/cases/%d", m.CaseID), http.StatusSeeOther)
}
