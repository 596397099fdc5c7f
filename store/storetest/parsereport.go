package storetest

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/rastro/rastro"
)

// testParseReports checks that an item's parse report is stored, replaced
// by the next parse, capped, listed failures first and shown to members only.
func testParseReports(t *testing.T, f *fixture) {
	var items []*rastro.Evidence
	for _, name := range []string{"chat.txt", "broken.json", "photo.bin"} {
		ev := &rastro.Evidence{CaseID: f.caseID, SHA256: hexHash(name), Size: 1, OriginalName: name}
		_, err := f.db.CreateEvidence(f.ctx, f.inv, ev)
		must(t, err)
		items = append(items, ev)
	}
	var many []rastro.ParseProblem
	for i := range rastro.MaxParseProblems + 5 {
		many = append(many, rastro.ParseProblem{Locator: fmt.Sprintf("line:%d", i+1), Reason: "no date"})
	}
	parsed := &rastro.ParseReport{CaseID: f.caseID, EvidenceID: items[0].ID, Format: "whatsapp", Outcome: rastro.ParseParsed,
		Records: 3, Problems: many, MoreProblems: 2}
	failed := &rastro.ParseReport{CaseID: f.caseID, EvidenceID: items[1].ID, Format: "telegram", Outcome: rastro.ParseFailed,
		Records: 0, Reason: "unexpected end of JSON input", Location: "byte 812"}
	skipped := &rastro.ParseReport{CaseID: f.caseID, EvidenceID: items[2].ID, Format: "unknown", Outcome: rastro.ParseSkipped,
		Reason: "no parser for this format yet"}
	// A first report for the failed item is replaced by the second.
	must(t, f.db.PutParseReport(f.ctx, f.inv, &rastro.ParseReport{CaseID: f.caseID, EvidenceID: items[1].ID, Outcome: rastro.ParseParsed}))
	for _, r := range []*rastro.ParseReport{parsed, failed, skipped} {
		must(t, f.db.PutParseReport(f.ctx, f.inv, r))
	}
	if len(parsed.Problems) != rastro.MaxParseProblems || parsed.MoreProblems != 7 {
		t.Errorf("stored %d problems and %d more, want %d and 7", len(parsed.Problems), parsed.MoreProblems, rastro.MaxParseProblems)
	}
	got, err := f.db.ParseReports(f.ctx, f.analyst, f.caseID, 0)
	must(t, err)
	failed.Name, skipped.Name, parsed.Name = "broken.json", "photo.bin", "chat.txt"
	want := []*rastro.ParseReport{failed, skipped, parsed}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("ParseReports (-want +got):\n%s", diff)
	}
	one, err := f.db.ParseReports(f.ctx, f.analyst, f.caseID, items[1].ID)
	must(t, err)
	if len(one) != 1 || one[0].Location != "byte 812" {
		t.Errorf("ParseReports of one item = %+v", one)
	}
	_, err = f.db.ParseReports(f.ctx, f.outsider, f.caseID, 0)
	wantCode(t, err, rastro.ENOTFOUND)
	wantCode(t, f.db.PutParseReport(f.ctx, f.auditor, skipped), rastro.EFORBIDDEN)
	wantCode(t, f.db.PutParseReport(f.ctx, f.inv, &rastro.ParseReport{CaseID: f.caseID, EvidenceID: 999, Outcome: rastro.ParseParsed}), rastro.EINVALID)
	wantCode(t, f.db.PutParseReport(f.ctx, f.inv, &rastro.ParseReport{CaseID: f.caseID, EvidenceID: items[0].ID, Outcome: "meh"}), rastro.EINVALID)
}
