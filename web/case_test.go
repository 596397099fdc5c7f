package web

import (
	"testing"
	"time"

	"github.com/rastro/rastro"
)

func TestJobPanelKeepsDashboardShort(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var jobs []*rastro.Job
	for i := range 12 {
		jobs = append(jobs, &rastro.Job{ID: int64(i + 1), State: rastro.JobDone, UpdatedAt: t0.Add(time.Duration(i) * time.Minute)})
	}
	jobs = append(jobs, &rastro.Job{ID: 100, State: rastro.JobFailed}, &rastro.Job{ID: 101, State: rastro.JobRunning})

	p := newJobPanel(jobs)
	if !p.Active {
		t.Error("a running job must keep the panel polling")
	}
	if p.Hidden != 12-recentDone {
		t.Errorf("hidden = %d, want %d", p.Hidden, 12-recentDone)
	}
	if len(p.Shown) != 2+recentDone || p.Shown[0].ID != 100 || p.Shown[1].ID != 101 {
		t.Fatalf("shown: want the failed and running jobs first, then %d finished; got %d", recentDone, len(p.Shown))
	}
	if p.Shown[2].ID != 12 {
		t.Errorf("first finished job shown is %d, want the newest (12)", p.Shown[2].ID)
	}
	if idle := newJobPanel(jobs[:12]); idle.Active {
		t.Error("a panel with only finished jobs must not poll")
	}
}

func TestStatementsGroupedByValue(t *testing.T) {
	st := func(id int64, prop, value string) *rastro.Statement {
		return &rastro.Statement{ID: id, Prop: prop, Value: value}
	}
	groups := groupByProp([]*rastro.Statement{
		st(1, "phone", "+50685550101"), st(2, "name", "Ana"), st(3, "phone", "+50685550101"), st(4, "phone", "+50685550102"),
	})
	if len(groups) != 2 || groups[0].Prop != "name" || groups[1].Prop != "phone" {
		t.Fatalf("groups %+v: want name then phone", groups)
	}
	phones := groups[1].Values
	if len(phones) != 2 || phones[0].Value != "+50685550101" || len(phones[0].Statements) != 2 || len(phones[1].Statements) != 1 {
		t.Fatalf("phone values %+v: want one line per value with all its sources", phones)
	}
}
