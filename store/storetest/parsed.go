package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/ingest"
	"github.com/rastro/rastro/store"
)

// testStoreParsed checks the parse job's one-transaction batch: it stores
// what CreateRecords, PutEntities and PutLinks would, re-storing changes
// nothing, and a batch that fails anywhere leaves no record behind.
func testStoreParsed(t *testing.T, f *fixture) {
	ev := &rastro.Evidence{CaseID: f.caseID, SHA256: hexHash("parsed chat"), Size: 1}
	_, err := f.db.CreateEvidence(f.ctx, f.inv, ev)
	must(t, err)
	put := func(actor rastro.Actor, n int, breakIt func([]*rastro.Entity, []*rastro.Link) error) ([]*rastro.Record, error) {
		t.Helper()
		recs, es, links := bulkData(f.caseID, ev.ID, n, map[string]bool{})
		return recs, f.db.StoreParsed(f.ctx, actor, f.caseID, recs, func() ([]*rastro.Entity, []*rastro.Link, error) {
			citeRecords(es, links, recs)
			return es, links, breakIt(es, links)
		})
	}
	ok := func([]*rastro.Entity, []*rastro.Link) error { return nil }
	recs, err := put(f.inv, 0, ok)
	must(t, err)
	want := map[string]int{"records": 1000, "entities": 700, "statements": 3 * 700, "links": 1000}
	check := func(when string) {
		t.Helper()
		for table, n := range want {
			if got := f.count(t, table); got != n {
				t.Errorf("%s: %s: %d rows, want %d", when, table, got, n)
			}
		}
	}
	check("after one batch")
	if recs[0].ID == 0 {
		t.Fatal("records got no IDs")
	}
	again, err := put(f.inv, 0, ok)
	must(t, err)
	check("after storing the batch again")
	if again[999].ID != recs[999].ID {
		t.Errorf("record id %d after re-storing, want %d", again[999].ID, recs[999].ID)
	}
	// A failing derive, a link to an unknown entity, a reader: nothing of
	// the next batch is stored, not even its records.
	boom := errors.New("boom")
	_, err = put(f.inv, 1000, func([]*rastro.Entity, []*rastro.Link) error { return boom })
	if !errors.Is(err, boom) {
		t.Errorf("derive's error: got %v", err)
	}
	_, err = put(f.inv, 1000, func(_ []*rastro.Entity, links []*rastro.Link) error {
		links[5].TargetID = "acct-nobody"
		return nil
	})
	wantCode(t, err, rastro.EINVALID)
	_, err = put(f.auditor, 1000, ok)
	wantCode(t, err, rastro.EFORBIDDEN)
	check("after failed batches")
}

// testStoreParsedLinkTimes checks the creation times StoreParsed gives
// message links with the parser's IDs (ingest.MessageLinkID), which it
// reads for a whole batch at once instead of per row: a link stored again
// keeps its first time, a new one gets the time it is stored, and both are
// what a later read returns.
func testStoreParsedLinkTimes(t *testing.T, f *fixture) {
	ev := &rastro.Evidence{CaseID: f.caseID, SHA256: hexHash("parsed chat times"), Size: 1}
	_, err := f.db.CreateEvidence(f.ctx, f.inv, ev)
	must(t, err)
	seen := map[string]bool{}
	put := func(n int) []*rastro.Link {
		t.Helper()
		recs, es, links := bulkData(f.caseID, ev.ID, n, seen)
		must(t, f.db.StoreParsed(f.ctx, f.inv, f.caseID, recs, func() ([]*rastro.Entity, []*rastro.Link, error) {
			citeRecords(es, links, recs)
			for _, l := range links {
				l.ID = ingest.MessageLinkID(ev.ID, l.RecordID, l.Locator, l.SourceID, l.TargetID)
			}
			return es, links, nil
		}))
		return links
	}
	first := f.clock.now()
	put(0)
	second := f.clock.set(first.Add(time.Hour))
	stored := map[string]time.Time{}
	for when, batch := range map[time.Time][]*rastro.Link{first: put(0), second: put(bulkBatch)} {
		for _, l := range batch {
			if !l.CreatedAt.Equal(when) {
				t.Fatalf("link %s created at %v, want %v", l.ID, l.CreatedAt, when)
			}
			stored[l.ID] = l.CreatedAt
		}
	}
	links, err := f.db.Links(f.ctx, f.inv, f.caseID, "")
	must(t, err)
	n := 0
	for _, l := range links {
		if want, ok := stored[l.ID]; ok {
			n++
			if !l.CreatedAt.Equal(want) {
				t.Errorf("link %s reads as created at %v, StoreParsed said %v", l.ID, l.CreatedAt, want)
			}
		}
	}
	if n != len(stored) {
		t.Errorf("read %d of the %d links stored", n, len(stored))
	}
}

// benchParsed is benchBulk as the parse job writes since issue 5: one
// StoreParsed transaction per batch, message link IDs from
// ingest.MessageLinkID (in record order). It reports records/s.
func benchParsed(b *testing.B, f *fixture) {
	benchBatches(b, f, func(ev *rastro.Evidence, recs []*rastro.Record, es []*rastro.Entity, links []*rastro.Link) {
		must(b, f.db.StoreParsed(f.ctx, f.inv, f.caseID, recs, func() ([]*rastro.Entity, []*rastro.Link, error) {
			citeRecords(es, links, recs)
			for _, l := range links {
				l.ID = ingest.MessageLinkID(ev.ID, l.RecordID, l.Locator, l.SourceID, l.TargetID)
			}
			return es, links, nil
		}))
	})
}

// MessageLinkMigration checks migration 0009 on db, a store whose
// migrations migrate applies again to the same database: a parser's
// message link stored with a former ID ("msg-" and 32 hex digits of
// SHA-256) gets the ID ingest.MessageLinkID computes now, so re-parsing its
// item replaces it instead of adding a copy; other links keep their IDs.
func MessageLinkMigration(t *testing.T, db *store.DB, migrate func(t *testing.T)) {
	f := newFixture(t, db)
	ev := &rastro.Evidence{CaseID: f.caseID, SHA256: hexHash("old chat"), Size: 1}
	_, err := f.db.CreateEvidence(f.ctx, f.inv, ev)
	must(t, err)
	rec := &rastro.Record{EvidenceID: ev.ID, Kind: "message", Locator: "line:2", Text: "hola"}
	must(t, f.db.CreateRecords(f.ctx, f.inv, f.caseID, []*rastro.Record{rec}))
	for _, id := range []string{"acct-a", "acct-b"} {
		must(t, f.db.PutEntity(f.ctx, f.inv, &rastro.Entity{CaseID: f.caseID, ID: id, Schema: "UserAccount", Caption: id}))
	}
	// The former ingest's ID: hashID("msg-", locator, from, to, item).
	sum := sha256.Sum256([]byte("line:2\x00acct-a\x00acct-b\x00" + strconv.FormatInt(ev.ID, 10)))
	former := "msg-" + hex.EncodeToString(sum[:16])
	link := func(id string, origin rastro.Origin) *rastro.Link {
		return &rastro.Link{ID: id, Schema: "Message", SourceID: "acct-a", TargetID: "acct-b", EvidenceID: ev.ID, RecordID: rec.ID,
			Locator: rec.Locator, Origin: origin}
	}
	must(t, f.db.PutLinks(f.ctx, f.inv, f.caseID, []*rastro.Link{
		link(former, rastro.OriginParser), link("msg-by-hand", rastro.OriginParser), link(former[:30]+"abcdef", rastro.OriginAnalyst)}))
	if _, err := f.db.SQL().ExecContext(f.ctx, `DELETE FROM schema_migrations WHERE version = '0009_message_link_ids'`); err != nil {
		t.Fatal(err)
	}
	migrate(t)
	ids := func() []string {
		t.Helper()
		ls, err := f.db.Links(f.ctx, f.inv, f.caseID, "")
		must(t, err)
		var out []string
		for _, l := range ls {
			out = append(out, l.ID)
		}
		slices.Sort(out) // the backend's collation may order them otherwise
		return out
	}
	now := ingest.MessageLinkID(ev.ID, rec.ID, rec.Locator, "acct-a", "acct-b")
	want := []string{now, former[:30] + "abcdef", "msg-by-hand"}
	if got := ids(); !slices.Equal(got, want) {
		t.Errorf("links after migration %v, want %v", got, want)
	}
	must(t, f.db.PutLinks(f.ctx, f.inv, f.caseID, []*rastro.Link{link(now, rastro.OriginParser)}))
	if got := ids(); !slices.Equal(got, want) {
		t.Errorf("links after re-parsing %v, want %v (no copy)", got, want)
	}
}
