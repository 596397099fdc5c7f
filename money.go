package rastro

import (
	"context"
	"encoding/json"
	"time"
)

// MoneyPreset is a saved way of reading a money file: a built-in format or
// a statement column mapping (money.Mapping as JSON), kept for one case or
// for every case of an agency, so that the next statement of the same bank
// imports without mapping its columns again.
type MoneyPreset struct {
	ID        int64           `json:"id"`
	AgencyID  int64           `json:"agency_id"`
	CaseID    int64           `json:"case_id"` // 0: every case of the agency
	Name      string          `json:"name"`
	Format    string          `json:"format,omitempty"`  // amlworld, amlsim, btc, token or statement
	Mapping   json.RawMessage `json:"mapping,omitempty"` // money.Mapping for statements
	Account   string          `json:"account,omitempty"` // the statement's own account number
	CreatedBy int64           `json:"created_by"`
	CreatedAt time.Time       `json:"created_at"`
}

// MoneyService is what the money views need of a store: a case's
// payments and account holders without its other links, and saved money
// presets. Every call goes through a case: reading requires membership of
// it (and returns, for presets, its own and its agency's); saving a preset
// requires write permission on it and is audited. A preset saved again
// under the same name and scope replaces the old one.
type MoneyService interface {
	// MoneyLinks lists the case's Ownership links, then its Payment links,
	// each by id; with entityID not "", only those touching that entity.
	MoneyLinks(ctx context.Context, actor Actor, caseID int64, entityID string) ([]*Link, error)
	SaveMoneyPreset(ctx context.Context, actor Actor, caseID int64, p *MoneyPreset) error
	MoneyPresets(ctx context.Context, actor Actor, caseID int64) ([]*MoneyPreset, error)
}
