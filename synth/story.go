package synth

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
	"github.com/rastro/rastro/synth/ident"
	"github.com/rastro/rastro/synth/truth"
)

// story is the scenario before any file is written.
type story struct {
	sc       Scenario
	people   []Person
	places   []Place
	events   []Event
	orgs     []Org
	accounts []truth.Account
	tgID     []int64 // Telegram user id per person
	home     []int   // city index per person
	origin   []int   // city indexes where victims are recruited
	border   []int   // border towns on the route
	dest     []int   // destination city indexes
	placeID  map[int]string
	usedPh   map[string]bool
	bank     map[string]string // person ID -> IBAN/account number of their first bank account
	wallets  map[string]string // person ID -> first crypto address
}

var iloSexual = []string{"deceptive recruitment", "confiscated documents", "debt bondage", "isolation", "restriction of movement", "threats", "excessive working hours", "withheld wages"}
var iloLabour = []string{"deceptive recruitment", "confiscated documents", "debt bondage", "withheld wages", "excessive working hours", "degrading living conditions", "isolation", "threats"}
var iloBegging = []string{"deceptive recruitment", "confiscated documents", "restriction of movement", "threats", "quota imposed", "isolation", "physical violence"}

// buildStory draws the whole cast and timeline from r.
func buildStory(r *rand.Rand, scale int) *story {
	s := &story{placeID: map[int]string{}, usedPh: map[string]bool{}, bank: map[string]string{}, wallets: map[string]string{}}
	s.pickGeography(r)
	s.pickWindow(r)
	s.castSuspects(r, scale)
	s.castVictims(r, scale)
	s.castBystanders(r)
	s.makeAccounts(r)
	s.makeOrgs()
	s.makeEvents(r)
	s.sc.Summary = s.summary()
	return s
}

func (s *story) pickGeography(r *rand.Rand) {
	cs := slices.Clone(originCountries)
	r.Shuffle(len(cs), func(i, j int) { cs[i], cs[j] = cs[j], cs[i] })
	n := 2 + r.IntN(3)
	s.sc.Countries = cs[:n]
	s.sc.Destination = []string{"MX", "US"}[r.IntN(2)]
	s.sc.Network = "Red " + orgWords[r.IntN(len(orgWords))] + " " + strconv.Itoa(10+r.IntN(90))
	for _, c := range s.sc.Countries {
		all := citiesOf(c, false)
		s.origin = append(s.origin, all[r.IntN(len(all))])
		if b := citiesOf(c, true); len(b) > 0 {
			s.border = append(s.border, b[0])
		}
	}
	s.border = append(s.border, citiesOf("MX", true)[r.IntN(2)])
	d := citiesOf(s.sc.Destination, false)
	s.dest = append(s.dest, d[r.IntN(len(d))])
	if other := d[r.IntN(len(d))]; other != s.dest[0] {
		s.dest = append(s.dest, other)
	}
	s.sc.Purposes = []string{"sexual"}
	if r.IntN(10) < 4 {
		s.sc.Purposes = append(s.sc.Purposes, "labour")
	}
	if r.IntN(10) < 3 {
		s.sc.Purposes = append(s.sc.Purposes, "begging")
	}
	for _, set := range [][]int{s.origin, s.border, s.dest} {
		for _, ci := range set {
			s.place(ci)
		}
	}
}

// place returns the place ID of city ci, adding it on first use.
func (s *story) place(ci int) string {
	if id, ok := s.placeID[ci]; ok {
		return id
	}
	c := cities[ci]
	id := "place-" + strconv.Itoa(len(s.places)+1)
	s.places = append(s.places, Place{ID: id, City: c.Name, Country: c.Country, Lat: c.Lat, Lon: c.Lon, Zone: zoneOf(c)})
	s.placeID[ci] = id
	return id
}

func (s *story) pickWindow(r *rand.Rand) {
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	s.sc.Start = base.AddDate(0, 0, r.IntN(540))
	s.sc.End = s.sc.Start.AddDate(0, 0, 150+r.IntN(90))
}

// newPerson draws a name, birth date and home city.
func (s *story) newPerson(r *rand.Rand, kind, gender string, age int, home int) *Person {
	first := maleNames
	if gender == "female" {
		first = femaleNames
	}
	name := first[r.IntN(len(first))] + " " + surnames[r.IntN(len(surnames))] + " " + surnames[r.IntN(len(surnames))]
	birth := s.sc.Start.AddDate(-age, 0, -1-r.IntN(360))
	s.people = append(s.people, Person{
		ID: "p" + pad3(len(s.people)+1), Name: name, Gender: gender, Kind: kind,
		BirthDate: birth.Format("2006-01-02"), AgeAtEvents: age, Minor: age < 18,
		Nationality: cities[home].Country, City: s.place(home),
	})
	s.tgID = append(s.tgID, 5000000000+r.Int64N(2000000000))
	s.home = append(s.home, home)
	return &s.people[len(s.people)-1]
}

func pad3(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 3 {
		s = "0" + s
	}
	return s
}

func (s *story) castSuspects(r *rand.Rand, scale int) {
	type slot struct {
		role string
		home []int
	}
	slots := []slot{{"controller", s.dest}, {"financier", s.dest}, {"advertiser", s.dest}, {"transporter", s.border}}
	for _, o := range s.origin {
		slots = append(slots, slot{"recruiter", []int{o}})
	}
	for range scale / 2 {
		slots = append(slots, slot{"controller", s.dest}, slot{"recruiter", s.origin})
	}
	slots = append(slots, slot{"buyer", s.dest}, slot{"buyer", s.dest})
	for _, sl := range slots {
		g := "male"
		if r.IntN(3) == 0 {
			g = "female"
		}
		p := s.newPerson(r, "suspect", g, 24+r.IntN(30), sl.home[r.IntN(len(sl.home))])
		p.Roles = []string{sl.role}
		if sl.role == "advertiser" && r.IntN(2) == 0 {
			p.Roles = append(p.Roles, "recruiter")
		}
		if r.IntN(2) == 0 {
			p.Aliases = []string{pickAlias(r, g)}
		}
		s.giveContacts(r, p, 1+r.IntN(3))
	}
	// Two suspects share one phone: a transporter's number is also used by a recruiter.
	t, rc := s.firstWithRole("transporter"), s.firstWithRole("recruiter")
	if t >= 0 && rc >= 0 {
		s.people[rc].Phones = append(s.people[rc].Phones, s.people[t].Phones[0])
		s.people[t].SharedWith = append(s.people[t].SharedWith, s.people[rc].ID)
		s.people[rc].SharedWith = append(s.people[rc].SharedWith, s.people[t].ID)
	}
}

// pickAlias draws a nickname that fits the gender ("La ..." only for women).
func pickAlias(r *rand.Rand, gender string) string {
	for {
		a := aliasWords[r.IntN(len(aliasWords))]
		female := strings.HasPrefix(a, "La ") || strings.HasPrefix(a, "Mamá")
		if female == (gender == "female") || (!female && !strings.HasPrefix(a, "El ") && !strings.HasPrefix(a, "Don")) {
			return a
		}
	}
}

// giveContacts assigns phones, an e-mail and handles.
func (s *story) giveContacts(r *rand.Rand, p *Person, phones int) {
	home := cities[s.home[len(s.home)-1]].Country
	for i := range phones {
		region := home
		if i > 0 && r.IntN(2) == 0 {
			region = s.sc.Countries[r.IntN(len(s.sc.Countries))]
		}
		p.Phones = append(p.Phones, s.uniquePhone(r, region))
	}
	local := asciiFold(strings.ToLower(strings.Join(strings.Fields(p.Name)[:2], ".")))
	p.Emails = append(p.Emails, strings.ToLower(ident.Email(r, local)))
	base := handleBases[r.IntN(len(handleBases))]
	p.Handles = append(p.Handles, "telegram:"+ident.Handle(r, base))
	if r.IntN(2) == 0 {
		p.Handles = append(p.Handles, "instagram:"+ident.Handle(r, local))
	}
}

// uniquePhone draws a number no other person holds yet (ident's blocks are small).
func (s *story) uniquePhone(r *rand.Rand, region string) string {
	for {
		p := ident.Phone(r, region)
		if !s.usedPh[p] {
			s.usedPh[p] = true
			return p
		}
	}
}

func (s *story) firstWithRole(role string) int {
	for i, p := range s.people {
		if slices.Contains(p.Roles, role) {
			return i
		}
	}
	return -1
}

// withRole returns the indexes of people with role.
func (s *story) withRole(role string) []int {
	var out []int
	for i, p := range s.people {
		if slices.Contains(p.Roles, role) {
			out = append(out, i)
		}
	}
	return out
}

// ofKind returns the indexes of people of kind.
func (s *story) ofKind(kind string) []int {
	var out []int
	for i, p := range s.people {
		if p.Kind == kind {
			out = append(out, i)
		}
	}
	return out
}

func (s *story) castVictims(r *rand.Rand, scale int) {
	n := 4 + 2*scale
	for range n {
		age := 13 + r.IntN(5)
		if r.IntN(10) < 4 {
			age = 18 + r.IntN(7)
		}
		purpose := s.sc.Purposes[r.IntN(len(s.sc.Purposes))]
		g := "female"
		if purpose != "sexual" && r.IntN(2) == 0 {
			g = "male"
		}
		p := s.newPerson(r, "victim", g, age, s.origin[r.IntN(len(s.origin))])
		p.Purpose = purpose
		p.Indicators = pickIndicators(r, purpose)
		s.giveContacts(r, p, 1)
		p.Handles = p.Handles[:1]
	}
}

func pickIndicators(r *rand.Rand, purpose string) []string {
	src := iloSexual
	switch purpose {
	case "labour":
		src = iloLabour
	case "begging":
		src = iloBegging
	}
	out := []string{src[0]}
	for _, ind := range src[1:] {
		if r.IntN(2) == 0 {
			out = append(out, ind)
		}
	}
	return out
}

// castBystanders adds ordinary people who resemble suspects.
func (s *story) castBystanders(r *rand.Rand) {
	for _, si := range s.ofKind("suspect") {
		if r.IntN(10) < 4 {
			continue
		}
		sus := s.people[si]
		p := s.newPerson(r, "bystander", sus.Gender, 20+r.IntN(40), s.home[si])
		p.Name = sus.Name
		p.Resembles = sus.ID
		p.Similarity = []string{"same_name", "same_city"}
		if alt, ok := oneDigitOff(sus.Phones[0], s.usedPh); ok {
			s.usedPh[alt] = true
			p.Phones = []string{alt}
			p.Similarity = append(p.Similarity, "similar_phone")
		} else {
			p.Phones = []string{s.uniquePhone(r, cities[s.home[si]].Country)}
		}
		local := asciiFold(strings.ToLower(strings.Join(strings.Fields(p.Name)[:2], "")))
		p.Emails = []string{strings.ToLower(ident.Email(r, local))}
	}
}

// oneDigitOff returns a valid number that differs from e164 in its last digit.
func oneDigitOff(e164 string, used map[string]bool) (string, bool) {
	last := e164[len(e164)-1] - '0'
	for d := byte(1); d < 10; d++ {
		cand := e164[:len(e164)-1] + string('0'+(last+d)%10)
		if used[cand] {
			continue
		}
		if n, err := phonenumbers.Parse(cand, ""); err == nil && phonenumbers.IsValidNumber(n) {
			return cand, true
		}
	}
	return "", false
}

var ibanCountries = map[string]bool{"CR": true, "DO": true, "GT": true, "SV": true}

var bankNames = map[string]string{
	"GT": "Banco Ficticio de Guatemala", "SV": "Banco Ejemplo Salvadoreño", "HN": "Banco Muestra Hondureño",
	"NI": "Banco Demo de Nicaragua", "CR": "Banco Ficticio Costarricense", "PA": "Banco Ejemplo del Istmo",
	"DO": "Banco Muestra Dominicano", "MX": "Banco Ficticio Mexicano", "US": "Example Community Bank",
}

var currencies = map[string]string{
	"GT": "GTQ", "SV": "USD", "HN": "HNL", "NI": "NIO", "CR": "CRC", "PA": "USD", "DO": "DOP", "MX": "MXN", "US": "USD",
}

// makeAccounts opens bank accounts and wallets for the money story.
func (s *story) makeAccounts(r *rand.Rand) {
	for i := range s.people {
		p := &s.people[i]
		switch {
		case p.Kind == "suspect" && !slices.Contains(p.Roles, "buyer"):
			s.addBank(r, i, p.Roles[0])
			if slices.Contains(p.Roles, "financier") || slices.Contains(p.Roles, "controller") {
				s.addWallet(r, i, p.Roles[0])
			}
		case p.Kind == "victim":
			// Opened in the victim's name (for a minor, with false papers)
			// and used by the controller as a funnel: the money story needs
			// victims' accounts that truth can tie to the person.
			s.addBank(r, i, "victim")
		case p.Kind == "bystander" && r.IntN(2) == 0:
			s.addBank(r, i, "bystander")
		}
	}
	fin := s.firstWithRole("financier")
	for _, name := range []string{"Hotel " + orgWords[r.IntN(len(orgWords))], "Transportes " + orgWords[r.IntN(len(orgWords))]} {
		c := cities[s.dest[0]].Country
		s.accounts = append(s.accounts, truth.Account{ID: "acc-" + pad3(len(s.accounts)+1), Holder: s.people[fin].ID, Role: "business",
			Kind: "bank", Number: bankNumber(r, c), Bank: name, Country: c, Currency: currencies[c]})
	}
}

func (s *story) addBank(r *rand.Rand, pi int, role string) {
	c := cities[s.home[pi]].Country
	a := truth.Account{ID: "acc-" + pad3(len(s.accounts)+1), Holder: s.people[pi].ID, Role: role, Kind: "bank",
		Number: bankNumber(r, c), Bank: bankNames[c], Country: c, Currency: currencies[c]}
	s.accounts = append(s.accounts, a)
	s.people[pi].Accounts = append(s.people[pi].Accounts, a.ID)
	if _, ok := s.bank[s.people[pi].ID]; !ok {
		s.bank[s.people[pi].ID] = a.Number
	}
}

func bankNumber(r *rand.Rand, country string) string {
	if ibanCountries[country] {
		return ident.IBAN(r, country)
	}
	b := make([]byte, 0, 12)
	for range 12 {
		b = append(b, byte('0'+r.IntN(10)))
	}
	return string(b)
}

func (s *story) addWallet(r *rand.Rand, pi int, role string) {
	kinds := []struct {
		kind, cur string
		f         func(*rand.Rand) string
	}{{"btc", "BTC", ident.BTCSegwit}, {"tron", "USDT", ident.Tron}, {"eth", "ETH", ident.ETH}}
	k := kinds[r.IntN(len(kinds))]
	a := truth.Account{ID: "acc-" + pad3(len(s.accounts)+1), Holder: s.people[pi].ID, Role: role, Kind: k.kind, Number: k.f(r), Currency: k.cur}
	s.accounts = append(s.accounts, a)
	s.people[pi].Accounts = append(s.people[pi].Accounts, a.ID)
	s.wallets[s.people[pi].ID] = a.Number
}

// makeOrgs groups the suspects into one advertising organisation per purpose.
func (s *story) makeOrgs() {
	adv := s.firstWithRole("advertiser")
	var members []string
	for _, i := range s.ofKind("suspect") {
		if !slices.Contains(s.people[i].Roles, "buyer") {
			members = append(members, s.people[i].ID)
		}
	}
	var dest []string
	for _, d := range s.dest {
		dest = append(dest, s.place(d))
	}
	for i, purpose := range s.sc.Purposes {
		s.orgs = append(s.orgs, Org{ID: "org-" + strconv.Itoa(i+1), Name: s.sc.Network + " (" + purpose + ")",
			Members: members, Poster: s.people[adv].ID, Purpose: purpose, Cities: dest})
	}
}

// makeEvents moves victims in cohorts along recruitment, transport, harbouring and exploitation.
func (s *story) makeEvents(r *rand.Rand) {
	victims := s.ofKind("victim")
	recruiters, transporters, controllers := s.withRole("recruiter"), s.withRole("transporter"), s.withRole("controller")
	span := s.sc.End.Sub(s.sc.Start)
	for c := 0; c < len(victims); c += 3 {
		cohort := victims[c:min(c+3, len(victims))]
		var ids []string
		for _, v := range cohort {
			ids = append(ids, s.people[v].ID)
		}
		t0 := s.sc.Start.Add(time.Duration(r.Int64N(int64(span / 4)))).Truncate(time.Minute)
		rec := recruiters[r.IntN(len(recruiters))]
		steps := []struct {
			typ, stage string
			city       int
			days       int
			who        int
		}{
			{"Recruitment", "recruitment", s.home[cohort[0]], 14 + r.IntN(20), rec},
			{"Transit", "transport", s.border[r.IntN(len(s.border))], 2 + r.IntN(5), transporters[r.IntN(len(transporters))]},
			{"Exploitation", "harbouring", s.dest[0], 3 + r.IntN(7), controllers[r.IntN(len(controllers))]},
			{"Exploitation", "exploitation", s.dest[r.IntN(len(s.dest))], 40 + r.IntN(40), controllers[r.IntN(len(controllers))]},
		}
		t := t0
		for _, st := range steps {
			end := t.Add(time.Duration(st.days) * 24 * time.Hour)
			if end.After(s.sc.End) {
				end = s.sc.End
			}
			s.events = append(s.events, Event{ID: "ev-" + strconv.Itoa(len(s.events)+1), Type: st.typ, Stage: st.stage,
				Place: s.place(st.city), Start: t, End: end, Victims: ids, Suspects: []string{s.people[st.who].ID},
				Purpose: s.people[cohort[0]].Purpose})
			t = end
		}
	}
}

func (s *story) summary() string {
	var b strings.Builder
	b.WriteString("Fictional network \"" + s.sc.Network + "\" recruits in " + strings.Join(s.sc.Countries, ", "))
	b.WriteString(" and exploits in " + s.sc.Destination + " (" + strings.Join(s.sc.Purposes, ", ") + "): ")
	b.WriteString(strconv.Itoa(len(s.ofKind("suspect"))) + " suspects, " + strconv.Itoa(len(s.ofKind("victim"))) + " possible victims, ")
	b.WriteString(strconv.Itoa(len(s.ofKind("bystander"))) + " bystanders.")
	return b.String()
}

var foldReplacer = strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ñ", "n", "ü", "u", "Á", "a", "É", "e", "Í", "i", "Ó", "o", "Ú", "u")

// asciiFold drops Spanish accents for e-mail local parts and handles.
func asciiFold(s string) string { return foldReplacer.Replace(s) }

// victimCountry returns the country where person i lives.
func (s *story) country(i int) string { return cities[s.home[i]].Country }
