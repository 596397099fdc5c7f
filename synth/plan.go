package synth

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rastro/rastro/synth/images"
)

// chatFile is one file to write: a WhatsApp .txt or .zip, or a Telegram export.
type chatFile struct {
	rel   string
	kind  string // wa_txt, wa_zip, tg_chat, tg_full
	plans []*chatPlan
	left  []*chatPlan // tg_full: left_chats
	owner int         // person index of the exporting account (tg_full), -1 if none
	seed  uint64
}

// devices hands out exhibit folder names, one per seized phone.
type deviceBook struct {
	byOwner map[int]string
	n       int
	titles  map[string]int
}

func (d *deviceBook) of(owner int) string {
	if dv, ok := d.byOwner[owner]; ok && owner >= 0 {
		return dv
	}
	d.n++
	dv := "device-" + pad2(d.n)
	if owner >= 0 {
		d.byOwner[owner] = dv
	}
	return dv
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// uniq makes a file name unique inside its folder the way a user saving twice would ("name 2").
func (d *deviceBook) uniq(path string) string {
	d.titles[path]++
	if n := d.titles[path]; n > 1 {
		return path + " " + strconv.Itoa(n)
	}
	return path
}

// planChats lays out every chat file of the case.
func (g *gen) planChats(r *rand.Rand) {
	s := g.s
	books := &deviceBook{byOwner: map[int]string{}, titles: map[string]int{}}
	layoutOf := map[string]string{}
	// Devices take the layouts in turn from a random start, so that a case
	// with six devices or more shows every layout.
	next := r.IntN(len(waLayouts))
	devLayout := func(dev string) string {
		if l, ok := layoutOf[dev]; ok {
			return l
		}
		l := waLayouts[next%len(waLayouts)]
		next++
		layoutOf[dev] = l
		return l
	}
	names := &mediaNamer{}
	for k, v := range s.ofKind("victim") {
		ev := s.eventsOf(s.people[v].ID)
		victimSide := k%2 == 0
		owner := ev[0].Suspects[0]
		ownerIdx := s.personIndex(owner)
		if victimSide {
			ownerIdx = v
		}
		dev := books.of(ownerIdx)
		layout := devLayout(dev)
		zipped := k == 0
		if zipped {
			layout = []string{"ios_en_GB", "ios_en_US"}[r.IntN(2)]
			layoutOf[dev] = layout
		}
		pl := s.recruitmentChat(r, v, ev, layout, victimSide, names)
		g.sizeMedia(pl)
		if zipped {
			for range 2 {
				s.addMedia(r, pl, pl.msgs[len(pl.msgs)-1].at.Add(time.Minute), 1-pl.owner, layout, names)
			}
			g.sizeMedia(pl)
			pl.file = "chats/whatsapp/" + dev + "/" + books.uniq("WhatsApp Chat - "+safeTitle(pl.title)) + ".zip"
			pl.zipMember = "_chat.txt"
			g.files = append(g.files, &chatFile{rel: pl.file, kind: "wa_zip", plans: []*chatPlan{pl}})
			continue
		}
		pl.file = "chats/whatsapp/" + dev + "/" + books.uniq("WhatsApp Chat with "+safeTitle(pl.title)) + ".txt"
		g.files = append(g.files, &chatFile{rel: pl.file, kind: "wa_txt", plans: []*chatPlan{pl}})
	}
	g.planSuspectChats(r, books, devLayout)
	for _, b := range s.ofKind("bystander") {
		dev := books.of(b)
		pl := s.bystanderChat(r, b, devLayout(dev))
		pl.file = "chats/whatsapp/" + dev + "/" + books.uniq("WhatsApp Chat with "+safeTitle(pl.title)) + ".txt"
		g.files = append(g.files, &chatFile{rel: pl.file, kind: "wa_txt", plans: []*chatPlan{pl}})
	}
	g.planBackground(r, books, devLayout)
	for i, f := range g.files {
		f.seed = subSeed(g.o.Seed, uint64(1000+i))
	}
}

// sizeMedia sets the image size of the plan's media for this case size.
func (g *gen) sizeMedia(pl *chatPlan) {
	for i := range pl.msgs {
		if sp := pl.msgs[i].spec; sp != nil {
			// WhatsApp recompresses photos it sends; 640 px wide is enough.
			w := min(g.spec.imgW, 640)
			sp.Width, sp.Height = w, w*3/4
		}
	}
}

// planSuspectChats writes the network's own conversations: a full Telegram
// export of a controller's account, a single-chat export from the financier,
// and WhatsApp chats with buyers and between recruiter and transporter.
func (g *gen) planSuspectChats(r *rand.Rand, books *deviceBook, devLayout func(string) string) {
	s := g.s
	ctl := s.firstWithRole("controller")
	fin, adv, tr := s.firstWithRole("financier"), s.firstWithRole("advertiser"), s.firstWithRole("transporter")
	var crew []int
	for _, i := range s.ofKind("suspect") {
		if !slices.Contains(s.people[i].Roles, "buyer") {
			crew = append(crew, i)
		}
	}
	crew = append([]int{ctl}, slices.DeleteFunc(slices.Clone(crew), func(i int) bool { return i == ctl })...)
	full := &chatFile{kind: "tg_full", owner: ctl}
	for _, other := range []int{tr, fin, adv} {
		full.plans = append(full.plans, s.suspectChat(r, []int{ctl, other}, "telegram", "telegram_full", "", 40+r.IntN(60)))
	}
	group := s.suspectChat(r, crew, "telegram", "telegram_full", "Los del norte 🚐", 60+r.IntN(80))
	group.msgs = append([]message{{at: group.msgs[0].at.Add(-time.Hour), kind: mEncrypted}}, group.msgs...)
	full.plans = append(full.plans, group)
	full.left = append(full.left, s.suspectChat(r, []int{ctl, tr, s.firstWithRole("recruiter")}, "telegram", "telegram_full", "Viajes "+cities[s.border[0]].Name, 20+r.IntN(20)))
	dev := books.of(ctl)
	full.rel = "chats/telegram/" + dev + "/DataExport_" + s.sc.End.Format("2006-01-02") + "/result.json"
	g.files = append(g.files, full)

	money := s.suspectChat(r, []int{fin, ctl}, "telegram", "telegram_chat", "", 50+r.IntN(50))
	money.file = "chats/telegram/" + books.of(fin) + "/ChatExport_" + s.sc.End.Format("2006-01-02") + "/result.json"
	g.files = append(g.files, &chatFile{rel: money.file, kind: "tg_chat", plans: []*chatPlan{money}})

	for _, b := range s.withRole("buyer") {
		dev := books.of(ctl)
		pl := s.suspectChat(r, []int{ctl, b}, "whatsapp", devLayout(dev), "", 15+r.IntN(20))
		pl.file = "chats/whatsapp/" + dev + "/" + books.uniq("WhatsApp Chat with "+safeTitle(pl.title)) + ".txt"
		g.files = append(g.files, &chatFile{rel: pl.file, kind: "wa_txt", plans: []*chatPlan{pl}})
	}
	rec := s.firstWithRole("recruiter")
	dev = books.of(rec)
	pl := s.suspectChat(r, []int{rec, tr}, "whatsapp", devLayout(dev), "", 30+r.IntN(30))
	pl.file = "chats/whatsapp/" + dev + "/" + books.uniq("WhatsApp Chat with "+safeTitle(pl.title)) + ".txt"
	g.files = append(g.files, &chatFile{rel: pl.file, kind: "wa_txt", plans: []*chatPlan{pl}})
}

// planBackground adds ordinary chats until the chat budget is met.
func (g *gen) planBackground(r *rand.Rand, books *deviceBook, devLayout func(string) string) {
	budget := g.chatBudget()
	var zones []string
	for _, c := range g.s.sc.Countries {
		zones = append(zones, countryZones[c])
	}
	zones = append(zones, countryZones[g.s.sc.Destination])
	dev, owner := "", member{}
	for i := 0; budget > 0; i++ {
		if i%5 == 0 {
			dev, owner = books.of(-1), backgroundOwner(r)
		}
		target := g.spec.bgFile/2 + r.Int64N(g.spec.bgFile)
		target = min(target, budget)
		budget -= target
		zone := zones[r.IntN(len(zones))]
		if r.IntN(5) == 0 {
			pl := backgroundPlan(r, "telegram", "telegram_chat", zone, target, owner)
			date := g.s.sc.End.AddDate(0, 0, r.IntN(30)).Format("2006-01-02")
			pl.file = "chats/telegram/" + dev + "/" + books.uniq("ChatExport_"+date) + "/result.json"
			pl.start = g.s.sc.Start.AddDate(0, 0, -r.IntN(400)).Add(time.Duration(r.IntN(86400)) * time.Second)
			g.files = append(g.files, &chatFile{rel: pl.file, kind: "tg_chat", plans: []*chatPlan{pl}, owner: -1})
			continue
		}
		pl := backgroundPlan(r, "whatsapp", devLayout(dev), zone, target, owner)
		pl.file = "chats/whatsapp/" + dev + "/" + books.uniq("WhatsApp Chat with "+safeTitle(pl.title)) + ".txt"
		pl.start = g.s.sc.Start.AddDate(0, 0, -r.IntN(400)).Add(time.Duration(r.IntN(86400)) * time.Second)
		g.files = append(g.files, &chatFile{rel: pl.file, kind: "wa_txt", plans: []*chatPlan{pl}, owner: -1})
	}
}

// storyBytes estimates the size of the scripted chats planned so far.
func (g *gen) storyBytes() int64 {
	var n int64
	for _, f := range g.files {
		for _, pl := range f.plans {
			n += int64(len(pl.msgs)) * 120
		}
		n += int64(len(f.left)) * 40 * 120
	}
	return n
}

// eventsOf returns the events of a victim in time order.
func (s *story) eventsOf(id string) []Event {
	var out []Event
	for _, e := range s.events {
		if slices.Contains(e.Victims, id) {
			out = append(out, e)
		}
	}
	return out
}

// mediaSpecs lists the image specs behind every media message, in file order.
func (g *gen) mediaSpecs() []images.Spec {
	var out []images.Spec
	for _, f := range g.files {
		for _, pl := range f.plans {
			for _, m := range pl.msgs {
				if m.spec != nil {
					out = append(out, *m.spec)
				}
			}
		}
	}
	return out
}

// safeTitle keeps a chat title usable as a file name.
func safeTitle(t string) string { return strings.NewReplacer("/", "-", "\\", "-", ":", "-").Replace(t) }
