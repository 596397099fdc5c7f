package extract

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/rastro/rastro/synth"
)

// quality is the precision and recall of one kind: planted selectors
// (decoys excluded) against the valid selectors extracted.
//
// Recall counts every planted selector. Precision counts the selectors
// extracted where the truth lists every identifier, so that one it does
// not list is a false positive:
//
//   - chat exports (WhatsApp and Telegram), reports and the HTCDS registry:
//     every identifier written there is planted. Telegram's full export repeats each message's
//     text in "text_entities"; the truth records the "text" occurrence only,
//     so a verbatim repeat of a planted form (same file, kind and value) is
//     counted correct, and counted apart as a copy;
//
//   - money files: accounts[] lists every bank account and wallet, so an
//     IBAN or address extracted there is correct when it is a listed
//     account of its kind (bank for IBAN), and any other selector found
//     there (a card, a phone) is a false positive unless planted.
//
//   - ads: inside the byte range of a story ad (truth ads[] with an org).
//
// Ordinary ads hold background identifiers the truth does not list (their
// phones, e-mails, site names), so what is extracted there counts for
// recall only. Kinds the generator does not plant (url, domain,
// coordinates) have no precision.
type quality struct {
	planted, recalled  int // truth selectors, and those extracted
	extracted, correct int // valid selectors extracted in scope, and those correct
	copies             int // correct as verbatim repeats of a planted form
}

func (q quality) precision() float64 { return ratio(q.correct, q.extracted) }
func (q quality) recall() float64    { return ratio(q.recalled, q.planted) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// precisionScope says how a file's extractions are scored: "chat"
// (planted only), "money" (planted or accounts[]) or "" (story ads only).
func precisionScope(path string) string {
	switch {
	case strings.HasPrefix(path, "chats/"), strings.HasPrefix(path, "reports/"), strings.HasPrefix(path, "htcds/"):
		return "chat"
	case strings.HasPrefix(path, "money/"):
		return "money"
	}
	return ""
}

// inStoryAd reports whether off falls inside one of the ranges.
func inStoryAd(ranges [][2]int64, off int64) bool {
	return slices.ContainsFunc(ranges, func(r [2]int64) bool { return off >= r[0] && off < r[1] })
}

// accountKind maps a selector kind to the kind of accounts[] listing it.
var accountKind = map[string]string{KindIBAN: "bank", KindBTC: "btc", KindETH: "eth", KindTRON: "tron"}

// scoreKinds scans every text file of the case as an ingest would (the
// device zone's country as Region, the numbers written with a calling code
// anywhere in the case as KnownPhones) and scores each kind. It returns
// the false positives and misses too, for the log.
func scoreKinds(tb testing.TB, tr *synth.Truth, files []caseFile) (map[string]*quality, []string, []string) {
	tb.Helper()
	known := casePhones(files, tr.Scenario.Destination)
	zones := map[string]string{}
	for _, c := range tr.Chats {
		zones[c.File] = c.Zone
	}
	accounts := map[string]string{}
	for _, a := range tr.Accounts {
		accounts[strings.ToLower(a.Number)] = a.Kind
	}
	storyAds := map[string][][2]int64{}
	for _, a := range tr.Ads {
		if a.Org != "" {
			storyAds[a.File] = append(storyAds[a.File], [2]int64{a.Offset, a.Offset + a.Length})
		}
	}
	type key struct{ file, member string }
	planted := map[key][]int{} // truth selector indexes per file
	for k, ts := range tr.Selectors {
		planted[key{ts.File, ts.Member}] = append(planted[key{ts.File, ts.Member}], k)
	}
	q := map[string]*quality{}
	row := func(kind string) *quality {
		if q[kind] == nil {
			q[kind] = &quality{}
		}
		return q[kind]
	}
	var fps, misses []string
	for _, f := range files {
		region := cmpOr(zoneCountry[zones[f.path]], tr.Scenario.Destination)
		sels := Scan(f.data, Options{Region: region, KnownPhones: known})
		used := make([]bool, len(sels))
		idx := planted[key{f.path, f.member}]
		for _, k := range idx {
			ts := tr.Selectors[k]
			if ts.Decoy {
				continue
			}
			r := row(ts.Kind)
			r.planted++
			start, end := ts.Offset, ts.Offset+int64(len(ts.Form))
			j := slices.IndexFunc(sels, func(s Selector) bool { return matches(s, ts.Kind, ts.Value, start, end) })
			if j < 0 {
				misses = append(misses, fmt.Sprintf("%s %q (%s, %s) at %s:%d", ts.Kind, ts.Form, ts.Value, cmpOr(ts.Obfuscation, "plain"), ts.File, ts.Offset))
				continue
			}
			r.recalled++
			used[j] = true
		}
		scope := precisionScope(f.path)
		for j, s := range sels {
			if scope == "" && !inStoryAd(storyAds[f.path], s.Start) {
				continue
			}
			r := row(s.Kind)
			r.extracted++
			switch {
			case used[j]:
				r.correct++
			case slices.ContainsFunc(idx, func(k int) bool {
				ts := tr.Selectors[k]
				return !ts.Decoy && ts.Kind == s.Kind && ts.Form == s.Raw && strings.EqualFold(ts.Value, s.Value)
			}):
				r.correct++
				r.copies++
			case scope == "money" && accountKind[s.Kind] != "" && accounts[strings.ToLower(s.Value)] == accountKind[s.Kind]:
				r.correct++
			default:
				fps = append(fps, fmt.Sprintf("%s %q as %s at %s:%d: %q", s.Kind, s.Raw, s.Value, f.path, s.Start, s.Context))
			}
		}
	}
	return q, fps, misses
}

// plantedKinds are the kinds the generator plants, so whose precision
// the truth can measure; the others (url, domain, coordinates, eth
// without decoys) are extracted but not planted.
func plantedKinds(tr *synth.Truth) map[string]bool {
	out := map[string]bool{}
	for _, ts := range tr.Selectors {
		if !ts.Decoy {
			out[ts.Kind] = true
		}
	}
	return out
}

func logQuality(tb testing.TB, q map[string]*quality, planted map[string]bool) {
	tb.Helper()
	kinds := make([]string, 0, len(q))
	for k := range q {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	tb.Logf("%-12s %8s %8s %7s %9s %8s %7s %9s", "kind", "planted", "found", "recall", "extracted", "correct", "copies", "precision")
	for _, k := range kinds {
		r := q[k]
		p, rc := fmt.Sprintf("%9.4f", r.precision()), fmt.Sprintf("%7.4f", r.recall())
		if !planted[k] {
			p, rc = fmt.Sprintf("%9s", "n/a"), fmt.Sprintf("%7s", "n/a")
		}
		tb.Logf("%-12s %8d %8d %s %9d %8d %7d %s", k, r.planted, r.recalled, rc, r.extracted, r.correct, r.copies, p)
	}
}

func logSome(tb testing.TB, what string, list []string, n int) {
	tb.Helper()
	for i, s := range list {
		if i == n {
			tb.Logf("... and %d more %s", len(list)-n, what)
			return
		}
		tb.Logf("%s: %s", what, s)
	}
}

// TestQualityMedium prints the precision and recall table of the medium
// case (seed 7); it takes a minute, so it runs only with
// RASTRO_QUALITY_MEDIUM=1.
func TestQualityMedium(t *testing.T) {
	if os.Getenv("RASTRO_QUALITY_MEDIUM") == "" {
		t.Skip("set RASTRO_QUALITY_MEDIUM=1 to score the medium case")
	}
	tr, dir := cachedCase(t, "medium")
	q, fps, misses := scoreKinds(t, tr, textFiles(t, tr, dir))
	planted := plantedKinds(tr)
	logQuality(t, q, planted)
	fps = slices.DeleteFunc(fps, func(s string) bool { return !planted[s[:strings.IndexByte(s, ' ')]] })
	logSome(t, "false positive", fps, 60)
	logSome(t, "miss", misses, 60)
}
