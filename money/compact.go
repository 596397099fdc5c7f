package money

// compact holds every transfer's paid and credited amount as int64 minor
// units at one common scale, and their currencies as small ids, when all
// of them fit exactly: the detectors' hottest comparison (does a hop
// forward most of what arrived?) then reads two small arrays instead of
// the wide transfers, with integer arithmetic and no rounding. ok is false
// when an amount needs math/big or would overflow at the common scale;
// callers then compare Amounts as before.
type compact struct {
	ok         bool
	paid, cred []int64  // minor units at the common scale
	pcur, ccur []uint16 // currency ids of paid and credited amounts
}

// newCompact builds the compact amounts of txs, or returns ok false.
func newCompact(txs []Tx) compact {
	scale := 0
	for i := range txs {
		c, _ := txs[i].Credit()
		if txs[i].Amount.b != nil || c.b != nil {
			return compact{}
		}
		scale = max(scale, int(txs[i].Amount.scale), int(c.scale))
	}
	c := compact{ok: true, paid: make([]int64, len(txs)), cred: make([]int64, len(txs)), pcur: make([]uint16, len(txs)), ccur: make([]uint16, len(txs))}
	ids := map[string]uint16{}
	id := func(cur string) (uint16, bool) {
		if n, ok := ids[cur]; ok {
			return n, true
		}
		if len(ids) == 1<<16-1 {
			return 0, false
		}
		ids[cur] = uint16(len(ids))
		return ids[cur], true
	}
	for i := range txs {
		t := &txs[i]
		cr, ccur := t.Credit()
		p, ok1 := units(t.Amount, scale)
		q, ok2 := units(cr, scale)
		pc, ok3 := id(t.Currency)
		cc, ok4 := id(ccur)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			return compact{}
		}
		c.paid[i], c.cred[i], c.pcur[i], c.ccur[i] = p, q, pc, cc
	}
	return c
}

// units returns a in minor units at scale, if it fits an int64 exactly.
func units(a Amount, scale int) (int64, bool) {
	r := a.rescale(scale)
	if a.b != nil || r.b != nil || int(r.scale) != scale {
		return 0, false
	}
	return r.u, true
}
