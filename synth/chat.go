package synth

import (
	"math/rand/v2"
	"strings"
	"time"

	"github.com/rastro/rastro/synth/ident"
	"github.com/rastro/rastro/synth/images"
)

// msgKind says what a message line is.
type msgKind uint8

const (
	mText msgKind = iota
	mMedia
	mEncrypted // end-to-end encryption notice
	mAdded     // from added target
	mDeleted
)

// part is a piece of message text; p is set when the piece is a planted identifier.
type part struct {
	text string
	p    *plant
}

// message is one chat message before rendering.
type message struct {
	at     time.Time
	from   int // member index
	kind   msgKind
	target int // mAdded: member index added
	parts  []part
	media  string // mMedia: file name written in the line ("" for <Media omitted>)
	spec   *images.Spec
}

// member is one participant as the exporting device shows them.
type member struct {
	person     int    // person index, -1 for a background contact
	name       string // saved contact name, or the number when not saved
	phone      string // E.164
	tgID       int64
	showNumber bool // the device shows the raw number instead of a name
}

// chatPlan is one conversation to render.
type chatPlan struct {
	platform, layout, zone string
	loc                    *time.Location
	title                  string
	owner                  int // member index of the device owner
	members                []member
	story, group           bool
	file, zipMember        string
	msgs                   []message
	target                 int64 // background: bytes to write
	seed                   uint64
	start                  time.Time
}

// personMember makes a member for person i as seen from a device.
func (s *story) personMember(r *rand.Rand, i int, saved bool) member {
	p := s.people[i]
	m := member{person: i, phone: p.Phones[r.IntN(len(p.Phones))], tgID: s.tgID[i]}
	switch {
	case !saved:
		m.name, m.showNumber = intlForm(m.phone), true
	case len(p.Aliases) > 0 && r.IntN(2) == 0:
		m.name = p.Aliases[0]
	default:
		f := strings.Fields(p.Name)
		m.name = f[0] + " " + f[1]
	}
	return m
}

// scripter expands message templates for one chat.
type scripter struct {
	s    *story
	r    *rand.Rand
	plan *chatPlan
}

// expand turns a template into parts, planting identifiers of the sender (from) or a third party.
func (sc *scripter) expand(tpl string, from, to int) []part {
	var out []part
	for tpl != "" {
		i := strings.IndexByte(tpl, '{')
		if i < 0 {
			out = append(out, part{text: tpl})
			break
		}
		j := strings.IndexByte(tpl[i:], '}') + i
		if i > 0 {
			out = append(out, part{text: tpl[:i]})
		}
		out = append(out, sc.slot(tpl[i+1:j], from, to))
		tpl = tpl[j+1:]
	}
	return out
}

func (sc *scripter) slot(name string, from, to int) part {
	s, r := sc.s, sc.r
	pf := sc.plan.members[from].person
	sender := s.people[pf]
	switch name {
	case "PH":
		return plantPart(phonePlant(r, sender.Phones[r.IntN(len(sender.Phones))], sender.ID, false, intlForm))
	case "PT":
		sus := s.ofKind("suspect")
		t := s.people[sus[r.IntN(len(sus))]]
		return plantPart(phonePlant(r, t.Phones[0], t.ID, false, intlForm))
	case "DECOY":
		return plantPart(sc.decoy(pf, sender.ID))
	case "EM":
		return plantPart(emailPlant(r, sender.Emails[0], sender.ID))
	case "HD":
		h := sender.Handles[len(sender.Handles)-1]
		h = h[strings.IndexByte(h, ':')+1:]
		return plantPart(plant{kind: "handle", value: strings.ToLower(h), form: "@" + h, owner: sender.ID, entity: "mention"})
	case "IB":
		if n, ok := s.bank[sender.ID]; ok && len(n) > 12 {
			form := n
			if r.IntN(2) == 0 {
				form = groupIBAN(n)
			}
			return plantPart(plant{kind: "iban", value: n, form: form, owner: sender.ID, entity: "plain"})
		}
		iban := ident.IBAN(r, "CR")
		return plantPart(plant{kind: "iban", value: iban, form: iban, owner: sender.ID, entity: "plain"})
	case "WA":
		w, ok := s.wallets[sender.ID]
		if !ok {
			w = ident.Tron(r)
		}
		kind := "btc"
		switch {
		case strings.HasPrefix(w, "0x"):
			kind = "eth"
		case strings.HasPrefix(w, "T"):
			kind = "tron"
		}
		return plantPart(plant{kind: kind, value: w, form: w, owner: sender.ID, entity: "plain"})
	case "CARD":
		c := ident.Card(r)
		return plantPart(plant{kind: "card", value: c, form: c, owner: sender.ID, entity: "bank_card"})
	case "CITY":
		return part{text: cities[s.dest[r.IntN(len(s.dest))]].Name}
	case "BORDER":
		return part{text: cities[s.border[r.IntN(len(s.border))]].Name}
	case "NAME":
		return part{text: strings.Fields(s.people[sc.plan.members[to].person].Name)[0]}
	case "AMT":
		return part{text: itoa(500 + 100*r.IntN(40))}
	default: // N
		return part{text: itoa(2 + r.IntN(10))}
	}
}

// decoy plants a string shaped like an identifier that fails its checksum
// or numbering plan, for extraction to reject: phones, IBANs, cards, BTC,
// ETH and onion addresses.
func (sc *scripter) decoy(pf int, owner string) plant {
	r := sc.r
	p := plant{owner: owner, decoy: true, entity: "plain"}
	switch r.IntN(6) {
	case 0:
		p.kind, p.value = "iban", ident.IBANDecoy(r, "CR")
	case 1:
		p.kind, p.value = "card", ident.CardDecoy(r)
	case 2:
		p.kind, p.value = "btc", ident.BTCDecoy(r)
	case 3:
		p.kind, p.value = "eth", ident.ETHDecoy(r)
	case 4:
		p.kind, p.value = "onion", ident.OnionDecoy(r)
	default:
		return phonePlant(r, ident.PhoneDecoy(r, sc.s.country(pf)), owner, true, intlForm)
	}
	p.form = p.value
	return p
}

func plantPart(p plant) part { return part{text: p.form, p: &p} }

// add appends a text message from member from at t.
func (sc *scripter) add(t time.Time, from, to int, tpl string) {
	sc.plan.msgs = append(sc.plan.msgs, message{at: t, from: from, parts: sc.expand(tpl, from, to)})
}

// pick returns a random template.
func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

// gap advances t by a human pause: mostly minutes, sometimes hours.
func gap(r *rand.Rand, t time.Time) time.Time {
	if r.IntN(8) == 0 {
		return t.Add(time.Duration(1+r.IntN(20)) * time.Hour)
	}
	return t.Add(time.Duration(10+r.IntN(900)) * time.Second)
}
