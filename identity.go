package rastro

import (
	"context"
	"encoding/json"
	"time"
)

// IdentityVerdict is an analyst's answer to "are these two entities one
// person?".
type IdentityVerdict string

// Identity verdicts. Same always merges, NotSame never ends up in one
// cluster, Unsure records the doubt and lets the score decide.
const (
	VerdictSame    IdentityVerdict = "same"
	VerdictNotSame IdentityVerdict = "not_same"
	VerdictUnsure  IdentityVerdict = "unsure"
)

// Valid reports whether v is a known verdict.
func (v IdentityVerdict) Valid() bool {
	return v == VerdictSame || v == VerdictNotSame || v == VerdictUnsure
}

// MinJudgementReason is the shortest written reason a judgement takes.
const MinJudgementReason = 5

// IdentityJudgement is an analyst's decision about two entities of a case,
// with the written reason and the score and explanation the analyst saw when
// deciding. Judgements are append-only: undoing one sets UndoneAt and
// UndoneBy and keeps the row. A is the smaller of the two entity IDs.
type IdentityJudgement struct {
	ID          int64           `json:"id"`
	CaseID      int64           `json:"case_id"`
	A           string          `json:"a"`
	B           string          `json:"b"`
	Verdict     IdentityVerdict `json:"verdict"`
	Reason      string          `json:"reason"`
	Score       float64         `json:"score"`                 // match probability at decision time, 0 if unscored
	Explanation json.RawMessage `json:"explanation,omitempty"` // the pair's explanation at decision time
	Actor       int64           `json:"actor"`
	ActorName   string          `json:"actor_name,omitempty"`
	CreatedAt   time.Time       `json:"created_at"`
	UndoneAt    time.Time       `json:"undone_at,omitzero"`
	UndoneBy    int64           `json:"undone_by,omitempty"`
}

// Live reports whether the judgement has not been undone.
func (j *IdentityJudgement) Live() bool { return j.UndoneAt.IsZero() }

// Other returns the entity of the pair that is not id.
func (j *IdentityJudgement) Other(id string) string {
	if j.A == id {
		return j.B
	}
	return j.A
}

// IdentityRun is the stored outcome of one identity resolution of a case:
// the resolve package's result as JSON (pairs with explanations, clusters,
// how the judgements were applied).
type IdentityRun struct {
	ID        int64           `json:"id"`
	CaseID    int64           `json:"case_id"`
	Result    json.RawMessage `json:"result"`
	CreatedAt time.Time       `json:"created_at"`
}

// JudgementService stores identity judgements and resolution runs. Reads
// require case membership (ENOTFOUND otherwise); writes require
// PermWriteCase (EFORBIDDEN otherwise). Every judgement and undo writes an
// audit event in the same transaction.
type JudgementService interface {
	// Judge stores a judgement (ID, actor and time are set; A and B are
	// put in order). EINVALID for an unknown verdict, a reason shorter than
	// MinJudgementReason, an entity judged with itself or missing from the
	// case, and for "same" when the pair — with everything already judged
	// the same as either side — would join a (possible) victim with a
	// suspect or person of interest. ECONFLICT when the pair already has a
	// live judgement: undo it first.
	Judge(ctx context.Context, actor Actor, j *IdentityJudgement) error
	// UndoJudgement marks a live judgement undone and returns it; ENOTFOUND
	// for an unknown or already undone judgement.
	UndoJudgement(ctx context.Context, actor Actor, caseID, id int64) (*IdentityJudgement, error)
	// Judgements lists a case's judgements, undone ones included, newest
	// first; only those about entityID when it is not "".
	Judgements(ctx context.Context, actor Actor, caseID int64, entityID string) ([]*IdentityJudgement, error)
	// SaveIdentityRun stores a resolution run (ID and time are set).
	SaveIdentityRun(ctx context.Context, actor Actor, r *IdentityRun) error
	// LatestIdentityRun returns the newest run of a case, ENOTFOUND if none.
	LatestIdentityRun(ctx context.Context, actor Actor, caseID int64) (*IdentityRun, error)
}
