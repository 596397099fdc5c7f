package money

import (
	"testing"
)

func TestLoadDirTiny(t *testing.T) {
	dir := synthCase(t, "tiny", 7)
	ds, err := LoadDir(dir+"/money", "money")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range ds.Reports {
		t.Logf("%s %s lines=%d txs=%d skipped=%d errors=%d", r.File, r.Format, r.Lines, r.Txs, r.Skipped, r.ErrorCount)
		if r.ErrorCount > 0 {
			t.Errorf("%s: %d bad lines, first %v", r.File, r.ErrorCount, r.Errors[0])
		}
	}
	for f, a := range ds.StatementAccount {
		t.Logf("%s -> %s", f, a)
		if a == "" {
			t.Errorf("statement %s not matched to a ledger account", f)
		}
	}
}
