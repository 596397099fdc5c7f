package synth

import (
	"math/rand/v2"
	"time"

	"github.com/rastro/rastro/synth/ident"
)

var bgFamily = []string{"Mamá", "Papá", "Abuela", "Tía Rosa", "Tío Beto", "Hermano", "Mi amor ❤️", "Jefe", "Vecina", "Profe"}

// backgroundPlan is an ordinary chat between contacts who are not people of the story.
// owner is the device owner, the same in every chat of one device.
func backgroundPlan(r *rand.Rand, platform, layout, zone string, target int64, owner member) *chatPlan {
	pl := &chatPlan{platform: platform, layout: layout, zone: zone, loc: mustZone(zone), target: target, owner: 0, seed: r.Uint64()}
	n := 2
	if r.IntN(3) == 0 {
		n = 3 + r.IntN(5)
		pl.group = true
		pl.title = pick(r, groupTitles)
	}
	pl.members = []member{owner}
	used := map[string]bool{owner.name: true}
	for len(pl.members) < n {
		name := pick(r, femaleNames) + " " + pick(r, surnames)
		if r.IntN(2) == 0 {
			name = pick(r, bgFamily)
		}
		if used[name] {
			continue
		}
		used[name] = true
		pl.members = append(pl.members, member{person: -1, name: name, tgID: 5000000000 + r.Int64N(2000000000)})
	}
	if !pl.group {
		pl.title = pl.members[1].name
	}
	return pl
}

// backgroundOwner draws the owner of a background device.
func backgroundOwner(r *rand.Rand) member {
	return member{person: -1, name: pick(r, append(femaleNames[:len(femaleNames):len(femaleNames)], maleNames...)) + " " + pick(r, surnames),
		tgID: 5000000000 + r.Int64N(2000000000)}
}

// bgSource produces background messages until the writer has written target bytes.
type bgSource struct {
	r       *rand.Rand
	pl      *chatPlan
	written func() int64
	t       time.Time
	i       int
	avoid   map[string]bool // story phones: background never plants them
	country string
	buf     []part
	plants  [1]plant
	intl    map[string]string // intlForm cache: formatting parses the number, which is slow
}

func (b *bgSource) intlForm(e164 string) string {
	if b.intl == nil {
		b.intl = map[string]string{}
	}
	f, ok := b.intl[e164]
	if !ok {
		f = intlForm(e164)
		b.intl[e164] = f
	}
	return f
}

// next fills m with the next message; false when the target is reached.
func (b *bgSource) next(m *message) bool {
	if b.written() >= b.pl.target {
		return false
	}
	r := b.r
	b.i++
	*m = message{from: r.IntN(len(b.pl.members)), parts: b.buf[:0]}
	if b.i == 1 && (b.pl.platform == "whatsapp" || b.pl.group) { // encryption notice, or Telegram's create_group
		m.kind, m.from, m.at = mEncrypted, 0, b.t
		return true
	}
	b.t = b.t.Add(time.Duration(5+r.IntN(1800)) * time.Second)
	if r.IntN(16) == 0 {
		b.t = b.t.Add(time.Duration(r.IntN(14)) * time.Hour)
	}
	m.at = b.t
	switch k := r.IntN(400); {
	case k < 12:
		m.kind = mMedia
	case k < 14 && b.pl.platform == "whatsapp":
		m.kind = mDeleted
	case k < 16:
		m.parts = append(m.parts, part{text: "mi número nuevo es "}, b.plantPhone())
	case k < 17:
		p := emailPlant(r, ident.Email(r, ""), "")
		b.plants[0] = p
		m.parts = append(m.parts, part{text: "mandalo al correo "}, part{text: p.form, p: &b.plants[0]})
	case k < 40:
		m.parts = append(m.parts, part{text: pick(r, chatterLong)})
	case k < 50:
		m.parts = append(m.parts, part{text: pick(r, chatter)}, part{text: "\n"}, part{text: pick(r, chatter)})
	default:
		m.parts = append(m.parts, part{text: pick(r, chatter)})
		if r.IntN(3) == 0 {
			m.parts = append(m.parts, part{text: " "}, part{text: pick(r, chatter)})
		}
	}
	b.buf = m.parts
	return true
}

func (b *bgSource) plantPhone() part {
	for {
		ph := ident.Phone(b.r, b.country)
		if !b.avoid[ph] {
			b.plants[0] = phonePlant(b.r, ph, "", false, b.intlForm)
			return part{text: b.plants[0].form, p: &b.plants[0]}
		}
	}
}
