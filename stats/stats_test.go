package stats_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/stats"
)

// population returns n fictional victims with skewed categories, so that
// tables have both large and small cells.
func population(n int, seed uint64) []stats.Victim {
	r := rand.New(rand.NewPCG(seed, 7))
	genders := []string{"Woman", "Woman", "Woman", "Man", "Man", "Trans/Transgender/NonConforming", "Unknown"}
	countries := []string{"HN", "HN", "HN", "GT", "GT", "SV", "NI", "CR", "PA", "MX"}
	out := make([]stats.Victim, n)
	for i := range out {
		age := int(r.ExpFloat64()*12) + 5
		out[i] = stats.Victim{
			"gender": genders[r.IntN(len(genders))], "ageBroad": stats.AgeBroad(age),
			"citizenship": countries[r.IntN(len(countries))], "isSexualExploit": fmt.Sprint(r.IntN(2)),
			"yearOfRegistration": fmt.Sprint(2020 + r.IntN(5)),
		}
	}
	return out
}

func releaser(t *testing.T) *stats.Releaser {
	t.Helper()
	return &stats.Releaser{Ledger: &stats.FileLedger{Path: filepath.Join(t.TempDir(), "ledger.json")},
		Now: func() time.Time { return time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC) }, Rand: rand.New(rand.NewPCG(1, 2))}
}

func TestNoReleasedCellBelowK(t *testing.T) {
	tests := []struct {
		rows, cols string
		k, n       int
		eps        float64
	}{
		{"gender", "ageBroad", 11, 400, 0},
		{"citizenship", "ageBroad", 11, 900, 0},
		{"citizenship", "gender", 5, 300, 0},
		{"yearOfRegistration", "citizenship", 45, 2000, 0},
		{"gender", "ageBroad", 11, 400, 0.5},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s×%s k=%d n=%d ε=%g", tt.rows, tt.cols, tt.k, tt.n, tt.eps), func(t *testing.T) {
			tab, err := releaser(t).Release(context.Background(), population(tt.n, 1), stats.Spec{Scope: "case:1", Rows: tt.rows, Cols: tt.cols, K: tt.k, Epsilon: tt.eps})
			if err != nil {
				t.Fatal(err)
			}
			published, suppressed := 0, 0
			for _, c := range tab.Cells {
				if c.Suppressed {
					suppressed++
					if c.Count != 0 {
						t.Errorf("suppressed cell %s/%s carries a count", c.Row, c.Col)
					}
				} else {
					published++
					if c.Count < tt.k {
						t.Errorf("released %s/%s = %d < k", c.Row, c.Col, c.Count)
					}
				}
			}
			if published == 0 || suppressed == 0 {
				t.Errorf("test table should mix published (%d) and suppressed (%d) cells", published, suppressed)
			}
			recovered := attack(tab)
			for i, v := range recovered {
				t.Errorf("withheld count %s/%s recovered as %d from the totals", tab.Cells[i].Row, tab.Cells[i].Col, v)
			}
		})
	}
}

// attack recovers withheld counts by repeated subtraction: in every row,
// column and the totals line, one unknown equals the total minus the rest.
func attack(t *stats.Table) map[int]int {
	return attackWith(t, nil)
}

// attackWith is attack with counts the attacker knows from elsewhere.
func attackWith(t *stats.Table, extra map[[2]string]int) map[int]int {
	idx := map[[2]string]int{}
	for i, c := range t.Cells {
		idx[[2]string{c.Row, c.Col}] = i
	}
	known := map[int]int{}
	for i, c := range t.Cells {
		if v, ok := extra[[2]string{c.Row, c.Col}]; ok {
			known[i] = v
		} else if !c.Suppressed {
			known[i] = c.Count
		}
	}
	var lines [][]int // last element is the total of the others
	rows, cols := map[string]bool{}, map[string]bool{}
	for _, c := range t.Cells {
		rows[c.Row], cols[c.Col] = true, true
	}
	for r := range rows {
		var line []int
		for c := range cols {
			if c != stats.All {
				line = append(line, idx[[2]string{r, c}])
			}
		}
		lines = append(lines, append(line, idx[[2]string{r, stats.All}]))
	}
	for c := range cols {
		var line []int
		for r := range rows {
			if r != stats.All {
				line = append(line, idx[[2]string{r, c}])
			}
		}
		lines = append(lines, append(line, idx[[2]string{stats.All, c}]))
	}
	recovered := map[int]int{}
	for progress := true; progress; {
		progress = false
		for _, line := range lines {
			var unknown []int
			sum := 0
			for _, i := range line[:len(line)-1] {
				if v, ok := known[i]; ok {
					sum += v
				} else {
					unknown = append(unknown, i)
				}
			}
			tot, totKnown := known[line[len(line)-1]]
			switch {
			case totKnown && len(unknown) == 1:
				known[unknown[0]], recovered[unknown[0]] = tot-sum, tot-sum
				progress = true
			case !totKnown && len(unknown) == 0:
				known[line[len(line)-1]], recovered[line[len(line)-1]] = sum, sum
				progress = true
			}
		}
	}
	return recovered
}

// TestSecondarySuppression: a row with a single small cell must lose a
// second cell, or the small one would be its total minus the others.
func TestSecondarySuppression(t *testing.T) {
	var vs []stats.Victim
	add := func(g, a string, n int) {
		for range n {
			vs = append(vs, stats.Victim{"gender": g, "ageBroad": a})
		}
	}
	add("Woman", "18--20", 30)
	add("Woman", "21--23", 25)
	add("Woman", "24--26", 3) // the only small cell
	add("Man", "18--20", 40)
	add("Man", "21--23", 35)
	add("Man", "24--26", 20)
	tab, err := releaser(t).Release(context.Background(), vs, stats.Spec{Scope: "case:2", Rows: "gender", Cols: "ageBroad"})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range tab.Cells {
		if c.Suppressed {
			n++
		}
	}
	if n < 4 {
		t.Errorf("%d cells withheld; a single small cell needs at least 4 (its row and column each need a second one)", n)
	}
	if r := attack(tab); len(r) > 0 {
		t.Errorf("recovered %v", r)
	}
}

// TestDifferencingAttack releases, adds one victim, releases again: no
// count published in both may differ by less than k (else the difference
// says where the new victim was counted), and the second release's withheld
// counts stay hidden.
func TestDifferencingAttack(t *testing.T) {
	ctx := context.Background()
	rl := releaser(t)
	vs := population(600, 4)
	spec := stats.Spec{Scope: "case:3", Rows: "citizenship", Cols: "gender"}
	first, err := rl.Release(ctx, vs, spec)
	if err != nil {
		t.Fatal(err)
	}
	newcomer := stats.Victim{"citizenship": "HN", "gender": "Woman", "ageBroad": "9--17"}
	second, err := rl.Release(ctx, append(vs, newcomer), spec)
	if err != nil {
		t.Fatal(err)
	}
	before := map[[2]string]int{}
	for _, c := range first.Cells {
		if !c.Suppressed {
			before[[2]string{c.Row, c.Col}] = c.Count
		}
	}
	compared := 0
	for _, c := range second.Cells {
		old, ok := before[[2]string{c.Row, c.Col}]
		if !ok || c.Suppressed {
			continue
		}
		compared++
		if d := c.Count - old; d != 0 && d < first.K && d > -first.K {
			t.Errorf("%s/%s went from %d to %d: the difference reveals the added victim", c.Row, c.Col, old, c.Count)
		}
	}
	if compared == 0 {
		t.Fatal("no count published in both releases: the test proves nothing")
	}
	if r := attack(second); len(r) > 0 {
		t.Errorf("second release: recovered %v", r)
	}
	// Without the ledger's history the same second release leaks.
	naive, err := releaser(t).Release(ctx, append(vs, newcomer), spec)
	if err != nil {
		t.Fatal(err)
	}
	leaks := 0
	for _, c := range naive.Cells {
		if old, ok := before[[2]string{c.Row, c.Col}]; ok && !c.Suppressed && c.Count-old == 1 {
			leaks++
		}
	}
	if leaks == 0 {
		t.Error("control: a release without history should expose the +1 difference")
	}
}

func TestPrivacyBudget(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ledger.json")
	rl := &stats.Releaser{Ledger: &stats.FileLedger{Path: path}, Rand: rand.New(rand.NewPCG(3, 4))}
	vs := population(500, 5)
	spec := stats.Spec{Scope: "case:4", Rows: "gender", Cols: "ageBroad", Epsilon: 0.4, Budget: 1}
	for i := range 2 {
		tab, err := rl.Release(ctx, vs, spec)
		if err != nil {
			t.Fatalf("release %d: %v", i+1, err)
		}
		if want := 0.4 * float64(i+1); tab.Spent < want-1e-9 || tab.Spent > want+1e-9 {
			t.Errorf("release %d: spent %g, want %g", i+1, tab.Spent, want)
		}
	}
	// A new process on the same ledger file sees what was spent.
	rl2 := &stats.Releaser{Ledger: &stats.FileLedger{Path: path}, Rand: rand.New(rand.NewPCG(5, 6))}
	_, err := rl2.Release(ctx, append(vs, stats.Victim{"gender": "Woman", "ageBroad": "9--17"}), spec)
	if rastro.ErrorCode(err) != rastro.EFORBIDDEN || !strings.Contains(err.Error(), "budget") {
		t.Fatalf("third release: %v, want EFORBIDDEN for a spent budget", err)
	}
	recs, err := rl2.Ledger.Releases(ctx, "case:4")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || stats.Spent(recs) > 1 {
		t.Errorf("ledger holds %d releases spending %g", len(recs), stats.Spent(recs))
	}
	// Other data sets have their own budget; k-anonymity releases cost nothing.
	if _, err := rl2.Release(ctx, vs, stats.Spec{Scope: "case:5", Rows: "gender", Cols: "ageBroad", Epsilon: 0.4, Budget: 1}); err != nil {
		t.Errorf("other scope: %v", err)
	}
	if _, err := rl2.Release(ctx, vs, stats.Spec{Scope: "case:4", Rows: "gender", Cols: "citizenship"}); err != nil {
		t.Errorf("k-anonymity release on a spent scope: %v", err)
	}
}

func TestDPNoiseChangesCounts(t *testing.T) {
	vs := population(800, 6)
	exact, err := releaser(t).Release(context.Background(), vs, stats.Spec{Scope: "a", Rows: "gender", Cols: "isSexualExploit"})
	if err != nil {
		t.Fatal(err)
	}
	noisy, err := releaser(t).Release(context.Background(), vs, stats.Spec{Scope: "a", Rows: "gender", Cols: "isSexualExploit", Epsilon: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	same := true
	for i := range exact.Cells {
		same = same && exact.Cells[i] == noisy.Cells[i]
	}
	if same || noisy.Method != stats.MethodDP {
		t.Errorf("ε=0.1 left every count unchanged (method %s)", noisy.Method)
	}
}

func TestSpecErrors(t *testing.T) {
	tests := []stats.Spec{
		{Rows: "gender", Cols: "ageBroad"},
		{Scope: "x", Rows: "shoeSize", Cols: "ageBroad"},
		{Scope: "x", Rows: "gender", Cols: "gender"},
		{Scope: "x", Rows: "gender", Cols: "ageBroad", K: 1},
		{Scope: "x", Rows: "gender", Cols: "ageBroad", Epsilon: -1},
	}
	for _, s := range tests {
		if _, err := releaser(t).Release(context.Background(), nil, s); rastro.ErrorCode(err) != rastro.EINVALID {
			t.Errorf("%+v: %v", s, err)
		}
	}
}

func TestWriteCSV(t *testing.T) {
	tab, err := releaser(t).Release(context.Background(), population(300, 8), stats.Spec{Scope: "case:6", Rows: "gender", Cols: "ageBroad"})
	if err != nil {
		t.Fatal(err)
	}
	var b, notes bytes.Buffer
	if err := stats.WriteCSV(&b, tab); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if lines[0] != "gender,ageBroad,count,status" || len(lines) != len(tab.Cells)+1 {
		t.Errorf("csv header %q, %d lines", lines[0], len(lines))
	}
	if !strings.Contains(b.String(), ",,suppressed") || !strings.Contains(b.String(), "(all),(all),300,published") {
		t.Errorf("csv:\n%s", b.String())
	}
	if err := stats.WriteNotes(&notes, tab); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(notes.String(), "k = 11") {
		t.Errorf("notes: %s", notes.String())
	}
}

// TestAcrossTables: two tables of one data set share the gender totals; the
// attacker who holds the first uses its totals against the second.
func TestAcrossTables(t *testing.T) {
	ctx := context.Background()
	rl := releaser(t)
	vs := population(700, 11)
	first, err := rl.Release(ctx, vs, stats.Spec{Scope: "case:7", Rows: "gender", Cols: "ageBroad", K: 5})
	if err != nil {
		t.Fatal(err)
	}
	second, err := rl.Release(ctx, vs, stats.Spec{Scope: "case:7", Rows: "gender", Cols: "citizenship", K: 11})
	if err != nil {
		t.Fatal(err)
	}
	extra := map[[2]string]int{}
	for _, c := range first.Cells {
		if c.Col == stats.All && !c.Suppressed {
			extra[[2]string{c.Row, c.Col}] = c.Count
		}
	}
	if len(extra) == 0 {
		t.Fatal("first release published no gender totals: the test proves nothing")
	}
	for i := range attackWith(second, extra) {
		if _, public := extra[[2]string{second.Cells[i].Row, second.Cells[i].Col}]; !public {
			t.Errorf("%s/%s recovered using the first release's totals", second.Cells[i].Row, second.Cells[i].Col)
		}
	}
}

// TestRandomTablesResistSubtraction runs the suppression on many random
// populations and thresholds.
func TestRandomTablesResistSubtraction(t *testing.T) {
	dims := []string{"gender", "ageBroad", "citizenship", "yearOfRegistration", "isSexualExploit"}
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 99))
		rows := dims[r.IntN(len(dims))]
		cols := dims[r.IntN(len(dims))]
		if rows == cols {
			continue
		}
		k := 2 + r.IntN(20)
		tab, err := releaser(t).Release(context.Background(), population(50+r.IntN(900), seed), stats.Spec{Scope: "s", Rows: rows, Cols: cols, K: k})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		for _, c := range tab.Cells {
			if !c.Suppressed && c.Count < k {
				t.Errorf("seed %d: %s/%s = %d < k=%d", seed, c.Row, c.Col, c.Count, k)
			}
		}
		if rec := attack(tab); len(rec) > 0 {
			t.Errorf("seed %d (%s×%s, k=%d): recovered %v", seed, rows, cols, k, rec)
		}
	}
}

func BenchmarkReleaseLargeTable(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	vs := make([]stats.Victim, 50000)
	for i := range vs {
		vs[i] = stats.Victim{"citizenship": fmt.Sprintf("C%02d", int(r.ExpFloat64()*12)%60), "ageBroad": stats.AgeBroad(int(r.ExpFloat64()*12) + 5)}
	}
	for b.Loop() {
		rl := &stats.Releaser{Ledger: &stats.FileLedger{Path: filepath.Join(b.TempDir(), "l.json")}}
		if _, err := rl.Release(context.Background(), vs, stats.Spec{Scope: "s", Rows: "citizenship", Cols: "ageBroad"}); err != nil {
			b.Fatal(err)
		}
	}
}
