// Package roles suggests what part a person of interest may play in a
// trafficking network — recruiter, controller, transporter, financier,
// advertiser — from patterns in the case's messages, payments and ads, and
// says which records and links each suggestion rests on (issue 6).
//
// It is pure: plain structs in (Input), hints out; no SQL, no HTTP, no
// package-level state. Hints are leads for an analyst, never findings: each
// carries a score in [0, 1) and its evidence. A person whose case role is
// victim or possible victim never receives a hint, whatever the patterns
// say — a victim forced to pass on orders or money is not a controller.
//
// Signals, each adding weight w to one role (score = 1 − 2^−Σw, so one
// strong signal gives 0.5 and each further one closes half the gap):
//
//   - recruiter: sent the first message of a conversation with a possible
//     victim (w 1.5); job-offer and travel-promise words in messages to
//     possible victims (w 0.4 each, at most 1.2).
//   - controller: orders ("tenés que", "you have to", "no salgás") and money
//     demands ("depositá", "me debés", "la cuota") in messages to possible
//     victims (w 0.5 each, at most 2); payments received from a possible
//     victim's account (w 1.5 each, at most 3).
//   - transporter: pick-up and travel instructions (terminal, frontera,
//     "pasá por", pick up, boleto) received from a suspect in a one-to-one
//     chat (w 0.4 each, at most 2); payments received from a suspect for
//     moving people ("PAGO TRASLADO 4 PERSONAS", w 0.75 each, at most 2.25).
//   - financier: payments to ad sites, hotels or transport companies (w 0.5
//     each, at most 2.5), and paying several distinct such merchants
//     (w 0.5); owning a hotel or transport business account (w 1).
//   - advertiser: a phone the person uses appears in adult-service ads (w 1
//     per ad) or job ads (w 0.5), at most 3; words about posting ads in
//     messages sent (w 0.25 each, at most 0.5); payments to ad sites (w 0.5
//     each, at most 1.5).
//
// A person's hints weighing less than Options.Relative of their strongest
// are dropped.
//
// Words are matched on folded text (lower case, accents removed), Spanish
// (including Central American voseo) and English.
package roles

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// Role is a suggested role in the network.
type Role string

// Roles.
// JobKind is the durable job that stores a case's role hints as findings
// (the rastro command runs it). It is queued after a scenario load and
// after every identity judgement, since a merge or a split changes whose
// messages and payments are whose.
const JobKind = "roles.hint"

const (
	Recruiter   Role = "recruiter"
	Controller  Role = "controller"
	Transporter Role = "transporter"
	Financier   Role = "financier"
	Advertiser  Role = "advertiser"
)

// AllRoles lists the roles in a fixed order.
func AllRoles() []Role { return []Role{Recruiter, Controller, Transporter, Financier, Advertiser} }

// Person is one person of the case. Accounts are the keys of everything the
// person uses — phones (E.164), e-mails, handles, bank accounts, wallets —
// in the same form as Message.From/To, Payment.From/To and Ad.Phones.
type Person struct {
	ID       string
	CaseRole string // rastro.CaseRole: suspect, possible_victim, victim, witness, person_of_interest, unknown
	Accounts []string
}

// Message is one message between accounts.
type Message struct {
	ID   string // record or link ID, returned as evidence
	From string
	To   []string
	Time time.Time
	Text string
}

// Merchant categories of a payment's payee.
const (
	CategoryAds       = "ads"       // classified and ad sites, prepaid posting credit
	CategoryLodging   = "lodging"   // hotels, motels, rooms
	CategoryTransport = "transport" // buses, airlines, tickets
	CategoryBusiness  = "business"  // a business account of the payee kind Input.Businesses says
)

// Payment is one transfer between accounts.
type Payment struct {
	ID          string // link or transaction ID, returned as evidence
	From, To    string
	Time        time.Time
	Description string
	// Category of the payee (CategoryAds, CategoryLodging,
	// CategoryTransport); empty means "guess from Description and
	// Input.Businesses".
	Category string
}

// Ad is one online ad and the phones it gives.
type Ad struct {
	ID     string
	Phones []string
	// Category is the site's section ("escorts", "acompañantes", "empleos",
	// "muebles"...): adult-service sections weigh fully, job offers half,
	// any other section not at all — a phone in a furniture ad says
	// nothing. Empty counts as adult service (an ad the case already
	// flagged).
	Category string
}

// Input is everything Hints reads.
type Input struct {
	People   []Person
	Messages []Message
	Payments []Payment
	Ads      []Ad
	// Businesses maps merchant account keys to a category (CategoryAds,
	// CategoryLodging, CategoryTransport), for payments without one.
	Businesses map[string]string
}

// Hint is one suggested role of one person.
type Hint struct {
	Person   string   `json:"person"`
	Role     Role     `json:"role"`
	Score    float64  `json:"score"`    // 1 − 2^−weight: 0.5 for one strong signal
	Weight   float64  `json:"weight"`   // summed signal weights
	Evidence []string `json:"evidence"` // message, payment and ad IDs, strongest signal first, at most Options.MaxEvidence
	Reasons  []string `json:"reasons"`  // one line per kind of signal, for the analyst
}

// Options tune Hints. The zero value is usable.
type Options struct {
	MinScore    float64 // hints below it are dropped; default 0.5
	MaxEvidence int     // evidence IDs kept per hint; default 20
	// Relative drops a person's hints weighing less than this share of
	// their strongest hint, so a controller who also once paid a hotel is
	// hinted as controller only; default 0.7, negative keeps all.
	Relative float64
}

func (o Options) withDefaults() Options {
	if o.MinScore == 0 {
		o.MinScore = 0.5
	}
	if o.MaxEvidence == 0 {
		o.MaxEvidence = 20
	}
	if o.Relative == 0 {
		o.Relative = 0.7
	}
	return o
}

// IsVictim reports whether a case role marks a (possible) victim.
func IsVictim(caseRole string) bool { return caseRole == "victim" || caseRole == "possible_victim" }

// Hints returns the role hints of every person who is not a (possible)
// victim, sorted by person then descending score. Messages, payments and
// ads that touch no known person's account are ignored.
func Hints(in Input, o Options) []Hint {
	o = o.withDefaults()
	c := newCase(in)
	c.firstContacts(in.Messages)
	c.messageWords(in.Messages)
	c.payments(in.Payments, in.Businesses)
	c.ads(in.Ads)
	c.businesses(in.People, in.Businesses)
	return c.hints(o)
}

// signal is the evidence gathered for one person and role.
type signal struct {
	weight   map[string]float64 // by reason kind, before the cap
	caps     map[string]float64
	evidence []string
	seen     map[string]bool
}

// theCase indexes the input and gathers signals.
type theCase struct {
	owners  map[string][]string // account key -> person IDs
	victim  map[string]bool     // person ID -> (possible) victim
	suspect map[string]bool     // person ID -> suspect or person of interest
	signals map[string]map[Role]*signal
	order   []string // person IDs in input order
}

func newCase(in Input) *theCase {
	c := &theCase{owners: map[string][]string{}, victim: map[string]bool{}, suspect: map[string]bool{}, signals: map[string]map[Role]*signal{}}
	for _, p := range in.People {
		c.order = append(c.order, p.ID)
		c.victim[p.ID] = IsVictim(p.CaseRole)
		c.suspect[p.ID] = p.CaseRole == "suspect" || p.CaseRole == "person_of_interest"
		for _, a := range p.Accounts {
			if !slices.Contains(c.owners[a], p.ID) {
				c.owners[a] = append(c.owners[a], p.ID)
			}
		}
	}
	return c
}

// add credits person p with weight w for role r under reason kind, capped
// at limit per kind; id is the evidence.
func (c *theCase) add(p string, r Role, kind string, w, limit float64, id string) {
	if c.victim[p] {
		return
	}
	if c.signals[p] == nil {
		c.signals[p] = map[Role]*signal{}
	}
	s := c.signals[p][r]
	if s == nil {
		s = &signal{weight: map[string]float64{}, caps: map[string]float64{}, seen: map[string]bool{}}
		c.signals[p][r] = s
	}
	s.weight[kind] += w
	s.caps[kind] = limit
	if id != "" && !s.seen[id] {
		s.seen[id] = true
		s.evidence = append(s.evidence, id)
	}
}

// people returns the persons owning any of the keys.
func (c *theCase) people(keys ...string) []string {
	var out []string
	for _, k := range keys {
		for _, p := range c.owners[k] {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// anySuspect reports whether any of the persons is a suspect or person of interest.
func (c *theCase) anySuspect(ps []string) bool {
	return slices.ContainsFunc(ps, func(p string) bool { return c.suspect[p] })
}

// touchesVictim reports whether any of the keys belongs to a (possible) victim.
func (c *theCase) touchesVictim(keys ...string) bool {
	for _, p := range c.people(keys...) {
		if c.victim[p] {
			return true
		}
	}
	return false
}

// firstContacts credits, for every possible victim, the non-victim who
// sent the first message she received from anyone not a victim: the
// network's first contact with her. A first message from an account tied
// to nobody still counts as her first contact (crediting nobody): the
// first person the case knows to write to her later is not her recruiter.
// A sender account several people use splits the credit among them.
func (c *theCase) firstContacts(msgs []Message) {
	sorted := slices.Clone(msgs)
	slices.SortStableFunc(sorted, func(a, b Message) int { return a.Time.Compare(b.Time) })
	contacted := map[string]bool{}
	for _, m := range sorted {
		owners := c.people(m.From)
		senders := slices.DeleteFunc(slices.Clone(owners), func(p string) bool { return c.victim[p] })
		if len(owners) > 0 && len(senders) == 0 {
			continue // a possible victim's own message
		}
		for _, v := range c.people(m.To...) {
			if !c.victim[v] || contacted[v] {
				continue
			}
			contacted[v] = true
			for _, s := range senders {
				c.add(s, Recruiter, "first_contact", 1.5/float64(len(senders)), 4.5, m.ID)
			}
		}
	}
}

// messageWords credits roles from the words of each message; a sender
// account several people use splits the weight among them.
func (c *theCase) messageWords(msgs []Message) {
	for _, m := range msgs {
		text := fold(m.Text)
		senders := c.people(m.From)
		toVictim := c.touchesVictim(m.To...)
		share := 1 / float64(max(1, len(senders)))
		for _, s := range senders {
			if toVictim && matchAny(text, recruitWords) {
				c.add(s, Recruiter, "recruit_words", 0.4*share, 1.2, m.ID)
			}
			if toVictim && (matchAny(text, orderWords) || matchAny(text, demandWords)) {
				c.add(s, Controller, "orders", 0.5*share, 2, m.ID)
			}
			if matchAny(text, adWords) {
				c.add(s, Advertiser, "ad_words", 0.25*share, 0.5, m.ID)
			}
		}
		// Pick-up and travel instructions between suspects: the one told
		// where to collect whom is the transporter.
		if len(m.To) == 1 && matchAny(text, transportWords) && c.anySuspect(senders) {
			for _, p := range c.people(m.To...) {
				if c.suspect[p] {
					c.add(p, Transporter, "transport_words", 0.4, 2, m.ID)
				}
			}
		}
	}
}

// payments credits controllers with money from victims and financiers and
// advertisers with payments to merchants.
func (c *theCase) payments(pays []Payment, businesses map[string]string) {
	paid := map[string]map[string]bool{} // person -> merchants paid
	for _, p := range pays {
		if c.touchesVictim(p.From) {
			for _, r := range c.people(p.To) {
				c.add(r, Controller, "victim_money", 1.5, 3, p.ID)
			}
		}
		cat := p.Category
		if cat == "" {
			cat = businesses[p.To]
		}
		if cat == "" {
			cat = Category(p.Description)
		}
		if cat == "" {
			c.tripPayment(p)
			continue
		}
		for _, payer := range c.people(p.From) {
			c.add(payer, Financier, "merchant_payments", 0.5, 2.5, p.ID)
			if cat == CategoryAds {
				c.add(payer, Advertiser, "ad_payments", 0.5, 1.5, p.ID)
			}
			if paid[payer] == nil {
				paid[payer] = map[string]bool{}
			}
			if !paid[payer][p.To] && len(paid[payer]) == 2 {
				c.add(payer, Financier, "several_merchants", 0.5, 0.5, "")
			}
			paid[payer][p.To] = true
		}
	}
}

// tripPayment credits a suspect paid by a suspect for moving people ("PAGO
// TRASLADO 4 PERSONAS") as a transporter.
func (c *theCase) tripPayment(p Payment) {
	if p.Description == "" || !c.anySuspect(c.people(p.From)) || !matchAny(fold(p.Description), tripWords) {
		return
	}
	for _, r := range c.people(p.To) {
		if c.suspect[r] {
			c.add(r, Transporter, "trip_payments", 0.75, 2.25, p.ID)
		}
	}
}

// ads credits the users of phones that appear in ads.
func (c *theCase) ads(ads []Ad) {
	// A phone's ads weigh by the share of them in risky sections: a number
	// that also sells furniture and teaches maths is more likely an
	// ordinary person's (or a clash of short fictional numbering blocks)
	// than an advertiser's.
	total, risky := map[string]int{}, map[string]int{}
	for _, a := range ads {
		for _, ph := range a.Phones {
			total[ph]++
			if adWeight(a.Category) > 0 {
				risky[ph]++
			}
		}
	}
	for _, a := range ads {
		w := adWeight(a.Category)
		if w == 0 {
			continue
		}
		for _, ph := range a.Phones {
			share := float64(risky[ph]) / float64(total[ph])
			users := c.people(ph) // a shared phone's ad is split among its users
			for _, p := range users {
				c.add(p, Advertiser, "ad_phone", w*share*share/float64(len(users)), 3, a.ID)
			}
		}
	}
}

// businesses credits the holders of hotel and transport business accounts.
func (c *theCase) businesses(people []Person, businesses map[string]string) {
	for _, p := range people {
		for _, a := range p.Accounts {
			if cat := businesses[a]; cat == CategoryLodging || cat == CategoryTransport {
				c.add(p.ID, Financier, "business_account", 1, 1, a)
			}
		}
	}
}

// reasonText describes each kind of signal.
var reasonText = map[string]string{
	"first_contact":     "sent the first message to a possible victim",
	"recruit_words":     "job offers or travel promises in messages to a possible victim",
	"orders":            "orders or money demands in messages to a possible victim",
	"victim_money":      "received payments from a possible victim's account",
	"transport_words":   "pick-ups, tickets or border crossings in messages",
	"trip_payments":     "paid by a suspect for moving people",
	"merchant_payments": "paid ad sites, hotels or transport companies",
	"several_merchants": "paid several such merchants",
	"business_account":  "holds a hotel or transport business account",
	"ad_phone":          "a phone they use appears in ads",
	"ad_words":          "talks about posting ads",
	"ad_payments":       "paid ad sites",
}

// hints turns the signals into sorted hints.
func (c *theCase) hints(o Options) []Hint {
	var out []Hint
	for _, p := range c.order {
		if c.victim[p] {
			continue
		}
		var mine []Hint
		top := 0.0
		for _, r := range AllRoles() {
			s := c.signals[p][r]
			if s == nil {
				continue
			}
			h := Hint{Person: p, Role: r}
			kinds := make([]string, 0, len(s.weight))
			for k := range s.weight {
				kinds = append(kinds, k)
			}
			slices.Sort(kinds)
			for _, k := range kinds {
				h.Weight += math.Min(s.weight[k], s.caps[k])
				h.Reasons = append(h.Reasons, reasonText[k])
			}
			h.Score = 1 - math.Exp2(-h.Weight)
			h.Evidence = s.evidence[:min(len(s.evidence), o.MaxEvidence)]
			top = max(top, h.Weight)
			mine = append(mine, h)
		}
		for _, h := range mine {
			if h.Score >= o.MinScore && h.Weight >= o.Relative*top {
				out = append(out, h)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Hint) int {
		return cmp.Or(cmp.Compare(a.Person, b.Person), cmp.Compare(b.Score, a.Score))
	})
	return out
}
