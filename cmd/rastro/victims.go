package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/htcds"
	"github.com/rastro/rastro/stats"
)

// The victim-data commands: HTCDS import/export and anonymised statistics.
// They act as the system actor, like every administration command, and
// audit what they do.

func (e *environment) htcdsImport(ctx context.Context, args []string) error {
	var c config
	var caseID int64
	fs := e.newFlags("htcds import")
	c.bind(fs)
	fs.Int64Var(&caseID, "case", 0, "case id (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if caseID <= 0 || fs.NArg() != 1 {
		return rastro.Errorf(rastro.EINVALID, "htcds import: usage: rastro htcds import --case ID FILE.csv")
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("htcds import: %w", err)
	}
	defer f.Close()
	mapped, _, err := htcds.Import(bufio.NewReader(f), htcds.MapOptions{CaseID: caseID, Source: filepath.Base(path)})
	var verr *htcds.ValidationError
	if errors.As(err, &verr) {
		for _, p := range verr.Problems {
			fmt.Fprintf(e.stderr, "%s: %v\n", path, p)
		}
		return fmt.Errorf("htcds import: %s: %d problems, nothing imported", path, len(verr.Problems))
	} else if err != nil {
		return fmt.Errorf("htcds import: %s: %w", path, err)
	}
	return withStore(ctx, c, func(s rastro.Store) error {
		actor := rastro.SystemActor("cli: htcds import")
		for _, ent := range mapped.Entities {
			if err := s.PutEntity(ctx, actor, ent); err != nil {
				return fmt.Errorf("htcds import: %s: %w", ent.ID, err)
			}
		}
		if err := s.PutLinks(ctx, actor, caseID, mapped.Links); err != nil {
			return fmt.Errorf("htcds import: links: %w", err)
		}
		fmt.Fprintf(e.stdout, "%d entities and %d links imported from %s\n", len(mapped.Entities), len(mapped.Links), path)
		return s.Audit(ctx, actor, &rastro.AuditEvent{Action: "htcds_import", CaseID: caseID,
			Details: fmt.Sprintf("%d entities from %s", len(mapped.Entities), filepath.Base(path))})
	})
}

func (e *environment) htcdsExport(ctx context.Context, args []string) error {
	var c config
	var caseID int64
	var out, purpose string
	var personal bool
	fs := e.newFlags("htcds export")
	c.bind(fs)
	fs.Int64Var(&caseID, "case", 0, "case id (required)")
	fs.StringVar(&out, "out", "", "output CSV file (required); the attribution goes to FILE.txt beside it")
	fs.BoolVar(&personal, "personal-data", false, "include victims' personal data (names, birth dates, contacts); needs --purpose")
	fs.StringVar(&purpose, "purpose", "", "why personal data is exported (audited)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if caseID <= 0 || out == "" {
		return rastro.Errorf(rastro.EINVALID, "htcds export: --case and --out are required")
	}
	if personal && len(purpose) < 10 {
		return rastro.Errorf(rastro.EINVALID, "htcds export: --personal-data needs a --purpose of at least 10 characters; it is audited")
	}
	return withStore(ctx, c, func(s rastro.Store) error {
		actor := rastro.SystemActor("cli: htcds export")
		ents, links, err := caseGraph(ctx, s, actor, caseID)
		if err != nil {
			return fmt.Errorf("htcds export: %w", err)
		}
		var res *htcds.ExportResult
		if _, err := writeAtomically(out, func(w *bufio.Writer) (n int, err error) {
			res, err = htcds.Export(w, ents, links, htcds.ExportOptions{IncludePersonalData: personal})
			return 0, err
		}); err != nil {
			return fmt.Errorf("htcds export: %w", err)
		}
		if _, err := writeAtomically(out+".txt", func(w *bufio.Writer) (int, error) {
			return 0, htcds.WriteSidecar(w, filepath.Base(out), res.Rows, !personal)
		}); err != nil {
			return fmt.Errorf("htcds export: %w", err)
		}
		for _, d := range res.Dropped {
			fmt.Fprintln(e.stderr, "left out:", d)
		}
		fmt.Fprintf(e.stdout, "%d rows written to %s (personal data %s)\n", res.Rows, out, map[bool]string{true: "included", false: "redacted"}[personal])
		return s.Audit(ctx, actor, &rastro.AuditEvent{Action: "export", CaseID: caseID, Purpose: purpose,
			Details: fmt.Sprintf("htcds: %d rows, personal data %t", res.Rows, personal)})
	})
}

func (e *environment) statsExport(ctx context.Context, args []string) error {
	var c config
	var caseID int64
	var out string
	spec := stats.Spec{Rows: "gender", Cols: "ageBroad"}
	fs := e.newFlags("stats export")
	c.bind(fs)
	fs.Int64Var(&caseID, "case", 0, "case id (required)")
	fs.StringVar(&out, "out", "", "output CSV file (required); the method notes go to FILE.txt beside it")
	fs.IntVar(&spec.K, "k", stats.DefaultK, "suppress every count below k")
	fs.Float64Var(&spec.Epsilon, "epsilon", 0, "add differential-privacy noise spending this ε (0: k-anonymity only)")
	fs.Float64Var(&spec.Budget, "budget", 0, "total ε of the case's privacy budget (0: the default)")
	fs.StringVar(&spec.Rows, "rows", spec.Rows, "row dimension")
	fs.StringVar(&spec.Cols, "cols", spec.Cols, "column dimension")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if caseID <= 0 || out == "" {
		return rastro.Errorf(rastro.EINVALID, "stats export: --case and --out are required")
	}
	spec.Scope = fmt.Sprintf("case:%d", caseID)
	return withStore(ctx, c, func(s rastro.Store) error {
		actor := rastro.SystemActor("cli: stats export")
		ents, links, err := caseGraph(ctx, s, actor, caseID)
		if err != nil {
			return fmt.Errorf("stats export: %w", err)
		}
		// The ledger of past releases and spent budget lives in the data
		// directory until the store has a table for it.
		rl := &stats.Releaser{Ledger: &stats.FileLedger{Path: filepath.Join(c.DataDir, "stats-ledger.json")}}
		t, err := rl.Release(ctx, stats.VictimsFromEntities(ents, links), spec)
		if err != nil {
			return fmt.Errorf("stats export: %w", err)
		}
		if _, err := writeAtomically(out, func(w *bufio.Writer) (int, error) { return 0, stats.WriteCSV(w, t) }); err != nil {
			return fmt.Errorf("stats export: %w", err)
		}
		if _, err := writeAtomically(out+".txt", func(w *bufio.Writer) (int, error) { return 0, stats.WriteNotes(w, t) }); err != nil {
			return fmt.Errorf("stats export: %w", err)
		}
		fmt.Fprintf(e.stdout, "anonymised %s × %s table written to %s\n", spec.Rows, spec.Cols, out)
		return s.Audit(ctx, actor, &rastro.AuditEvent{Action: "export", CaseID: caseID,
			Details: fmt.Sprintf("stats: %s x %s, k=%d, epsilon=%g", spec.Rows, spec.Cols, spec.K, spec.Epsilon)})
	})
}

// caseGraph reads every entity (with statements) and link of a case.
func caseGraph(ctx context.Context, s rastro.Store, actor rastro.Actor, caseID int64) ([]*rastro.Entity, []*rastro.Link, error) {
	var ents []*rastro.Entity
	if err := s.ForEachEntity(ctx, actor, caseID, func(e *rastro.Entity) error {
		ents = append(ents, e)
		return nil
	}); err != nil {
		return nil, nil, err
	}
	links, err := s.Links(ctx, actor, caseID, "")
	return ents, links, err
}
