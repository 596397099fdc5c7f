package stats

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// WriteCSV writes a released table: one line per count, with the two
// dimension names as the first header cells; withheld counts are empty with
// status "suppressed".
func WriteCSV(w io.Writer, t *Table) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{t.RowDim, t.ColDim, "count", "status"}); err != nil {
		return fmt.Errorf("stats csv: %w", err)
	}
	for _, c := range t.Cells {
		count, status := strconv.Itoa(c.Count), "published"
		if c.Suppressed {
			count, status = "", "suppressed"
		}
		if err := cw.Write([]string{c.Row, c.Col, count, status}); err != nil {
			return fmt.Errorf("stats csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("stats csv: %w", err)
	}
	return nil
}

// WriteNotes writes the sidecar text that travels with a release: how it
// was protected, so a reader knows what the empty cells mean.
func WriteNotes(w io.Writer, t *Table) error {
	dp := "no noise added"
	if t.Epsilon > 0 {
		dp = fmt.Sprintf("discrete Laplace noise with ε = %g on each inner count (budget used %g of %g); totals are sums of noisy counts", t.Epsilon, t.Spent, t.Budget)
	}
	_, err := fmt.Fprintf(w, "Release %s (%s), %s × %s, created %s.\nMethod: %s; counts below k = %d withheld, and further counts withheld so that none can be derived from the totals or from earlier releases; %s.\nVariable names follow the CTDC data sets (ctdatacollaborative.org); values mapped from HTCDS 2.0 (Human Trafficking Case Data Standard (HTCDS) by IOM, CC BY 4.0).\n",
		t.ID, t.Scope, t.RowDim, t.ColDim, t.CreatedAt.Format("2006-01-02 15:04 UTC"), t.Method, t.K, dp)
	if err != nil {
		return fmt.Errorf("stats notes: %w", err)
	}
	return nil
}
