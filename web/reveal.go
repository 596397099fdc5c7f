package web

import (
	"encoding/hex"
	"sync"
	"time"
)

// reveals remembers which evidence items each browser session deliberately
// revealed, and when, so that the content route serves an item only shortly
// after a logged reveal. It lives in memory: a restart (or another instance
// behind a load balancer) simply asks the user to reveal again.
type reveals struct {
	ttl time.Duration
	mu  sync.Mutex
	at  map[revealKey]time.Time
}

// revealKey names one item revealed in one session.
type revealKey struct {
	session          string // hex SHA-256 of the session token
	caseID, evidence int64
}

// newReveals returns an empty tracker whose reveals last ttl.
func newReveals(ttl time.Duration) *reveals {
	return &reveals{ttl: ttl, at: map[revealKey]time.Time{}}
}

// key builds the map key of a session's item.
func (rv *reveals) key(sessionHash []byte, caseID, evidenceID int64) revealKey {
	return revealKey{session: hex.EncodeToString(sessionHash), caseID: caseID, evidence: evidenceID}
}

// mark records a reveal at now and forgets expired ones, so the map stays
// as small as the number of recent reveals.
func (rv *reveals) mark(sessionHash []byte, caseID, evidenceID int64, now time.Time) {
	rv.mu.Lock()
	defer rv.mu.Unlock()
	for k, t := range rv.at {
		if now.Sub(t) > rv.ttl {
			delete(rv.at, k)
		}
	}
	rv.at[rv.key(sessionHash, caseID, evidenceID)] = now
}

// allowed reports whether the session revealed the item within the TTL.
func (rv *reveals) allowed(sessionHash []byte, caseID, evidenceID int64, now time.Time) bool {
	rv.mu.Lock()
	defer rv.mu.Unlock()
	t, ok := rv.at[rv.key(sessionHash, caseID, evidenceID)]
	return ok && now.Sub(t) <= rv.ttl
}
