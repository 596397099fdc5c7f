package money

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadDirReconcilesStatements(t *testing.T) {
	c := loadSynth(t, "tiny", 7)
	byRef := map[Ref]*Tx{}
	stmtRows := 0
	for i := range c.g.Txs {
		x := &c.g.Txs[i]
		byRef[x.Ref()] = x
		if strings.HasPrefix(x.Format, FormatStatement) {
			stmtRows++
		}
	}
	// Every statement row of the tiny case shows a ledger transfer: none is left over.
	if stmtRows != 0 {
		t.Errorf("%d statement rows not matched to the AMLworld ledger", stmtRows)
	}
	for _, ty := range c.truth.Typologies {
		if ty.Kind != "fincen_ad_payments" {
			continue
		}
		for _, r := range ty.Transactions {
			x := byRef[Ref{File: r.File, Line: r.Line}]
			if x == nil {
				t.Fatalf("planted line %s:%d not imported", r.File, r.Line)
			}
			if !strings.Contains(x.Description, "PUBLICACION") && !strings.Contains(x.Description, "PREPAGO") {
				t.Errorf("%s:%d: description %q not carried over from the advertiser's statement", r.File, r.Line, x.Description)
			}
			if len(x.Also) == 0 || !strings.Contains(x.Also[0].File, "statement_") {
				t.Errorf("%s:%d: statement line not kept as provenance: %v", r.File, r.Line, x.Also)
			}
		}
	}
}

func TestLoadDirReports(t *testing.T) {
	dir := synthCase(t, "tiny", 7)
	ds, err := LoadDir(filepath.Join(dir, "money"), "money")
	if err != nil {
		t.Fatal(err)
	}
	formats := map[string]bool{}
	for _, r := range ds.Reports {
		formats[strings.SplitN(r.Format, ":", 2)[0]] = true
		if r.ErrorCount > 0 {
			t.Errorf("%s: %d bad lines, first %v", r.File, r.ErrorCount, r.Errors[0])
		}
	}
	for _, f := range []string{FormatAMLworld, FormatBTC, FormatToken, FormatStatement} {
		if !formats[f] {
			t.Errorf("no %s file read", f)
		}
	}
	for f, a := range ds.StatementAccount {
		if a == "" {
			t.Errorf("statement %s not matched to a ledger account", f)
		}
	}
}
