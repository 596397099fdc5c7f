package money

import "time"

// AMLSimParams suit AMLSim's planted patterns: AMLSim gives each pattern
// transfer a random step within the pattern's period, so hops are not
// time-ordered; the whole run is the window, cycles are unordered, and a
// fan needs 12 distinct counterparties (AMLSim's background accounts have
// up to about 10).
func AMLSimParams() Params {
	p := DefaultParams()
	p.Window, p.CycleWindow, p.CycleAnyOrder = 150*24*time.Hour, 150*24*time.Hour, true
	p.MinDegree, p.MaxSearch, p.MinKeep, p.CycleMaxLen = 12, 20000, 95, 10
	return p
}
