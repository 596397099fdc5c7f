package money

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/rastro/rastro"
)

// Dataset is what Load read: the ledger (one Tx per transfer) and the
// per-file reports.
type Dataset struct {
	Txs     []Tx      `json:"txs"`
	Reports []*Report `json:"reports"`
	// StatementAccount maps each statement file to the ledger account it
	// was matched to ("" when it stands alone).
	StatementAccount map[string]string `json:"statement_account"`
}

// Source is one file for Load: Name is its path as the case (or the
// command line) knows it and becomes every transaction's provenance; Size
// drives progress; Open reads it (from disk, or from the evidence vault).
type Source struct {
	Name string
	Size int64
	Open func() (io.ReadCloser, error)
}

// Skipped is a source Load passed over, with the reason.
type Skipped struct{ Name, Reason string }

// LoadDir reads every *.csv file of dir whose header names a known format
// (rel is the folder's path as the case knows it, used in provenance); see
// Load.
func LoadDir(dir, rel string) (*Dataset, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		return nil, fmt.Errorf("money: %w", err)
	}
	sort.Strings(names)
	var srcs []Source
	for _, n := range names {
		st, err := os.Stat(n)
		if err != nil {
			return nil, fmt.Errorf("money: %w", err)
		}
		srcs = append(srcs, Source{Name: filepath.ToSlash(filepath.Join(rel, filepath.Base(n))), Size: st.Size(),
			Open: func() (io.ReadCloser, error) { return os.Open(n) }})
	}
	ds, _, err := Load(srcs, ReadOptions{}, nil)
	return ds, err
}

// Load reads the sources in order, then reconciles statements with the
// ledger: a statement row that shows a ledger transfer adds its description
// and line to it instead of becoming a second transfer. With opts.Format
// empty, a source whose header names no known format is skipped and listed;
// a given format must fit every source. progress, when not nil, receives
// the bytes read over all sources.
func Load(srcs []Source, opts ReadOptions, progress func(done, total int64)) (*Dataset, []Skipped, error) {
	var total, base, reported int64
	for _, s := range srcs {
		total += s.Size
	}
	ds := &Dataset{StatementAccount: map[string]string{}}
	var stmts []Tx
	var skipped []Skipped
	for _, s := range srcs {
		o := opts
		o.File = s.Name
		sizeFor := len(ds.Txs) + 1<<16 // lines after which the ledger is sized once
		o.Progress = func(n int64) {
			if len(ds.Txs) >= sizeFor {
				ds.Txs = presize(ds.Txs, base+n, total)
				sizeFor = math.MaxInt
			}
			if progress != nil {
				reported = min(base+n, total)
				progress(reported, total)
			}
		}
		rep, err := readSource(s, o, func(t *Tx) error {
			if strings.HasPrefix(t.Format, FormatStatement) {
				stmts = append(stmts, *t)
			} else {
				ds.Txs = append(ds.Txs, *t)
			}
			return nil
		})
		base += s.Size
		if rep == nil && opts.Format == "" && notMoney(err) {
			skipped = append(skipped, Skipped{s.Name, rastro.ErrorMessage(err)})
			continue
		} else if err != nil {
			return nil, nil, err
		}
		ds.Reports = append(ds.Reports, rep)
	}
	if progress != nil && reported < total {
		progress(total, total) // a skipped source never reported its end
	}
	ds.Txs = append(ds.Txs, Reconcile(ds.Txs, stmts, ds.StatementAccount)...)
	SortByTime(ds.Txs)
	return ds, skipped, nil
}

// presize grows txs once to the number of transfers the remaining bytes
// will likely hold (at the rate seen so far, plus 2 %), so that a large
// ledger is not copied again and again as it grows: read bytes of total
// gave len(txs) transfers.
func presize(txs []Tx, read, total int64) []Tx {
	if read <= 0 || total <= read {
		return txs
	}
	want := int(float64(len(txs)) * float64(total) / float64(read) * 1.02)
	if want <= cap(txs) {
		return txs
	}
	return slices.Grow(txs, want-len(txs))
}

func readSource(s Source, o ReadOptions, fn func(*Tx) error) (*Report, error) {
	r, err := s.Open()
	if err != nil {
		return nil, fmt.Errorf("money: %s: %w", s.Name, err)
	}
	defer r.Close()
	return Read(r, o, fn)
}

// notMoney reports whether a read failed on the header: an empty file or
// one whose header names no known format.
func notMoney(err error) bool {
	return errors.Is(err, io.EOF) || rastro.ErrorCode(err) == rastro.EINVALID
}

// SortByTime orders transactions by time, then file and line (stable and
// deterministic).
func SortByTime(txs []Tx) {
	less := func(i, j int) bool { return txLess(&txs[i], &txs[j]) }
	if sort.SliceIsSorted(txs, less) {
		return // a loaded ledger is sorted already; NewGraph sorts again
	}
	sort.SliceStable(txs, less)
}

// txLess orders by time, then file and line.
func txLess(a, b *Tx) bool {
	if !a.Time.Equal(b.Time) {
		return a.Time.Before(b.Time)
	}
	if a.File != b.File {
		return a.File < b.File
	}
	return a.Line < b.Line
}

// amountKey normalises an amount for matching ("12.50" and "12.5" agree).
func amountKey(a Amount) string {
	s := a.Abs().String()
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// Reconcile matches statement rows to ledger transfers by day and amount.
// Each statement file is assigned the ledger account that explains most of
// its rows (recorded in accounts); each matched row adds its description
// and line to the ledger transfer. Rows left unmatched are returned as
// transfers of their own, with the statement's account renamed to the
// matched ledger account when there is one.
func Reconcile(ledger []Tx, stmts []Tx, accounts map[string]string) []Tx {
	if len(stmts) == 0 {
		return nil // nothing to match: skip indexing the ledger
	}
	debit, credit := map[string][]int{}, map[string][]int{}
	for i := range ledger {
		t := &ledger[i]
		day := t.Time.Format("2006-01-02")
		if t.From != t.To {
			debit[day+"|"+amountKey(t.Amount)] = append(debit[day+"|"+amountKey(t.Amount)], i)
		}
		c, _ := t.Credit()
		credit[day+"|"+amountKey(c)] = append(credit[day+"|"+amountKey(c)], i)
	}
	byFile := map[string][]int{}
	var files []string
	for i := range stmts {
		f := stmts[i].File
		if _, ok := byFile[f]; !ok {
			files = append(files, f)
		}
		byFile[f] = append(byFile[f], i)
	}
	var rest []Tx
	// A transfer shows on the payer's statement and on the payee's: each
	// side is matched once.
	used := [2][]bool{make([]bool, len(ledger)), make([]bool, len(ledger))}
	for _, f := range files {
		rest = append(rest, reconcileFile(ledger, stmts, byFile[f], debit, credit, used, accounts)...)
	}
	return rest
}

// reconcileFile matches the rows of one statement file.
func reconcileFile(ledger, stmts []Tx, rows []int, debit, credit map[string][]int, used [2][]bool, accounts map[string]string) []Tx {
	own := stmtOwn(&stmts[rows[0]])
	cands := func(t *Tx) ([]int, bool) {
		k := t.Time.Format("2006-01-02") + "|" + amountKey(t.Amount)
		if t.To == own {
			return credit[k], false
		}
		return debit[k], true
	}
	votes := map[string]int{}
	for _, r := range rows {
		c, isDebit := cands(&stmts[r])
		for _, i := range c {
			votes[side(&ledger[i], isDebit)]++
		}
	}
	best, n := "", 0
	for a, v := range votes {
		if v > n || (v == n && a < best) {
			best, n = a, v
		}
	}
	file := stmts[rows[0]].File
	if n < 2 || n*10 < len(rows)*3 {
		accounts[file] = ""
		return pick(stmts, rows)
	}
	accounts[file] = best
	var rest []Tx
	for _, r := range rows {
		s := &stmts[r]
		c, isDebit := cands(s)
		side := used[0]
		if isDebit {
			side = used[1]
		}
		if i := firstUnused(ledger, c, side, best, isDebit); i >= 0 {
			side[i] = true
			l := &ledger[i]
			if l.Description == "" {
				l.Description = s.Description
			}
			l.Also = append(l.Also, s.Ref())
			continue
		}
		x := *s
		x.From, x.To = rename(x.From, own, best), rename(x.To, own, best)
		rest = append(rest, x)
	}
	return rest
}

// stmtOwn returns the statement's own account key of a row.
func stmtOwn(t *Tx) string {
	if strings.HasPrefix(t.From, "cp:") {
		return t.To
	}
	return t.From
}

// side returns the account on the statement's side of a ledger transfer.
func side(t *Tx, isDebit bool) string {
	if isDebit {
		return t.From
	}
	return t.To
}

// firstUnused returns the first candidate on account's side not yet matched.
func firstUnused(ledger []Tx, c []int, used []bool, account string, isDebit bool) int {
	for _, i := range c {
		if !used[i] && side(&ledger[i], isDebit) == account {
			return i
		}
	}
	return -1
}

// rename replaces key old by new.
func rename(k, old, new string) string {
	if k == old {
		return new
	}
	return k
}

// pick copies the listed rows.
func pick(txs []Tx, rows []int) []Tx {
	out := make([]Tx, 0, len(rows))
	for _, r := range rows {
		out = append(out, txs[r])
	}
	return out
}
