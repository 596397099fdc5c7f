package extract

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/rastro/rastro/synth"
)

// caseFile is one text evidence file (or zip member) of a generated case.
type caseFile struct {
	path, member string
	data         []byte
}

// generate writes a training case into a temporary folder.
func generate(tb testing.TB, size string) (*synth.Truth, string) {
	tb.Helper()
	return generateIn(tb, size, tb.TempDir())
}

func generateIn(tb testing.TB, size, parent string) (*synth.Truth, string) {
	tb.Helper()
	dir := filepath.Join(parent, "case")
	tr, err := synth.Generate(context.Background(), synth.Options{Size: size, Seed: testSeed(), Out: dir})
	if err != nil {
		tb.Fatalf("generate %s: %v", size, err)
	}
	return tr, dir
}

// textFiles reads every text evidence file of the case; for WhatsApp zips
// the _chat.txt member.
func textFiles(tb testing.TB, tr *synth.Truth, dir string) []caseFile {
	tb.Helper()
	var out []caseFile
	for _, f := range tr.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		switch ext := filepath.Ext(f.Path); ext {
		case ".txt", ".json", ".jsonl", ".html", ".csv":
			data, err := os.ReadFile(p)
			if err != nil {
				tb.Fatal(err)
			}
			out = append(out, caseFile{path: f.Path, data: data})
		case ".zip":
			out = append(out, caseFile{path: f.Path, member: "_chat.txt", data: zipMember(tb, p, "_chat.txt")})
		}
	}
	return out
}

func zipMember(tb testing.TB, path, name string) []byte {
	tb.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer zr.Close()
	rc, err := zr.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// tally counts one row of the recall table.
type tally struct{ planted, found int }

// score runs Scan over the case and returns recall per kind/obfuscation,
// the decoys accepted as valid, and the misses (for the log).
func score(t *testing.T, tr *synth.Truth, files []caseFile, known []string) (map[string]*tally, []string, []string) {
	t.Helper()
	type key struct{ file, member string }
	found := map[key][]Selector{}
	zones := map[string]string{}
	for _, c := range tr.Chats {
		zones[c.File] = c.Zone
	}
	for _, f := range files {
		region := tr.Scenario.Destination
		if c := zoneCountry[zones[f.path]]; c != "" && known != nil {
			region = c
		}
		found[key{f.path, f.member}] = Scan(f.data, Options{Region: region, Decoys: true, KnownPhones: known})
	}
	rows := map[string]*tally{}
	var accepted, misses []string
	decoys := 0
	defer func() { t.Logf("decoys: %d planted, %d accepted as valid", decoys, len(accepted)) }()
	for _, ts := range tr.Selectors {
		sels := found[key{ts.File, ts.Member}]
		start, end := ts.Offset, ts.Offset+int64(len(ts.Form))
		if ts.Decoy {
			decoys++
			for _, s := range sels {
				if s.Valid && s.Kind == ts.Kind && s.Start < end && start < s.End {
					accepted = append(accepted, fmt.Sprintf("%s %q at %s:%d as %s", ts.Kind, ts.Form, ts.File, ts.Offset, s.Value))
				}
			}
			continue
		}
		row := ts.Kind + "/" + cmpOr(ts.Obfuscation, "plain")
		if rows[row] == nil {
			rows[row] = &tally{}
		}
		rows[row].planted++
		if slices.ContainsFunc(sels, func(s Selector) bool { return matches(s, ts.Kind, ts.Value, start, end) }) {
			rows[row].found++
		} else {
			var instead []string
			for _, s := range sels {
				if s.Start == start {
					instead = append(instead, s.Value)
				}
			}
			misses = append(misses, fmt.Sprintf("%s %q (%s) at %s:%d; found %v", ts.Kind, ts.Form, ts.Value, ts.File, ts.Offset, instead))
		}
	}
	return rows, accepted, misses
}

// matches: same kind and normalised value at the same offset. A handle may
// start one byte earlier, at its "@" (the truth points after the "@" in
// Telegram's "username" field and at it elsewhere).
func matches(s Selector, kind, value string, start, end int64) bool {
	if !s.Valid || s.Kind != kind || !strings.EqualFold(s.Value, value) {
		return false
	}
	if kind == KindHandle {
		return s.Start == start || s.Start+1 == start
	}
	return s.Start == start && s.End == end
}

// minRecall is the recall each row must reach on seed 7. Plain identifiers
// are checksummed or written with their calling code: near perfect.
// Obfuscated phones are written without calling code, and the scenario's
// countries share number patterns (NI/CR/HN 8xxx xxxx, SV/PA/GT 6xxx xxxx),
// so the region is a guess from context: over seeds 1–6 (tiny and small)
// these rows reach 0.967 in aggregate, but a single tiny case can drop to
// ~0.77 on one row when two countries of the route share the pattern.
var minRecall = map[string]float64{
	"phone/plain": 0.98, "email/plain": 0.98, "email/at_dot": 0.95, "handle/plain": 0.95,
	"iban/plain": 0.98, "btc/plain": 0.98, "eth/plain": 0.98, "tron/plain": 0.98, "card/plain": 0.98,
	"ipv4/plain": 0.98, "ipv6/plain": 0.98, "onion/plain": 0.98, "url/plain": 0.95, "domain/plain": 0.95,
	"phone/words_es": 0.90, "phone/words_en": 0.90, "phone/separators": 0.90, "phone/emoji_digits": 0.90,
}

// minQuality is the precision and recall each planted kind must reach
// (issue #5), scored by scoreKinds.
const minQuality = 0.99

func TestRecallAgainstTruth(t *testing.T) {
	for _, size := range []string{"tiny", "small"} {
		t.Run(size, func(t *testing.T) {
			tr, dir := generate(t, size)
			files := textFiles(t, tr, dir)
			if size == "tiny" {
				alone, _, _ := score(t, tr, files, nil)
				t.Logf("each file alone (region from the file's own text and the case jurisdiction):")
				logTable(t, alone)
			}
			known := casePhones(files, tr.Scenario.Destination)
			rows, accepted, misses := score(t, tr, files, known)
			t.Logf("with the %d numbers written with a calling code anywhere in the case as KnownPhones and the device zone's country as Region:", len(known))
			logTable(t, rows)
			for i, m := range misses {
				if i == 20 {
					t.Logf("... and %d more misses", len(misses)-20)
					break
				}
				t.Logf("miss: %s", m)
			}
			for _, a := range accepted {
				t.Errorf("decoy accepted as valid: %s", a)
			}
			q, fps, qmisses := scoreKinds(t, tr, files)
			planted := plantedKinds(tr)
			logQuality(t, q, planted)
			fps = slices.DeleteFunc(fps, func(s string) bool { return !planted[s[:strings.IndexByte(s, ' ')]] })
			logSome(t, "false positive", fps, 20)
			for kind, r := range q {
				if !planted[kind] {
					continue
				}
				if r.precision() < minQuality || r.recall() < minQuality {
					t.Errorf("%s: precision %.4f (%d/%d), recall %.4f (%d/%d), want both ≥ %.2f; misses: %v",
						kind, r.precision(), r.correct, r.extracted, r.recall(), r.recalled, r.planted, minQuality, qmisses)
				}
			}
			for row, r := range rows {
				want, ok := minRecall[row]
				if !ok {
					want = 0.9
				}
				if got := float64(r.found) / float64(r.planted); got < want {
					t.Errorf("%s recall %.3f (%d/%d), want ≥ %.2f", row, got, r.found, r.planted, want)
				}
			}
		})
	}
}

// zoneCountry maps the device time zone recorded at intake to its country,
// the better phone region hint for a seized phone than the jurisdiction.
var zoneCountry = map[string]string{
	"America/Guatemala": "GT", "America/El_Salvador": "SV", "America/Tegucigalpa": "HN",
	"America/Managua": "NI", "America/Costa_Rica": "CR", "America/Panama": "PA",
	"America/Santo_Domingo": "DO", "America/Mexico_City": "MX", "America/Tijuana": "MX",
	"America/Cancun": "MX", "America/Monterrey": "MX", "America/Merida": "MX",
	"America/New_York": "US", "America/Chicago": "US", "America/Los_Angeles": "US",
	"America/Denver": "US", "America/Phoenix": "US",
}

// casePhones is the first pass an ingest makes: every phone number written
// with its calling code in any file of the case.
func casePhones(files []caseFile, region string) []string {
	var out []string
	for _, f := range files {
		for _, s := range Scan(f.data, Options{Region: region, Kinds: []string{KindPhone}}) {
			if strings.HasPrefix(s.Raw, "+") && !slices.Contains(out, s.Value) {
				out = append(out, s.Value)
			}
		}
	}
	return out
}

func logTable(t *testing.T, rows map[string]*tally) {
	t.Helper()
	names := make([]string, 0, len(rows))
	for k := range rows {
		names = append(names, k)
	}
	sort.Strings(names)
	t.Logf("%-22s %8s %8s %8s", "kind/obfuscation", "planted", "found", "recall")
	for _, k := range names {
		r := rows[k]
		t.Logf("%-22s %8d %8d %8.3f", k, r.planted, r.found, float64(r.found)/float64(r.planted))
	}
}

// testSeed is the generator seed: 7, or EXTRACT_SEED to score other cases.
func testSeed() uint64 {
	if v, err := strconv.ParseUint(os.Getenv("EXTRACT_SEED"), 10, 64); err == nil {
		return v
	}
	return 7
}
