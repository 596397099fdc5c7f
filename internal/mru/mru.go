// Package mru is a small most-recently-used list with a bound: the few
// entries a cache keeps (case snapshots, graphs, analyses), looked up by
// a linear scan, which beats a map at these sizes. Not safe for
// concurrent use: callers hold their own lock.
package mru

import "slices"

// List keeps at most its size entries, most recently used first. The zero
// value keeps nothing; use New.
type List[K comparable, V any] struct {
	size    int
	entries []entry[K, V]
}

// entry is one key and its value.
type entry[K comparable, V any] struct {
	key K
	val V
}

// New returns an empty list of at most size entries (at least one).
func New[K comparable, V any](size int) *List[K, V] {
	return &List[K, V]{size: max(size, 1)}
}

// Get returns the value of key and marks it most recently used.
func (l *List[K, V]) Get(key K) (V, bool) {
	i := slices.IndexFunc(l.entries, func(e entry[K, V]) bool { return e.key == key })
	if i < 0 {
		var zero V
		return zero, false
	}
	l.front(i)
	return l.entries[0].val, true
}

// Put keeps val under key as the most recently used entry, dropping the
// least recently used one beyond the bound. A key already kept keeps its
// first value (the values cached are equivalent).
func (l *List[K, V]) Put(key K, val V) V {
	if i := slices.IndexFunc(l.entries, func(e entry[K, V]) bool { return e.key == key }); i >= 0 {
		l.front(i)
		return l.entries[0].val
	}
	l.entries = slices.Insert(l.entries, 0, entry[K, V]{key, val})
	if len(l.entries) > l.size {
		clear(l.entries[l.size:])
		l.entries = l.entries[:l.size]
	}
	return val
}

// DeleteKeys drops the entries whose key drop reports.
func (l *List[K, V]) DeleteKeys(drop func(K) bool) {
	l.entries = slices.DeleteFunc(l.entries, func(e entry[K, V]) bool { return drop(e.key) })
}

// Len is the number of entries kept.
func (l *List[K, V]) Len() int { return len(l.entries) }

// front moves entry i to the front, keeping the others in order.
func (l *List[K, V]) front(i int) {
	x := l.entries[i]
	copy(l.entries[1:i+1], l.entries[:i])
	l.entries[0] = x
}
