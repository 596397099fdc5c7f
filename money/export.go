package money

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteTraceCSV writes one row per trace edge: hop, path of accounts,
// attributed and gross amount, currency, transfer ids and their lines.
func WriteTraceCSV(w io.Writer, f *Flow) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"hop", "from", "to", "path", "attributed", "gross", "currency", "model", "tx_ids", "refs"})
	for _, e := range f.Edges {
		to := f.Nodes[e.Target]
		cw.Write([]string{strconv.Itoa(to.Hop), f.Nodes[e.Source].Account, to.Account, pathOf(f, e.Target),
			e.Amount.String(), e.Gross.String(), e.Currency, f.Model, strings.Join(e.TxIDs, " "), refsString(e.Refs)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("money: write trace: %w", err)
	}
	return nil
}

// pathOf joins the accounts from the root to node id.
func pathOf(f *Flow, id int) string {
	var p []string
	for id >= 0 {
		p = append([]string{f.Nodes[id].Account}, p...)
		id = f.Nodes[id].Parent
	}
	return strings.Join(p, " > ")
}

// refsString writes refs as "file:line file:line".
func refsString(refs []Ref) string {
	s := make([]string, len(refs))
	for i, r := range refs {
		s[i] = r.File + ":" + strconv.Itoa(r.Line)
	}
	return strings.Join(s, " ")
}

// WriteAlertsCSV writes one row per alert: account, pattern, score, the
// transfers behind it and where they are, for `rastro money scan`.
func WriteAlertsCSV(w io.Writer, alerts []Alert) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"account", "pattern", "score", "subjects", "victims", "red_flags", "tx_ids", "refs", "explanation"})
	for _, a := range alerts {
		cw.Write([]string{a.Account, a.Kind, strconv.FormatFloat(a.Score, 'f', 3, 64), strings.Join(a.Subjects, " "),
			strings.Join(a.Victims, " "), strings.Join(a.RedFlags, " "), strings.Join(a.TxIDs, " "), refsString(a.Refs), a.Explanation})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("money: write alerts: %w", err)
	}
	return nil
}
