package roles

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rastro/rastro/extract"
	"github.com/rastro/rastro/ingest"
	"github.com/rastro/rastro/money"
	"github.com/rastro/rastro/synth"
)

// caseInput generates a training case and builds the Input an analyst's
// case would give once identities are resolved: people with their case
// roles and every phone, e-mail, handle and account they use; every chat
// message parsed from the exported files, its sender known from the truth
// (as resolution would know it) and its recipients the chat's other
// participants; the transactions of the money folder; the phones of every
// ad; and the merchant accounts of the money generator.
func caseInput(tb testing.TB, size string, seed uint64) (Input, *synth.Truth) {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "case")
	tr, err := synth.Generate(context.Background(), synth.Options{Size: size, Seed: seed, Out: dir})
	if err != nil {
		tb.Fatal(err)
	}
	var in Input
	holder := map[string][]string{} // person -> account numbers
	in.Businesses = map[string]string{}
	for _, a := range tr.Accounts {
		if a.Holder != "" {
			holder[a.Holder] = append(holder[a.Holder], a.Number)
		}
		if cat := merchantCategory(a.ID, a.Bank); cat != "" && a.Role == "business" {
			in.Businesses[a.Number] = cat
		}
	}
	for _, p := range tr.People {
		role := map[string]string{"suspect": "suspect", "victim": "possible_victim"}[p.Kind]
		accts := append([]string{"person:" + p.ID}, p.Phones...)
		accts = append(append(append(accts, p.Emails...), p.Handles...), holder[p.ID]...)
		in.People = append(in.People, Person{ID: p.ID, CaseRole: cmpOr(role, "unknown"), Accounts: accts})
	}
	in.Messages = caseMessages(tb, dir, tr)
	in.Payments = casePayments(tb, dir)
	in.Ads = synthAds(tb, dir)
	return in, tr
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// merchantCategory classifies the money generator's business accounts by
// their ID prefix or bank name (a hotel, a transport company).
func merchantCategory(id, bank string) string {
	switch {
	case strings.HasPrefix(id, "adsite-"), strings.HasPrefix(id, "prepaid-"):
		return CategoryAds
	case strings.HasPrefix(id, "hotel-"), strings.HasPrefix(bank, "Hotel"):
		return CategoryLodging
	case strings.HasPrefix(id, "bus-"), strings.HasPrefix(id, "airline-"), strings.HasPrefix(bank, "Transportes"):
		return CategoryTransport
	}
	return ""
}

// caseMessages parses every chat of the case.
func caseMessages(tb testing.TB, dir string, tr *synth.Truth) []Message {
	tb.Helper()
	sender := map[string]string{} // file#locator -> person
	for _, r := range tr.Records {
		if r.Kind == "message" && r.Person != "" {
			sender[r.File+"#"+r.Locator] = r.Person
		}
	}
	var out []Message
	done := map[string]bool{}
	for _, c := range tr.Chats {
		key := c.File + "#" + c.Pointer
		if done[key] {
			continue
		}
		done[key] = true
		out = append(out, chatMessages(tb, dir, c, tr, sender)...)
	}
	return out
}

// chatMessages parses one chat file; for a full Telegram export every chat
// in it is read and each message's recipients come from the chat whose
// pointer prefixes its locator.
func chatMessages(tb testing.TB, dir string, c synth.Chat, tr *synth.Truth, sender map[string]string) []Message {
	tb.Helper()
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(c.File)))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	format := ingest.FormatWhatsApp
	opt := ingest.Options{}
	switch {
	case c.Platform == "telegram":
		format = ingest.FormatTelegram
	case c.Member != "":
		format = ingest.FormatWhatsAppZip
	}
	if c.Platform == "whatsapp" {
		zone, err := time.LoadLocation(c.Zone)
		if err != nil {
			tb.Fatal(err)
		}
		opt.Zone = zone
	}
	var chats []synth.Chat // every chat of this file
	for _, o := range tr.Chats {
		if o.File == c.File {
			chats = append(chats, o)
		}
	}
	var out []Message
	collect := func(it ingest.Item) error {
		if it.Kind != ingest.KindMessage || it.System {
			return nil
		}
		from := sender[c.File+"#"+it.Locator]
		parts := participants(chats, it.Locator)
		if from == "" {
			from = "contact:" + it.Sender.Name + it.Sender.Phone
		} else {
			from = "person:" + from
		}
		var to []string
		for _, p := range parts {
			if "person:"+p != from {
				to = append(to, "person:"+p)
			}
		}
		out = append(out, Message{ID: c.File + "#" + it.Locator, From: from, To: to, Time: it.Time, Text: it.Text})
		return nil
	}
	if format == ingest.FormatWhatsAppZip {
		st, _ := f.Stat()
		_, err = ingest.ParseWhatsAppZip(f, st.Size(), c.File, opt, collect)
	} else {
		_, err = ingest.Parse(f, c.File, format, opt, collect)
	}
	if err != nil {
		tb.Fatalf("%s: %v", c.File, err)
	}
	return out
}

// participants returns the participants of the chat a message locator
// belongs to: the chat whose pointer is the longest prefix of it.
func participants(chats []synth.Chat, locator string) []string {
	best := -1
	for i, c := range chats {
		if c.Pointer == "" && best < 0 || c.Pointer != "" && strings.HasPrefix(strings.TrimPrefix(locator, "json:"), c.Pointer+"/") {
			if best < 0 || len(c.Pointer) > len(chats[best].Pointer) {
				best = i
			}
		}
	}
	if best < 0 {
		return nil
	}
	return chats[best].Participants
}

// casePayments reads the money folder.
func casePayments(tb testing.TB, dir string) []Payment {
	tb.Helper()
	ds, err := money.LoadDir(filepath.Join(dir, "money"), "money")
	if err != nil {
		tb.Fatal(err)
	}
	var out []Payment
	for _, t := range ds.Txs {
		out = append(out, Payment{ID: t.Key(), From: t.From, To: t.To, Time: t.Time, Description: t.Description})
	}
	return out
}

// synthAds reads ads/ads.jsonl and extracts the phones of each ad.
func synthAds(tb testing.TB, dir string) []Ad {
	tb.Helper()
	f, err := os.Open(filepath.Join(dir, "ads", "ads.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []Ad
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		var a struct {
			ID, Country, Title, Body, Category string
		}
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			tb.Fatal(err)
		}
		ad := Ad{ID: "ad:" + a.ID, Category: a.Category}
		for _, s := range extract.Scan([]byte(a.Title+"\n"+a.Body), extract.Options{Region: a.Country, Kinds: []string{extract.KindPhone}}) {
			if s.Valid {
				ad.Phones = append(ad.Phones, s.Value)
			}
		}
		out = append(out, ad)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// roleScore is precision and recall of one role's hints against the truth.
type roleScore struct {
	tp, fp, fn int
}

func (s roleScore) precision() float64 { return ratio(s.tp, s.tp+s.fp) }
func (s roleScore) recall() float64    { return ratio(s.tp, s.tp+s.fn) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// scoreHints compares the hints with the suspects' planted roles.
func scoreHints(tr *synth.Truth, hints []Hint) map[Role]roleScore {
	got := map[Role]map[string]bool{}
	for _, h := range hints {
		if got[h.Role] == nil {
			got[h.Role] = map[string]bool{}
		}
		got[h.Role][h.Person] = true
	}
	out := map[Role]roleScore{}
	for _, r := range AllRoles() {
		var s roleScore
		for _, p := range tr.People {
			want := slices.Contains(p.Roles, string(r))
			switch {
			case want && got[r][p.ID]:
				s.tp++
			case want:
				s.fn++
			case got[r][p.ID]:
				s.fp++
			}
		}
		out[r] = s
	}
	return out
}

// TestHintsOnTrainingCase scores the hints against the planted roles of
// tiny training cases (and the small one with RASTRO_ROLES_SMALL=1: about
// 40 s) and checks that no possible victim is ever hinted.
func TestHintsOnTrainingCase(t *testing.T) {
	type run struct {
		size string
		seed uint64
	}
	runs := []run{{"tiny", 7}, {"tiny", 11}, {"tiny", 23}}
	if os.Getenv("RASTRO_ROLES_SMALL") != "" {
		runs = append(runs, run{"small", 7})
	}
	// Floors below the measured values (in the log) so a regression fails.
	// Recall of recruiters is lower by design: a recruiter who never
	// writes to a possible victim in the evidence leaves no trace here.
	floor := map[Role][2]float64{ // precision, recall
		Recruiter: {0.6, 0.5}, Controller: {0.6, 0.6}, Transporter: {0.6, 0.6},
		Financier: {0.6, 0.6}, Advertiser: {0.6, 0.6},
	}
	total := map[Role]roleScore{}
	for _, r := range runs {
		in, tr := caseInput(t, r.size, r.seed)
		hints := Hints(in, Options{})
		kind := map[string]string{}
		for _, p := range tr.People {
			kind[p.ID] = p.Kind
		}
		for _, h := range hints {
			if kind[h.Person] == "victim" {
				t.Errorf("%s/%d: possible victim %s hinted as %s", r.size, r.seed, h.Person, h.Role)
			}
			if !slices.Contains(rolesOf(tr, h.Person), string(h.Role)) {
				t.Logf("%s/%d: %s (%s, %v) hinted %s %.2f: %v", r.size, r.seed, h.Person, kind[h.Person], rolesOf(tr, h.Person), h.Role, h.Score, h.Reasons)
			}
		}
		for role, s := range scoreHints(tr, hints) {
			t.Logf("%s/%d %s: precision %.2f recall %.2f (tp %d fp %d fn %d)", r.size, r.seed, role, s.precision(), s.recall(), s.tp, s.fp, s.fn)
			a := total[role]
			a.tp, a.fp, a.fn = a.tp+s.tp, a.fp+s.fp, a.fn+s.fn
			total[role] = a
		}
	}
	for _, role := range AllRoles() {
		s, f := total[role], floor[role]
		t.Logf("all %s: precision %.2f recall %.2f (tp %d fp %d fn %d)", role, s.precision(), s.recall(), s.tp, s.fp, s.fn)
		if s.precision() < f[0] || s.recall() < f[1] {
			t.Errorf("%s over %d cases: precision %.2f recall %.2f, want ≥ %.2f, ≥ %.2f", role, len(runs), s.precision(), s.recall(), f[0], f[1])
		}
	}
}

func rolesOf(tr *synth.Truth, id string) []string {
	for _, p := range tr.People {
		if p.ID == id {
			return p.Roles
		}
	}
	return nil
}
