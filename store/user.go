package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/rastro/rastro"
)

// CreateUser stores a new user; admins and the system actor only.
func (db *DB) CreateUser(ctx context.Context, actor rastro.Actor, u *rastro.User) error {
	if !actor.Can(rastro.PermManageUsers) {
		return forbidden("create users")
	}
	if err := validateUser(u); err != nil {
		return err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	u.CreatedAt = db.now()
	err = tx.QueryRowContext(ctx, `
		INSERT INTO users (agency_id, username, display_name, role, language, password_hash, disabled, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		u.AgencyID, u.Username, u.DisplayName, u.Role, u.Language, u.PasswordHash, u.Disabled, db.t(u.CreatedAt)).Scan(&u.ID)
	switch db.kind(err) {
	case ErrUnique:
		return errorf(rastro.ECONFLICT, "The username %q is taken.", u.Username)
	case ErrForeignKey:
		return errorf(rastro.EINVALID, "Agency %d does not exist.", u.AgencyID)
	}
	if err != nil {
		return db.fail("create user", err)
	}
	return db.commit(tx)
}

// validateUser normalises and checks u; EINVALID says what is wrong.
func validateUser(u *rastro.User) error {
	u.Username = strings.TrimSpace(u.Username)
	u.DisplayName = strings.TrimSpace(u.DisplayName)
	switch {
	case u.Username == "":
		return errorf(rastro.EINVALID, "Username is required.")
	case len(u.Username) > 64:
		return errorf(rastro.EINVALID, "Username must be at most 64 characters.")
	case strings.IndexFunc(u.Username, badUsernameRune) >= 0:
		return errorf(rastro.EINVALID, "Username %q may contain only letters, digits and . _ - @.", u.Username)
	case !u.Role.Valid():
		return errorf(rastro.EINVALID, "Unknown role %q; use one of %v.", u.Role, rastro.Roles)
	case u.Language != "" && u.Language != "en" && u.Language != "es":
		return errorf(rastro.EINVALID, "Language must be \"en\", \"es\" or empty, not %q.", u.Language)
	case u.AgencyID <= 0:
		return errorf(rastro.EINVALID, "Every user belongs to an agency: agency_id is required.")
	}
	return nil
}

// badUsernameRune reports runes not allowed in usernames.
func badUsernameRune(r rune) bool {
	return !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._-@", r))
}

const userColumns = `id, agency_id, username, display_name, role, language, password_hash,
	disabled, failed_logins, locked_until, created_at`

// scanUser scans one row of userColumns.
func scanUser(row rowScanner) (*rastro.User, error) {
	u := &rastro.User{}
	err := row.Scan(&u.ID, &u.AgencyID, &u.Username, &u.DisplayName, &u.Role, &u.Language,
		&u.PasswordHash, &u.Disabled, &u.FailedLogins, ts(&u.LockedUntil), ts(&u.CreatedAt))
	return u, err
}

// Users lists all users; admins and the system actor only.
func (db *DB) Users(ctx context.Context, actor rastro.Actor) ([]*rastro.User, error) {
	if !actor.Can(rastro.PermManageUsers) {
		return nil, forbidden("list users")
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return queryList(ctx, db, tx, "users", scanUser, `SELECT `+userColumns+` FROM users ORDER BY username`)
}

// UserByID returns a user to an admin, to the user, or to someone who shares
// a case with the user (to show member names); ENOTFOUND otherwise.
func (db *DB) UserByID(ctx context.Context, actor rastro.Actor, id int64) (*rastro.User, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	u, err := db.userByID(ctx, tx, actor, id)
	if err != nil {
		return nil, err
	}
	return u, nil
}

// userByID reads a user visible to actor.
func (db *DB) userByID(ctx context.Context, tx *sql.Tx, actor rastro.Actor, id int64) (*rastro.User, error) {
	all := actor.Can(rastro.PermManageUsers) || actor.UserID == id
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1 AND ($2 OR EXISTS (
		SELECT 1 FROM case_members a JOIN case_members b ON a.case_id = b.case_id
		WHERE a.user_id = $3 AND b.user_id = users.id))`, id, all, actor.UserID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errorf(rastro.ENOTFOUND, "User %d not found.", id)
	} else if err != nil {
		return nil, db.fail("user", err)
	}
	return u, nil
}

// UserByUsername returns a user by username, ignoring case; for
// authentication only.
func (db *DB) UserByUsername(ctx context.Context, username string) (*rastro.User, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE lower(username) = lower($1)`, strings.TrimSpace(username)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errorf(rastro.ENOTFOUND, "User %q not found.", username)
	} else if err != nil {
		return nil, db.fail("user by username", err)
	}
	return u, nil
}

// UpdateUser changes display name, role, language and disabled flag (admins)
// or only the language (the user). A role change is audited.
func (db *DB) UpdateUser(ctx context.Context, actor rastro.Actor, u *rastro.User) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	old, err := db.userByID(ctx, tx, actor, u.ID)
	if err != nil {
		return err
	}
	next := *old
	next.Language = u.Language
	if actor.Can(rastro.PermManageUsers) {
		next.DisplayName, next.Role, next.Disabled = u.DisplayName, u.Role, u.Disabled
	} else if actor.UserID != u.ID {
		return forbidden("change other users")
	} else if u.DisplayName != old.DisplayName || u.Role != old.Role || u.Disabled != old.Disabled {
		return forbidden("change your own name, role or status; ask an administrator")
	}
	if err := validateUser(&next); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET display_name = $1, role = $2, language = $3, disabled = $4 WHERE id = $5`,
		next.DisplayName, next.Role, next.Language, next.Disabled, next.ID); err != nil {
		return db.fail("update user", err)
	}
	if next.Role != old.Role {
		ev := &rastro.AuditEvent{Action: "role_change", Object: fmt.Sprintf("user:%d", u.ID),
			Details: fmt.Sprintf("%s -> %s", old.Role, next.Role)}
		if err := db.insertAudit(ctx, tx, actor, ev); err != nil {
			return err
		}
	}
	if err := db.commit(tx); err != nil {
		return err
	}
	*u = next
	return nil
}

// SetPassword stores a new password hash (admins, or the user); audited.
func (db *DB) SetPassword(ctx context.Context, actor rastro.Actor, userID int64, hash string) error {
	if !actor.Can(rastro.PermManageUsers) && actor.UserID != userID {
		return forbidden("change other users' passwords")
	}
	if hash == "" {
		return errorf(rastro.EINVALID, "Password hash is required.")
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL WHERE id = $2`, hash, userID)
	if err != nil {
		return db.fail("set password", err)
	}
	if err := exactlyOne(res, "User %d not found.", userID); err != nil {
		return err
	}
	ev := &rastro.AuditEvent{Action: "password_set", Object: fmt.Sprintf("user:%d", userID)}
	if err := db.insertAudit(ctx, tx, actor, ev); err != nil {
		return err
	}
	return db.commit(tx)
}

// RecordLogin stores and audits the outcome of a login attempt.
func (db *DB) RecordLogin(ctx context.Context, userID int64, ok bool, lockUntil time.Time, remote string) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var username string
	if ok {
		err = tx.QueryRowContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1 RETURNING username`, userID).Scan(&username)
	} else {
		err = tx.QueryRowContext(ctx, `UPDATE users SET failed_logins = failed_logins + 1,
			locked_until = COALESCE($1, locked_until) WHERE id = $2 RETURNING username`, db.t(lockUntil), userID).Scan(&username)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return errorf(rastro.ENOTFOUND, "User %d not found.", userID)
	} else if err != nil {
		return db.fail("record login", err)
	}
	ev := &rastro.AuditEvent{Action: "login", Object: fmt.Sprintf("user:%d", userID), Remote: remote}
	if !ok {
		ev.Action = "login_failed"
		if !lockUntil.IsZero() {
			ev.Details = "locked until " + lockUntil.UTC().Format(time.RFC3339)
		}
	}
	actor := rastro.Actor{UserID: userID, Username: username}
	if err := db.insertAudit(ctx, tx, actor, ev); err != nil {
		return err
	}
	return db.commit(tx)
}
