// Package ads writes the online ads of a training scenario as investigators
// collect them: a JSON Lines scrape of classified sites (ads.jsonl) and
// pages saved from a browser (pages/ad-<id>.html), some of them dark-web
// listings. Organisations of the story reuse text templates with slots,
// vary their spelling and obfuscate phone numbers to evade filters;
// ordinary ads (furniture, cars, rentals, real jobs) fill the rest up to
// the requested size. Every site is on a reserved example.* domain and
// every identifier comes from package ident (fictional by construction).
package ads

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/synth/ident"
	"github.com/rastro/rastro/synth/truth"
)

// Org is an organisation of the story that posts ads.
type Org struct {
	ID      string   // e.g. "org-1"
	Poster  string   // person ID of the advertiser
	Phones  []string // E.164
	Handles []string
	Emails  []string
	Cities  []string // city names
	Purpose string   // "sexual", "labour", "begging"
}

// Params says what to write and where.
type Params struct {
	Seed        uint64
	Dir, Prefix string
	Start, End  time.Time
	TargetBytes int64
	Orgs        []Org
}

// Result lists the files written and their ground truth.
type Result struct {
	Files     []string
	Ads       []truth.Ad
	Selectors []truth.Selector
	Records   []truth.RecordRef
}

// JSONLName is the scrape file written under Params.Dir.
const JSONLName = "ads.jsonl"

// plannedAd is a story ad scheduled before writing.
type plannedAd struct {
	at   time.Time
	org  int
	html bool
}

// Generate writes Dir/ads.jsonl and Dir/pages/*.html, about TargetBytes in
// all, and returns one truth.Ad and one RecordRef per story ad and a
// truth.Selector for every organisation identifier written.
func Generate(p Params) (*Result, error) {
	if p.Start.IsZero() || !p.End.After(p.Start) {
		return nil, rastro.Errorf(rastro.EINVALID, "ads: the scenario window is empty: set Start before End")
	}
	for _, o := range p.Orgs {
		if len(o.Phones) == 0 {
			return nil, rastro.Errorf(rastro.EINVALID, "ads: org %s has no phone: every organisation needs one to post ads", o.ID)
		}
	}
	if err := os.MkdirAll(filepath.Join(p.Dir, "pages"), 0o755); err != nil {
		return nil, fmt.Errorf("ads: %w", err)
	}
	g := newGen(p)
	plan := g.plan()
	if err := g.writePages(plan); err != nil {
		return nil, fmt.Errorf("ads: %w", err)
	}
	if err := g.writeJSONL(plan); err != nil {
		return nil, fmt.Errorf("ads: %w", err)
	}
	return &g.res, nil
}

// gen holds the state of one generation run.
type gen struct {
	p       Params
	rs, rb  *rand.Rand // story and background streams
	res     Result
	orgs    []orgState
	cities  []city
	bgTmpl  []template
	words   [nSlots][]string
	posters []poster
	sites   []site
	zones   map[string]*time.Location
	nextID  int64
	written int64 // bytes written so far, all files
	a       adv   // the ad being built, buffers reused
	out     []byte
}

// newGen prepares organisations, background posters and sites.
func newGen(p Params) *gen {
	g := &gen{
		p:      p,
		rs:     rand.New(rand.NewPCG(p.Seed, 0x6164732d73746f72)), // "ads-stor"
		rb:     rand.New(rand.NewPCG(p.Seed, 0x6164732d626b6764)), // "ads-bkgd"
		cities: cities(),
		bgTmpl: compile(backgroundTemplates()),
		words:  wordLists(),
		sites:  sites(),
		zones:  map[string]*time.Location{},
	}
	g.nextID = 4_800_000 + g.rs.Int64N(100_000)
	for i := range p.Orgs {
		g.orgs = append(g.orgs, newOrgState(g.rs, &p.Orgs[i], g.cities))
	}
	g.posters = newPosters(g.rb, g.cities, int(min(4000, 40+p.TargetBytes/(16<<10))))
	return g
}

// plan schedules the story ads of every org over the scenario window; a
// share of them is saved as HTML pages, the rest appears in the scrape.
func (g *gen) plan() []plannedAd {
	per := int(min(250, 16+g.p.TargetBytes/(128<<10)))
	span := g.p.End.Sub(g.p.Start)
	var out []plannedAd
	for i := range g.orgs {
		n := per/2 + g.rs.IntN(per/2+1)
		for range n {
			at := g.p.Start.Add(time.Duration(g.rs.Int64N(int64(span)))).Truncate(time.Second)
			out = append(out, plannedAd{at: at, org: i, html: g.rs.IntN(4) == 0})
		}
	}
	slices.SortStableFunc(out, func(a, b plannedAd) int { return a.at.Compare(b.at) })
	return out
}

// zone returns the fixed local time zone of a country, cached.
func (g *gen) zone(country string) *time.Location {
	if z, ok := g.zones[country]; ok {
		return z
	}
	off := -6
	switch country {
	case "PA", "US":
		off = -5
	case "DO":
		off = -4
	}
	z := time.FixedZone("", off*3600)
	g.zones[country] = z
	return z
}

// newID returns the next ad ID: increasing, with gaps like a real site.
func (g *gen) newID(r *rand.Rand) int64 {
	g.nextID += 1 + r.Int64N(23)
	return g.nextID
}

// rel returns the case-relative path of a file under Dir.
func (g *gen) rel(name string) string {
	if g.p.Prefix == "" {
		return name
	}
	return strings.TrimSuffix(g.p.Prefix, "/") + "/" + name
}

// orgState is an organisation with its posting habits.
type orgState struct {
	*Org
	cities   []city
	tmpls    []template
	dark     *template // dark-web listing template, nil if the org has none
	spelling *strings.Replacer
	obfs     []string // phone obfuscations it uses
	onion    string
	market   string // onion of the dark-web market it lists on
}

// newOrgState draws an organisation's habits: two or three templates of its
// purpose, a spelling variant set and its preferred phone obfuscations.
func newOrgState(r *rand.Rand, o *Org, all []city) orgState {
	region := ""
	if len(o.Phones) > 0 {
		_, _, region = splitE164(o.Phones[0])
	}
	s := orgState{Org: o}
	for _, c := range o.Cities {
		s.cities = append(s.cities, lookupCity(all, c, region))
	}
	if len(s.cities) == 0 {
		s.cities = []city{all[r.IntN(len(all))]}
	}
	var pool []template
	for _, t := range compile(storyTemplates(o.Purpose)) {
		if t.dark {
			s.dark = &t
		} else {
			pool = append(pool, t)
		}
	}
	r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	s.tmpls = pool[:min(len(pool), 2+r.IntN(2))]
	if s.dark != nil {
		s.onion, s.market = ident.Onion(r), ident.Onion(r)
	}
	var pairs []string
	for _, m := range misspellings() {
		if r.IntN(2) == 0 {
			pairs = append(pairs, m[0], m[1])
		}
	}
	s.spelling = strings.NewReplacer(pairs...)
	kinds := []string{ObfNone, ObfSeparators, ObfWordsES, ObfWordsEN, ObfEmoji}
	r.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
	s.obfs = kinds[:2+r.IntN(2)]
	return s
}

// poster is a background advertiser: an ordinary person selling something.
type poster struct {
	city           city
	phone, display string // E.164 and as the poster writes it
	email          string
}

// newPosters draws n background posters with their own phones and e-mails.
func newPosters(r *rand.Rand, all []city, n int) []poster {
	out := make([]poster, n)
	for i := range out {
		c := all[r.IntN(len(all))]
		ph := ident.Phone(r, c.country)
		disp := ph
		if r.IntN(3) > 0 {
			disp = phoneForm(r, ph, ObfSeparators)
		}
		out[i] = poster{city: c, phone: ph, display: disp, email: ident.Email(r, "")}
	}
	return out
}

// site is a classified-ads website.
type site struct {
	name, host, lang string
}

// sites returns the fictional classified sites, all on reserved domains.
func sites() []site {
	return []site{
		{"AnunciosYa", "anunciosya.example.com", "es"},
		{"Clasificados Centro", "clasificados-centro.example.net", "es"},
		{"Tablón Latino", "tablon-latino.example.org", "es"},
		{"CityBoard", "cityboard.example.com", "en"},
	}
}

// sortSelectors orders selectors by file and offset for a stable truth.
func sortSelectors(s []truth.Selector) {
	slices.SortStableFunc(s, func(a, b truth.Selector) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Offset, b.Offset))
	})
}
