package synth

import (
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/rastro/rastro/synth/images"
)

var waLayouts = []string{"android_en_GB", "android_en_US", "android_es_ES", "android_es_MX", "ios_en_GB", "ios_en_US"}

// devices are "Make|Model" pairs for image EXIF.
var devices = []string{"Samsung|SM-A515F", "Samsung|SM-A125M", "Xiaomi|Redmi Note 9", "Motorola|moto g(20)", "Apple|iPhone 11", "Apple|iPhone SE"}

// mediaNamer hands out unique WhatsApp media names across the whole case.
type mediaNamer struct{ n int }

func (m *mediaNamer) android(t time.Time) string {
	m.n++
	return "IMG-" + t.Format("20060102") + "-WA" + pad4(m.n)
}

func (m *mediaNamer) ios(t time.Time) string {
	m.n++
	return "0000" + pad4(m.n) + "-PHOTO-" + t.Format("2006-01-02-15-04-05")
}

func pad4(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}

// recruitmentChat is the conversation between a recruiter and a possible
// victim, from the first job offer to control at the destination.
func (s *story) recruitmentChat(r *rand.Rand, v int, ev []Event, layout string, victimSide bool, names *mediaNamer) *chatPlan {
	rec := s.personIndex(ev[0].Suspects[0])
	ctl := s.personIndex(ev[len(ev)-1].Suspects[0])
	ownerP, otherP := rec, v
	if victimSide {
		ownerP, otherP = v, rec
	}
	pl := &chatPlan{platform: "whatsapp", layout: layout, story: true, owner: 0}
	pl.loc = mustZone(zoneOf(cities[s.home[ownerP]]))
	pl.zone = pl.loc.String()
	pl.members = []member{s.personMember(r, ownerP, true), s.personMember(r, otherP, r.IntN(3) > 0)}
	pl.title = pl.members[1].name
	recM, vicM := 0, 1
	if victimSide {
		recM, vicM = 1, 0
	}
	sc := &scripter{s: s, r: r, plan: pl}
	t := ev[0].Start.Add(-time.Duration(r.IntN(72)) * time.Hour)
	pl.msgs = append(pl.msgs, message{at: t, kind: mEncrypted})
	for i := range 6 + r.IntN(6) {
		t = gap(r, t)
		if i%2 == 0 {
			sc.add(t, recM, vicM, pick(r, recruitOffer))
		} else {
			sc.add(t, vicM, recM, pick(r, victimReplies))
		}
		if r.IntN(6) == 0 {
			t = gap(r, t)
			s.addMedia(r, pl, t, recM, layout, names)
		}
	}
	t = maxTime(t, ev[1].Start)
	for range 4 + r.IntN(5) {
		t = gap(r, t)
		sc.add(t, recM, vicM, pick(r, logistics))
		t = gap(r, t)
		sc.add(t, vicM, recM, pick(r, victimReplies))
	}
	if victimSide && r.IntN(2) == 0 {
		t = gap(r, t)
		pl.msgs = append(pl.msgs, message{at: t, kind: mDeleted, from: vicM})
	}
	t = maxTime(t, ev[len(ev)-1].Start)
	if ctl != rec {
		t = gap(r, t)
		pl.members = append(pl.members, s.personMember(r, ctl, false))
		pl.msgs = append(pl.msgs, message{at: t, kind: mAdded, from: recM, target: 2})
		recM = 2
	}
	for range 5 + r.IntN(8) {
		t = gap(r, t)
		sc.add(t, recM, vicM, pick(r, control))
		t = gap(r, t)
		sc.add(t, vicM, recM, pick(r, victimReplies))
	}
	return pl
}

// addMedia appends a photo message and the image spec behind it.
func (s *story) addMedia(r *rand.Rand, pl *chatPlan, t time.Time, from int, layout string, names *mediaNamer) {
	lt := t.In(pl.loc)
	name := names.android(lt)
	if layout[:3] == "ios" {
		name = names.ios(lt)
	}
	p := pl.members[from].person
	c := cities[s.home[p]]
	spec := &images.Spec{Name: name, Seed: r.Uint64(), Width: 640, Height: 480, Taken: time.Date(lt.Year(), lt.Month(), lt.Day(), lt.Hour(), lt.Minute(), lt.Second(), 0, time.UTC),
		Lat: c.Lat + (r.Float64()-0.5)/50, Lon: c.Lon + (r.Float64()-0.5)/50, Device: devices[p%len(devices)], Owner: s.people[p].ID, Variants: r.IntN(3) == 0}
	pl.msgs = append(pl.msgs, message{at: t, from: from, kind: mMedia, media: name + ".jpg", spec: spec})
}

// suspectChat is a conversation between suspects about logistics and money.
func (s *story) suspectChat(r *rand.Rand, ps []int, platform, layout, title string, n int) *chatPlan {
	pl := &chatPlan{platform: platform, layout: layout, story: true, group: len(ps) > 2, title: title}
	pl.loc = mustZone(zoneOf(cities[s.home[ps[0]]]))
	pl.zone = pl.loc.String()
	for i, p := range ps {
		pl.members = append(pl.members, s.personMember(r, p, i == 0 || r.IntN(4) > 0))
	}
	if !pl.group {
		pl.title = pl.members[1].name
	}
	sc := &scripter{s: s, r: r, plan: pl}
	t := s.sc.Start.Add(time.Duration(r.Int64N(int64(time.Hour) * 24 * 20)))
	if platform == "whatsapp" {
		pl.msgs = append(pl.msgs, message{at: t, kind: mEncrypted})
	}
	pools := [][]string{logistics, moneyLines, control, chatter}
	for i := range n {
		t = gap(r, t)
		from := i % len(pl.members)
		if r.IntN(3) == 0 {
			from = r.IntN(len(pl.members))
		}
		pool := pools[r.IntN(len(pools))]
		if r.IntN(3) == 0 {
			pool = moneyLines
		}
		sc.add(t, from, (from+1)%len(pl.members), pick(r, pool))
	}
	return pl
}

// bystanderChat is an ordinary chat of a bystander with family, with their own number in it.
func (s *story) bystanderChat(r *rand.Rand, b int, layout string) *chatPlan {
	pl := &chatPlan{platform: "whatsapp", layout: layout, owner: 0}
	pl.loc = mustZone(zoneOf(cities[s.home[b]]))
	pl.zone = pl.loc.String()
	pl.members = []member{s.personMember(r, b, true), {person: -1, name: pick(r, []string{"Mamá", "Tía Rosa", "Papá", "Abuela", "Hermano"})}}
	pl.title = pl.members[1].name
	sc := &scripter{s: s, r: r, plan: pl}
	t := s.sc.Start.Add(time.Duration(r.Int64N(int64(s.sc.End.Sub(s.sc.Start)))))
	pl.msgs = append(pl.msgs, message{at: t, kind: mEncrypted})
	for i := range 30 + r.IntN(60) {
		t = gap(r, t)
		switch {
		case i == 5:
			sc.add(t, 0, 1, "este es mi número nuevo {PH} guardalo")
		case i == 9:
			sc.add(t, 0, 1, "mi correo {EM}")
		default:
			pl.msgs = append(pl.msgs, message{at: t, from: i % 2, parts: []part{{text: pick(r, chatter)}}})
		}
	}
	return pl
}

func (s *story) personIndex(id string) int {
	for i, p := range s.people {
		if p.ID == id {
			return i
		}
	}
	return -1
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
