package web

import (
	"context"
	"sync"

	"github.com/rastro/rastro"
)

// maxCachedLeaves bounds the leaf-hash cache (about 56 bytes a leaf).
const maxCachedLeaves = 1 << 21

// leafCache keeps the custody log's leaf hashes below the latest checkpoint
// in memory, so that verifying a timeline does not read the whole log from
// the database on every page view. Caching cannot hide tampering: each
// event is still read fresh and compared with the cached hash of its
// sequence number, and the cached hashes themselves must rebuild the
// signed root.
type leafCache struct {
	mu     sync.Mutex
	hashes [][]byte // leaves 0..len-1, all at or below a checkpoint's size
}

// prefix returns the leaf hashes [0, size), reading from the store only
// those it does not hold yet.
func (c *leafCache) prefix(ctx context.Context, s rastro.CustodyService, a rastro.Actor, size int64) ([][]byte, error) {
	if size > maxCachedLeaves {
		return s.CustodyLeafHashes(ctx, a, 0, size)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if have := int64(len(c.hashes)); have < size {
		more, err := s.CustodyLeafHashes(ctx, a, have, size)
		if err != nil {
			return nil, err
		}
		c.hashes = append(c.hashes, more...)
	}
	return c.hashes[:size:size], nil
}
