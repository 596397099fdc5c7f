package money

import (
	"encoding/json"
	"fmt"
	"github.com/rastro/rastro"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// RulePack is a versioned set of declarative red-flag rules (JSON). The
// default pack, rules/ht_redflags.json, encodes human-trafficking red flags
// of FinCEN FIN-2020-A008, FIN-2014-A008 and FATF 2018, each rule citing
// its source.
type RulePack struct {
	Name    string            `json:"name"`
	Version string            `json:"version"`
	Note    string            `json:"note,omitempty"`
	Sources map[string]string `json:"sources,omitempty"`
	Rules   []Rule            `json:"rules"`
}

// Rule flags an account when enough of its transfers match When within a
// window.
type Rule struct {
	ID    string   `json:"id"`    // also the alert kind, e.g. "ht.ad_payments"
	Title string   `json:"title"` // one line for the alert queue
	Cites []string `json:"cites"` // red-flag ids and source keys
	Flag  string   `json:"flag"`  // "from" (the payer is flagged) or "to"
	When  When     `json:"when"`
	Count Count    `json:"count"`
	// FundingWithin adds the flagged account's incoming transfers that
	// arrived this long before each match (how the money got there).
	FundingWithin string `json:"funding_within,omitempty"`
}

// When holds the conditions on one transfer; every condition set must hold.
type When struct {
	DescriptionAny []string `json:"description_any,omitempty"` // case-insensitive substrings
	MethodAny      []string `json:"method_any,omitempty"`      // Tx.Method values
	AmountMin      *Amount  `json:"amount_min,omitempty"`      // in the transfer's currency
	AmountMax      *Amount  `json:"amount_max,omitempty"`
	Currency       string   `json:"currency,omitempty"`   // only transfers in this currency
	TimeAny        []string `json:"time_any,omitempty"`   // "night", "weekend"
	Night          [2]int   `json:"night,omitempty"`      // hours [from, to), wrapping midnight; default 22..5
	PeopleMin      int      `json:"people_min,omitempty"` // "3 PASAJEROS", "2 HABITACIONES", "4 guests"
	ToInList       string   `json:"to_in_list,omitempty"` // payee in a caller-supplied list
	FromInList     string   `json:"from_in_list,omitempty"`
	Self           *bool    `json:"self,omitempty"` // require (true) or forbid (false) self transfers
}

// Count says how many matches make an alert.
type Count struct {
	Min                    int    `json:"min"`
	Window                 string `json:"window"` // Go duration, e.g. "720h"
	DistinctCounterparties int    `json:"distinct_counterparties,omitempty"`
	DistinctPlaces         int    `json:"distinct_places,omitempty"` // counterparties' banks or branches
}

// ParseRulePack reads and checks a rule pack.
func ParseRulePack(b []byte) (*RulePack, error) {
	var p RulePack
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("money: rule pack: %w", err)
	}
	if p.Version == "" {
		return nil, rastro.Errorf(rastro.EINVALID, "money: rule pack %q: version is required", p.Name)
	}
	for _, r := range p.Rules {
		if r.ID == "" || len(r.Cites) == 0 {
			return nil, rastro.Errorf(rastro.EINVALID, "money: rule pack %s: every rule needs an id and cites (rule %q)", p.Version, r.ID)
		}
		if r.Flag != "from" && r.Flag != "to" {
			return nil, rastro.Errorf(rastro.EINVALID, "money: rule %s: flag must be \"from\" or \"to\"", r.ID)
		}
		if _, err := time.ParseDuration(r.Count.Window); err != nil || r.Count.Min < 1 {
			return nil, rastro.Errorf(rastro.EINVALID, "money: rule %s: count needs min ≥ 1 and a window such as \"720h\"", r.ID)
		}
	}
	return &p, nil
}

// DefaultRulePack returns the embedded human-trafficking red-flag pack.
func DefaultRulePack() (*RulePack, error) {
	b, err := rulesFS.ReadFile("rules/ht_redflags.json")
	if err != nil {
		return nil, fmt.Errorf("money: %w", err)
	}
	return ParseRulePack(b)
}

// peopleRe finds "N PASAJEROS"-style head counts in descriptions.
var peopleRe = regexp.MustCompile(`(?i)(\d+)\s*(PASAJEROS|PERSONAS|HABITACIONES|HUESPEDES|PAX|PASSENGERS|GUESTS|ROOMS|PEOPLE)`)

// matches reports whether transfer i meets w. lists holds named account
// lists (e.g. "darknet" addresses from a watch list).
func (g *Graph) matches(w *When, i int32, lists map[string]map[string]bool) bool {
	t := &g.Txs[i]
	if w.Self != nil && *w.Self != g.isSelf(i) {
		return false
	}
	if len(w.MethodAny) > 0 && !anyEqual(w.MethodAny, t.Method) {
		return false
	}
	if w.Currency != "" && t.Currency != w.Currency {
		return false
	}
	if w.AmountMin != nil && t.Amount.Cmp(*w.AmountMin) < 0 || w.AmountMax != nil && t.Amount.Cmp(*w.AmountMax) > 0 {
		return false
	}
	if w.ToInList != "" && !lists[w.ToInList][t.To] || w.FromInList != "" && !lists[w.FromInList][t.From] {
		return false
	}
	if len(w.DescriptionAny) > 0 && !anyContains(w.DescriptionAny, t.Description) {
		return false
	}
	if w.PeopleMin > 0 && people(t.Description) < w.PeopleMin {
		return false
	}
	return len(w.TimeAny) == 0 || inTime(w, t.Time, t.DateOnly)
}

// people returns the head count written in a description (0 if none).
func people(desc string) int {
	m := peopleRe.FindStringSubmatch(desc)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// inTime reports whether t is at night or at a weekend, as w asks; a
// date without a time of day is never "night".
func inTime(w *When, t time.Time, dateOnly bool) bool {
	from, to := w.Night[0], w.Night[1]
	if from == 0 && to == 0 {
		from, to = 22, 5
	}
	for _, k := range w.TimeAny {
		h := t.Hour()
		switch {
		case k == "night" && !dateOnly && (from > to && (h >= from || h < to) || from <= to && h >= from && h < to):
			return true
		case k == "weekend" && (t.Weekday() == time.Saturday || t.Weekday() == time.Sunday):
			return true
		}
	}
	return false
}

// anyEqual reports whether s equals one of list.
func anyEqual(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// anyContains reports whether s contains one of list, ignoring case.
func anyContains(list []string, s string) bool {
	u := strings.ToUpper(s)
	for _, x := range list {
		if strings.Contains(u, strings.ToUpper(x)) {
			return true
		}
	}
	return false
}
