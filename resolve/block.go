package resolve

import (
	"slices"
	"strings"
)

// BlockingStats says how many candidate pairs blocking produced and how
// much it saved over comparing every pair.
type BlockingStats struct {
	Records        int            `json:"records"`
	PossiblePairs  int64          `json:"possible_pairs"`  // n(n-1)/2, or across sources for a link task
	CandidatePairs int64          `json:"candidate_pairs"` // unique pairs compared
	ReductionRatio float64        `json:"reduction_ratio"` // 1 - candidate/possible
	PairsByRule    map[string]int `json:"pairs_by_rule"`   // pairs each rule produced, before the union
	SkippedBlocks  map[string]int `json:"skipped_blocks"`  // blocks above the size cap, by rule
	WindowedBlocks map[string]int `json:"windowed_blocks"` // blocks above Options.SubBlockSize paired by a sliding window, by rule
}

// blockRule yields the blocking keys of one record.
type blockRule struct {
	name string
	cap  int
	// window: a block above Options.SubBlockSize is sorted by date of birth
	// and name and each record paired with its next Options.BlockWindow
	// neighbours, at any size, instead of all pairs below cap and none above.
	window bool
	keys   func(p *prepared, emit func(string))
}

// blockRules returns the blocking rules: exact identifiers, an order-free
// phonetic key of given name and each surname (so swapped names meet),
// surname key with year of birth, given name with date of birth, the date of
// birth, city with year of birth, surname with city, the e-mail local
// part, and 4-grams of the compact name.
func blockRules(o Options) []blockRule {
	return []blockRule{
		{"identifier", o.MaxBlockSize, false, func(p *prepared, emit func(string)) {
			for k, vs := range p.ids {
				for _, v := range vs {
					emit(identifierFields[k] + ":" + v)
				}
			}
		}},
		{"name_phonetic", o.MaxBlockSize, true, func(p *prepared, emit func(string)) {
			if len(p.givenPh) == 0 {
				return
			}
			for _, s := range p.surnamePh {
				a, b := p.givenPh[0], s
				if a > b {
					a, b = b, a
				}
				emit(a + "|" + b)
			}
		}},
		{"surname_birth_year", o.MaxBlockSize, true, func(p *prepared, emit func(string)) {
			if p.dob == "" {
				return
			}
			for _, s := range p.surnamePh {
				emit(s + "|" + p.dob[:4])
			}
		}},
		{"given_birth_date", o.MaxBlockSize, true, func(p *prepared, emit func(string)) {
			if p.dob != "" && len(p.givenPh) > 0 {
				emit(p.givenPh[0] + "|" + p.dob)
			}
		}},
		{"birth_date", o.MaxBlockSize, true, func(p *prepared, emit func(string)) {
			if p.dob != "" {
				emit(p.dob)
			}
		}},
		{"city_birth_year", o.MaxBlockSize, false, func(p *prepared, emit func(string)) {
			if p.dob != "" && p.city != "" {
				emit(p.city + "|" + p.dob[:4])
			}
		}},
		{"surname_city", o.MaxBlockSize, false, func(p *prepared, emit func(string)) {
			if p.city == "" {
				return
			}
			for _, s := range p.surnamePh {
				emit(s + "|" + p.city)
			}
		}},
		{"email_local", o.MaxBlockSize, false, func(p *prepared, emit func(string)) {
			for _, e := range p.ids[1] {
				if l := localPart(e); len(l) >= 4 {
					emit(l)
				}
			}
		}},
		{"name_4gram", o.MaxNgramBlockSize, false, func(p *prepared, emit func(string)) {
			s := p.compactName
			for i := 0; i+4 <= len(s); i++ {
				emit(s[i : i+4])
			}
		}},
	}
}

// block returns the sorted unique candidate pairs, each encoded as
// i<<32 | j with i < j, and the blocking statistics.
func block(ps []prepared, o Options) ([]uint64, BlockingStats) {
	st := newBlockingStats(len(ps))
	st.PossiblePairs = possiblePairs(ps, o.LinkOnly)
	var pairs []uint64
	for _, r := range blockRules(o) {
		before := len(pairs)
		pairs = blockOne(ps, r, o, pairs, &st)
		st.PairsByRule[r.name] = len(pairs) - before
	}
	slices.Sort(pairs)
	pairs = slices.Compact(pairs)
	st.CandidatePairs = int64(len(pairs))
	if st.PossiblePairs > 0 {
		st.ReductionRatio = 1 - float64(st.CandidatePairs)/float64(st.PossiblePairs)
	}
	return pairs, st
}

func newBlockingStats(n int) BlockingStats {
	return BlockingStats{Records: n, PairsByRule: map[string]int{}, SkippedBlocks: map[string]int{}, WindowedBlocks: map[string]int{}}
}

// blockOne groups records by the rule's keys and appends the pairs of every
// block no larger than the cap, or the windowed pairs of a large block of a
// windowed rule. The pairs may repeat; block sorts and compacts them once.
func blockOne(ps []prepared, r blockRule, o Options, pairs []uint64, st *BlockingStats) []uint64 {
	groups := map[string][]int32{}
	for i := range ps {
		seen := ""
		r.keys(&ps[i], func(k string) {
			if k == seen || strings.TrimSpace(k) == "" {
				return
			}
			seen = k
			g := groups[k]
			if n := len(g); n > 0 && g[n-1] == int32(i) {
				return
			}
			groups[k] = append(g, int32(i))
		})
	}
	for _, g := range groups {
		switch {
		case len(g) < 2:
		case r.window && len(g) > o.SubBlockSize:
			st.WindowedBlocks[r.name]++
			pairs = windowed(ps, g, o.BlockWindow, o.LinkOnly, pairs)
		case len(g) > r.cap:
			st.SkippedBlocks[r.name]++
		default:
			pairs = allPairs(ps, g, o.LinkOnly, pairs)
		}
	}
	return pairs
}

// allPairs appends every pair of block g (ascending record indexes).
func allPairs(ps []prepared, g []int32, linkOnly bool, pairs []uint64) []uint64 {
	for x := 0; x < len(g); x++ {
		for y := x + 1; y < len(g); y++ {
			i, j := g[x], g[y]
			if linkOnly && ps[i].source == ps[j].source {
				continue
			}
			pairs = append(pairs, uint64(i)<<32|uint64(j))
		}
	}
	return pairs
}

// windowed sorts block g by date of birth and name (the sorted-neighbourhood
// method) and pairs each record with its next w neighbours: a block of n
// records costs n·w pairs instead of n²/2, and a duplicate, which agrees on
// the block key and nearly on the sort key, still lands next to its twin.
func windowed(ps []prepared, g []int32, w int, linkOnly bool, pairs []uint64) []uint64 {
	slices.SortFunc(g, func(a, b int32) int {
		if c := strings.Compare(ps[a].sortKey, ps[b].sortKey); c != 0 {
			return c
		}
		return int(a - b)
	})
	for x := range g {
		for y := x + 1; y < len(g) && y <= x+w; y++ {
			i, j := min(g[x], g[y]), max(g[x], g[y])
			if !linkOnly || ps[i].source != ps[j].source {
				pairs = append(pairs, uint64(i)<<32|uint64(j))
			}
		}
	}
	return pairs
}

// possiblePairs counts all pairs, or all pairs across sources.
func possiblePairs(ps []prepared, linkOnly bool) int64 {
	n := int64(len(ps))
	if !linkOnly {
		return n * (n - 1) / 2
	}
	bySource := map[string]int64{}
	for i := range ps {
		bySource[ps[i].source]++
	}
	total := n * (n - 1) / 2
	for _, c := range bySource {
		total -= c * (c - 1) / 2
	}
	return total
}

func unpair(p uint64) (int, int) { return int(p >> 32), int(p & 0xffffffff) }

// trainingWindow is how many neighbours each record of an oversized block
// is paired with for EM training.
const trainingWindow = 10

// windowPairs samples pairs from the blocks above the rule's cap, for EM
// training only: members are put in a pseudo-random but deterministic order
// and each is paired with its next trainingWindow neighbours. Without it, a
// data set whose names all fall in oversized blocks would train m on
// sessions that hold no true matches.
func windowPairs(ps []prepared, r blockRule, linkOnly bool) []uint64 {
	groups := map[string][]int32{}
	for i := range ps {
		r.keys(&ps[i], func(k string) {
			if g := groups[k]; len(g) == 0 || g[len(g)-1] != int32(i) {
				groups[k] = append(g, int32(i))
			}
		})
	}
	var pairs []uint64
	for _, g := range groups {
		if len(g) <= r.cap {
			continue
		}
		slices.SortFunc(g, func(a, b int32) int { return cmpUint(mix(uint64(a)), mix(uint64(b))) })
		for x := range g {
			for y := x + 1; y < len(g) && y <= x+trainingWindow; y++ {
				i, j := min(g[x], g[y]), max(g[x], g[y])
				if !linkOnly || ps[i].source != ps[j].source {
					pairs = append(pairs, uint64(i)<<32|uint64(j))
				}
			}
		}
	}
	return pairs
}

// mix is the SplitMix64 finaliser: a fixed pseudo-random order.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
