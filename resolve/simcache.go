package resolve

// simCache memoises, for one worker, comparison outcomes that depend only
// on two interned tokens: given and surnames repeat so much that most
// pairs of records meet a pair of tokens already compared, and a hit also
// spares loading the strings and signatures of the second record. It is
// a direct-mapped table (a collision overwrites), so it stays small and
// a lookup is one probe; outcomes are the same with or without it.
type simCache struct {
	keys []uint64
	vals []uint8 // outcome + 1; 0 is an empty slot
	mask uint64
}

// Kinds of memoised outcome, the top two bits of a key.
const (
	memoGiven   = iota // given-name class of two given names (givenClass)
	memoSurname        // surname level of two surname keys, swaps aside (surnameLevel)
	memoJW92           // jaroWinkler ≥ 0.92 of two name tokens
	memoCity           // city level of two cities
)

// newSimCache returns a cache of 2^bits slots.
func newSimCache(bits int) *simCache {
	n := 1 << bits
	return &simCache{keys: make([]uint64, n), vals: make([]uint8, n), mask: uint64(n - 1)}
}

// memoKey packs a kind and two non-negative interned IDs.
func memoKey(kind int, x, y int32) uint64 {
	return uint64(kind)<<62 | uint64(uint32(x))<<31 | uint64(uint32(y))
}

func (sc *simCache) slot(key uint64) uint64 { return (key * 0x9e3779b97f4a7c15) >> 32 & sc.mask }

// get returns the outcome stored for key.
func (sc *simCache) get(key uint64) (uint8, bool) {
	s := sc.slot(key)
	if sc.vals[s] != 0 && sc.keys[s] == key {
		return sc.vals[s] - 1, true
	}
	return 0, false
}

// put stores the outcome v (at most 254) for key.
func (sc *simCache) put(key uint64, v uint8) {
	s := sc.slot(key)
	sc.keys[s], sc.vals[s] = key, v+1
}

// workerCacheBits sizes each worker's cache: 32,768 slots, 288 KB, about
// half the L2 cache of a core.
const workerCacheBits = 15
