package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/auth"
	"github.com/rastro/rastro/synth"
)

// The demo's fictional names; a re-run finds them and reuses them.
const (
	demoAgency = "Demo Anti-Trafficking Unit (fictional)"
	demoAdmin  = "admin"
	demoSeed   = 7
	demoSize   = "small"
)

func (e *environment) demo(ctx context.Context, args []string) error {
	var c serveConfig
	fs := e.newFlags("demo")
	c.bind(fs, "127.0.0.1:8080")
	port := fs.String("port", "", "port to listen on at 127.0.0.1 (overrides --addr)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *port != "" {
		c.Addr = net.JoinHostPort("127.0.0.1", *port)
	}
	log := c.logger(e)
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	password, caseID, err := setupDemo(ctx, s, c.DataDir, demoSize)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("demo: listen: %w (try --port)", err)
	}
	fmt.Fprintf(e.stdout, `
Rastro demo — fictional training case %d (seed %d, size %s)
  URL:       %s
  username:  %s
  password:  %s   (one-time: printed now, reset on every demo start)
The case's evidence and entities load in the background; the case dashboard shows progress.
Stop with Ctrl+C.
`, caseID, demoSeed, demoSize, c.url(ln), demoAdmin, password)
	return c.run(ctx, ln, s, log)
}

// setupDemo creates (or finds) the demo agency, admin and case, resets the
// admin's password, and queues the loading of a freshly generated scenario.
func setupDemo(ctx context.Context, s rastro.Store, dataDir, size string) (password string, caseID int64, err error) {
	sys := rastro.SystemActor("demo setup")
	agency, err := ensureAgency(ctx, s, sys)
	if err != nil {
		return "", 0, err
	}
	password = auth.GeneratePassword()
	admin, err := ensureAdmin(ctx, s, sys, agency.ID, password)
	if err != nil {
		return "", 0, err
	}
	k, err := ensureDemoCase(ctx, s, sys, agency.ID, admin.ID, dataDir, size)
	if err != nil {
		return "", 0, err
	}
	return password, k.ID, nil
}

func ensureAgency(ctx context.Context, s rastro.Store, sys rastro.Actor) (*rastro.Agency, error) {
	as, err := s.Agencies(ctx, sys)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		if a.Name == demoAgency {
			return a, nil
		}
	}
	a := &rastro.Agency{Name: demoAgency, Country: "CR", Kind: rastro.AgencyPolice}
	return a, s.CreateAgency(ctx, sys, a)
}

func ensureAdmin(ctx context.Context, s rastro.Store, sys rastro.Actor, agencyID int64, password string) (*rastro.User, error) {
	hash, err := auth.HashPassword(password)
	if err != nil {
		return nil, err
	}
	u, err := s.UserByUsername(ctx, demoAdmin)
	if rastro.ErrorCode(err) == rastro.ENOTFOUND {
		u = &rastro.User{AgencyID: agencyID, Username: demoAdmin, DisplayName: "Demo administrator", Role: rastro.RoleAdmin, PasswordHash: hash}
		return u, s.CreateUser(ctx, sys, u)
	} else if err != nil {
		return nil, err
	}
	return u, s.SetPassword(ctx, sys, u.ID, hash)
}

// ensureDemoCase generates the scenario once into the data directory and
// queues its loading; on a re-run it reuses the case.
func ensureDemoCase(ctx context.Context, s rastro.Store, sys rastro.Actor, agencyID, adminID int64, dataDir, size string) (*rastro.Case, error) {
	title := fmt.Sprintf("Training case: fictional network (seed %d)", demoSeed)
	cases, err := s.Cases(ctx, sys)
	if err != nil {
		return nil, err
	}
	for _, k := range cases {
		if k.Title == title {
			return k, nil
		}
	}
	dir, err := filepath.Abs(filepath.Join(dataDir, "scenarios", fmt.Sprintf("%s-seed%d", size, demoSeed)))
	if err != nil {
		return nil, err
	}
	// The answer key lives beside the evidence folder, not in it, so that it
	// is not ingested as evidence.
	truthFile := dir + ".truth.json"
	if _, err := os.Stat(truthFile); err != nil {
		// A half-written folder from an interrupted run is replaced.
		if err := os.RemoveAll(dir); err != nil {
			return nil, err
		}
		if _, err := synth.Generate(ctx, synth.Options{Size: size, Seed: demoSeed, Out: dir}); err != nil {
			return nil, fmt.Errorf("generate scenario: %w", err)
		}
		if err := os.Rename(filepath.Join(dir, "truth.json"), truthFile); err != nil {
			return nil, err
		}
	}
	k := &rastro.Case{AgencyID: agencyID, Title: title, Jurisdiction: "CR", Status: rastro.CaseOpen}
	if err := s.CreateCase(ctx, sys, k); err != nil {
		return nil, err
	}
	if err := s.AddMember(ctx, sys, &rastro.CaseMember{CaseID: k.ID, UserID: adminID, Role: rastro.MemberLead}); err != nil {
		return nil, err
	}
	payload, _ := json.Marshal(scenarioPayload{CaseID: k.ID, Dir: dir, Truth: truthFile})
	return k, s.Enqueue(ctx, sys, &rastro.Job{CaseID: k.ID, Kind: jobScenarioLoad, Payload: payload, MaxAttempts: 5})
}
