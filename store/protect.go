package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/screen"
)

// Victim protection inside the store (issue 8, DESIGN §3.3). Three rules:
//
//   - Findings pass through screen.Protect when created and screen.Reprotect
//     when read, with the roles computed here (protection): an entity's own
//     case role, or the role of a (possible) victim who uses or owns it,
//     along uses, Ownership and appears_in links, or whom its owner/holder
//     statement names (the rule of screen.RolesFromEntities), computed with
//     SQL that walks back from just the entities involved.
//   - The victims' compartment: a protected entity (a (possible) victim, an
//     entity whose sensitivity is "restricted", and what protection spreads
//     to) is shown in full only to the system actor, members whose role holds
//     PermReadVictims (caseworkers) and members with a live need-to-know
//     grant. Everyone else gets a pseudonym caption (HMAC-SHA256 under a
//     random per-case key) and only non-identifying statements.
//   - Minors (IsMinor at the time of the events) never show names, aliases
//     or photos to anyone but the system actor and caseworkers, need-to-know
//     grant or not.

// protectingSchemas are the link schemas along which protection spreads; the
// same as screen.RolesFromEntities'.
// indexedLinks is the condition of the partial indexes of links (see the
// migration 0012_link_indexes_without_messages): a query that looks links
// up by source, target or schema states it word for word so that the
// planner can use them. Message and call links are not indexed there.
const indexedLinks = `schema NOT IN ('Message', 'Call')`

var protectingSchemas = []string{"uses", "Ownership", "appears_in"}

// maxProtectDepth bounds the walk back along protecting links (a victim, her
// phone, the ad it appears in, ... is three hops).
const maxProtectDepth = 16

// inChunk is how many values go into one SQL IN list.
const inChunk = 500

// MaxNeedToKnow is the longest need-to-know grant.
const MaxNeedToKnow = 90 * 24 * time.Hour

// Audit actions of the compartment.
const (
	AuditViewVictim       = "view_victim"
	AuditViewVictimDenied = "view_victim_denied"
	AuditNeedToKnowGrant  = "need_to_know_grant"
	AuditNeedToKnowRevoke = "need_to_know_revoke"
	AuditCaseRoleChange   = "case_role_change"
)

// keepWhenRedacted reports whether a statement with prop says nothing that
// identifies a protected person (the FtM export keeps the same ones).
func keepWhenRedacted(prop string) bool {
	switch prop {
	case "gender", "nationality", "country", "topics", "kind", "platform":
		return true
	}
	return false
}

// minorHidden reports whether prop is a name or a picture, withheld for
// minors from everyone but caseworkers.
func minorHidden(prop string) bool {
	switch prop {
	case "name", "firstName", "lastName", "middleName", "secondName", "fatherName", "motherName",
		"alias", "weakAlias", "previousName", "photo", "image", "picture", "avatar", "profileImage":
		return true
	}
	return false
}

// access is how far an actor may open a case's compartment.
type access int

const (
	accessNone  access = iota // pseudonyms only
	accessGrant               // need-to-know grant: victims' data, but no minor's names or photos
	accessFull                // system actor or caseworker
)

// compartmentAccess returns the actor's access to the case's compartment;
// the caller has checked membership in tx.
func (db *DB) compartmentAccess(ctx context.Context, tx *sql.Tx, actor rastro.Actor, caseID int64) (access, error) {
	if actor.System || actor.Can(rastro.PermReadVictims) {
		return accessFull, nil
	}
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM need_to_know_grants
		WHERE case_id = $1 AND user_id = $2 AND until > $3 AND revoked_at IS NULL`,
		caseID, actor.UserID, db.t(db.now())).Scan(&n)
	if err != nil {
		return accessNone, db.fail("compartment access", err)
	}
	if n > 0 {
		return accessGrant, nil
	}
	return accessNone, nil
}

// protection is what the store knows about the protection of some entities.
type protection struct {
	roles     map[string]rastro.CaseRole // effective case role (screen's rule)
	protected map[string]bool            // in the compartment
}

// role is a screen.RoleFunc over p.
func (p *protection) role(id string) rastro.CaseRole {
	if r, ok := p.roles[id]; ok && r != "" {
		return r
	}
	return rastro.CaseRoleUnknown
}

// node is an entity met while walking back from the entities asked about.
type node struct {
	own        rastro.CaseRole
	restricted bool
	owner      rastro.CaseRole // role of a victim its owner/holder statement names
	sources    []string        // sources of protecting links into it
}

// protect computes the protection of ids: it walks back along protecting
// links to every entity whose protection could reach them, loads their roles
// and owner/holder statements, and spreads protection forward to a fixpoint.
func (db *DB) protect(ctx context.Context, q queryer, caseID int64, ids []string) (*protection, error) {
	nodes := map[string]*node{}
	frontier := []string{}
	for _, id := range ids {
		if _, ok := nodes[id]; !ok {
			nodes[id] = &node{}
			frontier = append(frontier, id)
		}
	}
	for depth := 0; len(frontier) > 0 && depth < maxProtectDepth; depth++ {
		next, err := db.walkBack(ctx, q, caseID, frontier, nodes)
		if err != nil {
			return nil, err
		}
		frontier = next
	}
	all := make([]string, 0, len(nodes))
	for id := range nodes {
		all = append(all, id)
	}
	slices.Sort(all)
	if err := db.loadNodes(ctx, q, caseID, all, nodes); err != nil {
		return nil, err
	}
	return spread(all, nodes), nil
}

// walkBack records the protecting links into frontier and returns the
// sources not met before.
func (db *DB) walkBack(ctx context.Context, q queryer, caseID int64, frontier []string, nodes map[string]*node) ([]string, error) {
	var next []string
	for chunk := range slices.Chunk(frontier, inChunk) {
		a := args{caseID}
		in := a.in(chunk)
		schemas := a.in(protectingSchemas)
		rows, err := q.QueryContext(ctx, `SELECT source_id, target_id FROM links
			WHERE case_id = $1 AND target_id IN (`+in+`) AND schema IN (`+schemas+`) AND `+indexedLinks, a...)
		if err != nil {
			return nil, db.fail("protection", err)
		}
		for rows.Next() {
			var src, dst string
			if err := rows.Scan(&src, &dst); err != nil {
				rows.Close()
				return nil, db.fail("protection", err)
			}
			nodes[dst].sources = append(nodes[dst].sources, src)
			if _, ok := nodes[src]; !ok {
				nodes[src] = &node{}
				next = append(next, src)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, db.fail("protection", err)
		}
	}
	// Sorted here rather than in SQL: an ORDER BY on source_id made SQLite
	// scan the case's links by source instead of using the target index.
	for _, id := range frontier {
		slices.Sort(nodes[id].sources)
	}
	slices.Sort(next)
	return next, nil
}

// loadNodes reads the own role, sensitivity and owner/holder protection of
// every node.
func (db *DB) loadNodes(ctx context.Context, q queryer, caseID int64, ids []string, nodes map[string]*node) error {
	for chunk := range slices.Chunk(ids, inChunk) {
		a := args{caseID}
		in := a.in(chunk)
		err := scanEach(ctx, db, q, "protection", func(r rowScanner) error {
			var id, sens string
			var role rastro.CaseRole
			if err := r.Scan(&id, &role, &sens); err != nil {
				return err
			}
			nodes[id].own, nodes[id].restricted = role, sens == "restricted"
			return nil
		}, `SELECT id, case_role, sensitivity FROM entities WHERE case_id = $1 AND id IN (`+in+`)`, a...)
		if err != nil {
			return err
		}
	}
	// Owner/holder statements naming a victim: few per case, read through
	// the (case_id, prop, value) index rather than per entity.
	return scanEach(ctx, db, q, "protection", func(r rowScanner) error {
		var id string
		var role rastro.CaseRole
		if err := r.Scan(&id, &role); err != nil {
			return err
		}
		if n, ok := nodes[id]; ok && (!n.owner.IsVictim() || role == rastro.CaseRoleVictim) {
			n.owner = role
		}
		return nil
	}, `SELECT s.entity_id, v.case_role FROM statements s
		JOIN entities v ON v.case_id = s.case_id AND v.id = s.value
		WHERE s.case_id = $1 AND s.prop IN ('owner', 'holder') AND v.case_role IN ('victim', 'possible_victim')`, caseID)
}

// spread computes effective roles and compartment membership to a fixpoint:
// an entity's own (possible) victim role wins; otherwise it inherits the role
// of a victim named by its owner/holder statement or of the source of a
// protecting link into it.
func spread(ids []string, nodes map[string]*node) *protection {
	p := &protection{roles: map[string]rastro.CaseRole{}, protected: map[string]bool{}}
	for _, id := range ids {
		n := nodes[id]
		p.roles[id] = n.own
		if n.owner.IsVictim() && !n.own.IsVictim() {
			p.roles[id] = n.owner
		}
		p.protected[id] = p.roles[id].IsVictim() || n.restricted
	}
	for changed := true; changed; {
		changed = false
		for _, id := range ids {
			for _, src := range nodes[id].sources {
				if r := p.roles[src]; r.IsVictim() && !p.roles[id].IsVictim() {
					p.roles[id], changed = r, true
				}
				if p.protected[src] && !p.protected[id] {
					p.protected[id], changed = true, true
				}
			}
		}
	}
	return p
}

// minors returns which of ids IsMinor says are minors, at the earliest time
// of a record their statements cite (the events), else now.
func (db *DB) minors(ctx context.Context, q queryer, caseID int64, ids []string) (map[string]bool, error) {
	stmts := map[string][]*rastro.Statement{}
	for chunk := range slices.Chunk(ids, inChunk) {
		a := args{caseID}
		in := a.in(chunk)
		err := scanEach(ctx, db, q, "minors", func(r rowScanner) error {
			s := &rastro.Statement{}
			if err := r.Scan(&s.EntityID, &s.Prop, &s.Value); err != nil {
				return err
			}
			stmts[s.EntityID] = append(stmts[s.EntityID], s)
			return nil
		}, `SELECT entity_id, prop, value FROM statements WHERE case_id = $1 AND entity_id IN (`+in+`)
			AND prop IN ('birthDate', 'age')`, a...)
		if err != nil {
			return nil, err
		}
	}
	if len(stmts) == 0 {
		return map[string]bool{}, nil
	}
	at, err := db.eventTimes(ctx, q, caseID, mapKeys(stmts))
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for id, ss := range stmts {
		t, ok := at[id]
		if !ok {
			t = db.now()
		}
		if rastro.IsMinor(ss, t) {
			out[id] = true
		}
	}
	return out, nil
}

// eventTimes returns, per entity, the earliest time of a record one of its
// statements cites.
func (db *DB) eventTimes(ctx context.Context, q queryer, caseID int64, ids []string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	for chunk := range slices.Chunk(ids, inChunk) {
		a := args{caseID}
		in := a.in(chunk)
		err := scanEach(ctx, db, q, "event times", func(r rowScanner) error {
			var id string
			var t time.Time
			if err := r.Scan(&id, ts(&t)); err != nil {
				return err
			}
			if !t.IsZero() {
				out[id] = t
			}
			return nil
		}, `SELECT s.entity_id, MIN(r.time) FROM statements s JOIN records r ON r.case_id = s.case_id AND r.id = s.record_id
			WHERE s.case_id = $1 AND s.entity_id IN (`+in+`) AND r.time IS NOT NULL GROUP BY s.entity_id`, a...)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// shield is what a read needs to redact a set of entities for one actor.
type shield struct {
	access access
	key    []byte
	prot   *protection
	minors map[string]bool
}

// shieldFor computes the shield of ids for actor, inside tx (membership
// already checked).
func (db *DB) shieldFor(ctx context.Context, tx *sql.Tx, actor rastro.Actor, caseID int64, ids []string) (*shield, error) {
	acc, err := db.compartmentAccess(ctx, tx, actor, caseID)
	if err != nil {
		return nil, err
	}
	sh := &shield{access: acc}
	if sh.prot, err = db.protect(ctx, tx, caseID, ids); err != nil {
		return nil, err
	}
	if sh.minors, err = db.minors(ctx, tx, caseID, ids); err != nil {
		return nil, err
	}
	if acc != accessFull {
		if sh.key, err = db.pseudonymKey(ctx, tx, caseID); err != nil {
			return nil, err
		}
	}
	return sh, nil
}

// pseudonymKey returns the case's random pseudonym key.
func (db *DB) pseudonymKey(ctx context.Context, q queryer, caseID int64) ([]byte, error) {
	var key []byte
	err := q.QueryRowContext(ctx, `SELECT pseudonym_key FROM cases WHERE id = $1`, caseID).Scan(&key)
	if err != nil {
		return nil, db.fail("pseudonym key", err)
	}
	if len(key) < 16 {
		return nil, fmt.Errorf("store: case %d has no pseudonym key", caseID)
	}
	return key, nil
}

// Pseudonym returns the caption shown for a protected entity to readers
// outside the compartment, stable within the case: "Possible victim
// V-7F3A2C", "Victim V-...", or "Protected <schema> P-..." for an entity
// protected through a victim, a restricted one or a minor.
func Pseudonym(key []byte, id string, role rastro.CaseRole, schema string) string {
	code := pseudonymCode(key, id)
	switch role {
	case rastro.CaseRoleVictim:
		return "Victim V-" + code
	case rastro.CaseRolePossibleVictim:
		return "Possible victim V-" + code
	}
	return "Protected " + schema + " P-" + code
}

// pseudonymCode is the 6 hex digits of id's pseudonym under key.
func pseudonymCode(key []byte, id string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id))
	return strings.ToUpper(fmt.Sprintf("%x", m.Sum(nil)[:3]))
}

// pseudonymMatches returns the hidden entities whose pseudonym code the
// query names ("V-7F3A2C", "p-7f3a", "7F3A2C"; 4 hex digits at least), so
// that readers outside the compartment can find an entity by the pseudonym
// they were shown.
func pseudonymMatches(key []byte, hidden []string, query string) []string {
	q := strings.ToUpper(strings.TrimSpace(query))
	if i := strings.LastIndex(q, "-"); i >= 0 && i >= len(q)-7 {
		q = q[i+1:]
	}
	if len(q) < 4 || len(q) > 6 || strings.Trim(q, "0123456789ABCDEF") != "" {
		return nil
	}
	var out []string
	for _, id := range hidden {
		if strings.HasPrefix(pseudonymCode(key, id), q) {
			out = append(out, id)
		}
	}
	return out
}

// hides reports whether the shield withholds a statement with prop of
// entity id from its actor.
func (sh *shield) hides(id, prop string) bool {
	switch {
	case sh.access == accessFull:
		return false
	case sh.access == accessNone && sh.prot.protected[id]:
		return !keepWhenRedacted(prop)
	case sh.minors[id]:
		return minorHidden(prop)
	}
	return false
}

// denied reports whether the actor may not open entity id's compartment.
func (sh *shield) denied(id string) bool {
	return sh.prot.protected[id] && sh.access == accessNone
}

// redact applies the shield to e in place: it sets Minor, and where the
// actor may not see everything, replaces the caption with the pseudonym and
// drops the withheld statements.
func (sh *shield) redact(e *rastro.Entity) {
	e.Minor = sh.minors[e.ID]
	if sh.access == accessFull || !(sh.denied(e.ID) || e.Minor) {
		return
	}
	e.Redacted = true
	e.Caption = Pseudonym(sh.key, e.ID, e.CaseRole, e.Schema)
	kept := e.Statements[:0:0]
	for _, s := range e.Statements {
		if !sh.hides(e.ID, s.Prop) {
			kept = append(kept, s)
		}
	}
	if e.Statements != nil {
		e.Statements = kept
	}
}

// hiddenInCase returns the entities of the case whose values the actor may
// not search: protected ones (without access) and minors (without full
// access). Protection spreads forward from its seeds here, since the whole
// case is concerned.
func (db *DB) hiddenInCase(ctx context.Context, tx *sql.Tx, caseID int64, acc access) ([]string, error) {
	if acc == accessFull {
		return nil, nil
	}
	var seeds []string
	err := scanEach(ctx, db, tx, "hidden", func(r rowScanner) error {
		var id string
		if err := r.Scan(&id); err != nil {
			return err
		}
		seeds = append(seeds, id)
		return nil
	}, `SELECT id FROM entities WHERE case_id = $1 AND case_role IN ('victim', 'possible_victim')
		UNION SELECT s.entity_id FROM statements s JOIN entities v ON v.case_id = s.case_id AND v.id = s.value
			WHERE s.case_id = $1 AND s.prop IN ('owner', 'holder') AND v.case_role IN ('victim', 'possible_victim')
		UNION SELECT id FROM entities WHERE case_id = $1 AND sensitivity = 'restricted'
		UNION SELECT entity_id FROM statements WHERE case_id = $1 AND prop IN ('birthDate', 'age')`, caseID)
	if err != nil {
		return nil, err
	}
	set := map[string]bool{}
	for _, id := range seeds {
		set[id] = true
	}
	if acc == accessNone {
		if err := db.walkForward(ctx, tx, caseID, seeds, set); err != nil {
			return nil, err
		}
	}
	// Keep only the truly hidden: the protected (by the exact rule) and minors.
	ids := mapKeys(set)
	slices.Sort(ids)
	sh, err := db.shieldForIDs(ctx, tx, caseID, ids, acc)
	if err != nil {
		return nil, err
	}
	var hidden []string
	for _, id := range ids {
		if sh.denied(id) || sh.minors[id] {
			hidden = append(hidden, id)
		}
	}
	return hidden, nil
}

// shieldForIDs is shieldFor with a known access level and no key.
func (db *DB) shieldForIDs(ctx context.Context, tx *sql.Tx, caseID int64, ids []string, acc access) (*shield, error) {
	sh := &shield{access: acc}
	var err error
	if sh.prot, err = db.protect(ctx, tx, caseID, ids); err != nil {
		return nil, err
	}
	if sh.minors, err = db.minors(ctx, tx, caseID, ids); err != nil {
		return nil, err
	}
	return sh, nil
}

// walkForward adds to set every entity reachable from seeds along
// protecting links.
func (db *DB) walkForward(ctx context.Context, tx *sql.Tx, caseID int64, seeds []string, set map[string]bool) error {
	frontier := seeds
	for depth := 0; len(frontier) > 0 && depth < maxProtectDepth; depth++ {
		var next []string
		for chunk := range slices.Chunk(frontier, inChunk) {
			a := args{caseID}
			in := a.in(chunk)
			schemas := a.in(protectingSchemas)
			err := scanEach(ctx, db, tx, "hidden", func(r rowScanner) error {
				var id string
				if err := r.Scan(&id); err != nil {
					return err
				}
				if !set[id] {
					set[id] = true
					next = append(next, id)
				}
				return nil
			}, `SELECT target_id FROM links WHERE case_id = $1 AND source_id IN (`+in+`) AND schema IN (`+schemas+`) AND `+indexedLinks, a...)
			if err != nil {
				return err
			}
		}
		frontier = next
	}
	return nil
}

// GrantNeedToKnow lets a member of the case open its victims' compartment
// until the given time (at most MaxNeedToKnow ahead), for a written reason
// of at least screen.MinOverrideReason characters. Only the case's lead (or
// the system actor) may grant; audited as need_to_know_grant.
func (db *DB) GrantNeedToKnow(ctx context.Context, actor rastro.Actor, caseID, userID int64, until time.Time, reason string) error {
	now := db.now()
	reason = strings.TrimSpace(reason)
	switch {
	case !until.After(now):
		return errorf(rastro.EINVALID, "A need-to-know grant must end in the future.")
	case until.Sub(now) > MaxNeedToKnow:
		return errorf(rastro.EINVALID, "A need-to-know grant lasts at most %d days.", int(MaxNeedToKnow.Hours()/24))
	case len(reason) < screen.MinOverrideReason:
		return errorf(rastro.EINVALID, "A need-to-know grant needs a written reason of at least %d characters.", screen.MinOverrideReason)
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := db.leadOnly(ctx, tx, actor, caseID, "grant access to the victims' data"); err != nil {
		return err
	}
	if err := memberOf(ctx, tx, caseID, userID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO need_to_know_grants (case_id, user_id, granted_by, reason, granted_at, until)
		VALUES ($1, $2, $3, $4, $5, $6)`, caseID, userID, nullID(actor.UserID), reason, db.t(now), db.t(until)); err != nil {
		return db.fail("grant need to know", err)
	}
	ev := &rastro.AuditEvent{Action: AuditNeedToKnowGrant, CaseID: caseID, Object: fmt.Sprintf("user:%d", userID),
		Purpose: reason, Details: "until " + until.UTC().Format(time.RFC3339)}
	if err := db.insertAudit(ctx, tx, actor, ev); err != nil {
		return err
	}
	return db.commitCase(ctx, tx, caseID)
}

// RevokeNeedToKnow ends the user's live need-to-know grants on the case now;
// the case's lead (or the system actor) only; audited. ENOTFOUND when the
// user holds no live grant.
func (db *DB) RevokeNeedToKnow(ctx context.Context, actor rastro.Actor, caseID, userID int64) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := db.leadOnly(ctx, tx, actor, caseID, "revoke access to the victims' data"); err != nil {
		return err
	}
	now := db.now()
	res, err := tx.ExecContext(ctx, `UPDATE need_to_know_grants SET revoked_at = $1, revoked_by = $2
		WHERE case_id = $3 AND user_id = $4 AND revoked_at IS NULL AND until > $1`,
		db.t(now), nullID(actor.UserID), caseID, userID)
	if err != nil {
		return db.fail("revoke need to know", err)
	}
	if err := exactlyOne(res, "User %d holds no need-to-know grant on case %d.", userID, caseID); err != nil {
		return err
	}
	ev := &rastro.AuditEvent{Action: AuditNeedToKnowRevoke, CaseID: caseID, Object: fmt.Sprintf("user:%d", userID)}
	if err := db.insertAudit(ctx, tx, actor, ev); err != nil {
		return err
	}
	return db.commitCase(ctx, tx, caseID)
}

// NeedToKnowGrants lists the case's need-to-know grants, newest first: all
// of them for the lead and the system actor, their own for other members.
func (db *DB) NeedToKnowGrants(ctx context.Context, actor rastro.Actor, caseID int64) ([]*rastro.NeedToKnowGrant, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	role, err := memberRole(ctx, tx, actor, caseID)
	if err != nil {
		return nil, err
	}
	var user int64
	if role == rastro.MemberMember {
		user = actor.UserID
	}
	list, err := queryList(ctx, db, tx, "need to know grants", func(r rowScanner) (*rastro.NeedToKnowGrant, error) {
		g := &rastro.NeedToKnowGrant{}
		err := r.Scan(&g.ID, &g.CaseID, &g.UserID, &g.GrantedBy, &g.Reason, ts(&g.GrantedAt), ts(&g.Until), ts(&g.RevokedAt))
		return g, err
	}, `SELECT id, case_id, user_id, COALESCE(granted_by, 0), reason, granted_at, until, revoked_at
		FROM need_to_know_grants WHERE case_id = $1 AND ($2 = 0 OR user_id = $2) ORDER BY id DESC`, caseID, user)
	return nonNil(list), err
}

// leadOnly checks inside tx that actor is the case's lead (or the system
// actor): ENOTFOUND for non-members, EFORBIDDEN for other members.
func (db *DB) leadOnly(ctx context.Context, tx *sql.Tx, actor rastro.Actor, caseID int64, what string) error {
	role, err := memberRole(ctx, tx, actor, caseID)
	if err != nil {
		return err
	}
	if actor.System || role == rastro.MemberLead {
		return nil
	}
	return errorf(rastro.EFORBIDDEN, "Only the case's lead may %s.", what)
}

// memberOf checks that userID is an active member of the case (EINVALID
// otherwise).
func memberOf(ctx context.Context, tx *sql.Tx, caseID, userID int64) error {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_members m JOIN users u ON u.id = m.user_id
		WHERE m.case_id = $1 AND m.user_id = $2 AND u.disabled = $3`, caseID, userID, false).Scan(&n)
	if err != nil {
		return err
	}
	if n == 0 {
		return errorf(rastro.EINVALID, "User %d is not a member of case %d.", userID, caseID)
	}
	return nil
}

// auditAlone appends ev in its own write transaction, for reads that ran in
// a read-only snapshot.
func (db *DB) auditAlone(ctx context.Context, actor rastro.Actor, ev *rastro.AuditEvent) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := db.insertAudit(ctx, tx, actor, ev); err != nil {
		return err
	}
	return db.commit(tx)
}

// in appends values and returns their placeholders, comma-separated.
func (a *args) in(values []string) string {
	ph := make([]string, len(values))
	for i, v := range values {
		ph[i] = a.add(v)
	}
	return strings.Join(ph, ", ")
}

// mapKeys returns the keys of m, unordered.
func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
