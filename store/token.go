package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rastro/rastro"
)

// CreateAPIToken stores a token for the actor (or, for admins, any user).
// UserID 0 means the actor.
func (db *DB) CreateAPIToken(ctx context.Context, actor rastro.Actor, t *rastro.APIToken) error {
	if t.UserID == 0 {
		t.UserID = actor.UserID
	}
	if t.UserID != actor.UserID && !actor.Can(rastro.PermManageUsers) {
		return forbidden("create tokens for other users")
	}
	if err := validateToken(t); err != nil {
		return err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	t.CreatedAt = db.now()
	err = tx.QueryRowContext(ctx, `
		INSERT INTO api_tokens (user_id, name, prefix, hash, scopes, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		t.UserID, t.Name, t.Prefix, t.Hash, strings.Join(t.Scopes, ","), db.t(t.CreatedAt), db.t(t.ExpiresAt)).Scan(&t.ID)
	switch db.kind(err) {
	case ErrUnique:
		return errorf(rastro.ECONFLICT, "A token with this secret exists; generate a new one.")
	case ErrForeignKey:
		return errorf(rastro.EINVALID, "User %d does not exist.", t.UserID)
	}
	if err != nil {
		return db.fail("create token", err)
	}
	ev := &rastro.AuditEvent{Action: "token_create", Object: fmt.Sprintf("token:%d", t.ID),
		Details: fmt.Sprintf("user:%d scopes:%s", t.UserID, strings.Join(t.Scopes, ","))}
	if err := db.insertAudit(ctx, tx, actor, ev); err != nil {
		return err
	}
	return db.commit(tx)
}

// validateToken checks a new token; EINVALID says what is wrong.
func validateToken(t *rastro.APIToken) error {
	t.Name = strings.TrimSpace(t.Name)
	switch {
	case t.Name == "":
		return errorf(rastro.EINVALID, "Token name is required, so that you can recognise it later.")
	case len(t.Hash) != 32:
		return errorf(rastro.EINVALID, "Token hash must be 32 bytes (SHA-256).")
	case len(t.Scopes) == 0:
		return errorf(rastro.EINVALID, "A token needs at least one scope: read, write or report.")
	}
	for _, s := range t.Scopes {
		if !slices.Contains([]string{rastro.ScopeRead, rastro.ScopeWrite, rastro.ScopeReport}, s) {
			return errorf(rastro.EINVALID, "Unknown token scope %q; use read, write or report.", s)
		}
	}
	return nil
}

const tokenColumns = `id, user_id, name, prefix, hash, scopes, created_at, expires_at, revoked_at, last_used`

// scanToken scans one row of tokenColumns.
func scanToken(row rowScanner) (*rastro.APIToken, error) {
	t := &rastro.APIToken{}
	var scopes string
	err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.Hash, &scopes,
		ts(&t.CreatedAt), ts(&t.ExpiresAt), ts(&t.RevokedAt), ts(&t.LastUsed))
	if scopes != "" {
		t.Scopes = strings.Split(scopes, ",")
	}
	return t, err
}

// APITokens lists a user's tokens (the user's own, or any for admins).
func (db *DB) APITokens(ctx context.Context, actor rastro.Actor, userID int64) ([]*rastro.APIToken, error) {
	if userID != actor.UserID && !actor.Can(rastro.PermManageUsers) {
		return nil, forbidden("list other users' tokens")
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return queryList(ctx, db, tx, "tokens", scanToken, `SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = $1 ORDER BY id`, userID)
}

// lastUsedGranularity bounds how often a token's LastUsed is written, so
// that busy API clients do not turn every read into a write.
const lastUsedGranularity = time.Minute

// APITokenByHash returns a valid token; ENOTFOUND when absent, revoked or
// expired. It records the time of use (to the minute).
func (db *DB) APITokenByHash(ctx context.Context, hash []byte) (*rastro.APIToken, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	now := db.now()
	t, err := scanToken(tx.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens
		WHERE hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)`, hash, db.t(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errorf(rastro.ENOTFOUND, "API token not found, revoked or expired.")
	} else if err != nil {
		return nil, db.fail("token", err)
	}
	tx.Rollback()
	if now.Sub(t.LastUsed) >= lastUsedGranularity {
		if err := db.execOne(ctx, "token last used", "API token not found.",
			`UPDATE api_tokens SET last_used = $1 WHERE id = $2`, db.t(now), t.ID); err != nil {
			return nil, err
		}
		t.LastUsed = now
	}
	return t, nil
}

// RevokeAPIToken revokes a token of the actor's (or, for admins, any).
func (db *DB) RevokeAPIToken(ctx context.Context, actor rastro.Actor, id int64) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	all := actor.Can(rastro.PermManageUsers)
	res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $1)
		WHERE id = $2 AND ($3 OR user_id = $4)`, db.t(db.now()), id, all, actor.UserID)
	if err != nil {
		return db.fail("revoke token", err)
	}
	if err := exactlyOne(res, "API token %d not found.", id); err != nil {
		return err
	}
	ev := &rastro.AuditEvent{Action: "token_revoke", Object: fmt.Sprintf("token:%d", id)}
	if err := db.insertAudit(ctx, tx, actor, ev); err != nil {
		return err
	}
	return db.commit(tx)
}
