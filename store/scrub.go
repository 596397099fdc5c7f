package store

import (
	"context"
	"database/sql"
	"slices"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/screen"
)

// textScrubber returns what replaces, in free text shown to actor (a
// record's text, a statement's value, a caption), the identifying values of
// the case's entities hidden from them: names, aliases, e-mail addresses
// and handles become the entity's pseudonym, phone numbers "[redacted
// phone]" (screen.NewScrubber). Nil for the system actor and caseworkers,
// who see everything. With a need-to-know grant only minors' names and
// aliases are replaced. Membership is checked by the caller in tx.
func (db *DB) textScrubber(ctx context.Context, tx *sql.Tx, actor rastro.Actor, caseID int64) (*screen.Scrubber, error) {
	acc, err := db.compartmentAccess(ctx, tx, actor, caseID)
	if err != nil || acc == accessFull {
		return nil, err
	}
	hidden, err := db.hiddenInCase(ctx, tx, caseID, acc)
	if err != nil || len(hidden) == 0 {
		return nil, err
	}
	key, err := db.pseudonymKey(ctx, tx, caseID)
	if err != nil {
		return nil, err
	}
	sh, err := db.shieldForIDs(ctx, tx, caseID, hidden, acc)
	if err != nil {
		return nil, err
	}
	secrets := map[string]*screen.Secret{}
	for chunk := range slices.Chunk(hidden, inChunk) {
		a := args{caseID}
		in := a.in(chunk)
		err := scanEach(ctx, db, tx, "text scrubber", func(r rowScanner) error {
			var id, schema, caption string
			var role rastro.CaseRole
			if err := r.Scan(&id, &schema, &caption, &role); err != nil {
				return err
			}
			s := &screen.Secret{Pseudonym: Pseudonym(key, id, role, schema)}
			if caption != id {
				s.Values = append(s.Values, caption)
			}
			secrets[id] = s
			return nil
		}, `SELECT id, schema, caption, case_role FROM entities WHERE case_id = $1 AND id IN (`+in+`)`, a...)
		if err != nil {
			return nil, err
		}
		err = scanEach(ctx, db, tx, "text scrubber", func(r rowScanner) error {
			var id, prop, value string
			if err := r.Scan(&id, &prop, &value); err != nil {
				return err
			}
			if s := secrets[id]; s != nil && screen.IdentifyingProp(prop) && sh.hides(id, prop) {
				s.Values = append(s.Values, value)
			}
			return nil
		}, `SELECT entity_id, prop, value FROM statements WHERE case_id = $1 AND entity_id IN (`+in+`)`, a...)
		if err != nil {
			return nil, err
		}
	}
	list := make([]screen.Secret, 0, len(secrets))
	for _, id := range hidden {
		if s := secrets[id]; s != nil {
			if acc == accessGrant && !sh.minors[id] {
				continue
			}
			list = append(list, *s)
		}
	}
	return screen.NewScrubber(list), nil
}
