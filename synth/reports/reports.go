// Package reports writes provider referrals of a training scenario: one JSON
// file per report, shaped like the reports electronic service providers send
// to a clearinghouse such as NCMEC's CyberTipline (reporting provider,
// incident, reported user with screen names, e-mails, phones and IP capture
// events, uploaded files cited by hash only). Every provider, person and
// identifier is fictional; files are never described beyond their hashes.
package reports

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/synth/ident"
	"github.com/rastro/rastro/synth/truth"
)

// Subject is one reported user of the story.
type Subject struct {
	Person      string // person ID
	ScreenNames []string
	Emails      []string
	Phones      []string
	IPs         []string
}

// Params says what to write and where.
//
// FileHashes entries each describe one uploaded file: either a bare hex
// digest (64 hex digits = SHA-256, 32 = MD5) or comma-separated
// "algo:hex" parts with algo sha256, md5 or pdq, e.g.
// "sha256:ab…,pdq:cd…" for a file known by both hashes.
type Params struct {
	Seed        uint64
	Dir, Prefix string
	Start, End  time.Time
	Subjects    []Subject
	FileHashes  []string // SHA-256 / PDQ hex of generated images to cite in reports
}

// Result lists the files written and their ground truth.
type Result struct {
	Files     []string
	Reports   []truth.Report
	Selectors []truth.Selector
	Records   []truth.RecordRef
}

// upload is one cited file: its hashes in hex, "" when not given.
type upload struct{ sha256, md5, pdq string }

// report is the plan of one referral before it is written.
type report struct {
	person   string // "" for background reports
	user     Subject
	incident string
	at       time.Time
	uploads  []upload
}

// Generate writes Dir/report-<n>.json for every subject (one or two
// reports each) plus background reports about unrelated users.
func Generate(p Params) (*Result, error) {
	if p.Start.IsZero() || !p.End.After(p.Start) {
		return nil, rastro.Errorf(rastro.EINVALID, "reports: the scenario window is empty: set Start before End")
	}
	ups, err := parseHashes(p.FileHashes)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(p.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	r := rand.New(rand.NewPCG(p.Seed, 0x7265706f727473))
	plan := planReports(r, p, ups)
	res := &Result{}
	for i, rep := range plan {
		if err := writeReport(r, p, i+1, rep, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// planReports decides who is reported, when, for what, citing which files.
func planReports(r *rand.Rand, p Params, ups []upload) []report {
	var story []report
	for _, s := range p.Subjects {
		for range 1 + r.IntN(2) {
			story = append(story, report{person: s.Person, user: s, incident: storyIncident(r)})
		}
	}
	for j, u := range ups {
		if len(story) == 0 {
			break
		}
		k := j % len(story)
		story[k].uploads = append(story[k].uploads, u)
		story[k].incident = "Apparent Child Sexual Abuse Material"
	}
	plan := story
	for range max(2, len(p.Subjects)/2+1) {
		plan = append(plan, report{user: backgroundUser(r), incident: backgroundIncident(r)})
	}
	span := p.End.Sub(p.Start)
	for i := range plan {
		plan[i].at = p.Start.Add(time.Duration(r.Int64N(int64(span)))).UTC().Truncate(time.Second)
	}
	r.Shuffle(len(plan), func(i, j int) { plan[i], plan[j] = plan[j], plan[i] })
	return plan
}

// storyIncident picks the incident type of a report about a story subject.
func storyIncident(r *rand.Rand) string {
	return [...]string{"Child Sex Trafficking", "Child Sex Trafficking", "Online Enticement of Children for Sexual Acts"}[r.IntN(3)]
}

// backgroundIncident picks the incident type of a report about an unrelated user.
func backgroundIncident(r *rand.Rand) string {
	return [...]string{"Misleading Words or Digital Images on the Internet", "Unsolicited Obscene Material Sent to a Child",
		"Online Enticement of Children for Sexual Acts"}[r.IntN(3)]
}

// backgroundUser invents an unrelated reported user.
func backgroundUser(r *rand.Rand) Subject {
	regions := ident.Regions()
	h := ident.Handle(r, "")
	s := Subject{ScreenNames: []string{h}, Emails: []string{ident.Email(r, h)}}
	if r.IntN(2) == 0 {
		s.Phones = []string{ident.Phone(r, regions[r.IntN(9)])}
	}
	return s
}

// parseHashes reads Params.FileHashes; see Params for the accepted forms.
func parseHashes(in []string) ([]upload, error) {
	var out []upload
	for _, e := range in {
		var u upload
		for part := range strings.SplitSeq(e, ",") {
			algo, hex, ok := strings.Cut(strings.TrimSpace(part), ":")
			if !ok {
				algo, hex = "", algo
			}
			hex = strings.ToLower(hex)
			if !isHex(hex) {
				return nil, rastro.Errorf(rastro.EINVALID, "reports: file hash %q is not hex", part)
			}
			switch {
			case algo == "sha256" || (algo == "" && len(hex) == 64):
				u.sha256 = hex
			case algo == "md5" || (algo == "" && len(hex) == 32):
				u.md5 = hex
			case algo == "pdq":
				u.pdq = hex
			default:
				return nil, rastro.Errorf(rastro.EINVALID, "reports: file hash %q: prefix it with sha256:, md5: or pdq:", part)
			}
		}
		out = append(out, u)
	}
	return out, nil
}

// isHex reports whether s is a non-empty string of hex digits.
func isHex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// writeReport renders one report, writes it and appends its truth to res.
func writeReport(r *rand.Rand, p Params, n int, rep report, res *Result) error {
	name := "report-" + strconv.Itoa(n) + ".json"
	rel := name
	if p.Prefix != "" {
		rel = strings.TrimSuffix(p.Prefix, "/") + "/" + name
	}
	rw := &renderer{r: r, file: rel, owner: rep.person}
	rw.render(n, rep)
	if err := os.WriteFile(filepath.Join(p.Dir, name), rw.w.b, 0o644); err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	res.Files = append(res.Files, rel)
	tr := truth.Report{ID: rw.id, File: rel, Subjects: []string{}}
	if rep.person != "" {
		tr.Subjects = []string{rep.person}
	}
	for _, u := range rep.uploads {
		for _, h := range []string{u.sha256, u.md5, u.pdq} {
			if h != "" {
				tr.Hashes = append(tr.Hashes, h)
			}
		}
	}
	res.Reports = append(res.Reports, tr)
	res.Selectors = append(res.Selectors, rw.sels...)
	res.Records = append(res.Records, truth.RecordRef{
		File: rel, Locator: "json:/reportedUser", Kind: "report", Person: rep.person,
	})
	return nil
}
