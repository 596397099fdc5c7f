package web

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/rastro/rastro"
)

// TestParseReportShown: after parsing, the evidence page of a broken file
// says it failed, where and why (escaped), a good file's page lists its
// skipped parts, and the case page lists every file's outcome, failures
// first, linking to the items.
func TestParseReportShown(t *testing.T) {
	f := newFixture(t)
	ctx, sys := context.Background(), rastro.SystemActor("parse evidence")
	must(t, f.db.PutParseReport(ctx, sys, &rastro.ParseReport{CaseID: f.caseID, EvidenceID: f.textID, Format: "telegram",
		Outcome: rastro.ParseFailed, Location: "bytes:64", Reason: "malformed JSON <script>: unexpected EOF"}))
	var problems []rastro.ParseProblem
	for i := range rastro.MaxParseProblems + 3 {
		problems = append(problems, rastro.ParseProblem{Locator: "line:" + itoa(int64(i+1)), Reason: "no timestamp"})
	}
	must(t, f.db.PutParseReport(ctx, sys, &rastro.ParseReport{CaseID: f.caseID, EvidenceID: f.imageID, Format: "whatsapp",
		Outcome: rastro.ParseParsed, Records: 812, Problems: problems}))
	cookie, _ := f.session(f.users["analyst-m"])

	b := body(t, f.get(f.evidencePath(f.textID), cookie))
	for _, want := range []string{`data-testid="parse-outcome">Failed · 0 records stored · telegram`,
		`<code>bytes:64</code>: malformed JSON &lt;script&gt;: unexpected EOF`} {
		if !strings.Contains(b, want) {
			t.Errorf("broken file's page lacks %q", want)
		}
	}
	if strings.Contains(b, "<script>") {
		t.Error("the reason is not escaped")
	}
	b = body(t, f.get(f.evidencePath(f.imageID), cookie))
	if !strings.Contains(b, "Parsed · 812 records stored") || !strings.Contains(b, "<code>line:100</code>") ||
		strings.Contains(b, "<code>line:101</code>") || !strings.Contains(b, "…and 3 more not listed.") {
		t.Error("good file's page: outcome, first 100 problems and the count of the rest not shown")
	}
	b = body(t, f.get("/cases/"+itoa(f.caseID), cookie))
	row := regexp.MustCompile(`(?s)data-testid="parse-reports".*?href="/cases/\d+/evidence/(\d+)">([^<]+)</a></td><td>Failed</td><td>0</td><td><code>bytes:64</code>`)
	if m := row.FindStringSubmatch(b); m == nil || m[1] != itoa(f.textID) || m[2] != "notes.txt" {
		t.Errorf("case page: the failed file is not the first row with where and why")
	}
	if !strings.Contains(b, "1 parsed, 0 skipped, 1 failed.") {
		t.Error("case page: outcome counts missing")
	}
	// An item without a report says it is not parsed yet.
	all, err := f.db.EvidenceList(ctx, sys, f.caseID)
	must(t, err)
	var chat int64
	for _, e := range all {
		if e.OriginalName == "chat-export.txt" {
			chat = e.ID
		}
	}
	b = body(t, f.get(f.evidencePath(chat), cookie))
	if !strings.Contains(b, "Not parsed yet") {
		t.Error("unparsed item's page does not say so")
	}
}
