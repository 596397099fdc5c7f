package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/extract"
	"github.com/rastro/rastro/ingest"
)

// The evidence.parse job: every evidence item stored by intake is queued
// for it in the same transaction as its row. It reads the item from the
// vault, detects the format, stores every message, ad or page as a record
// with its locator, and the accounts and message links those records show,
// each citing its record. It is idempotent: records are keyed by (item,
// locator), entities and links by deterministic IDs.

// parseBatch is how many records are stored per transaction.
const parseBatch = 1000

type parsePayload struct {
	EvidenceID int64 `json:"evidence_id"`
}

// parseEvidence runs the job for one item.
func (ev *evidenceEnv) parseEvidence(ctx context.Context, j *rastro.Job, progress func(float64, string)) error {
	var p parsePayload
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return fmt.Errorf("evidence.parse payload: %w", err)
	}
	actor := rastro.SystemActor("parse evidence")
	item, err := ev.store.EvidenceByID(ctx, actor, j.CaseID, p.EvidenceID)
	if err != nil {
		return err
	}
	blob, err := ev.vault.Open(ctx, item.CaseID, item.SHA256)
	if err != nil {
		return fmt.Errorf("evidence %d: %w", item.ID, err)
	}
	defer blob.Close()
	head := make([]byte, 8192)
	n, _ := blob.ReadAt(head, 0)
	format := ingest.Detect(item.OriginalName, head[:n])
	report := &rastro.ParseReport{CaseID: item.CaseID, EvidenceID: item.ID, Format: string(format)}
	if skip := skipReason(format); skip != "" {
		report.Outcome, report.Reason = rastro.ParseSkipped, skip
		if err := ev.store.PutParseReport(ctx, actor, report); err != nil {
			return err
		}
		progress(1, skip)
		return nil
	}
	opt := ingest.Options{}
	if item.SourceTZ != "" {
		if loc, err := time.LoadLocation(item.SourceTZ); err == nil {
			opt.Zone = loc
		}
	}
	if _, err := blob.Seek(0, io.SeekStart); err != nil {
		return err
	}
	rep, stored, err := ev.storeItems(ctx, actor, item, blob, format, opt)
	var se storeError
	if errors.As(err, &se) {
		return fmt.Errorf("evidence %d (%s): %w", item.ID, item.OriginalName, se.err) // retried
	}
	fillReport(report, rep, stored, err)
	if err := ev.store.PutParseReport(ctx, actor, report); err != nil {
		return err
	}
	if rep != nil {
		if err := ev.logParse(ctx, item, rep); err != nil {
			return err
		}
	}
	msg := reportMessage(report)
	if report.Outcome == rastro.ParseParsed && len(report.Problems) > 0 {
		msg += fmt.Sprintf(" (first: %s: %s)", report.Problems[0].Locator, report.Problems[0].Reason)
	}
	progress(1, msg)
	return nil
}

// storeError is a failure to store what was parsed: worth a retry, unlike
// a file that does not parse.
type storeError struct{ err error }

func (e storeError) Error() string { return e.err.Error() }
func (e storeError) Unwrap() error { return e.err }

// fillReport completes a parse report from the parser's report (nil when
// it stopped with parseErr) and the records stored. A file that stopped
// with an error, or gave no records but problems, failed: its first
// problem (or the error) says where and why.
func fillReport(r *rastro.ParseReport, rep *ingest.Report, stored int, parseErr error) {
	r.Outcome, r.Records = rastro.ParseParsed, stored
	if rep != nil {
		for _, p := range rep.Problems {
			r.Problems = append(r.Problems, rastro.ParseProblem{Locator: p.Locator, Reason: p.Reason})
		}
		r.MoreProblems = rep.MoreProblems
	}
	switch {
	case parseErr != nil:
		r.Outcome, r.Reason = rastro.ParseFailed, parseErr.Error()
	case stored == 0 && len(r.Problems) > 0:
		r.Outcome, r.Location, r.Reason = rastro.ParseFailed, r.Problems[0].Locator, r.Problems[0].Reason
	}
}

// reportMessage is the one-line summary of a parse report, for the job's
// message and the command line.
func reportMessage(r *rastro.ParseReport) string {
	switch r.Outcome {
	case rastro.ParseSkipped:
		return "skipped: " + r.Reason
	case rastro.ParseFailed:
		msg := "failed"
		if r.Location != "" {
			msg += " at " + r.Location
		}
		return fmt.Sprintf("%s: %s (%d records stored before)", msg, r.Reason, r.Records)
	}
	msg := fmt.Sprintf("parsed %d records (%s)", r.Records, r.Format)
	if k := len(r.Problems) + r.MoreProblems; k > 0 {
		msg += fmt.Sprintf(", %d parts skipped", k)
	}
	return msg
}

// skipReason says why a format is not parsed here, or "" to parse it.
func skipReason(f ingest.Format) string {
	switch f {
	case ingest.FormatUnknown:
		return "stored; no parser for this format yet"
	case ingest.FormatCSV:
		return "CSV: transaction files are read by the money import; message CSVs need a column mapping"
	case ingest.FormatWhatsAppZip:
		return "container: its members are parsed as evidence items of their own"
	}
	return ""
}

// storeItems parses r and stores records, accounts and links in batches,
// each batch in one transaction (StoreParsed). The records' texts are
// scanned for identifiers before the transaction opens, so that the write
// lock is held for writing only.
func (ev *evidenceEnv) storeItems(ctx context.Context, actor rastro.Actor, item *rastro.Evidence, r io.Reader, f ingest.Format, opt ingest.Options) (*ingest.Report, int, error) {
	region := ev.caseRegion(ctx, actor, item.CaseID)
	m := ingest.NewMapper(ingest.MapOptions{CaseID: item.CaseID, EvidenceID: item.ID, Scope: item.SHA256})
	sent := map[string]int{} // statements of each account already stored
	var items []ingest.Item
	var recs []*rastro.Record
	stored := 0
	flush := func() error {
		if len(recs) == 0 {
			return nil
		}
		sels := make([][]extract.Selector, len(recs))
		for i, rec := range recs {
			sels[i] = validSelectors(rec.Text, extract.Options{Region: region})
		}
		derive := func() ([]*rastro.Entity, []*rastro.Link, error) {
			var links []*rastro.Link
			ids := map[string]*rastro.Entity{}
			for i, it := range items {
				links = append(links, m.Add(it, recs[i])...)
				identifiers(ids, recs[i], sels[i])
			}
			return append(newAccountStatements(m.Entities(), sent), sortedEntities(ids)...), links, nil
		}
		if err := ev.store.StoreParsed(ctx, actor, item.CaseID, recs, derive); err != nil {
			return storeError{err}
		}
		stored += len(recs)
		items, recs = items[:0], recs[:0]
		return nil
	}
	rep, err := ingest.Parse(r, item.OriginalName, f, opt, func(it ingest.Item) error {
		items = append(items, it)
		recs = append(recs, m.Record(it))
		if len(recs) >= parseBatch {
			return flush()
		}
		return nil
	})
	var se storeError
	if err != nil && !errors.As(err, &se) {
		// The file stopped parsing: the items before the failure stand.
		if ferr := flush(); ferr != nil {
			return nil, stored, ferr
		}
		return nil, stored, err
	}
	if err != nil {
		return nil, stored, err
	}
	return rep, stored, flush()
}

// newAccountStatements returns the accounts that are new or have new
// statements since the last batch, each with its new statements only, and
// notes them in sent (statements stored per account ID).
func newAccountStatements(accounts []*rastro.Entity, sent map[string]int) []*rastro.Entity {
	var out []*rastro.Entity
	for _, e := range accounts {
		n, ok := sent[e.ID]
		if ok && n == len(e.Statements) {
			continue
		}
		sent[e.ID] = len(e.Statements)
		c := *e
		c.Statements = e.Statements[n:]
		out = append(out, &c)
	}
	return out
}

// logParse appends the item's parse event to the custody log, once.
func (ev *evidenceEnv) logParse(ctx context.Context, item *rastro.Evidence, rep *ingest.Report) error {
	return appendCustodyOnce(ctx, ev.store, rastro.SystemActor("parse evidence"), item.CaseID, item.ID, rastro.CustodyParse, "rastro ingest",
		map[string]any{"format": rep.Format, "items": rep.Items, "problems": len(rep.Problems) + rep.MoreProblems,
			"day_first": rep.DayFirst, "date_order_from": rep.DateOrderFrom, "zone_assumed": rep.ZoneAssumed})
}

// caseRegion is the phone-number region hint: the case's jurisdiction.
func (ev *evidenceEnv) caseRegion(ctx context.Context, actor rastro.Actor, caseID int64) string {
	if k, err := ev.store.CaseByID(ctx, actor, caseID); err == nil {
		return k.Jurisdiction
	}
	return ""
}

// validSelectors returns the valid selectors (phone numbers, handles,
// addresses, ...) in a record's text.
func validSelectors(text string, opt extract.Options) []extract.Selector {
	var out []extract.Selector
	for _, sel := range extract.Scan([]byte(text), opt) {
		if sel.Valid {
			out = append(out, sel)
		}
	}
	return out
}

// identifiers adds to ids an Identifier entity for every selector found in
// the record's text (validSelectors), with a statement citing the record
// and the characters inside it ("line:12#bytes:5-17": bytes 5 to 17 of the
// record's text).
func identifiers(ids map[string]*rastro.Entity, rec *rastro.Record, sels []extract.Selector) {
	for _, sel := range sels {
		id := identifierID(sel.Kind, sel.Value)
		e, ok := ids[id]
		if !ok {
			e = &rastro.Entity{ID: id, CaseID: rec.CaseID, Schema: "Identifier", Caption: sel.Value, CaseRole: rastro.CaseRoleUnknown}
			ids[id] = e
		}
		conf := 1.0
		if sel.Obfuscation != "" {
			conf = 0.8 // decoded from an obfuscated form: worth a human look
		}
		loc := rec.Locator + "#" + sel.Locator()
		st := func(prop, value string) *rastro.Statement {
			return &rastro.Statement{CaseID: rec.CaseID, Prop: prop, Value: value, Normalized: sel.Value, EvidenceID: rec.EvidenceID,
				RecordID: rec.ID, Locator: loc, Origin: rastro.OriginExtractor, Confidence: conf}
		}
		e.Statements = append(e.Statements, st("value", sel.Raw), st("kind", sel.Kind))
		if sel.Platform != "" {
			e.Statements = append(e.Statements, st("platform", sel.Platform))
		}
	}
}

// sortedEntities lists map values in ID order, so that runs are repeatable.
func sortedEntities(m map[string]*rastro.Entity) []*rastro.Entity {
	out := make([]*rastro.Entity, 0, len(m))
	for _, e := range m {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b *rastro.Entity) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// identifierID is the entity ID of an identifier: its kind and a hash of
// its normalised value, the same whichever engine found it, and one that
// does not spell the number or address out in URLs, lists and logs (a
// victim's phone stays hidden even where its entity ID shows).
func identifierID(kind, value string) string {
	sum := sha256.Sum256([]byte(kind + "\x00" + value))
	return "identifier-" + kind + "-" + hex.EncodeToString(sum[:12])
}
