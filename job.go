package rastro

import (
	"context"
	"encoding/json"
	"time"
)

// JobState is where a job is in its life.
type JobState string

// Job states.
const (
	JobQueued  JobState = "queued"
	JobRunning JobState = "running"
	JobDone    JobState = "done"
	JobFailed  JobState = "failed" // gave up after MaxAttempts
)

// Job is a unit of background work on the durable queue. Handlers must be
// idempotent: a job runs at least once and may run again after a crash.
type Job struct {
	ID          int64           `json:"id"`
	CaseID      int64           `json:"case_id,omitempty"`
	Kind        string          `json:"kind"`
	Payload     json.RawMessage `json:"payload,omitempty"`
	State       JobState        `json:"state"`
	Attempts    int             `json:"attempts"`
	MaxAttempts int             `json:"max_attempts"`
	Progress    float64         `json:"progress"` // 0..1
	Message     string          `json:"message,omitempty"`
	LastError   string          `json:"last_error,omitempty"`
	RunAt       time.Time       `json:"run_at"`
	LeaseUntil  time.Time       `json:"lease_until,omitzero"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

// JobService is the durable queue. Data services enqueue jobs in the same
// transaction as the data they concern; Enqueue is for jobs with no data.
type JobService interface {
	Enqueue(ctx context.Context, actor Actor, j *Job) error
	// Claim takes the oldest runnable job of the given kinds (queued and due,
	// or running with an expired lease), marks it running with a lease and
	// increments Attempts. It returns ENOTFOUND when there is none.
	Claim(ctx context.Context, kinds []string, lease time.Duration) (*Job, error)
	Progress(ctx context.Context, id int64, progress float64, message string) error
	Complete(ctx context.Context, id int64) error
	// Fail re-queues the job after backoff, or marks it failed when its
	// attempts are spent.
	Fail(ctx context.Context, id int64, errMsg string, backoff time.Duration) error
	// Jobs lists a case's jobs for members (all jobs for the system actor
	// when caseID is 0).
	Jobs(ctx context.Context, actor Actor, caseID int64) ([]*Job, error)
}

// Store is everything a backend provides, so that callers can take one value.
type Store interface {
	AgencyService
	UserService
	CaseService
	EvidenceService
	EntityService
	FindingService
	AuditService
	ReportService
	JobService
	CustodyService
	ScreeningService
	JudgementService
	MoneyService
	// Ping reports whether the database answers (for /readyz).
	Ping(ctx context.Context) error
	Close() error
}
