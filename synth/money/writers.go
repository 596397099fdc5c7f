package money

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/rastro/rastro/synth/truth"
)

// openWriters creates the AMLworld, crypto and statement files; dir == ""
// writes to io.Discard.
func openWriters(w *world, dir, prefix string, typs []truth.Typology, r *rand.Rand) (*writer, error) {
	wr := &writer{accts: w.accts, typs: typs, r: r, row: make([]byte, 0, 512)}
	var err error
	if wr.aml, err = openOut(dir, prefix, amlName, amlHeader); err != nil {
		return nil, fmt.Errorf("money: %w", err)
	}
	if wr.btc, err = openOut(dir, prefix, btcName, btcHeader); err != nil {
		return nil, fmt.Errorf("money: %w", err)
	}
	if wr.tok, err = openOut(dir, prefix, tokenName, tokenHeader); err != nil {
		return nil, fmt.Errorf("money: %w", err)
	}
	for i := range w.accts {
		w.accts[i].stmt = -1
	}
	hot := hotShops(w)
	for i := range w.accts {
		a := &w.accts[i]
		if a.rail != railBank || !(a.story || i == hot[0] || i == hot[1] || i == hot[2]) {
			continue
		}
		layout := countries[a.country].layout
		name := "statement_" + strings.ToLower(a.Country) + "_" + safeName(a.ID) + ".csv"
		o, err := openOut(dir, prefix, name, layoutHeaders[layout])
		if err != nil {
			return nil, fmt.Errorf("money: %w", err)
		}
		a.stmt = len(wr.stmts)
		wr.stmts = append(wr.stmts, &stmtFile{out: o, acct: i, layout: layout, bal: openingBalance(r, a.cur)})
	}
	return wr, nil
}

// openingBalance draws an opening balance of 2,000 to 20,000 USD in cur.
func openingBalance(r *rand.Rand, cur int) int64 {
	return convert(int64(2000+r.IntN(18000))*100, 0, cur)
}

// all lists every file in a fixed order.
func (wr *writer) all() []*outFile {
	out := []*outFile{wr.aml, wr.btc, wr.tok}
	for _, s := range wr.stmts {
		out = append(out, s.out)
	}
	return out
}

// bytes is the total written so far.
func (wr *writer) bytes() int64 {
	var n int64
	for _, o := range wr.all() {
		n += o.n
	}
	return n
}

// close flushes and closes every file.
func (wr *writer) close() error {
	var first error
	for _, o := range wr.all() {
		if err := o.close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// openStatements writes the opening-balance row of every statement.
func (wr *writer) openStatements(t int64) {
	for _, s := range wr.stmts {
		wr.balanceRow(s, t, true)
	}
}

// closeStatements writes the closing-balance row of every statement.
func (wr *writer) closeStatements(t int64) {
	for _, s := range wr.stmts {
		wr.balanceRow(s, t, false)
	}
}

// balanceRow writes an opening or closing row: zero amount, the balance.
func (wr *writer) balanceRow(s *stmtFile, t int64, opening bool) {
	cur := wr.accts[s.acct].cur
	b := wr.row[:0]
	switch s.layout {
	case layoutComma:
		b = wr.clk.appendDMY(b, t)
		b = append(b, ",,"...)
		b = append(b, pickStr(opening, "SALDO ANTERIOR", "SALDO FINAL")...)
		b = append(b, ",,,"...)
		b = appendQuoted(b, s.bal)
	case layoutSemicolon:
		b = wr.clk.appendDMY(b, t)
		b = append(b, ";;"...)
		b = append(b, pickStr(opening, "SALDO INICIAL", "SALDO FINAL")...)
		b = append(b, ";0.00;"...)
		b = append(b, currencies[cur].code...)
		b = append(b, ';')
		b = appendDecimal(b, s.bal, 2, '.', ',')
	default:
		b = wr.clk.appendMDY(b, t)
		b = append(b, ',')
		b = append(b, pickStr(opening, "Beginning Balance", "Ending Balance")...)
		b = append(b, ",0.00,"...)
		b = appendDecimal(b, s.bal, 2, '.', 0)
	}
	s.out.put(append(b, '\n'))
	wr.row = b
}

// pickStr returns a if cond, else b.
func pickStr(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}
