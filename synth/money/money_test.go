package money

import (
	"bytes"
	"encoding/csv"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rastro/rastro/synth/truth"
)

// storyAccounts is a small cast: three possible victims, four suspects, a business.
func storyAccounts() []truth.Account {
	return []truth.Account{
		{ID: "acc-v1", Holder: "p-v1", Role: "victim", Kind: "bank", Country: "GT"},
		{ID: "acc-v2", Holder: "p-v2", Role: "victim", Kind: "bank", Country: "SV"},
		{ID: "acc-v3", Holder: "p-v3", Role: "victim", Kind: "bank", Country: "CR"},
		{ID: "acc-c1", Holder: "p-c1", Role: "controller", Kind: "bank", Country: "CR"},
		{ID: "acc-f1", Holder: "p-f1", Role: "financier", Kind: "bank", Country: "US"},
		{ID: "acc-a1", Holder: "p-a1", Role: "advertiser", Kind: "bank", Country: "MX"},
		{ID: "acc-r1", Holder: "p-r1", Role: "recruiter", Kind: "bank", Country: "DO"},
		{ID: "acc-b1", Holder: "p-c1", Role: "business", Kind: "bank", Country: "GT"},
		{ID: "w-f1", Holder: "p-f1", Role: "financier", Kind: "tron"},
	}
}

func params(t testing.TB, dir string, size int64) Params {
	t.Helper()
	return Params{Seed: 7, Dir: dir, Prefix: "money", Start: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		End: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), TargetBytes: size, Accounts: storyAccounts(), Threshold: "10000.00"}
}

func generate(t *testing.T, size int64) (*Result, string) {
	t.Helper()
	dir := t.TempDir()
	res, err := Generate(params(t, dir, size))
	if err != nil {
		t.Fatal(err)
	}
	return res, dir
}

// readCSV parses a file with encoding/csv and checks its header.
func readCSV(t *testing.T, path string, comma rune, header string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.Comma = comma
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if got := strings.Join(rows[0], string(comma)); got != header {
		t.Fatalf("%s header %q, want %q", path, got, header)
	}
	return rows
}

// dec parses a decimal exactly into a big.Rat.
func dec(t *testing.T, s string) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("bad amount %q", s)
	}
	return r
}

func TestFilesAndStatements(t *testing.T) {
	res, dir := generate(t, 3<<20)
	layouts := map[string]bool{}
	for _, rel := range res.Files {
		path := filepath.Join(dir, strings.TrimPrefix(rel, "money/"))
		switch {
		case strings.HasSuffix(rel, amlName):
			rows := readCSV(t, path, ',', amlHeader)
			if len(rows) < 1000 {
				t.Errorf("AMLworld has only %d rows", len(rows))
			}
		case strings.HasSuffix(rel, btcName):
			readCSV(t, path, ',', btcHeader)
		case strings.HasSuffix(rel, tokenName):
			readCSV(t, path, ',', tokenHeader)
		default:
			layouts[checkStatement(t, path)] = true
		}
	}
	if len(layouts) < 3 {
		t.Errorf("statement layouts %v, want 3", layouts)
	}
	var total int64
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		info, _ := e.Info()
		total += info.Size()
	}
	if total < 2<<20 || total > 4<<20 {
		t.Errorf("wrote %d bytes for a 3 MiB target", total)
	}
}

// checkStatement verifies every running balance and returns the layout name.
func checkStatement(t *testing.T, path string) string {
	t.Helper()
	data, _ := os.ReadFile(path)
	first := string(data[:bytes.IndexByte(data, '\n')])
	var layout int
	var comma rune = ','
	switch first {
	case layoutHeaders[layoutComma]:
		layout = layoutComma
	case layoutHeaders[layoutSemicolon]:
		layout, comma = layoutSemicolon, ';'
	case layoutHeaders[layoutUS]:
		layout = layoutUS
	default:
		t.Fatalf("%s: unknown header %q", path, first)
	}
	rows := readCSV(t, path, comma, first)
	num := func(s string) *big.Rat {
		if layout == layoutComma {
			s = strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", ".")
		} else {
			s = strings.ReplaceAll(s, ",", "")
		}
		if s == "" {
			return new(big.Rat)
		}
		return dec(t, s)
	}
	var bal *big.Rat
	for i, row := range rows[1:] {
		var delta, got *big.Rat
		switch layout {
		case layoutComma:
			delta = new(big.Rat).Sub(num(row[4]), num(row[3]))
			got = num(row[5])
		case layoutSemicolon:
			delta, got = num(row[3]), num(row[5])
		default:
			delta, got = num(row[2]), num(row[3])
		}
		if i == 0 {
			bal = got
			continue
		}
		bal = new(big.Rat).Add(bal, delta)
		if bal.Cmp(got) != 0 {
			t.Fatalf("%s line %d: balance %s, want %s", path, i+2, got.FloatString(2), bal.FloatString(2))
		}
	}
	last := rows[len(rows)-1]
	if !strings.Contains(strings.Join(last, " "), "FINAL") && !strings.Contains(strings.Join(last, " "), "Ending") {
		t.Errorf("%s: last row %v is not the closing balance", path, last)
	}
	return first
}

// amlRow is one parsed AMLworld line.
type amlRow struct {
	ts, from, to, format string
	paid                 *big.Rat
	laundering           bool
}

func readAML(t *testing.T, dir string) map[int]amlRow {
	t.Helper()
	rows := readCSV(t, filepath.Join(dir, amlName), ',', amlHeader)
	out := map[int]amlRow{}
	prev := ""
	for i, r := range rows[1:] {
		if len(r) != 11 {
			t.Fatalf("line %d has %d columns", i+2, len(r))
		}
		if _, err := time.Parse("2006/01/02 15:04", r[0]); err != nil {
			t.Fatalf("line %d timestamp %q: %v", i+2, r[0], err)
		}
		if r[0] < prev {
			t.Fatalf("line %d goes back in time", i+2)
		}
		prev = r[0]
		out[i+2] = amlRow{ts: r[0], from: r[2], to: r[4], format: r[9], paid: dec(t, r[7]), laundering: r[10] == "1"}
	}
	return out
}

func TestTypologies(t *testing.T) {
	res, dir := generate(t, 1<<20)
	aml := readAML(t, dir)
	number := map[string]string{}
	for _, a := range res.Accounts {
		number[a.ID] = a.Number
	}
	kinds := map[string]bool{}
	planted := map[int]bool{}
	for _, ty := range res.Typologies {
		kinds[ty.Kind] = true
		if len(ty.Transactions) == 0 {
			t.Errorf("%s has no transactions", ty.Kind)
		}
		inTyp := map[string]bool{}
		for _, id := range ty.Accounts {
			inTyp[number[id]] = true
		}
		var rows []amlRow
		for _, ref := range ty.Transactions {
			if ref.File != "money/"+amlName {
				continue
			}
			r, ok := aml[ref.Line]
			if !ok || !inTyp[r.from] || !inTyp[r.to] || !r.laundering {
				t.Fatalf("%s: line %d (%+v) is not a flagged transaction between its accounts", ty.Kind, ref.Line, r)
			}
			planted[ref.Line] = true
			rows = append(rows, r)
		}
		checkShape(t, ty.Kind, rows)
	}
	for line, r := range aml {
		if r.laundering != planted[line] {
			t.Fatalf("line %d Is Laundering=%v but planted=%v", line, r.laundering, planted[line])
		}
	}
	for _, k := range []string{"fan_in", "fan_out", "cycle", "scatter_gather", "gather_scatter", "structuring", "funnel", "rapid_pass_through", "fincen_ad_payments", "fincen_living_costs", "fincen_many_senders", "fincen_off_hours", "fincen_darknet_crypto"} {
		if !kinds[k] {
			t.Errorf("typology %s missing", k)
		}
	}
}

// checkShape checks the time order each pattern requires.
func checkShape(t *testing.T, kind string, rows []amlRow) {
	t.Helper()
	switch kind {
	case "cycle":
		for i := 1; i < len(rows); i++ {
			if rows[i].from != rows[i-1].to || rows[i].ts <= rows[i-1].ts {
				t.Fatalf("cycle hop %d does not follow hop %d: %+v %+v", i, i-1, rows[i-1], rows[i])
			}
		}
		if rows[0].from != rows[len(rows)-1].to {
			t.Fatal("cycle does not close")
		}
	case "scatter_gather", "gather_scatter", "funnel", "rapid_pass_through":
		// every outgoing transfer of an intermediate comes after money reached it
		firstIn := map[string]string{}
		for _, r := range rows {
			if _, ok := firstIn[r.to]; !ok {
				firstIn[r.to] = r.ts
			}
		}
		for _, r := range rows {
			if in, ok := firstIn[r.from]; ok && r.from != r.to && r.ts < in {
				t.Fatalf("%s: %s pays out at %s before receiving at %s", kind, r.from, r.ts, in)
			}
		}
	case "structuring":
		thr := dec(t, "10000.00")
		low := new(big.Rat).Mul(thr, big.NewRat(9, 10))
		for _, r := range rows {
			if r.format != "Cash" || r.paid.Cmp(thr) >= 0 || r.paid.Cmp(low) < 0 {
				t.Fatalf("structuring deposit %+v not just under the threshold", r)
			}
		}
	}
}

func TestSelectorsAtOffsets(t *testing.T) {
	res, dir := generate(t, 1<<20)
	if len(res.Selectors) == 0 {
		t.Fatal("no selectors")
	}
	kinds := map[string]bool{}
	for _, s := range res.Selectors {
		data, err := os.ReadFile(filepath.Join(dir, strings.TrimPrefix(s.File, "money/")))
		if err != nil {
			t.Fatal(err)
		}
		if got := string(data[s.Offset : s.Offset+int64(len(s.Form))]); got != s.Form {
			t.Fatalf("selector %s at %s:%d reads %q", s.Value, s.File, s.Offset, got)
		}
		kinds[s.Kind] = true
	}
	for _, k := range []string{"iban", "tron", "btc", "card"} {
		if !kinds[k] {
			t.Errorf("no %s selector", k)
		}
	}
	if len(res.Records) == 0 {
		t.Fatal("no records")
	}
}

func TestDeterministic(t *testing.T) {
	hash := func() string {
		_, dir := generate(t, 512<<10)
		var all []byte
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
			all = append(append(all, e.Name()...), b...)
		}
		return string(all)
	}
	if hash() != hash() {
		t.Fatal("same params gave different files")
	}
}

func BenchmarkGenerate(b *testing.B) {
	const size = 64 << 20
	for b.Loop() {
		dir := b.TempDir()
		if _, err := Generate(params(b, dir, size)); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(size)
}

var _ = io.Discard
