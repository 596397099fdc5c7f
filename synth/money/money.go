// Package money writes the money evidence of a training case: bank
// statements in three real-looking layouts, an AMLworld-schema transaction
// file, BTC and token transfer exports, with trafficking typologies planted
// among benign background activity, and returns the ground truth.
//
// Amounts are exact: integer minor units (cents, satoshi, 10^-6 USDT, gwei
// written with 18 decimals), never floats. Cash deposits appear in the
// AMLworld file as a row from an account to itself with format "Cash"; the
// branch city is in the statement description. Params.Threshold is read in
// the currency of the account that structures (a USD account when a suspect
// has one). Times are the scenario's wall clock; crypto times are written
// with "Z".
package money

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/rastro/rastro/synth/truth"
)

// Params configures Generate.
type Params struct {
	Seed        uint64
	Dir         string          // absolute folder to write into (created if missing)
	Prefix      string          // path of Dir relative to the case folder, e.g. "money"
	Start, End  time.Time       // scenario window
	TargetBytes int64           // approximate total size of all files written
	Accounts    []truth.Account // story accounts (victims, suspects by role, businesses); background added internally
	Threshold   string          // reporting threshold for structuring, exact decimal, e.g. "10000.00"
}

// Result is what Generate wrote and the ground truth about it.
type Result struct {
	Files      []string
	Accounts   []truth.Account
	Typologies []truth.Typology
	Selectors  []truth.Selector
	Records    []truth.RecordRef
}

// Random streams derived from Params.Seed.
const (
	streamAccounts = iota + 1
	streamPlan
	streamBackground
	streamHashes
	streamCalibrate
)

// Generate writes bank CSVs (3 layouts), one AMLworld CSV and crypto
// transfer CSVs under p.Dir, and returns the accounts (story and
// background), the planted typologies with their transaction lines, the
// selectors planted and one RecordRef per story transaction line.
func Generate(p Params) (*Result, error) {
	start, end, err := window(p)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(p.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("money: %w", err)
	}
	rng := func(s uint64) *rand.Rand { return rand.New(rand.NewPCG(p.Seed, s)) }
	w := buildWorld(rng(streamAccounts), p.Accounts, int(min(max(p.TargetBytes/40000, 150), 4000)))
	pl := &planner{r: rng(streamPlan), w: w, start: start, end: end, threshold: p.Threshold}
	pl.h = min(3600, (end-start)/(15*168))
	pl.plan()
	avg, err := calibrate(w, start, end, rng(streamCalibrate))
	if err != nil {
		return nil, err
	}
	n := max(p.TargetBytes-4096, 0) / max(avg, 1)
	wr, err := openWriters(w, p.Dir, p.Prefix, pl.typs, rng(streamHashes))
	if err != nil {
		return nil, err
	}
	bg := &background{r: rng(streamBackground), w: w, start: start, end: end, n: n, hot: hotShops(w)}
	run(wr, pl.txs, bg, start, end)
	if err := wr.close(); err != nil {
		return nil, fmt.Errorf("money: write: %w", err)
	}
	return result(w, wr), nil
}

// window validates the parameters and returns the window as naive seconds.
func window(p Params) (int64, int64, error) {
	if p.Dir == "" {
		return 0, 0, errors.New("money: Params.Dir is empty")
	}
	if _, ok := parseDecimal(p.Threshold, 2); !ok {
		return 0, 0, fmt.Errorf("money: threshold %q is not an exact decimal such as 10000.00", p.Threshold)
	}
	naive := func(t time.Time) int64 {
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC).Unix()
	}
	start, end := naive(p.Start), naive(p.End)
	if end-start < 2*86400 {
		return 0, 0, fmt.Errorf("money: window %s to %s is shorter than two days", p.Start, p.End)
	}
	return start, end, nil
}

// hotShops picks one shop per statement layout (CR, GT, US) whose statement
// grows with the background volume.
func hotShops(w *world) [3]int {
	return [3]int{w.shops[countryIndex("CR")][0], w.shops[countryIndex("GT")][0], w.shops[countryIndex("US")][0]}
}

// run merges planted and background transactions in time order.
func run(wr *writer, planned []tx, bg *background, start, end int64) {
	wr.openStatements(start)
	var x tx
	more := bg.next(&x)
	i := 0
	for more || i < len(planned) {
		if i < len(planned) && (!more || planned[i].t <= x.t) {
			wr.write(&planned[i])
			i++
			continue
		}
		wr.write(&x)
		more = bg.next(&x)
	}
	wr.closeStatements(end - 1)
}

// calibrate measures the average bytes one background transaction adds
// across all files, by writing a sample to io.Discard.
func calibrate(w *world, start, end int64, r *rand.Rand) (int64, error) {
	const sample = 4000
	wr, err := openWriters(w, "", "", nil, r)
	if err != nil {
		return 0, err
	}
	bg := &background{r: r, w: w, start: start, end: end, n: sample, hot: hotShops(w)}
	before := wr.bytes()
	var x tx
	for bg.next(&x) {
		wr.write(&x)
	}
	return (wr.bytes() - before) / sample, nil
}

// result assembles the truth.
func result(w *world, wr *writer) *Result {
	res := &Result{Typologies: wr.typs, Selectors: wr.selectors, Records: wr.records}
	for _, o := range wr.all() {
		res.Files = append(res.Files, o.rel)
	}
	for _, a := range w.accts {
		res.Accounts = append(res.Accounts, a.Account)
	}
	return res
}

// safeName keeps letters, digits, '-' and '_' of an account id for a file name.
func safeName(s string) string {
	return strings.Map(func(c rune) rune {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			return c
		}
		return '_'
	}, s)
}
