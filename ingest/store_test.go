package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rastro/rastro"
	"github.com/rastro/rastro/ingest"
	"github.com/rastro/rastro/sqlite"
)

// ingestEvidence is the evidence.parse job in miniature: parse, then store
// the records and the accounts and links the mapper derives from them in
// one StoreParsed transaction.
func ingestEvidence(t *testing.T, s rastro.Store, actor rastro.Actor, ev *rastro.Evidence, path string) *ingest.Report {
	t.Helper()
	ctx := context.Background()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	head := make([]byte, 8192)
	n, _ := f.ReadAt(head, 0)
	format := ingest.Detect(ev.OriginalName, head[:n])
	var items []ingest.Item
	var recs []*rastro.Record
	m := ingest.NewMapper(ingest.MapOptions{CaseID: ev.CaseID, EvidenceID: ev.ID, Scope: ev.SHA256})
	rep, err := ingest.Parse(f, ev.OriginalName, format, ingest.Options{}, func(it ingest.Item) error {
		items = append(items, it)
		recs = append(recs, m.Record(it))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// One transaction, as the job's batches: records, then what the mapper
	// derives from them once they have IDs.
	err = s.StoreParsed(ctx, actor, ev.CaseID, recs, func() ([]*rastro.Entity, []*rastro.Link, error) {
		m := ingest.NewMapper(ingest.MapOptions{CaseID: ev.CaseID, EvidenceID: ev.ID, Scope: ev.SHA256, Owner: rep.Owner})
		var links []*rastro.Link
		for i, it := range items {
			links = append(links, m.Add(it, recs[i])...)
		}
		return m.Entities(), links, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestIngestIntoSQLiteIsIdempotent(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := sqlite.Open(ctx, filepath.Join(dir, "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sys := rastro.SystemActor("test")
	ag := &rastro.Agency{Name: "Unidad Ficticia", Country: "GT", Kind: rastro.AgencyPolice}
	if err := s.CreateAgency(ctx, sys, ag); err != nil {
		t.Fatal(err)
	}
	c := &rastro.Case{AgencyID: ag.ID, Title: "chat intake", Jurisdiction: "GT"}
	if err := s.CreateCase(ctx, sys, c); err != nil {
		t.Fatal(err)
	}
	chat := "28/05/2025, 16:20 - Messages and calls are end-to-end encrypted. Tap to learn more.\n" +
		"28/05/2025, 16:21 - Ana: hola\nsegunda línea\n" +
		"28/05/2025, 16:22 - +505 8555 0115: mandame el número\n"
	path := filepath.Join(dir, "WhatsApp Chat with Ana.txt")
	if err := os.WriteFile(path, []byte(chat), 0o600); err != nil {
		t.Fatal(err)
	}
	ev := &rastro.Evidence{CaseID: c.ID, SHA256: strings.Repeat("ab", 32), Size: int64(len(chat)), MediaType: "text/plain",
		OriginalName: filepath.Base(path), Source: "device 1"}
	if _, err := s.CreateEvidence(ctx, sys, ev); err != nil {
		t.Fatal(err)
	}
	var first *rastro.CaseStats
	var firstLinks []*rastro.Link
	for range 2 {
		ingestEvidence(t, s, sys, ev, path)
		st, err := s.CaseStats(ctx, sys, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		links, err := s.Links(ctx, sys, c.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first, firstLinks = st, links
			continue
		}
		if *st != *first {
			t.Errorf("re-ingesting changed the case: %+v then %+v", first, st)
		}
		if diff := cmp.Diff(firstLinks, links); diff != "" {
			t.Errorf("re-ingesting changed the links (-first +second):\n%s", diff)
		}
	}
	// Message link IDs sort in the order of their records.
	for i := 1; i < len(firstLinks); i++ {
		if firstLinks[i].RecordID < firstLinks[i-1].RecordID {
			t.Errorf("link %s (record %d) sorts after %s (record %d)", firstLinks[i].ID, firstLinks[i].RecordID,
				firstLinks[i-1].ID, firstLinks[i-1].RecordID)
		}
	}
	if first.Entities != 2 || first.Links != 2 || first.Statements == 0 {
		t.Errorf("stats %+v, want 2 accounts and 2 message links", first)
	}
}
