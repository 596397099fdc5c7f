// Package intake turns seized files, folders and archives into evidence:
// each regular file is streamed once through the vault (hashed and
// encrypted) and recorded with its acquisition metadata; the members of zip,
// tar and tar.gz containers become child items of the container.
package intake

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
	_ "time/tzdata" // validate source time zones on machines without a zoneinfo database

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/intake/unpack"
	"github.com/rastro/rastro/vault"
)

// Custody actions passed to Service.OnStored.
const (
	ActionAcquire = "acquire" // a file given to Ingest
	ActionUnpack  = "unpack"  // a member extracted from a container
)

// Acquisition is what the investigator records about a seizure; every item
// of one Ingest call gets the same values.
type Acquisition struct {
	Source     string    // device, account or seizure, e.g. "Phone of person of interest A, seizure 2024-117"
	ExhibitNo  string    // exhibit number
	AcquiredAt time.Time // when it was acquired; zero means now
	AcquiredBy int64     // user id; zero means the acting user
	Tool       string    // acquisition tool and version
	SourceTZ   string    // IANA time zone of the source device
	Notes      string
}

// Service ingests evidence into a case.
type Service struct {
	Vault  *vault.Vault
	Store  rastro.Store
	Limits unpack.Limits // zero fields take unpack.DefaultLimits
	// Workers is how many top-level files are hashed, encrypted and
	// written to the vault at once (default 4). Metadata is still recorded,
	// and OnStored called, one item at a time in walk order; the workers
	// overlap the vault's fsyncs, which bound the rate of small files.
	Workers int
	// OnStored, when not nil, is called after each item's metadata is
	// stored, in ingest order (a container before its members), with
	// ActionAcquire or ActionUnpack. It is called for items that already
	// existed too (re-ingest, or a crash between storing and the hook), so
	// the custody log must record at most one event per item and action.
	// An error is reported for that item and ingest goes on. Its context
	// carries HookInfo (the acting user, whether the item is new).
	OnStored func(ctx context.Context, ev *rastro.Evidence, action string) error
}

// HookInfo is what OnStored learns beyond the item, from its context.
type HookInfo struct {
	Actor   rastro.Actor // who ran the ingest (ev.AcquiredBy may name someone else, or an earlier ingest)
	Created bool         // false when the item already existed in the case
	Name    string       // the name under which it was found this time (ev.OriginalName is the first one)
}

// hookKey is the context key of HookInfo.
type hookKey struct{}

// HookInfoFrom returns the HookInfo in the context OnStored receives.
func HookInfoFrom(ctx context.Context) (HookInfo, bool) {
	h, ok := ctx.Value(hookKey{}).(HookInfo)
	return h, ok
}

// file is a regular file found under the ingested path.
type file struct {
	path string // on disk
	rel  string // original name: slash-separated, relative to the ingested folder
	size int64
}

// run is the state of one Ingest call.
type run struct {
	s        *Service
	ctx      context.Context
	actor    rastro.Actor
	caseID   int64
	meta     Acquisition
	lim      unpack.Limits
	progress func(done, total int64)
	mu       sync.Mutex // serialises progress calls from the workers
	done     int64      // guarded by mu
	total    int64
	items    []*rastro.Evidence
	errs     []error
}

// Ingest stores the file, the folder's regular files, or the archive at
// path (and its members) as evidence of the case, and returns the items in
// order. Problems with single files or members are returned as errors naming
// them while the rest goes on; a problem with the call itself (no access,
// bad metadata, no such path) is the only error. Ingesting the same content
// again returns the existing items and creates nothing. progress, when not
// nil, is called with the bytes of top-level files read so far and their
// total, from worker goroutines but never concurrently. When ctx ends, the
// files already recorded stay recorded, the last error says how far it got,
// and a second Ingest of the same path completes the work.
func (s *Service) Ingest(ctx context.Context, actor rastro.Actor, caseID int64, path string, meta Acquisition, progress func(done, total int64)) ([]*rastro.Evidence, []error) {
	if err := s.check(ctx, actor, caseID, meta); err != nil {
		return nil, []error{fmt.Errorf("intake: %w", err)}
	}
	files, total, errs := listFiles(path)
	r := &run{s: s, ctx: ctx, actor: actor, caseID: caseID, meta: meta, lim: s.Limits.WithDefaults(),
		progress: progress, total: total, errs: errs}
	puts, release := r.startPuts(files)
	finished := 0
	for i, f := range files {
		res := <-puts[i] // drained even after a cancellation, so no worker is left blocked
		release()
		if ctx.Err() == nil {
			r.finishFile(f, res)
			finished++
		}
	}
	if err := ctx.Err(); err != nil {
		r.errs = append(r.errs, fmt.Errorf("intake: stopped after %d of %d files: %w", finished, len(files), err))
	}
	return r.items, r.errs
}

// check verifies write access to the case and the metadata.
func (s *Service) check(ctx context.Context, actor rastro.Actor, caseID int64, meta Acquisition) error {
	if _, err := s.Store.CaseByID(ctx, actor, caseID); err != nil {
		return err
	}
	if !actor.Can(rastro.PermWriteCase) {
		return rastro.Errorf(rastro.EFORBIDDEN, "Your role may not add evidence to cases.")
	}
	if meta.SourceTZ != "" {
		if _, err := time.LoadLocation(meta.SourceTZ); err != nil {
			return rastro.Errorf(rastro.EINVALID, "Source time zone %q is not an IANA zone name such as America/Mexico_City.", meta.SourceTZ)
		}
	}
	return nil
}

// listFiles returns the regular files at or under root, in lexical order,
// with their total size and errors for what it skipped.
func listFiles(root string) ([]file, int64, []error) {
	fi, err := os.Stat(root)
	if err != nil {
		return nil, 0, []error{rastro.Errorf(rastro.ENOTFOUND, "intake: %s cannot be read: %v", root, err)}
	}
	if !fi.IsDir() {
		if !fi.Mode().IsRegular() {
			return nil, 0, []error{rastro.Errorf(rastro.EINVALID, "intake: %s is not a regular file or folder", root)}
		}
		return []file{{path: root, rel: filepath.Base(root), size: fi.Size()}}, fi.Size(), nil
	}
	var files []file
	var total int64
	var errs []error
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("intake: %s: %w", rel, err))
		case d.Type()&fs.ModeSymlink != 0:
			errs = append(errs, rastro.Errorf(rastro.EINVALID, "intake: %s is a symbolic link; not followed (ingest its target on its own)", rel))
		case d.Type().IsRegular():
			info, err := d.Info()
			if err != nil {
				errs = append(errs, fmt.Errorf("intake: %s: %w", rel, err))
				return nil
			}
			files = append(files, file{path: p, rel: rel, size: info.Size()})
			total += info.Size()
		case !d.IsDir():
			errs = append(errs, rastro.Errorf(rastro.EINVALID, "intake: %s is not a regular file; skipped", rel))
		}
		return nil
	})
	return files, total, errs
}

// fail records an error about one file or member.
func (r *run) fail(where string, err error) {
	r.errs = append(r.errs, fmt.Errorf("intake: %s: %w", where, err))
}

// finishFile records a top-level file the vault stored and unpacks it if it
// is a container.
func (r *run) finishFile(f file, res putResult) {
	if res.err != nil {
		r.fail(f.rel, res.err)
		return
	}
	ev, err := r.record(res.h, res.head, f.rel, 0, ActionAcquire)
	if err != nil {
		r.fail(f.rel, err)
		return
	}
	r.unpack(ev, f.rel, res.head, 0, nil)
}

// store puts one stream in the vault and records it as evidence.
func (r *run) store(rd io.Reader, name string, parentID int64, action string) (*rastro.Evidence, []byte, error) {
	res := r.put(rd)
	if res.err != nil {
		return nil, nil, res.err
	}
	ev, err := r.record(res.h, res.head, name, parentID, action)
	return ev, res.head, err
}

// putResult is what the vault made of one stream.
type putResult struct {
	h    vault.Hashes
	head []byte // the first 512 bytes, for sniffing
	err  error
}

// put streams rd into the vault, keeping its first bytes.
func (r *run) put(rd io.Reader) putResult {
	hw := &headWriter{}
	h, _, err := r.s.Vault.Put(r.ctx, r.caseID, io.TeeReader(rd, hw))
	return putResult{h: h, head: hw.head, err: err}
}

// record stores the evidence metadata of a stored blob and calls OnStored.
func (r *run) record(h vault.Hashes, head []byte, name string, parentID int64, action string) (*rastro.Evidence, error) {
	ev := &rastro.Evidence{
		CaseID: r.caseID, SHA256: h.SHA256, MD5: h.MD5, SHA1: h.SHA1, Size: h.Size,
		MediaType: mediaType(name, head), OriginalName: name, ParentID: parentID,
		Source: r.meta.Source, ExhibitNo: r.meta.ExhibitNo, AcquiredAt: r.meta.AcquiredAt, AcquiredBy: r.meta.AcquiredBy,
		Tool: r.meta.Tool, SourceTZ: r.meta.SourceTZ, Notes: r.meta.Notes,
	}
	created, err := r.s.Store.CreateEvidence(r.ctx, r.actor, ev)
	if err != nil {
		return nil, err
	}
	r.items = append(r.items, ev)
	if r.s.OnStored != nil {
		ctx := context.WithValue(r.ctx, hookKey{}, HookInfo{Actor: r.actor, Created: created, Name: name})
		if err := r.s.OnStored(ctx, ev, action); err != nil {
			r.fail(name, fmt.Errorf("custody hook: %w", err))
		}
	}
	return ev, nil
}

// unpack stores the members of a container item as its children, reading the
// container back from the vault (so what is unpacked is what was hashed).
// depth is the container's nesting level; b is the budget of the outermost
// container, nil for a top-level one.
func (r *run) unpack(ev *rastro.Evidence, name string, head []byte, depth int, b *unpack.Budget) {
	kind := unpack.KindByName(name)
	if kind == unpack.None || depth > r.lim.MaxDepth {
		return
	}
	if magic := unpack.KindByMagic(head); magic != kind && (magic != unpack.None || kind != unpack.Tar) {
		r.fail(name, rastro.Errorf(rastro.EINVALID, "its name says %s but its content is not a %s archive; stored as a plain file", kind, kind))
		return
	}
	blob, err := r.s.Vault.Open(r.ctx, r.caseID, ev.SHA256)
	if err != nil {
		r.fail(name, err)
		return
	}
	defer blob.Close()
	if b == nil {
		b = unpack.NewBudget(r.lim)
	}
	errs := unpack.Unpack(kind, blob, blob.Size(), b, func(m unpack.Member, rd io.Reader) error {
		child := name + "!/" + m.Name
		cev, chead, err := r.store(rd, child, ev.ID, ActionUnpack)
		if err != nil {
			return fmt.Errorf("%s: %w", child, err)
		}
		r.unpack(cev, child, chead, depth+1, b)
		return nil
	})
	for _, err := range errs {
		r.fail(name, err)
	}
}

// advance adds n bytes to the progress and reports it.
func (r *run) advance(n int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done += n
	if r.progress != nil {
		r.progress(r.done, r.total)
	}
}

// progressReader reports the bytes read of a top-level file.
type progressReader struct {
	r    io.Reader
	run  *run
	read int64
}

// Read implements io.Reader.
func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.read += int64(n)
	p.run.advance(int64(n))
	return n, err
}
