package resolve

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
)

// Options tune resolution. The zero value is usable: every field has a
// default.
type Options struct {
	Threshold         float64 // match probability at or above which a pair links records; default 0.9
	KeepProbability   float64 // pairs at or above it are returned with explanations; default 0.05
	MaxBlockSize      int     // blocks larger than this are skipped; default 100
	MaxNgramBlockSize int     // cap for name 4-gram blocks; default 40
	// SubBlockSize: a name or date-of-birth block larger than this is not
	// paired all against all but sorted by date of birth and name, each
	// record meeting its next BlockWindow neighbours (sorted
	// neighbourhood), so a million records stay linear; default 40.
	SubBlockSize int
	BlockWindow  int // neighbours per record in a large block; default 5
	// MaxTrainingPairs caps the candidate pairs EM trains on (an even
	// sample of them; all are scored); default 2,000,000.
	MaxTrainingPairs int
	// MaxIdentifierBits caps one identifier's contribution. Default (0):
	// one bit less than the prior's odds against a match, so a shared phone
	// alone never reaches even odds but does with one more agreeing field.
	MaxIdentifierBits float64
	MaxTFBits         float64 // cap on a term-frequency adjustment, either sign; default 6 bits
	USamplePairs      int     // random pairs to estimate u; default 100,000
	EMIterations      int     // default 30
	Seed              uint64  // for the random pairs; same seed ⇒ same output
	LinkOnly          bool    // compare only records of different Source
	// AllowNameOnly lets a pair link on names (and city) alone. By default a
	// link also needs positive evidence from another field — an identifier,
	// the date of birth, or any generic field — because a namesake in the
	// same city is exactly how bystanders get confused with suspects.
	AllowNameOnly bool
	// FuzzyIdentifiers gives near-miss phones, e-mails and handles (one
	// character off) a level of their own, for data typed by hand (fake_1000).
	// Off by default: a phone one digit off is another phone. Document
	// numbers and bank accounts always have it (clerks mistype them).
	FuzzyIdentifiers bool
	Workers          int // goroutines comparing pairs; default GOMAXPROCS
}

func (o Options) withDefaults() Options {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	defi := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.Threshold, 0.9)
	def(&o.KeepProbability, 0.05)
	def(&o.MaxTFBits, 6)
	defi(&o.MaxBlockSize, 100)
	defi(&o.MaxNgramBlockSize, 40)
	defi(&o.SubBlockSize, 40)
	defi(&o.BlockWindow, 5)
	defi(&o.MaxTrainingPairs, 2_000_000)
	defi(&o.USamplePairs, 100_000)
	defi(&o.EMIterations, 30)
	defi(&o.Workers, runtime.GOMAXPROCS(0))
	return o
}

// FieldModel is the fitted model of one field: per level, m (probability
// of the level among true matches), u (among non-matches) and the weight
// log2(m/u) in bits.
type FieldModel struct {
	Field      string    `json:"field"`
	Identifier bool      `json:"identifier"`
	Levels     []Level   `json:"levels"`
	M          []float64 `json:"m"`
	U          []float64 `json:"u"`
	Bits       []float64 `json:"bits"`
}

// model is a fitted Fellegi–Sunter model over prepared records.
type model struct {
	comps  []*comparison
	m, u   [][]float64
	lambda float64 // prior among candidate pairs, for EM
	prior  float64 // prior among all pairs: λ × candidates / possible pairs, for scoring
	tf     []map[string]int32
	tfN    []int     // records with a value, per comparison
	tfByID [][]int32 // tf by the interned ID of comparison.tfID, per comparison (nil: map only)
	opts   Options

	// set by freeze, read by score
	bits      [][]float64 // log2(m/u) per comparison and level
	logU      [][]float64
	logTFN    []float64
	log2Small []float64
	idCap     float64
}

// gammas compares the given pairs on every comparison, in parallel, and
// returns the levels flattened pair-major.
func (md *model) gammas(ps []prepared, pairs []uint64) []int8 {
	nc := len(md.comps)
	out := make([]int8, len(pairs)*nc)
	var wg sync.WaitGroup
	chunk := (len(pairs) + md.opts.Workers - 1) / md.opts.Workers
	for w := 0; w < md.opts.Workers; w++ {
		lo, hi := w*chunk, min(len(pairs), (w+1)*chunk)
		if lo >= hi {
			break
		}
		wg.Go(func() {
			sc := newSimCache(workerCacheBits)
			for k := lo; k < hi; k++ {
				i, j := unpair(pairs[k])
				for c, cp := range md.comps {
					l, _, _, _ := cp.cmp(&ps[i], &ps[j], false, sc)
					out[k*nc+c] = int8(l)
				}
			}
		})
	}
	wg.Wait()
	return out
}

// estimateU samples random pairs and sets u to each level's share among
// them (almost all random pairs are non-matches), with add-one smoothing.
func (md *model) estimateU(ps []prepared) {
	n := len(ps)
	r := rand.New(rand.NewPCG(md.opts.Seed, 0x5eed))
	var pairs []uint64
	total := int64(n) * int64(n-1) / 2
	if total <= int64(md.opts.USamplePairs) {
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				pairs = append(pairs, uint64(i)<<32|uint64(j))
			}
		}
	} else {
		for tries := 0; len(pairs) < md.opts.USamplePairs && tries < 4*md.opts.USamplePairs; tries++ {
			i, j := r.IntN(n), r.IntN(n)
			if i == j || md.opts.LinkOnly && ps[i].source == ps[j].source {
				continue
			}
			pairs = append(pairs, uint64(min(i, j))<<32|uint64(max(i, j)))
		}
	}
	g := md.gammas(ps, pairs)
	md.u = md.levelShares(g, nil, 1)
}

// levelShares returns, per comparison, the weighted share of each level
// (weights nil means 1) with add-alpha smoothing; missing levels are
// ignored.
func (md *model) levelShares(g []int8, w []float64, alpha float64) [][]float64 {
	return normalise(md.levelCounts(g, w), alpha)
}

// levelCounts returns, per comparison, the weighted count of each level.
func (md *model) levelCounts(g []int8, w []float64) [][]float64 {
	nc := len(md.comps)
	out := make([][]float64, nc)
	for c, cp := range md.comps {
		out[c] = make([]float64, len(cp.levels))
	}
	for k := 0; k*nc < len(g); k++ {
		wk := 1.0
		if w != nil {
			wk = w[k]
		}
		for c := 0; c < nc; c++ {
			if l := g[k*nc+c]; l >= 0 {
				out[c][l] += wk
			}
		}
	}
	return out
}

// mFloor is the least m of any level: even a field that never disagreed
// among the matches seen may disagree on a true match once in a thousand
// (a typo, a changed phone), so no single field weighs more than about ten
// bits against a match.
const mFloor = 1e-3

// floorShares raises every share to at least floor and renormalises.
func floorShares(shares [][]float64, floor float64) [][]float64 {
	for c := range shares {
		sum := 0.0
		for l := range shares[c] {
			shares[c][l] = math.Max(shares[c][l], floor)
			sum += shares[c][l]
		}
		for l := range shares[c] {
			shares[c][l] /= sum
		}
	}
	return shares
}

// normalise turns counts into shares with add-alpha smoothing.
func normalise(counts [][]float64, alpha float64) [][]float64 {
	out := make([][]float64, len(counts))
	for c := range counts {
		out[c] = make([]float64, len(counts[c]))
		sum := 0.0
		for l, v := range counts[c] {
			out[c][l] = v + alpha
			sum += out[c][l]
		}
		for l := range out[c] {
			out[c][l] /= sum
		}
	}
	return out
}

// patterns collapses the level vectors of g (pair-major, nc per pair) into
// distinct patterns with their counts, so EM runs over a few hundred
// patterns instead of millions of pairs. Judged pairs keep their own
// patterns, flagged in fix.
func patterns(g []int8, nc int, fixed []int8) (pats []int8, counts []float64, fix []int8) {
	index := map[string]int{}
	key := make([]byte, nc+1)
	for k := 0; k*nc < len(g); k++ {
		lv := g[k*nc : (k+1)*nc]
		for c, l := range lv {
			key[c] = byte(l)
		}
		key[nc] = 0
		if fixed != nil {
			key[nc] = byte(fixed[k])
		}
		i, ok := index[string(key)]
		if !ok {
			i = len(counts)
			index[string(key)] = i
			pats = append(pats, lv...)
			counts = append(counts, 0)
			fix = append(fix, int8(key[nc]))
		}
		counts[i]++
	}
	return pats, counts, fix
}

// estimateM runs EM over the candidate pairs' levels g with u fixed,
// estimating m and the prior λ. fixed holds analyst judgements: +1 for
// same, -1 for not same, 0 for none; judged pairs keep their posterior.
// exclude masks comparisons left out of the likelihood (nil for none);
// their m is not estimated. It returns the final expected level counts
// among matches, so sessions can pool them.
func (md *model) estimateM(g []int8, fixed []int8, exclude []bool) [][]float64 {
	nc := len(md.comps)
	if md.m == nil {
		md.m = make([][]float64, nc)
		for c, cp := range md.comps {
			md.m[c] = initialM(len(cp.levels))
		}
	}
	pats, counts, fix := patterns(g, nc, fixed)
	md.lambda = 0.1
	w := make([]float64, len(counts))
	var mc [][]float64
	for it := 0; it < md.opts.EMIterations; it++ {
		md.lambda = md.eStep(pats, counts, fix, exclude, w)
		mc = md.levelCounts(pats, w)
		m := floorShares(normalise(mc, 0.01), mFloor)
		for c := range m {
			if exclude == nil || !exclude[c] {
				md.m[c] = m[c]
			}
		}
	}
	return mc
}

// eStep sets w to each pattern's count times its match posterior and
// returns the new λ.
func (md *model) eStep(pats []int8, counts []float64, fix []int8, exclude []bool, w []float64) float64 {
	nc := len(md.comps)
	bits := md.levelBits()
	sum, total := 0.0, 0.0
	for k := range counts {
		p := posteriorBits(bits, md.lambda, pats[k*nc:(k+1)*nc], exclude)
		if fix[k] != 0 {
			p = float64(fix[k]+1) / 2
		}
		w[k] = p * counts[k]
		sum += w[k]
		total += counts[k]
	}
	return clamp(sum/math.Max(total, 1), 1e-6, 1-1e-6)
}

// estimateLambda fits the prior among candidate pairs with m and u fixed.
func (md *model) estimateLambda(g []int8, fixed []int8) {
	pats, counts, fix := patterns(g, len(md.comps), fixed)
	w := make([]float64, len(counts))
	md.lambda = 0.1
	for it := 0; it < md.opts.EMIterations; it++ {
		md.lambda = md.eStep(pats, counts, fix, nil, w)
	}
}

// levelBits returns log2(m/u) per comparison and level.
func (md *model) levelBits() [][]float64 {
	out := make([][]float64, len(md.comps))
	for c := range md.comps {
		out[c] = make([]float64, len(md.m[c]))
		for l := range out[c] {
			out[c][l] = math.Log2(md.m[c][l] / md.u[c][l])
		}
	}
	return out
}

// trainSessions estimates m as Splink does: one EM session per training
// blocking rule, each leaving out the comparisons its rule blocked on
// (their agreement there is forced, not evidence), and m of a comparison
// comes from its expected level counts among matches pooled over the
// sessions that estimated it. A comparison no session
// could estimate keeps its estimate from plain EM over all candidates.
// sessionPairs holds, by rule name, the pairs of each session's rule (see
// blockAll).
func (md *model) trainSessions(ps []prepared, all []uint64, allG []int8, allFixed []int8, sessionPairs map[string][]uint64) {
	md.estimateM(allG, allFixed, nil)
	nc := len(md.comps)
	pooled := make([][]float64, nc)
	for c, cp := range md.comps {
		pooled[c] = make([]float64, len(cp.levels))
	}
	for _, s := range md.sessions() {
		pairs := sessionPairs[s.rule.name]
		if len(pairs) < 10 {
			continue
		}
		pairs = samplePairs(pairs, md.opts.MaxTrainingPairs)
		saved := md.m
		md.m = nil
		counts := md.estimateM(subset(all, allG, nc, pairs, ps, md), nil, s.exclude)
		md.m = saved
		for c := range md.comps {
			if !s.exclude[c] {
				for l, v := range counts[c] {
					pooled[c][l] += v
				}
			}
		}
	}
	// Pool expected counts, not shares: a session where a field is always
	// missing says nothing about it and must not pull its m to uniform.
	m := floorShares(normalise(pooled, 0.01), mFloor)
	for c := range md.comps {
		total := 0.0
		for _, v := range pooled[c] {
			total += v
		}
		if total >= 1 {
			md.m[c] = m[c]
		}
	}
	md.estimateLambda(allG, allFixed)
}

// subset returns the level rows of pairs: from the candidates' rows when
// the pair is a candidate (blocking rules are shared), else compared anew.
func subset(all []uint64, allG []int8, nc int, pairs []uint64, ps []prepared, md *model) []int8 {
	out := make([]int8, 0, len(pairs)*nc)
	var rest []uint64
	for _, p := range pairs {
		if k, ok := slices.BinarySearch(all, p); ok {
			out = append(out, allG[k*nc:(k+1)*nc]...)
		} else {
			rest = append(rest, p)
		}
	}
	return append(out, md.gammas(ps, rest)...)
}

// session is one training blocking rule and the comparisons it blocks on.
type session struct {
	rule    blockRule
	exclude []bool
}

// sessionRules names the blocking rules of the training sessions.
var sessionRules = map[string]bool{"birth_date": true, "name_phonetic": true, "identifier": true}

// sessions returns the training sessions: block on date of birth (names,
// identifiers and the rest are estimated), on the phonetic name key (date
// of birth, identifiers and the rest), and on identifiers (names, date of
// birth and the rest).
func (md *model) sessions() []session {
	rules := map[string]blockRule{}
	for _, r := range blockRules(md.opts) {
		rules[r.name] = r
	}
	mask := func(pred func(*comparison) bool) []bool {
		out := make([]bool, len(md.comps))
		for c, cp := range md.comps {
			out[c] = pred(cp)
		}
		return out
	}
	return []session{
		{rules["birth_date"], mask(func(c *comparison) bool { return c.field == "birth_date" })},
		{rules["name_phonetic"], mask(func(c *comparison) bool { return c.field == "given_name" || c.field == "surname" })},
		{rules["identifier"], mask(func(c *comparison) bool { return c.identifier })},
	}
}

// initialM starts EM with agreement likely among matches.
func initialM(levels int) []float64 {
	m := make([]float64, levels)
	rest := 0.1 / float64(max(levels-1, 1))
	for l := range m {
		m[l] = rest
	}
	m[0] = 0.9
	if levels > 1 {
		m[levels-1] = rest / 2
		m[0] += rest / 2
	}
	return m
}

// posteriorBits is the match probability of a level vector without term
// frequencies, used inside EM.
func posteriorBits(bits [][]float64, lambda float64, lv []int8, exclude []bool) float64 {
	lw := math.Log2(lambda / (1 - lambda))
	for c, l := range lv {
		if l >= 0 && (exclude == nil || !exclude[c]) {
			lw += bits[c][l]
		}
	}
	return 1 / (1 + math.Exp2(-lw))
}

// countTF counts, per comparison, how many records hold each value.
func (md *model) countTF(ps []prepared) {
	md.tf = make([]map[string]int32, len(md.comps))
	md.tfN = make([]int, len(md.comps))
	md.tfByID = make([][]int32, len(md.comps))
	forEach(len(md.comps), md.opts.Workers, func(c int) {
		cp := md.comps[c]
		tf := map[string]int32{}
		md.tf[c] = tf
		if cp.tfKeys == nil {
			return
		}
		for i := range ps {
			ks := cp.tfKeys(&ps[i])
			if len(ks) > 0 {
				md.tfN[c]++
			}
			for _, k := range ks {
				tf[k]++
			}
		}
		md.tfByID[c] = tfByID(ps, cp, tf)
	})
}

// tfByID copies the counts of tf into a slice indexed by cp.tfID's
// interned IDs, so scoring reads a count without hashing a string. It
// returns nil when cp has no interned values.
func tfByID(ps []prepared, cp *comparison, tf map[string]int32) []int32 {
	if cp.tfID == nil {
		return nil
	}
	n := int32(-1)
	for i := range ps {
		id, _ := cp.tfID(&ps[i])
		n = max(n, id)
		if cp.tfTokens != nil {
			ids, _ := cp.tfTokens(&ps[i])
			n = max(n, ids[0], ids[1])
		}
	}
	out := make([]int32, n+1)
	for i := range ps {
		if id, key := cp.tfID(&ps[i]); id >= 0 {
			out[id] = tf[key]
		}
		if cp.tfTokens == nil {
			continue
		}
		ids, keys := cp.tfTokens(&ps[i])
		for k, id := range ids {
			if id >= 0 {
				out[id] = tf[keys[k]]
			}
		}
	}
	return out
}

// fieldModels reports the fitted model.
func (md *model) fieldModels() []FieldModel {
	out := make([]FieldModel, len(md.comps))
	for c, cp := range md.comps {
		fm := FieldModel{Field: cp.field, Identifier: cp.identifier, Levels: cp.levels, M: md.m[c], U: md.u[c]}
		for l := range cp.levels {
			fm.Bits = append(fm.Bits, math.Log2(md.m[c][l]/md.u[c][l]))
		}
		out[c] = fm
	}
	return out
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }
