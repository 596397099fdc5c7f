package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/custody"
	"github.com/rastro/rastro/intake"
	"github.com/rastro/rastro/screen"
	"github.com/rastro/rastro/vault"
	vaults3 "github.com/rastro/rastro/vault/s3"
)

// evidenceEnv is what intake and court packages need besides the store: the
// vault with its keys and the custody log's signing key.
type evidenceEnv struct {
	store rastro.Store
	vault *vault.Vault
	keys  *custody.Keys
	// checkpointOpts names the RFC 3161 time-stamping authority, when
	// RASTRO_TSA_URL is set, that time-stamps every signed checkpoint.
	checkpointOpts custody.CheckpointOptions
}

// openEvidence opens the vault under dataDir (master key from
// RASTRO_MASTER_KEY or dataDir/master.key) and the custody signing key.
func openEvidence(dataDir string, s rastro.Store) (*evidenceEnv, error) {
	master, source, err := vault.LoadMasterKey(dataDir, os.Getenv)
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	b, err := openBackend(context.Background(), dataDir, source)
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	kr, err := vault.NewKeyring(b, master)
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	keys, err := custody.LoadOrCreateKeys(filepath.Join(dataDir, "custody"), custodyOrigin())
	if err != nil {
		return nil, fmt.Errorf("custody keys: %w", err)
	}
	return &evidenceEnv{store: s, vault: vault.New(b, kr), keys: keys,
		checkpointOpts: custody.CheckpointOptions{TSAURL: os.Getenv("RASTRO_TSA_URL")}}, nil
}

// openBackend returns the S3-compatible object store when RASTRO_S3_BUCKET
// is set (scale-out: every node shares it), else the data directory's vault
// folder.
func openBackend(ctx context.Context, dataDir, keySource string) (vault.Backend, error) {
	cfg, ok, err := vaults3.ConfigFromEnv(os.Getenv)
	if err != nil {
		return nil, err
	}
	if !ok {
		b, err := vault.NewFSBackend(filepath.Join(dataDir, "vault"))
		if err != nil {
			return nil, err
		}
		_, err = b.RemoveStaleTemp(24 * time.Hour)
		return b, err
	}
	// A node that made itself a master key file would wrap new case keys
	// under a key the other nodes do not have.
	if keySource != vault.MasterKeyEnv {
		return nil, rastro.Errorf(rastro.EINVALID, "with RASTRO_S3_BUCKET set, set RASTRO_MASTER_KEY to the same key on every node")
	}
	b, err := vaults3.New(ctx, cfg)
	if err != nil {
		return nil, err
	}
	_, err = b.RemoveStaleTemp(ctx, 24*time.Hour)
	return b, err
}

// custodyOrigin names this instance's custody log in its checkpoints.
func custodyOrigin() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	return host + "/rastro-custody"
}

// intake returns an intake service whose every stored item is logged in the
// custody log (acquire, or unpack for members of containers).
func (ev *evidenceEnv) intake() *intake.Service {
	return &intake.Service{Vault: ev.vault, Store: ev.store, OnStored: ev.logStored}
}

// logStored appends the custody event of a stored item, once per item and
// action: intake calls it again for items that already existed, which is
// what makes a crash between the row and the event recoverable.
func (ev *evidenceEnv) logStored(ctx context.Context, e *rastro.Evidence, action string) error {
	info, _ := intake.HookInfoFrom(ctx)
	// The signed log commits to the file's name by its SHA-256, not the
	// name itself: a seized chat is often named after a victim ("WhatsApp
	// Chat with ..."), and a leaf can never be redacted from a court
	// package. The name is in the evidence record; its hash proves it.
	sum := sha256.Sum256([]byte(info.Name))
	details := map[string]string{"name_sha256": hex.EncodeToString(sum[:]), "media_type": e.MediaType}
	if info.Created {
		// A row created by this very call has no events yet: spare the lookup.
		return appendCustody(ctx, ev.store, info.Actor, e.CaseID, e.ID, rastro.CustodyAction(action), "rastro", details)
	}
	return appendCustodyOnce(ctx, ev.store, info.Actor, e.CaseID, e.ID, rastro.CustodyAction(action), "rastro", details)
}

// appendCustodyOnce appends an event of the given action for an item unless
// the item already has one: the steps that record what was done to an item
// (acquire, unpack, parse) may run again after a crash, and the history must
// say each happened once.
func appendCustodyOnce(ctx context.Context, s rastro.CustodyService, actor rastro.Actor, caseID, evidenceID int64,
	action rastro.CustodyAction, tool string, details any) error {
	past, err := s.CustodyEvents(ctx, actor, caseID, evidenceID)
	if err != nil {
		return err
	}
	for _, p := range past {
		if p.Action == action {
			return nil
		}
	}
	return appendCustody(ctx, s, actor, caseID, evidenceID, action, tool, details)
}

// appendCustody appends one event of the given action for an item.
func appendCustody(ctx context.Context, s rastro.CustodyService, actor rastro.Actor, caseID, evidenceID int64,
	action rastro.CustodyAction, tool string, details any) error {
	b, err := json.Marshal(details)
	if err != nil {
		return err
	}
	_, err = s.AppendCustody(ctx, actor, &rastro.CustodyEvent{CaseID: caseID, EvidenceID: evidenceID,
		Action: action, Tool: tool, ToolVersion: version, Details: b})
	return err
}

func (e *environment) ingest(ctx context.Context, args []string) error {
	var c config
	var caseID int64
	var acq intake.Acquisition
	fs := e.newFlags("ingest")
	c.bind(fs)
	fs.Int64Var(&caseID, "case", 0, "case id (required)")
	fs.StringVar(&acq.Source, "source", "", "device, account or seizure the material comes from")
	fs.StringVar(&acq.ExhibitNo, "exhibit", "", "exhibit number")
	fs.StringVar(&acq.Tool, "tool", "", "acquisition tool and version (e.g. the extraction software)")
	fs.StringVar(&acq.SourceTZ, "tz", "", "IANA time zone of the source device, e.g. America/Guatemala")
	fs.StringVar(&acq.Notes, "notes", "", "free-text notes")
	quiet := fs.Bool("quiet", false, "no progress bar")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if caseID <= 0 || fs.NArg() == 0 {
		return rastro.Errorf(rastro.EINVALID, "ingest: usage: rastro ingest --case ID [flags] PATH...")
	}
	return withStore(ctx, c, func(s rastro.Store) error {
		env, err := openEvidence(c.DataDir, s)
		if err != nil {
			return err
		}
		actor := rastro.SystemActor("cli: ingest")
		var failed int
		for _, path := range fs.Args() {
			var progress func(done, total int64)
			if !*quiet {
				progress = progressBar(e, filepath.Base(path))
			}
			items, errs := env.intake().Ingest(ctx, actor, caseID, path, acq, progress)
			for _, err := range errs {
				fmt.Fprintln(e.stderr, "rastro ingest:", err)
			}
			failed += len(errs)
			fmt.Fprintf(e.stdout, "%s: %d evidence items\n", path, len(items))
		}
		if failed > 0 {
			return fmt.Errorf("ingest: %d problems (listed above); everything else was stored", failed)
		}
		return nil
	})
}

func (e *environment) exportEvidence(ctx context.Context, args []string) error {
	var c config
	var caseID int64
	var items, hashesOnly, out string
	fs := e.newFlags("export evidence")
	c.bind(fs)
	fs.Int64Var(&caseID, "case", 0, "case id (required)")
	fs.StringVar(&items, "items", "", "comma-separated evidence ids (default: every item of the case)")
	fs.StringVar(&hashesOnly, "hashes-only", "", "comma-separated evidence ids whose bytes must not be copied (hashes and custody only)")
	fs.StringVar(&out, "out", "", "package file to write, e.g. case-12.zip (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	itemIDs, err := parseIDs(items)
	if err != nil {
		return rastro.Errorf(rastro.EINVALID, "export evidence: --items: %v", err)
	}
	hidden, err := parseIDs(hashesOnly)
	if err != nil {
		return rastro.Errorf(rastro.EINVALID, "export evidence: --hashes-only: %v", err)
	}
	if caseID <= 0 || out == "" {
		return rastro.Errorf(rastro.EINVALID, "export evidence: --case and --out are required")
	}
	return withStore(ctx, c, func(s rastro.Store) error {
		env, err := openEvidence(c.DataDir, s)
		if err != nil {
			return err
		}
		n, err := env.writePackage(ctx, rastro.SystemActor("cli: export evidence"), caseID, itemIDs, hidden, out)
		if err != nil {
			return fmt.Errorf("export evidence: %w", err)
		}
		fmt.Fprintf(e.stdout, "court package with %d items written to %s\nverify it with: rastro verify --key '%s' %s\n", n, out, env.keys.VerifierKey, out)
		return nil
	})
}

// writePackage logs an export event for every selected item, signs a
// checkpoint that covers them, and writes the package atomically.
func (ev *evidenceEnv) writePackage(ctx context.Context, actor rastro.Actor, caseID int64, itemIDs, hashesOnly []int64, out string) (int, error) {
	all, err := ev.store.EvidenceList(ctx, actor, caseID)
	if err != nil {
		return 0, err
	}
	selected := all
	if len(itemIDs) > 0 {
		selected = nil
		for _, e := range all {
			if contains(itemIDs, e.ID) {
				selected = append(selected, e)
			}
		}
		if len(selected) != len(itemIDs) {
			return 0, rastro.Errorf(rastro.ENOTFOUND, "some of the items %v are not evidence of case %d", itemIDs, caseID)
		}
	}
	details, _ := json.Marshal(map[string]string{"package": filepath.Base(out)})
	for _, e := range selected {
		if _, err := ev.store.AppendCustody(ctx, actor, &rastro.CustodyEvent{CaseID: caseID, EvidenceID: e.ID,
			Action: rastro.CustodyExport, Tool: "rastro", ToolVersion: version, Details: details}); err != nil {
			return 0, fmt.Errorf("custody export event for item %d: %w", e.ID, err)
		}
	}
	if _, err := custody.CheckpointNow(ctx, ev.store, ev.keys, ev.checkpointOpts); err != nil {
		return 0, fmt.Errorf("checkpoint: %w", err)
	}
	src := &custody.StoreSource{Store: ev.store, Actor: actor, CaseID: caseID, ItemIDs: itemIDs, Key: ev.keys.VerifierKey,
		HashesOnly: func(e *rastro.Evidence) bool { return contains(hashesOnly, e.ID) },
		OpenOriginal: func(ctx context.Context, e *rastro.Evidence) (io.ReadCloser, error) {
			return ev.vault.Open(ctx, e.CaseID, e.SHA256)
		}}
	red, err := redactedSource(ctx, ev.store, actor, caseID, src)
	if err != nil {
		return 0, err
	}
	if _, err := writeAtomically(out, func(w *bufio.Writer) (int, error) {
		return 0, custody.WritePackage(ctx, w, red, custody.WriteOptions{Tool: "rastro", ToolVersion: version})
	}); err != nil {
		return 0, err
	}
	return len(selected), ev.store.Audit(ctx, actor, &rastro.AuditEvent{Action: "export", CaseID: caseID,
		Details: fmt.Sprintf("court package: %d items to %s", len(selected), filepath.Base(out))})
}

func parseIDs(list string) ([]int64, error) {
	var ids []int64
	for _, f := range strings.Split(list, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("%q is not an evidence id", f)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// checkpointInterval is how often a server signs the custody log's head
// (exports sign one too, so a package never waits for it).
const checkpointInterval = 10 * time.Minute

// checkpointEvery signs a checkpoint at start and then every interval,
// until ctx ends; a checkpoint of an unchanged log is not repeated.
func (ev *evidenceEnv) checkpointEvery(ctx context.Context, log *slog.Logger, interval time.Duration) {
	sys := rastro.SystemActor("custody checkpoint")
	for {
		if head, err := ev.store.CustodyHead(ctx, sys); err == nil && head.Size > 0 {
			if _, err := custody.CheckpointNow(ctx, ev.store, ev.keys, ev.checkpointOpts); err != nil && ctx.Err() == nil {
				log.Warn("custody checkpoint not signed", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}

// scrubbedSource is a package source whose items' names and notes have the
// victims' identifying values replaced (a seized chat is often named after
// the person it is with). The originals are not touched: they are the
// evidence.
type scrubbedSource struct {
	custody.PackageSource
	sc *screen.Scrubber
}

// Items returns copies of the items with names and notes scrubbed.
func (s scrubbedSource) Items(ctx context.Context) ([]custody.Item, error) {
	items, err := s.PackageSource.Items(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]custody.Item, len(items))
	for i, it := range items {
		e := *it.Evidence
		e.OriginalName, e.Notes, e.Source = s.sc.Scrub(e.OriginalName), s.sc.Scrub(e.Notes), s.sc.Scrub(e.Source)
		out[i] = custody.Item{Evidence: &e, HashesOnly: it.HashesOnly}
	}
	return out, nil
}

// redactedSource wraps src so that the package's metadata (evidence.json,
// the CASE/UCO graph, the report) names no victim.
func redactedSource(ctx context.Context, s rastro.Store, actor rastro.Actor, caseID int64, src custody.PackageSource) (custody.PackageSource, error) {
	ents, links, err := caseGraph(ctx, s, actor, caseID)
	if err != nil {
		return nil, err
	}
	return scrubbedSource{src, screen.NewScrubber(screen.SecretsFromEntities(ents, links, protectedLabel))}, nil
}

// protectedLabel is what a court package's metadata says in place of a
// protected person's identifying value.
func protectedLabel(e *rastro.Entity) string {
	switch {
	case e.CaseRole == rastro.CaseRoleVictim:
		return "[victim]"
	case e.CaseRole == rastro.CaseRolePossibleVictim:
		return "[possible victim]"
	}
	return "[protected]"
}
