package resolve

import (
	"slices"
	"strings"
	"sync"
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
	pairs, st, _ := blockAll(ps, o, nil)
	return pairs, st
}

// ruleOutput is what one blocking rule produced.
type ruleOutput struct {
	pairs    []uint64 // sorted, unique
	produced int      // pairs before removing repeats, for PairsByRule
	skipped  int
	windowed int
	training []uint64 // for training rules: pairs ∪ windowGroups, sorted, unique, sampled as trainSessions does
}

// blockAll runs the blocking rules on up to o.Workers goroutines, one rule
// each at a time, and merges their pairs. For the rules named in training
// it also returns, by rule name, the rule's own pairs together with the
// window pairs of its oversized blocks (windowGroups), for the EM sessions.
// The output does not depend on o.Workers or on scheduling: every rule's
// pairs are sorted before the merge.
func blockAll(ps []prepared, o Options, training map[string]bool) ([]uint64, BlockingStats, map[string][]uint64) {
	st := newBlockingStats(len(ps))
	st.PossiblePairs = possiblePairs(ps, o.LinkOnly)
	rules := blockRules(o)
	outs := make([]ruleOutput, len(rules))
	forEach(len(rules), o.Workers, func(k int) {
		outs[k] = runRule(ps, rules[k], o, training[rules[k].name])
	})
	lists := make([][]uint64, len(rules))
	train := map[string][]uint64{}
	for k, r := range rules {
		out := &outs[k]
		st.PairsByRule[r.name] = out.produced
		if out.skipped > 0 {
			st.SkippedBlocks[r.name] = out.skipped
		}
		if out.windowed > 0 {
			st.WindowedBlocks[r.name] = out.windowed
		}
		lists[k] = out.pairs
		if training[r.name] {
			train[r.name] = out.training
		}
	}
	pairs := mergeUnique(lists, o.Workers)
	st.CandidatePairs = int64(len(pairs))
	if st.PossiblePairs > 0 {
		st.ReductionRatio = 1 - float64(st.CandidatePairs)/float64(st.PossiblePairs)
	}
	return pairs, st, train
}

// runRule runs one blocking rule and sorts its pairs.
func runRule(ps []prepared, r blockRule, o Options, training bool) ruleOutput {
	var st BlockingStats
	st.SkippedBlocks, st.WindowedBlocks = map[string]int{}, map[string]int{}
	groups := ruleGroups(ps, r)
	pairs := pairGroups(ps, groups, r, o, nil, &st)
	out := ruleOutput{produced: len(pairs), skipped: st.SkippedBlocks[r.name], windowed: st.WindowedBlocks[r.name]}
	slices.Sort(pairs)
	out.pairs = slices.Compact(pairs)
	if training {
		wp := windowGroups(ps, groups, r.cap, o.LinkOnly)
		t := append(slices.Clip(out.pairs), wp...)
		slices.Sort(t)
		out.training = slices.Compact(t)
		if o.MaxTrainingPairs >= 10 {
			// trainSessions samples the same pairs; keep only those
			out.training = samplePairs(out.training, o.MaxTrainingPairs)
		}
	}
	return out
}

// forEach calls f(0) … f(n-1) on up to workers goroutines.
func forEach(n, workers int, f func(int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < max(1, min(workers, n)); w++ {
		wg.Go(func() {
			for k := range next {
				f(k)
			}
		})
	}
	for k := range n {
		next <- k
	}
	close(next)
	wg.Wait()
}

// mergeUnique returns the sorted union of sorted lists. The key space is
// cut into ranges of first record index; each range's pairs are copied
// into their own window of one output slice, sorted and compacted there on
// up to workers goroutines, and the windows are then closed up in order,
// so the merge needs no more memory than the lists once more.
func mergeUnique(lists [][]uint64, workers int) []uint64 {
	total := 0
	var hiKey uint64
	for _, l := range lists {
		total += len(l)
		if len(l) > 0 {
			hiKey = max(hiKey, l[len(l)-1])
		}
	}
	if total == 0 {
		return nil
	}
	parts := max(1, min(4*workers, total/100_000+1))
	step := (hiKey>>32)/uint64(parts) + 1 // record indexes per range
	cut := func(l []uint64, k int) int {
		i, _ := slices.BinarySearch(l, uint64(k)*step<<32)
		return i
	}
	starts := make([]int, parts+1)
	for k := range parts {
		starts[k+1] = starts[k]
		for _, l := range lists {
			starts[k+1] += cut(l, k+1) - cut(l, k)
		}
	}
	out := make([]uint64, total)
	kept := make([]int, parts)
	forEach(parts, workers, func(k int) {
		w := out[starts[k]:starts[k+1]]
		pos := 0
		for _, l := range lists {
			pos += copy(w[pos:], l[cut(l, k):cut(l, k+1)])
		}
		slices.Sort(w)
		kept[k] = len(slices.Compact(w))
	})
	n := 0
	for k := range parts {
		n += copy(out[n:], out[starts[k]:starts[k]+kept[k]])
	}
	return out[:n]
}

func newBlockingStats(n int) BlockingStats {
	return BlockingStats{Records: n, PairsByRule: map[string]int{}, SkippedBlocks: map[string]int{}, WindowedBlocks: map[string]int{}}
}

// ruleGroups groups the record indexes by the rule's keys, in key order
// of first appearance; each group lists its records in ascending order.
func ruleGroups(ps []prepared, r blockRule) [][]int32 {
	index := map[string]int32{}
	var groups [][]int32
	for i := range ps {
		seen := ""
		r.keys(&ps[i], func(k string) {
			if k == seen || strings.TrimSpace(k) == "" {
				return
			}
			seen = k
			gi, ok := index[k]
			if !ok {
				gi = int32(len(groups))
				index[k] = gi
				groups = append(groups, nil)
			}
			g := groups[gi]
			if n := len(g); n > 0 && g[n-1] == int32(i) {
				return
			}
			groups[gi] = append(g, int32(i))
		})
	}
	return groups
}

// pairGroups appends the pairs of every group no larger than the cap, or
// the windowed pairs of a large group of a windowed rule.
func pairGroups(ps []prepared, groups [][]int32, r blockRule, o Options, pairs []uint64, st *BlockingStats) []uint64 {
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

// windowGroups samples pairs from the groups above the cap, for EM
// training only: members are put in a pseudo-random but deterministic order
// and each is paired with its next trainingWindow neighbours. Without it, a
// data set whose names all fall in oversized blocks would train m on
// sessions that hold no true matches. It reorders those groups.
func windowGroups(ps []prepared, groups [][]int32, limit int, linkOnly bool) []uint64 {
	var pairs []uint64
	for _, g := range groups {
		if len(g) <= limit {
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
