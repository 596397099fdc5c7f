package auth

import (
	"sync"
	"time"
)

// Limiter is an in-memory sliding-window rate limiter: at most Max events
// per key within Window. It is safe for concurrent use.
type Limiter struct {
	max    int
	window time.Duration
	now    func() time.Time

	mu     sync.Mutex
	events map[string][]time.Time
}

// NewLimiter returns a limiter allowing max events per key within window,
// reading time from now (time.Now when nil).
func NewLimiter(max int, window time.Duration, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{max: max, window: window, now: now, events: map[string][]time.Time{}}
}

// Allow reports whether every key is below its limit and, if so, records one
// event for each key. A denied attempt records nothing, so that a flood does
// not extend its own ban.
func (l *Limiter) Allow(keys ...string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, k := range keys {
		if len(l.prune(k, now)) >= l.max {
			return false
		}
	}
	for _, k := range keys {
		l.events[k] = append(l.events[k], now)
	}
	if len(l.events) > 10000 {
		l.sweep(now)
	}
	return true
}

// Reset forgets the events of key (after a successful login, say).
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.events, key)
}

// prune drops events of key older than the window and returns the rest.
func (l *Limiter) prune(key string, now time.Time) []time.Time {
	ev := l.events[key]
	i := 0
	for i < len(ev) && now.Sub(ev[i]) >= l.window {
		i++
	}
	ev = ev[i:]
	if len(ev) == 0 {
		delete(l.events, key)
		return nil
	}
	l.events[key] = ev
	return ev
}

// sweep bounds memory by pruning every key.
func (l *Limiter) sweep(now time.Time) {
	for k := range l.events {
		l.prune(k, now)
	}
}
