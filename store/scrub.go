package store

import (
	"context"
	"database/sql"
	"slices"
	"sync"

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
//
// Building one walks the case's protection, so scrubbers are cached per
// case and access level under the case's data version read in tx (one
// primary-key read): every write the scrubber depends on bumps it in its
// own transaction (bumpCase), whichever process makes it.
func (db *DB) textScrubber(ctx context.Context, tx *sql.Tx, actor rastro.Actor, caseID int64) (*screen.Scrubber, error) {
	acc, err := db.compartmentAccess(ctx, tx, actor, caseID)
	if err != nil || acc == accessFull {
		return nil, err
	}
	version, err := db.dataVersion(ctx, tx, caseID)
	if err != nil {
		return nil, err
	}
	key := scrubKey{caseID, acc}
	if sc, ok := db.scrubs.get(key, version); ok {
		return sc, nil
	}
	sc, err := db.buildScrubber(ctx, tx, caseID, acc)
	if err != nil {
		return nil, err
	}
	db.scrubs.put(key, version, sc)
	return sc, nil
}

// buildScrubber builds the scrubber of a case for an access level.
func (db *DB) buildScrubber(ctx context.Context, tx *sql.Tx, caseID int64, acc access) (*screen.Scrubber, error) {
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

// scrubKey names a cached scrubber.
type scrubKey struct {
	caseID int64
	acc    access
}

// scrubEntry is a cached scrubber and the data version it was built at.
type scrubEntry struct {
	version int64
	sc      *screen.Scrubber
}

// scrubCache holds built scrubbers; the zero value is ready to use.
type scrubCache struct {
	mu     sync.Mutex
	m      map[scrubKey]scrubEntry
	builds int // scrubbers put, for tests
}

// get returns the scrubber cached under key if built at version.
func (c *scrubCache) get(key scrubKey, version int64) (*screen.Scrubber, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	return e.sc, ok && e.version == version
}

// put caches a scrubber built at version, unless one built at a later
// version is cached already (a reader whose snapshot began before a write
// committed must not push out the newer scrubber).
func (c *scrubCache) put(key scrubKey, version int64, sc *screen.Scrubber) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.builds++
	if c.m == nil {
		c.m = map[scrubKey]scrubEntry{}
	}
	if e, ok := c.m[key]; ok && e.version > version {
		return
	}
	c.m[key] = scrubEntry{version, sc}
}

// ScrubberBuilds returns how many text scrubbers the store has built since
// it was opened: a read that finds its case's scrubber cached builds none.
// For tests and benchmarks.
func (db *DB) ScrubberBuilds() int {
	db.scrubs.mu.Lock()
	defer db.scrubs.mu.Unlock()
	return db.scrubs.builds
}
