package custody

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"

	"github.com/rastro/rastro"
)

// LogStore is what StoreSource and CheckpointNow need of a store.
type LogStore interface {
	rastro.CaseService
	rastro.EvidenceService
	rastro.CustodyService
}

// StoreSource is a PackageSource over a store, for one actor, case and
// selection of items; the vault supplies the originals.
type StoreSource struct {
	Store  LogStore
	Actor  rastro.Actor
	CaseID int64
	// ItemIDs selects items (all of the case when empty).
	ItemIDs []int64
	// HashesOnly reports whether an item's bytes must stay out of the
	// package (nil: copy every original).
	HashesOnly func(*rastro.Evidence) bool
	// OpenOriginal opens an item's bytes in the vault.
	OpenOriginal func(ctx context.Context, e *rastro.Evidence) (io.ReadCloser, error)
	// Key is the checkpoint verifier key.
	Key string
}

var _ PackageSource = (*StoreSource)(nil)

// Case implements PackageSource.
func (s *StoreSource) Case(ctx context.Context) (*rastro.Case, error) {
	return s.Store.CaseByID(ctx, s.Actor, s.CaseID)
}

// Items implements PackageSource.
func (s *StoreSource) Items(ctx context.Context) ([]Item, error) {
	all, err := s.Store.EvidenceList(ctx, s.Actor, s.CaseID)
	if err != nil {
		return nil, err
	}
	var items []Item
	for _, e := range all {
		if len(s.ItemIDs) > 0 && !slices.Contains(s.ItemIDs, e.ID) {
			continue
		}
		items = append(items, Item{Evidence: e, HashesOnly: s.HashesOnly != nil && s.HashesOnly(e)})
	}
	if len(s.ItemIDs) > 0 && len(items) != len(s.ItemIDs) {
		return nil, rastro.Errorf(rastro.ENOTFOUND, "Some of the selected evidence items are not in case %d.", s.CaseID)
	}
	return items, nil
}

// Open implements PackageSource.
func (s *StoreSource) Open(ctx context.Context, e *rastro.Evidence) (io.ReadCloser, error) {
	if s.OpenOriginal == nil {
		return nil, fmt.Errorf("package source: no vault to open evidence %d", e.ID)
	}
	return s.OpenOriginal(ctx, e)
}

// Events implements PackageSource.
func (s *StoreSource) Events(ctx context.Context) ([]*rastro.CustodyEvent, error) {
	evs, err := s.Store.CustodyEvents(ctx, s.Actor, s.CaseID, 0)
	if err != nil || len(s.ItemIDs) == 0 {
		return evs, err
	}
	return slices.DeleteFunc(evs, func(ev *rastro.CustodyEvent) bool { return !slices.Contains(s.ItemIDs, ev.EvidenceID) }), nil
}

// Checkpoint implements PackageSource.
func (s *StoreSource) Checkpoint(ctx context.Context) (*rastro.Checkpoint, error) {
	return s.Store.LatestCheckpoint(ctx, s.Actor)
}

// LeafHashes implements PackageSource.
func (s *StoreSource) LeafHashes(ctx context.Context, size int64) ([][]byte, error) {
	return s.Store.CustodyLeafHashes(ctx, s.Actor, 0, size)
}

// VerifierKey implements PackageSource.
func (s *StoreSource) VerifierKey(context.Context) (string, error) { return s.Key, nil }

// CheckpointOptions configure CheckpointNow.
type CheckpointOptions struct {
	// TSAURL, when set, is the RFC 3161 time-stamping authority asked to
	// time-stamp each checkpoint, through Client (http.DefaultClient when nil).
	TSAURL string
	Client *http.Client
}

// CheckpointNow signs the log's current tree head and saves it with the
// system actor, unless a checkpoint of that size exists, which it returns.
// Run it periodically and right before writing a package.
func CheckpointNow(ctx context.Context, store rastro.CustodyService, keys *Keys, opts CheckpointOptions) (*rastro.Checkpoint, error) {
	sys := rastro.SystemActor("custody checkpoint")
	head, err := store.CustodyHead(ctx, sys)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	if head.Size == 0 {
		return nil, rastro.Errorf(rastro.EINVALID, "The custody log is empty; there is nothing to sign.")
	}
	if cp, err := store.CheckpointBySize(ctx, sys, head.Size); err == nil {
		return cp, nil
	}
	cp, err := SignCheckpoint(*head, keys.Signer)
	if err != nil {
		return nil, err
	}
	if opts.TSAURL != "" {
		client := opts.Client
		if client == nil {
			client = http.DefaultClient
		}
		if cp.Timestamp, err = Timestamp(ctx, client, opts.TSAURL, []byte(cp.Note)); err != nil {
			return nil, fmt.Errorf("checkpoint: %w", err)
		}
	}
	if err := store.SaveCheckpoint(ctx, sys, cp); err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	return cp, nil
}
