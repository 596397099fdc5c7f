package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/export"
)

func (e *environment) exportFtM(ctx context.Context, args []string) error {
	var c config
	var caseID int64
	var out, purpose string
	var opts export.FtMOptions
	fs := e.newFlags("export ftm")
	c.bind(fs)
	fs.Int64Var(&caseID, "case", 0, "case id (required)")
	fs.StringVar(&out, "out", "", "output file (required; '-' for standard output)")
	fs.BoolVar(&opts.IncludeVictimData, "victim-data", false, "include victims' personal data (redacted by default); needs --purpose")
	fs.StringVar(&purpose, "purpose", "", "why victims' data is exported (audited)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if caseID <= 0 || out == "" {
		return rastro.Errorf(rastro.EINVALID, "export ftm: --case and --out are required")
	}
	if opts.IncludeVictimData && len(strings.TrimSpace(purpose)) < 10 {
		return rastro.Errorf(rastro.EINVALID, "export ftm: --victim-data needs a --purpose of at least 10 characters; it is audited")
	}
	return withStore(ctx, c, func(s rastro.Store) error {
		actor := rastro.SystemActor("cli: export ftm")
		if _, err := s.CaseByID(ctx, actor, caseID); err != nil {
			return fmt.Errorf("export ftm: case %d: %w", caseID, err)
		}
		n, err := writeAtomically(out, func(w *bufio.Writer) (int, error) {
			return export.FtMWith(ctx, w, s, actor, caseID, opts)
		})
		if err != nil {
			return fmt.Errorf("export ftm: %w", err)
		}
		ev := &rastro.AuditEvent{Action: "export", CaseID: caseID, Purpose: purpose,
			Details: fmt.Sprintf("ftm: %d objects to %s, victim data %t", n, filepath.Base(out), opts.IncludeVictimData)}
		if err := s.Audit(ctx, actor, ev); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "%d objects written to %s\n", n, out)
		return nil
	})
}

func writeDirect(f *os.File, fn func(*bufio.Writer) (int, error)) (int, error) {
	w := bufio.NewWriter(f)
	n, err := fn(w)
	if err == nil {
		err = w.Flush()
	}
	return n, err
}

// writeAtomically writes to a temporary file beside path and renames it into
// place only when fn succeeded, so a failed export never leaves half a file.
func writeAtomically(path string, fn func(*bufio.Writer) (int, error)) (int, error) {
	if path == "-" {
		return writeDirect(os.Stdout, fn)
	}
	// A device or pipe (e.g. /dev/null) is written as it is: renaming a
	// temporary file over it would replace the device with a file.
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		return writeDirect(f, fn)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, err
	}
	defer os.Remove(f.Name())
	w := bufio.NewWriter(f)
	n, err := fn(w)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	return n, os.Rename(f.Name(), path)
}
