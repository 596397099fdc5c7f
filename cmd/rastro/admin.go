package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/auth"
	"github.com/rastro/rastro/postgres"
	"github.com/rastro/rastro/sqlite"
	"path/filepath"
)

// The administration commands act as the machine's operator: they run with
// the system actor and are audited as such.

func (e *environment) migrate(ctx context.Context, args []string) error {
	var c config
	fs := e.newFlags("migrate")
	c.bind(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	var applied []string
	var err error
	if c.DB != "" {
		applied, err = postgres.Migrate(ctx, c.DB)
	} else {
		applied, err = sqlite.Migrate(ctx, filepath.Join(c.DataDir, "rastro.db"))
	}
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if len(applied) == 0 {
		fmt.Fprintln(e.stdout, "database is up to date")
	}
	for _, v := range applied {
		fmt.Fprintln(e.stdout, "applied", v)
	}
	return nil
}

func (e *environment) userAdd(ctx context.Context, args []string) error {
	var c config
	var u rastro.User
	var role, agency, password string
	fs := e.newFlags("user add")
	c.bind(fs)
	fs.StringVar(&u.Username, "username", "", "login name (required)")
	fs.StringVar(&u.DisplayName, "name", "", "display name")
	fs.StringVar(&role, "role", "analyst", "role: "+roleNames())
	fs.StringVar(&agency, "agency", "", "agency id or name (required)")
	fs.StringVar(&u.Language, "lang", "", "UI language: en, es or empty for the browser's")
	fs.StringVar(&password, "password", "", "initial password (default: generated and printed once)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return withStore(ctx, c, func(s rastro.Store) error {
		a, err := findAgency(ctx, s, agency)
		if err != nil {
			return err
		}
		u.AgencyID, u.Role = a.ID, rastro.Role(role)
		if password == "" {
			password = auth.GeneratePassword()
			defer fmt.Fprintf(e.stdout, "password (shown once): %s\n", password)
		}
		if u.PasswordHash, err = auth.HashPassword(password); err != nil {
			return err
		}
		if err := s.CreateUser(ctx, rastro.SystemActor("cli: user add"), &u); err != nil {
			return fmt.Errorf("user add: %w", err)
		}
		fmt.Fprintf(e.stdout, "user %d %s (%s) created\n", u.ID, u.Username, u.Role)
		return nil
	})
}

func (e *environment) userPasswd(ctx context.Context, args []string) error {
	var c config
	var username, password string
	fs := e.newFlags("user passwd")
	c.bind(fs)
	fs.StringVar(&username, "username", "", "login name (required)")
	fs.StringVar(&password, "password", "", "new password (default: generated and printed once)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return withStore(ctx, c, func(s rastro.Store) error {
		u, err := s.UserByUsername(ctx, username)
		if err != nil {
			return fmt.Errorf("user passwd: %q: %w", username, err)
		}
		if password == "" {
			password = auth.GeneratePassword()
			defer fmt.Fprintf(e.stdout, "password (shown once): %s\n", password)
		}
		hash, err := auth.HashPassword(password)
		if err != nil {
			return err
		}
		return s.SetPassword(ctx, rastro.SystemActor("cli: user passwd"), u.ID, hash)
	})
}

func (e *environment) userList(ctx context.Context, args []string) error {
	var c config
	fs := e.newFlags("user list")
	c.bind(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	return withStore(ctx, c, func(s rastro.Store) error {
		users, err := s.Users(ctx, rastro.SystemActor("cli: user list"))
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tUSERNAME\tROLE\tAGENCY\tDISABLED")
		for _, u := range users {
			fmt.Fprintf(w, "%d\t%s\t%s\t%d\t%t\n", u.ID, u.Username, u.Role, u.AgencyID, u.Disabled)
		}
		return w.Flush()
	})
}

func (e *environment) agencyAdd(ctx context.Context, args []string) error {
	var c config
	var a rastro.Agency
	var kind string
	fs := e.newFlags("agency add")
	c.bind(fs)
	fs.StringVar(&a.Name, "name", "", "agency name (required)")
	fs.StringVar(&a.Country, "country", "", "ISO 3166-1 alpha-2 country code (required)")
	fs.StringVar(&kind, "kind", "police", "kind: police, prosecutor, ngo, provider, international_organisation, other")
	if err := fs.Parse(args); err != nil {
		return err
	}
	a.Kind = rastro.AgencyKind(kind)
	a.Country = strings.ToUpper(a.Country)
	return withStore(ctx, c, func(s rastro.Store) error {
		if err := s.CreateAgency(ctx, rastro.SystemActor("cli: agency add"), &a); err != nil {
			return fmt.Errorf("agency add: %w", err)
		}
		fmt.Fprintf(e.stdout, "%d\n", a.ID)
		return nil
	})
}

func (e *environment) agencyList(ctx context.Context, args []string) error {
	var c config
	fs := e.newFlags("agency list")
	c.bind(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	return withStore(ctx, c, func(s rastro.Store) error {
		as, err := s.Agencies(ctx, rastro.SystemActor("cli: agency list"))
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tNAME\tCOUNTRY\tKIND")
		for _, a := range as {
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", a.ID, a.Name, a.Country, a.Kind)
		}
		return w.Flush()
	})
}

func (e *environment) caseAdd(ctx context.Context, args []string) error {
	var c config
	var k rastro.Case
	var agency, lead string
	fs := e.newFlags("case add")
	c.bind(fs)
	fs.StringVar(&k.Title, "title", "", "case title (required)")
	fs.StringVar(&k.Jurisdiction, "jurisdiction", "", "ISO 3166-1 alpha-2 country code (required)")
	fs.StringVar(&agency, "agency", "", "agency id or name (required)")
	fs.StringVar(&lead, "lead", "", "username of the case's lead (required: someone must be able to open it)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	k.Jurisdiction = strings.ToUpper(k.Jurisdiction)
	return withStore(ctx, c, func(s rastro.Store) error {
		if lead == "" {
			return rastro.Errorf(rastro.EINVALID, "case add: --lead is required: name the user who leads the case")
		}
		a, err := findAgency(ctx, s, agency)
		if err != nil {
			return err
		}
		u, err := s.UserByUsername(ctx, lead)
		if err != nil {
			return fmt.Errorf("case add: lead %q: %w", lead, err)
		}
		k.AgencyID, k.Status = a.ID, rastro.CaseOpen
		sys := rastro.SystemActor("cli: case add")
		if err := s.CreateCase(ctx, sys, &k); err != nil {
			return fmt.Errorf("case add: %w", err)
		}
		if err := s.AddMember(ctx, sys, &rastro.CaseMember{CaseID: k.ID, UserID: u.ID, Role: rastro.MemberLead}); err != nil {
			return fmt.Errorf("case add: lead: %w", err)
		}
		fmt.Fprintf(e.stdout, "%d\n", k.ID)
		return nil
	})
}

func (e *environment) caseMember(ctx context.Context, args []string) error {
	var c config
	var caseID int64
	var username, role string
	fs := e.newFlags("case member")
	c.bind(fs)
	fs.Int64Var(&caseID, "case", 0, "case id (required)")
	fs.StringVar(&username, "username", "", "user to add (required)")
	fs.StringVar(&role, "role", "member", "role in the case: member or lead")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return withStore(ctx, c, func(s rastro.Store) error {
		u, err := s.UserByUsername(ctx, username)
		if err != nil {
			return fmt.Errorf("case member: user %q: %w", username, err)
		}
		m := &rastro.CaseMember{CaseID: caseID, UserID: u.ID, Role: rastro.MemberRole(role)}
		if err := s.AddMember(ctx, rastro.SystemActor("cli: case member"), m); err != nil {
			return fmt.Errorf("case member: %w", err)
		}
		fmt.Fprintf(e.stdout, "%s is now %s of case %d\n", u.Username, m.Role, caseID)
		return nil
	})
}

func (e *environment) caseList(ctx context.Context, args []string) error {
	var c config
	fs := e.newFlags("case list")
	c.bind(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	return withStore(ctx, c, func(s rastro.Store) error {
		cases, err := s.Cases(ctx, rastro.SystemActor("cli: case list"))
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tTITLE\tJURISDICTION\tSTATUS\tAGENCY")
		for _, k := range cases {
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%d\n", k.ID, k.Title, k.Jurisdiction, k.Status, k.AgencyID)
		}
		return w.Flush()
	})
}

// withStore opens the store, runs fn and closes the store.
func withStore(ctx context.Context, c config, fn func(rastro.Store) error) error {
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	return fn(s)
}

// findAgency resolves an agency by numeric id or exact name.
func findAgency(ctx context.Context, s rastro.Store, ref string) (*rastro.Agency, error) {
	if ref == "" {
		return nil, rastro.Errorf(rastro.EINVALID, "--agency is required (id or name; see 'rastro agency list')")
	}
	as, err := s.Agencies(ctx, rastro.SystemActor("cli"))
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		if a.Name == ref || fmt.Sprint(a.ID) == ref {
			return a, nil
		}
	}
	return nil, rastro.Errorf(rastro.ENOTFOUND, "no agency %q (see 'rastro agency list')", ref)
}

func roleNames() string {
	names := make([]string, len(rastro.Roles))
	for i, r := range rastro.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}
