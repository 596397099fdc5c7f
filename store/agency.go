package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/rastro/rastro"
)

// CreateAgency stores a new agency; admins and the system actor only.
func (db *DB) CreateAgency(ctx context.Context, actor rastro.Actor, a *rastro.Agency) error {
	if !actor.Can(rastro.PermManageAgencies) {
		return forbidden("create agencies")
	}
	if err := validateAgency(a); err != nil {
		return err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	a.CreatedAt = db.now()
	err = tx.QueryRowContext(ctx, `
		INSERT INTO agencies (name, country, kind, created_at) VALUES ($1, $2, $3, $4)
		RETURNING id`, a.Name, a.Country, a.Kind, db.t(a.CreatedAt)).Scan(&a.ID)
	if db.kind(err) == ErrUnique {
		return errorf(rastro.ECONFLICT, "An agency named %q already exists.", a.Name)
	} else if err != nil {
		return db.fail("create agency", err)
	}
	return db.commit(tx)
}

// validateAgency normalises and checks a; EINVALID says what is wrong.
func validateAgency(a *rastro.Agency) error {
	a.Name = strings.TrimSpace(a.Name)
	a.Country = strings.ToUpper(strings.TrimSpace(a.Country))
	if a.Kind == "" {
		a.Kind = rastro.AgencyOther
	}
	switch {
	case a.Name == "":
		return errorf(rastro.EINVALID, "Agency name is required.")
	case len(a.Name) > 200:
		return errorf(rastro.EINVALID, "Agency name must be at most 200 characters.")
	case !validCountry(a.Country):
		return errorf(rastro.EINVALID, "Country must be a two-letter ISO 3166-1 code such as MX or ES, not %q.", a.Country)
	case !slices.Contains(rastro.AgencyKinds, a.Kind):
		return errorf(rastro.EINVALID, "Unknown agency kind %q; use one of %v.", a.Kind, rastro.AgencyKinds)
	}
	return nil
}

// validCountry reports whether s is two ASCII capital letters.
func validCountry(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

const agencyColumns = `id, name, country, kind, created_at`

// scanAgency scans one row of agencyColumns.
func scanAgency(row rowScanner) (*rastro.Agency, error) {
	a := &rastro.Agency{}
	err := row.Scan(&a.ID, &a.Name, &a.Country, &a.Kind, ts(&a.CreatedAt))
	return a, err
}

// Agencies lists all agencies by name; open to every user.
func (db *DB) Agencies(ctx context.Context, actor rastro.Actor) ([]*rastro.Agency, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return queryList(ctx, db, tx, "agencies", scanAgency, `SELECT `+agencyColumns+` FROM agencies ORDER BY name, id`)
}

// AgencyByID returns one agency; ENOTFOUND if there is none.
func (db *DB) AgencyByID(ctx context.Context, actor rastro.Actor, id int64) (*rastro.Agency, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	a, err := scanAgency(tx.QueryRowContext(ctx, `SELECT `+agencyColumns+` FROM agencies WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errorf(rastro.ENOTFOUND, "Agency %d not found.", id)
	} else if err != nil {
		return nil, db.fail("agency", err)
	}
	return a, nil
}
