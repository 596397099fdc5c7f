package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/store"
)

// Bench runs the store benchmarks. open must return a fresh, empty, migrated
// store and arrange for it to be closed.
func Bench(b *testing.B, open func(tb testing.TB) *store.DB) {
	b.Run("PutEntity", func(b *testing.B) {
		f := newFixture(b, open(b))
		f.db.Now = time.Now
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			e := person(f.caseID, fmt.Sprintf("p%d", i), fmt.Sprintf("Persona %d", i), rastro.CaseRoleUnknown)
			e.Statements = append(e.Statements,
				&rastro.Statement{Prop: "phone", Value: fmt.Sprintf("+52 55 %08d", i), Origin: rastro.OriginParser},
				&rastro.Statement{Prop: "email", Value: fmt.Sprintf("p%d@example.org", i), Origin: rastro.OriginParser})
			must(b, f.db.PutEntity(f.ctx, f.inv, e))
		}
	})
	b.Run("Entity", func(b *testing.B) {
		f := newFixture(b, open(b))
		must(b, f.db.PutEntity(f.ctx, f.inv, person(f.caseID, "p1", "Persona Uno", rastro.CaseRoleSuspect)))
		b.ReportAllocs()
		for b.Loop() {
			_, err := f.db.Entity(f.ctx, f.analyst, f.caseID, "p1")
			must(b, err)
		}
	})
	b.Run("EntitiesSearch1k", func(b *testing.B) {
		f := newFixture(b, open(b))
		for i := range 1000 {
			must(b, f.db.PutEntity(f.ctx, f.inv, person(f.caseID, fmt.Sprintf("p%04d", i), fmt.Sprintf("Persona %04d", i), "")))
		}
		b.ReportAllocs()
		for b.Loop() {
			_, n, err := f.db.Entities(f.ctx, f.analyst, f.caseID, rastro.EntityFilter{Query: "persona 09", Limit: 50})
			must(b, err)
			if n != 100 {
				b.Fatalf("matched %d, want 100", n)
			}
		}
	})
	b.Run("EntitiesSearch1kProtected", func(b *testing.B) {
		f := newFixture(b, open(b))
		protectedCase(b, f, 1000)
		b.ReportAllocs()
		for b.Loop() {
			_, n, err := f.db.Entities(f.ctx, f.analyst, f.caseID, rastro.EntityFilter{Query: "persona 09", Limit: 50})
			must(b, err)
			if n != 90 {
				b.Fatalf("matched %d, want 90 (the victims' names are hidden)", n)
			}
		}
	})
	b.Run("ForEachEntity1kProtected", func(b *testing.B) {
		f := newFixture(b, open(b))
		protectedCase(b, f, 1000)
		b.ReportAllocs()
		for b.Loop() {
			must(b, f.db.ForEachEntity(f.ctx, f.analyst, f.caseID, func(*rastro.Entity) error { return nil }))
		}
	})
	// A scrubbed read of one record of a case with possible victims and
	// 50,000 links, as an analyst (outside the victims' compartment): the
	// scrubber is cached, so what the read costs beyond the record is
	// checking that the cache is current.
	b.Run("RecordScrubbed50kLinks", func(b *testing.B) {
		f := newFixture(b, open(b))
		rec := scrubbedCase(b, f, 1000, 50000)
		b.ReportAllocs()
		for b.Loop() {
			r, err := f.db.RecordByID(f.ctx, f.analyst, f.caseID, rec.ID)
			must(b, err)
			if strings.Contains(r.Text, "Persona 0010") {
				b.Fatalf("the victim's name is not scrubbed: %q", r.Text)
			}
		}
	})
	b.Run("ForEachEntity1kCaseworker", func(b *testing.B) {
		f := newFixture(b, open(b))
		protectedCase(b, f, 1000)
		b.ReportAllocs()
		for b.Loop() {
			must(b, f.db.ForEachEntity(f.ctx, f.worker, f.caseID, func(*rastro.Entity) error { return nil }))
		}
	})
	b.Run("EnqueueClaimComplete", func(b *testing.B) {
		f := newFixture(b, open(b))
		f.db.Now = time.Now
		b.ReportAllocs()
		for b.Loop() {
			must(b, f.db.Enqueue(f.ctx, f.inv, &rastro.Job{CaseID: f.caseID, Kind: "bench"}))
			j, err := f.db.Claim(f.ctx, []string{"bench"}, time.Minute)
			must(b, err)
			must(b, f.db.Complete(f.ctx, j.ID))
		}
	})
	b.Run("BulkIngest", func(b *testing.B) { benchBulk(b, newFixture(b, open(b))) })
	b.Run("ParsedBatch", func(b *testing.B) { benchParsed(b, newFixture(b, open(b))) })
	BenchCustody(b, open)
}

// protectedCase stores n persons, every tenth a possible victim who uses a
// phone (n/10 more entities and links).
func protectedCase(tb testing.TB, f *fixture, n int) {
	tb.Helper()
	var links []*rastro.Link
	for i := range n {
		role := rastro.CaseRoleUnknown
		if i%10 == 0 {
			role = rastro.CaseRolePossibleVictim
		}
		id := fmt.Sprintf("p%04d", i)
		must(tb, f.db.PutEntity(f.ctx, f.inv, person(f.caseID, id, fmt.Sprintf("Persona %04d", i), role)))
		if role.IsVictim() {
			must(tb, f.db.PutEntity(f.ctx, f.inv, &rastro.Entity{CaseID: f.caseID, ID: "ph-" + id, Schema: "Phone"}))
			links = append(links, &rastro.Link{ID: "uses-" + id, Schema: "uses", SourceID: id, TargetID: "ph-" + id, Origin: rastro.OriginAnalyst})
		}
	}
	must(tb, f.db.PutLinks(f.ctx, f.inv, f.caseID, links))
}

// scrubbedCase fills the case like protectedCase with n people, adds m
// links between them and returns a record naming one possible victim.
func scrubbedCase(tb testing.TB, f *fixture, n, m int) *rastro.Record {
	tb.Helper()
	protectedCase(tb, f, n)
	links := make([]*rastro.Link, 0, 5000)
	for i := range m {
		links = append(links, &rastro.Link{ID: fmt.Sprintf("l%06d", i), Schema: "Associate",
			SourceID: fmt.Sprintf("p%04d", i%n), TargetID: fmt.Sprintf("p%04d", (i*7+1)%n), Origin: rastro.OriginImport})
		if len(links) == cap(links) || i == m-1 {
			must(tb, f.db.PutLinks(f.ctx, f.inv, f.caseID, links))
			links = links[:0]
		}
	}
	ev := &rastro.Evidence{CaseID: f.caseID, SHA256: hexHash("scrubbed case"), Size: 13}
	_, err := f.db.CreateEvidence(f.ctx, f.inv, ev)
	must(tb, err)
	rec := &rastro.Record{EvidenceID: ev.ID, Kind: "message", Locator: "line:1", Text: "Persona 0003: llevo a Persona 0010 mañana"}
	must(tb, f.db.CreateRecords(f.ctx, f.inv, f.caseID, []*rastro.Record{rec}))
	return rec
}
