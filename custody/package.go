package custody

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/rastro/rastro"
)

// PackageFormat names the version of the court package layout.
const PackageFormat = "rastro-court-package/1"

// Paths inside a court package.
const (
	ManifestFile   = "manifest.json"
	EvidenceFile   = "evidence.json"
	EventsFile     = "custody/events.jsonl"
	ProofsFile     = "custody/proofs.json"
	CheckpointFile = "custody/checkpoint"
	KeyFile        = "custody/key.pub"
	TimestampFile  = "custody/checkpoint.tsr"
	CaseUCOFile    = "case.jsonld"
	ReportFile     = "report.html"
	OriginalsDir   = "originals/"
)

// Item is an evidence item selected for a package. HashesOnly items are
// described and proven, but their bytes are not copied (material that must
// not leave the vault).
type Item struct {
	Evidence   *rastro.Evidence
	HashesOnly bool
}

// PackageSource is what WritePackage reads: the lead implements it over the
// store and the vault, for one case, one acting user and a selection of
// items. Before writing a package the caller appends an export event per
// item and saves a checkpoint that covers them, so that the package proves
// its own export.
type PackageSource interface {
	// Case returns the exported case.
	Case(ctx context.Context) (*rastro.Case, error)
	// Items lists the selected evidence items.
	Items(ctx context.Context) ([]Item, error)
	// Open returns the original bytes of an item (not called for
	// HashesOnly items). WritePackage checks them against the item's SHA-256.
	Open(ctx context.Context, e *rastro.Evidence) (io.ReadCloser, error)
	// Events lists the custody events of the selected items with their
	// leaves, in sequence order (store: CustodyEvents per item).
	Events(ctx context.Context) ([]*rastro.CustodyEvent, error)
	// Checkpoint returns the signed checkpoint the proofs lead to; it must
	// cover every event (store: LatestCheckpoint after the export events).
	Checkpoint(ctx context.Context) (*rastro.Checkpoint, error)
	// LeafHashes returns the log's leaf hashes 0..size-1, from which the
	// proofs are computed (store: CustodyLeafHashes(0, size)); O(size).
	LeafHashes(ctx context.Context, size int64) ([][]byte, error)
	// VerifierKey returns the checkpoint verifier key ("name+hash+base64").
	VerifierKey(ctx context.Context) (string, error)
}

// WriteOptions tune a package.
type WriteOptions struct {
	// Tool and ToolVersion name the software that wrote the package, for
	// the report and the CASE/UCO graph.
	Tool, ToolVersion string
	// Now is the package's creation time (time.Now when zero).
	Now time.Time
}

// sink is where package files go: a zip archive or a directory.
type sink interface {
	create(name string) (io.WriteCloser, error)
}

// WritePackage writes a court package as a zip archive to w.
func WritePackage(ctx context.Context, w io.Writer, src PackageSource, opts WriteOptions) error {
	zw := zip.NewWriter(w)
	if err := writePackage(ctx, zipSink{zw}, src, opts); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write package: %w", err)
	}
	return nil
}

// WritePackageDir writes a court package into dir, which must not exist or
// be empty.
func WritePackageDir(ctx context.Context, dir string, src PackageSource, opts WriteOptions) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("write package: %s is not empty", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write package: %w", err)
	}
	return writePackage(ctx, dirSink(dir), src, opts)
}

type zipSink struct{ zw *zip.Writer }

func (s zipSink) create(name string) (io.WriteCloser, error) {
	w, err := s.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
	return nopCloser{w}, err
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

type dirSink string

func (d dirSink) create(name string) (io.WriteCloser, error) {
	p := filepath.Join(string(d), filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, err
	}
	return os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
}

// pkgWriter writes files and remembers their hashes for the manifest.
type pkgWriter struct {
	sink  sink
	files []ManifestEntry
}

// ManifestEntry is one file of a package.
type ManifestEntry struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// Manifest lists every file of a package but itself.
type Manifest struct {
	Format string          `json:"format"`
	Files  []ManifestEntry `json:"files"`
}

// copy writes one file from r and records its hash.
func (pw *pkgWriter) copy(name string, r io.Reader) (ManifestEntry, error) {
	w, err := pw.sink.create(name)
	if err != nil {
		return ManifestEntry{}, fmt.Errorf("write package: %s: %w", name, err)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), r)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return ManifestEntry{}, fmt.Errorf("write package: %s: %w", name, err)
	}
	e := ManifestEntry{Path: name, SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}
	pw.files = append(pw.files, e)
	return e, nil
}

// bytes writes one file.
func (pw *pkgWriter) bytes(name string, b []byte) error {
	_, err := pw.copy(name, bytes.NewReader(b))
	return err
}

// json writes v as canonical JSON.
func (pw *pkgWriter) json(name string, v any) error {
	b, err := canonicalJSON(v)
	if err != nil {
		return fmt.Errorf("write package: %s: %w", name, err)
	}
	return pw.bytes(name, b)
}

// canonicalJSON marshals v and canonicalises it.
func canonicalJSON(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return Canonicalize(raw)
}

// contents is everything read from the source, checked for coherence.
type contents struct {
	cs     *rastro.Case
	items  []Item
	events []*rastro.CustodyEvent
	cp     *rastro.Checkpoint
	key    string
	proofs Proofs
}

// writePackage writes every file, the manifest last.
func writePackage(ctx context.Context, s sink, src PackageSource, opts WriteOptions) error {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	c, err := gather(ctx, src)
	if err != nil {
		return err
	}
	pw := &pkgWriter{sink: s}
	if err := pw.originals(ctx, src, c.items); err != nil {
		return err
	}
	if err := pw.custody(c); err != nil {
		return err
	}
	if err := pw.json(EvidenceFile, evidenceRecords(c)); err != nil {
		return err
	}
	if err := pw.json(CaseUCOFile, caseUCO(c, opts)); err != nil {
		return err
	}
	report, err := renderReport(c, opts)
	if err != nil {
		return err
	}
	if err := pw.bytes(ReportFile, report); err != nil {
		return err
	}
	slices.SortFunc(pw.files, func(a, b ManifestEntry) int { return strings.Compare(a.Path, b.Path) })
	m := Manifest{Format: PackageFormat, Files: pw.files}
	b, err := canonicalJSON(m)
	if err != nil {
		return fmt.Errorf("write package: manifest: %w", err)
	}
	w, err := s.create(ManifestFile)
	if err != nil {
		return fmt.Errorf("write package: manifest: %w", err)
	}
	if _, err := w.Write(b); err != nil {
		w.Close()
		return fmt.Errorf("write package: manifest: %w", err)
	}
	return w.Close()
}

// gather reads the source and checks that what it says is coherent: the
// events belong to the items, the checkpoint covers them and is signed by
// the key, and the leaves hash to the signed root. A package that would not
// verify is never written.
func gather(ctx context.Context, src PackageSource) (*contents, error) {
	c := &contents{}
	var err error
	if c.cs, err = src.Case(ctx); err != nil {
		return nil, fmt.Errorf("write package: case: %w", err)
	}
	if c.items, err = src.Items(ctx); err != nil {
		return nil, fmt.Errorf("write package: items: %w", err)
	}
	if c.events, err = src.Events(ctx); err != nil {
		return nil, fmt.Errorf("write package: events: %w", err)
	}
	if c.cp, err = src.Checkpoint(ctx); err != nil {
		return nil, fmt.Errorf("write package: checkpoint: %w", err)
	}
	if c.key, err = src.VerifierKey(ctx); err != nil {
		return nil, fmt.Errorf("write package: verifier key: %w", err)
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	hashes, err := src.LeafHashes(ctx, c.cp.Size)
	if err != nil {
		return nil, fmt.Errorf("write package: leaf hashes: %w", err)
	}
	if c.proofs, err = buildProofs(c.events, c.cp, hashes); err != nil {
		return nil, err
	}
	return c, nil
}

// check verifies what gather read, before any proof is computed.
func (c *contents) check() error {
	signed, err := OpenCheckpoint([]byte(c.cp.Note), c.key)
	if err != nil {
		return fmt.Errorf("write package: %w", err)
	}
	c.cp.Size, c.cp.RootHash = int64(signed.Size), signed.Hash
	items := map[int64]*rastro.Evidence{}
	for _, it := range c.items {
		if it.Evidence == nil || it.Evidence.CaseID != c.cs.ID {
			return errors.New("write package: an item is missing or not in the case")
		}
		items[it.Evidence.ID] = it.Evidence
	}
	for i, ev := range c.events {
		e, ok := items[ev.EvidenceID]
		switch {
		case !ok || e.SHA256 != ev.EvidenceSHA256 || ev.CaseID != c.cs.ID:
			return fmt.Errorf("write package: event %d is not about a selected item", ev.Seq)
		case ev.Seq >= c.cp.Size:
			return fmt.Errorf("write package: event %d is not covered by checkpoint %d; save a new checkpoint first", ev.Seq, c.cp.Size)
		case i > 0 && ev.Seq <= c.events[i-1].Seq:
			return fmt.Errorf("write package: events are not in sequence order at %d", ev.Seq)
		case !bytes.Equal(LeafHash(ev.Leaf), ev.LeafHash):
			return fmt.Errorf("write package: event %d: stored leaf hash does not match its leaf", ev.Seq)
		}
	}
	return nil
}

// originals copies each item's bytes (unless hashes only), checking them.
func (pw *pkgWriter) originals(ctx context.Context, src PackageSource, items []Item) error {
	for _, it := range items {
		if it.HashesOnly {
			continue
		}
		if err := pw.original(ctx, src, it.Evidence); err != nil {
			return err
		}
	}
	return nil
}

// original copies one item.
func (pw *pkgWriter) original(ctx context.Context, src PackageSource, e *rastro.Evidence) error {
	rc, err := src.Open(ctx, e)
	if err != nil {
		return fmt.Errorf("write package: open evidence %d: %w", e.ID, err)
	}
	defer rc.Close()
	got, err := pw.copy(OriginalsDir+e.SHA256, rc)
	if err != nil {
		return err
	}
	if got.SHA256 != e.SHA256 {
		return fmt.Errorf("write package: evidence %d: the vault returned bytes with SHA-256 %s, not %s; the blob is corrupt", e.ID, got.SHA256, e.SHA256)
	}
	return nil
}

// custody writes the events, proofs, checkpoint and key.
func (pw *pkgWriter) custody(c *contents) error {
	var lines bytes.Buffer
	for _, ev := range c.events {
		lines.Write(ev.Leaf)
		lines.WriteByte('\n')
	}
	if err := pw.bytes(EventsFile, lines.Bytes()); err != nil {
		return err
	}
	if err := pw.json(ProofsFile, c.proofs); err != nil {
		return err
	}
	if err := pw.bytes(CheckpointFile, []byte(c.cp.Note)); err != nil {
		return err
	}
	if len(c.cp.Timestamp) > 0 {
		if err := pw.bytes(TimestampFile, c.cp.Timestamp); err != nil {
			return err
		}
	}
	return pw.bytes(KeyFile, []byte(strings.TrimSpace(c.key)+"\n"))
}
