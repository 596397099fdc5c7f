package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rastro/rastro"
)

// bulkBatch is the records per batch of the bulk benchmark: the parse job's
// batch size.
const bulkBatch = 1000

// benchBulk measures the parse job's write path: per batch, CreateRecords for
// chat messages, PutEntities for the accounts first seen in the batch and the
// identifiers found in the texts, and PutLinks for one message link per
// record. It reports records/s.
func benchBulk(b *testing.B, f *fixture) {
	benchBatches(b, f, func(ev *rastro.Evidence, recs []*rastro.Record, es []*rastro.Entity, links []*rastro.Link) {
		must(b, f.db.CreateRecords(f.ctx, f.inv, f.caseID, recs))
		citeRecords(es, links, recs)
		must(b, f.db.PutEntities(f.ctx, f.inv, es))
		must(b, f.db.PutLinks(f.ctx, f.inv, f.caseID, links))
	})
}

// benchBatches stores one chat's batches of bulkBatch records with store
// until the benchmark ends and reports records/s.
func benchBatches(b *testing.B, f *fixture, store func(ev *rastro.Evidence, recs []*rastro.Record, es []*rastro.Entity, links []*rastro.Link)) {
	f.db.Now = time.Now
	ev := &rastro.Evidence{CaseID: f.caseID, SHA256: hexHash("bulk chat"), Size: 1}
	_, err := f.db.CreateEvidence(f.ctx, f.inv, ev)
	must(b, err)
	seen := map[string]bool{}
	n := 0
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		recs, es, links := bulkData(f.caseID, ev.ID, n, seen)
		store(ev, recs, es, links)
		n += len(recs)
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "records/s")
}

// bulkData returns batch records starting at n: messages between 500
// accounts (new ones with three statements), every fifth with a phone
// number identifier (three statements), one link per record. Statements and
// links carry the index of their record in RecordID until citeRecords.
func bulkData(caseID, evID int64, n int, seen map[string]bool) ([]*rastro.Record, []*rastro.Entity, []*rastro.Link) {
	recs := make([]*rastro.Record, bulkBatch)
	var es []*rastro.Entity
	var links []*rastro.Link
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range recs {
		k := n + i
		loc := fmt.Sprintf("line:%d", k+1)
		text := fmt.Sprintf("mensaje %d: nos vemos mañana a las %d, escribe al +52 55 1234 %04d", k, k%24, k%10000)
		recs[i] = &rastro.Record{EvidenceID: evID, Kind: "message", Locator: loc, Time: t0.Add(time.Duration(k) * time.Minute), Text: text}
		from, to := fmt.Sprintf("acct-%03d", k%500), fmt.Sprintf("acct-%03d", (k*7+1)%500)
		for _, id := range []string{from, to} {
			if seen[id] {
				continue
			}
			seen[id] = true
			e := &rastro.Entity{CaseID: caseID, ID: id, Schema: "UserAccount", Caption: "Cuenta " + id}
			for _, p := range [][2]string{{"service", "whatsapp"}, {"username", "Cuenta " + id}, {"number", "+52 55 9" + id[5:]}} {
				e.Statements = append(e.Statements, &rastro.Statement{Prop: p[0], Value: p[1], EvidenceID: evID, RecordID: int64(i),
					Locator: loc, Origin: rastro.OriginParser, Confidence: 1})
			}
			es = append(es, e)
		}
		links = append(links, &rastro.Link{ID: "msg-" + loc, Schema: "Message", SourceID: from, TargetID: to, Start: recs[i].Time,
			End: recs[i].Time, EvidenceID: evID, RecordID: int64(i), Locator: loc, Origin: rastro.OriginParser})
		if k%5 == 0 {
			v := fmt.Sprintf("+5255 1234%04d", k%10000)
			e := &rastro.Entity{CaseID: caseID, ID: "identifier-phone-" + v, Schema: "Identifier", Caption: v}
			for _, p := range [][2]string{{"value", "+52 55 1234 " + v[10:]}, {"kind", "phone"}, {"platform", "whatsapp"}} {
				e.Statements = append(e.Statements, &rastro.Statement{Prop: p[0], Value: p[1], Normalized: v, EvidenceID: evID,
					RecordID: int64(i), Locator: loc + "#bytes:45-62", Origin: rastro.OriginExtractor, Confidence: 1})
			}
			es = append(es, e)
		}
	}
	return recs, es, links
}

// citeRecords replaces the record indexes in statements and links by the
// stored records' IDs.
func citeRecords(es []*rastro.Entity, links []*rastro.Link, recs []*rastro.Record) {
	for _, e := range es {
		for _, s := range e.Statements {
			s.RecordID = recs[s.RecordID].ID
		}
	}
	for _, l := range links {
		l.RecordID = recs[l.RecordID].ID
	}
}

// testBulk checks the bulk path: batches larger than one multi-row
// statement, duplicates within a batch, and re-putting the same batch, which
// must change nothing and give back the same IDs.
func testBulk(t *testing.T, f *fixture) {
	ev := &rastro.Evidence{CaseID: f.caseID, SHA256: hexHash("bulk chat"), Size: 1}
	_, err := f.db.CreateEvidence(f.ctx, f.inv, ev)
	must(t, err)
	put := func(n int) ([]*rastro.Record, []*rastro.Entity, []*rastro.Link) {
		t.Helper()
		recs, es, links := bulkData(f.caseID, ev.ID, n, map[string]bool{})
		// Duplicates: a record, an entity with a role, a statement, a link.
		recs = append(recs, &rastro.Record{EvidenceID: ev.ID, Kind: "message", Locator: recs[3].Locator, Time: recs[3].Time, Text: "corrected"})
		dup := &rastro.Entity{CaseID: f.caseID, ID: es[0].ID, Schema: es[0].Schema, Caption: "Cuenta renombrada", CaseRole: rastro.CaseRoleSuspect,
			Statements: []*rastro.Statement{es[0].Statements[0], {Prop: "note", Value: "visto dos veces", Origin: rastro.OriginParser, EvidenceID: ev.ID}}}
		es = append(es, dup)
		links = append(links, &rastro.Link{ID: links[0].ID, Schema: "Message", SourceID: links[0].TargetID, TargetID: links[0].SourceID,
			EvidenceID: ev.ID, RecordID: links[0].RecordID, Locator: links[0].Locator, Origin: rastro.OriginParser})
		must(t, f.db.CreateRecords(f.ctx, f.inv, f.caseID, recs))
		citeRecords(es, links, recs)
		must(t, f.db.PutEntities(f.ctx, f.inv, es))
		must(t, f.db.PutLinks(f.ctx, f.inv, f.caseID, links))
		return recs, es, links
	}
	recs, es, links := put(0)
	counts := map[string]int{}
	for _, table := range []string{"records", "entities", "statements", "links"} {
		counts[table] = f.count(t, table)
	}
	// 1000 records, 500 accounts and 200 identifiers (3 statements each),
	// the duplicate's note.
	want := map[string]int{"records": 1000, "entities": 700, "statements": 3*700 + 1, "links": 1000}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("rows after one batch (-want +got):\n%s", diff)
	}
	if recs[3].ID != recs[len(recs)-1].ID {
		t.Errorf("duplicate record ids %d and %d, want one row", recs[3].ID, recs[len(recs)-1].ID)
	}
	got, err := f.db.RecordByID(f.ctx, f.inv, f.caseID, recs[3].ID)
	must(t, err)
	if got.Text != "corrected" {
		t.Errorf("duplicate record text %q, want the later copy's", got.Text)
	}
	e, err := f.db.Entity(f.ctx, f.inv, f.caseID, es[0].ID)
	must(t, err)
	if e.Caption != "Cuenta renombrada" || e.CaseRole != rastro.CaseRoleSuspect || es[0].CaseRole != rastro.CaseRoleSuspect {
		t.Errorf("duplicate entity: caption %q role %q (copy reports %q), want the later caption and the known role", e.Caption, e.CaseRole, es[0].CaseRole)
	}
	if e.Statements[0].ID != es[0].Statements[0].ID || es[0].Statements[0].ID == 0 {
		t.Errorf("statement id %d, stored %d", es[0].Statements[0].ID, e.Statements[0].ID)
	}
	ls, err := f.db.Links(f.ctx, f.inv, f.caseID, links[0].TargetID)
	must(t, err)
	if i := slices.IndexFunc(ls, func(l *rastro.Link) bool { return l.ID == links[0].ID }); i < 0 || ls[i].SourceID != links[len(links)-1].SourceID {
		t.Errorf("duplicate link not stored as the later copy: %+v", ls)
	}
	// Re-putting the same batch changes nothing and finds the same rows.
	recs2, es2, _ := put(0)
	for _, table := range []string{"records", "entities", "statements", "links"} {
		if n := f.count(t, table); n != counts[table] {
			t.Errorf("%s: %d rows after re-put, want %d", table, n, counts[table])
		}
	}
	for i := range recs {
		if recs2[i].ID != recs[i].ID {
			t.Fatalf("record %d: id %d after re-put, want %d", i, recs2[i].ID, recs[i].ID)
		}
	}
	for i, e := range es {
		for j, s := range e.Statements {
			if s2 := es2[i].Statements[j]; s2.ID != s.ID || !s2.CreatedAt.Equal(s.CreatedAt) {
				t.Fatalf("entity %s statement %d: id %d at %v after re-put, want %d at %v", e.ID, j, s2.ID, s2.CreatedAt, s.ID, s.CreatedAt)
			}
		}
	}
	// Nothing of a batch citing another case's evidence is stored.
	other := &rastro.Case{Title: "Otro", Jurisdiction: "ES"}
	must(t, f.db.CreateCase(f.ctx, f.inv, other))
	wantCode(t, f.db.CreateRecords(f.ctx, f.inv, other.ID, recs[:600]), rastro.EINVALID)
	wantCode(t, f.db.CreateRecords(f.ctx, f.auditor, f.caseID, recs[:600]), rastro.EFORBIDDEN)
	wantCode(t, f.db.PutLinks(f.ctx, f.outsider, f.caseID, links), rastro.ENOTFOUND)
}

// testBulkConcurrent runs two bulk writers at once, as the job workers do:
// both finish (no deadlock between a transaction and the statement cache)
// and every record is stored.
func testBulkConcurrent(t *testing.T, f *fixture) {
	ctx, cancel := context.WithTimeout(f.ctx, time.Minute)
	defer cancel()
	errs := make(chan error, 2)
	for w := range 2 {
		ev := &rastro.Evidence{CaseID: f.caseID, SHA256: hexHash(fmt.Sprintf("chat %d", w)), Size: 1}
		_, err := f.db.CreateEvidence(ctx, f.inv, ev)
		must(t, err)
		go func() {
			seen := map[string]bool{}
			for n := 0; n < 3*bulkBatch; n += bulkBatch {
				recs, es, links := bulkData(f.caseID, ev.ID, n, seen)
				for _, e := range es {
					e.ID = fmt.Sprintf("%s-w%d", e.ID, w)
				}
				for _, l := range links {
					l.SourceID, l.TargetID = fmt.Sprintf("%s-w%d", l.SourceID, w), fmt.Sprintf("%s-w%d", l.TargetID, w)
				}
				if err := f.db.CreateRecords(ctx, f.inv, f.caseID, recs); err != nil {
					errs <- err
					return
				}
				citeRecords(es, links, recs)
				if err := errors.Join(f.db.PutEntities(ctx, f.inv, es), f.db.PutLinks(ctx, f.inv, f.caseID, links)); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	must(t, errors.Join(<-errs, <-errs))
	if n := f.count(t, "records"); n != 6*bulkBatch {
		t.Errorf("%d records, want %d", n, 6*bulkBatch)
	}
}
