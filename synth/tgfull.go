package synth

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// writeTGFull writes a Telegram Desktop full export (result.json) of one account.
func (g *gen) writeTGFull(ctx context.Context, f *chatFile) (*partial, error) {
	s, err := g.create(f.rel)
	if err != nil {
		return nil, err
	}
	loc := mustZone(zoneOf(cities[g.s.home[f.owner]]))
	tw := &tgWriter{w: s, file: f.rel, ids: g.ids, loc: loc}
	p := &partial{}
	tw.buf = append(tw.buf, "{\n"...)
	tw.str(" ", "about", tgAbout, true)
	g.tgPersonal(tw, f.owner)
	g.tgContacts(tw, f)
	for li, sec := range []struct {
		key, about string
		plans      []*chatPlan
	}{{"chats", tgChatsAbout, f.plans}, {"left_chats", tgLeftAbout, f.left}} {
		tw.key(" ", sec.key)
		tw.buf = append(tw.buf, "{\n"...)
		tw.str("  ", "about", sec.about, true)
		tw.key("  ", "list")
		tw.buf = append(tw.buf, "[\n"...)
		for i, pl := range sec.plans {
			pl.zone, pl.loc = loc.String(), loc
			pl.seed = f.seed + uint64(li*100+i)
			ptr := "/" + sec.key + "/list/" + strconv.Itoa(i)
			n, err := tw.chat(pl, "   ", ptr, g.ctxSource(ctx, g.source(f, pl, tw.at)))
			if err != nil {
				s.abort()
				return nil, fmt.Errorf("synth: %s: %w", f.rel, err)
			}
			if i < len(sec.plans)-1 {
				tw.buf = append(tw.buf, ',')
			}
			tw.buf = append(tw.buf, '\n')
			p.chats = append(p.chats, g.chatInfo(pl, f.rel, "", ptr, n))
		}
		tw.buf = append(tw.buf, "  ]\n }"...)
		if li == 0 {
			tw.buf = append(tw.buf, ',')
		}
		tw.buf = append(tw.buf, '\n')
	}
	tw.buf = append(tw.buf, "}\n"...)
	if err := tw.flush(); err != nil {
		s.abort()
		return nil, fmt.Errorf("synth: %s: %w", f.rel, err)
	}
	fi, err := s.close("telegram:full")
	if err != nil {
		return nil, err
	}
	p.files, p.sels, p.recs = []FileInfo{fi}, tw.sels, tw.recs
	return p, nil
}

// tgPersonal writes the account's own profile.
func (g *gen) tgPersonal(tw *tgWriter, owner int) {
	pr := g.s.people[owner]
	first, last, _ := strings.Cut(pr.Name, " ")
	tw.key(" ", "personal_information")
	tw.buf = append(tw.buf, "{\n"...)
	tw.num("  ", "user_id", g.s.tgID[owner], true)
	tw.str("  ", "first_name", first, true)
	tw.str("  ", "last_name", last, true)
	tw.key("  ", "phone_number")
	tw.buf = append(tw.buf, '"')
	form := intlForm(pr.Phones[0])
	tw.plant(&plant{kind: "phone", value: pr.Phones[0], form: form, owner: pr.ID})
	tw.buf = append(tw.buf, form...)
	tw.buf = append(tw.buf, "\",\n"...)
	h := pr.Handles[0][strings.IndexByte(pr.Handles[0], ':')+1:]
	tw.key("  ", "username")
	tw.buf = append(tw.buf, "\"@"...)
	tw.plant(&plant{kind: "handle", value: strings.ToLower(h), form: h, owner: pr.ID})
	tw.buf = append(tw.buf, h...)
	tw.buf = append(tw.buf, "\",\n"...)
	tw.str("  ", "bio", "", false)
	tw.buf = append(tw.buf, " },\n"...)
}

// tgContacts lists the people the account talks to, with their numbers.
func (g *gen) tgContacts(tw *tgWriter, f *chatFile) {
	tw.key(" ", "contacts")
	tw.buf = append(tw.buf, "{\n"...)
	tw.str("  ", "about", tgContactAbout, true)
	tw.key("  ", "list")
	tw.buf = append(tw.buf, '[')
	seen := map[int]bool{f.owner: true}
	k := 0
	for _, pl := range append(append([]*chatPlan{}, f.plans...), f.left...) {
		for _, m := range pl.members {
			if m.person < 0 || seen[m.person] || m.showNumber {
				continue
			}
			seen[m.person] = true
			if k > 0 {
				tw.buf = append(tw.buf, ',')
			}
			k++
			tw.buf = append(tw.buf, "\n   {\n"...)
			first, last, _ := strings.Cut(m.name, " ")
			tw.num("    ", "user_id", m.tgID, true)
			tw.str("    ", "first_name", first, true)
			tw.str("    ", "last_name", last, true)
			tw.key("    ", "phone_number")
			tw.buf = append(tw.buf, '"')
			form := intlForm(m.phone)
			tw.plant(&plant{kind: "phone", value: m.phone, form: form, owner: g.ids[m.person]})
			tw.buf = append(tw.buf, form...)
			tw.buf = append(tw.buf, "\",\n"...)
			tw.key("    ", "date")
			tw.buf = append(tw.buf, '"')
			t := g.s.sc.Start.In(tw.loc)
			tw.buf = t.AppendFormat(tw.buf, "2006-01-02T15:04:05")
			tw.buf = append(tw.buf, "\",\n"...)
			tw.key("    ", "date_unixtime")
			tw.buf = strconv.AppendInt(append(tw.buf, '"'), t.Unix(), 10)
			tw.buf = append(tw.buf, "\"\n   }"...)
		}
	}
	tw.buf = append(tw.buf, "\n  ]\n },\n"...)
}
