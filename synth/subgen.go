package synth

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rastro/rastro/synth/ads"
	"github.com/rastro/rastro/synth/htcds"
	"github.com/rastro/rastro/synth/ident"
	"github.com/rastro/rastro/synth/images"
	"github.com/rastro/rastro/synth/reports"
	"github.com/rastro/rastro/synth/truth"
)

// Shares of the size budget (percent). Chats take the rest (see chatBudget).
const (
	shareMoney  = 35
	shareAds    = 12
	shareImages = 8
)

// maxExtraImages caps camera-roll pictures: JPEG encoding runs at a few MB/s,
// so at the larger sizes the bytes are better spent on text formats.
const maxExtraImages = 12

// imageBytes is a rough size of one picture with its variants.
func (g *gen) imageBytes() int64 { return int64(g.spec.imgW*g.spec.imgW*3/4) / 4 }

// extraImages is how many camera-roll pictures to add beside the chat media.
func (g *gen) extraImages() int {
	return int(max(2, min(maxExtraImages, g.spec.budget*shareImages/100/g.imageBytes())))
}

// chatBudget is what remains for chats once the other generators have their share.
func (g *gen) chatBudget() int64 {
	imgs := int64(g.extraImages()+len(g.mediaSpecs())) * g.imageBytes()
	return max(g.spec.budget/10, g.spec.budget*(100-shareMoney-shareAds)/100-imgs-g.storyBytes())
}

// subTasks returns the sub-generators as tasks; images (and the reports that
// cite their hashes) come first because zipped chats wait for their media.
func (g *gen) subTasks() []func() error {
	fns := []func() (*partial, error){g.genImagesAndReports, g.genMoney, g.genAds, g.genHTCDS}
	tasks := make([]func() error, len(fns))
	for i, fn := range fns {
		tasks[i] = func() error {
			p, err := fn()
			g.parts[i] = p
			return err
		}
	}
	return tasks
}

// genImagesAndReports writes chat media, camera-roll pictures and the provider referrals.
func (g *gen) genImagesAndReports() (*partial, error) {
	ir, err := g.genImages()
	g.imgRes = ir
	close(g.imgDone)
	if err != nil {
		return nil, err
	}
	rr, err := g.genReports(ir.images)
	if err != nil {
		return nil, err
	}
	ir.files = append(ir.files, rr.files...)
	ir.sels, ir.recs, ir.reports = rr.sels, rr.recs, rr.reports
	return ir, nil
}

func (g *gen) genImages() (*partial, error) {
	specs := g.mediaSpecs()
	r := newRand(g.o.Seed, 3)
	w, h := g.spec.imgW, g.spec.imgW*3/4
	n := g.extraImages()
	sus := g.s.ofKind("suspect")
	for i := range n {
		p := sus[r.IntN(len(sus))]
		c := cities[g.s.home[p]]
		taken := g.s.sc.Start.Add(time.Duration(r.Int64N(int64(g.s.sc.End.Sub(g.s.sc.Start)))))
		specs = append(specs, images.Spec{Name: "IMG_" + taken.Format("20060102_150405") + "_" + pad3(i), Seed: r.Uint64(), Width: w, Height: h,
			Taken: taken, Lat: c.Lat + (r.Float64()-0.5)/50, Lon: c.Lon + (r.Float64()-0.5)/50,
			Device: devices[p%len(devices)], Owner: g.ids[p], Variants: i%2 == 0})
	}
	res, err := images.Generate(images.Params{Dir: g.abs("images"), Prefix: "images", Specs: specs})
	if err != nil {
		return nil, fmt.Errorf("synth: images: %w", err)
	}
	p := &partial{images: res.Images}
	for _, rel := range res.Files {
		fi, err := hashFile(g.o.Out, rel, "images:jpeg")
		if err != nil {
			return nil, err
		}
		g.prog.add(fi.Size)
		p.files = append(p.files, fi)
	}
	return p, nil
}

func (g *gen) genReports(imgs []truth.Image) (*partial, error) {
	r := newRand(g.o.Seed, 4)
	var subs []reports.Subject
	for _, i := range g.s.ofKind("suspect") {
		pr := g.s.people[i]
		if !slices.Contains(pr.Roles, "advertiser") && !slices.Contains(pr.Roles, "recruiter") {
			continue
		}
		sub := reports.Subject{Person: pr.ID, Emails: pr.Emails, Phones: pr.Phones}
		for _, h := range pr.Handles {
			sub.ScreenNames = append(sub.ScreenNames, h[strings.IndexByte(h, ':')+1:])
		}
		sub.IPs = []string{ident.IPv4(r), ident.IPv6(r)}
		subs = append(subs, sub)
	}
	var hashes []string
	for _, im := range imgs {
		if im.Variant == images.VariantOriginal && len(hashes) < 8 {
			hashes = append(hashes, im.SHA256)
		}
	}
	res, err := reports.Generate(reports.Params{Seed: subSeed(g.o.Seed, 4), Dir: g.abs("reports"), Prefix: "reports",
		Start: g.s.sc.Start, End: g.s.sc.End, Subjects: subs, FileHashes: hashes})
	if err != nil {
		return nil, fmt.Errorf("synth: reports: %w", err)
	}
	files, err := g.describe(res.Files)
	if err != nil {
		return nil, err
	}
	return &partial{files: files, sels: res.Selectors, recs: res.Records, reports: res.Reports}, nil
}

func (g *gen) genAds() (*partial, error) {
	s := g.s
	var orgs []ads.Org
	for _, o := range s.orgs {
		poster := s.people[s.personIndex(o.Poster)]
		ao := ads.Org{ID: o.ID, Poster: o.Poster, Phones: poster.Phones, Emails: poster.Emails, Purpose: o.Purpose}
		for _, h := range poster.Handles {
			ao.Handles = append(ao.Handles, h[strings.IndexByte(h, ':')+1:])
		}
		for _, pid := range o.Cities {
			for _, pl := range s.places {
				if pl.ID == pid {
					ao.Cities = append(ao.Cities, pl.City)
				}
			}
		}
		orgs = append(orgs, ao)
	}
	res, err := ads.Generate(ads.Params{Seed: subSeed(g.o.Seed, 5), Dir: g.abs("ads"), Prefix: "ads",
		Start: s.sc.Start, End: s.sc.End, TargetBytes: g.spec.budget * shareAds / 100, Orgs: orgs})
	if err != nil {
		return nil, fmt.Errorf("synth: ads: %w", err)
	}
	files, err := g.describe(res.Files)
	if err != nil {
		return nil, err
	}
	return &partial{files: files, sels: res.Selectors, recs: res.Records, ads: res.Ads}, nil
}

func (g *gen) genHTCDS() (*partial, error) {
	s := g.s
	var p htcds.Params
	p.Dir, p.Prefix = g.abs("htcds"), "htcds"
	for k, i := range s.ofKind("victim") {
		v := s.people[i]
		ev := s.eventsOf(v.ID)
		birth, _ := time.Parse("2006-01-02", v.BirthDate)
		last := ev[len(ev)-1]
		p.Victims = append(p.Victims, htcds.Victim{Person: v.ID, CaseID: "HTC-" + v.Nationality + "-" + last.End.Format("2006") + "-" + pad4(k+1),
			Gender: v.Gender, BirthDate: birth, Citizenship: v.Nationality, Exploitation: []string{v.Purpose},
			MethodsOfControl: v.Indicators, Recruited: ev[0].Start, RecruitCountry: v.Nationality,
			ExploitCountry: placeCountry(s, last.Place), Identified: last.End})
	}
	for _, i := range s.ofKind("suspect") {
		pr := s.people[i]
		p.Suspects = append(p.Suspects, htcds.Suspect{Person: pr.ID, Gender: pr.Gender, Role: pr.Roles[0], Citizenship: pr.Nationality})
	}
	res, err := htcds.Generate(p)
	if err != nil {
		return nil, fmt.Errorf("synth: htcds: %w", err)
	}
	files, err := g.describe(res.Files)
	if err != nil {
		return nil, err
	}
	return &partial{files: files, recs: res.Records}, nil
}

func placeCountry(s *story, id string) string {
	for _, p := range s.places {
		if p.ID == id {
			return p.Country
		}
	}
	return ""
}

// mustZone loads an IANA zone from the embedded database; the names are constants of this package.
func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("synth: zone " + name + ": " + err.Error())
	}
	return loc
}
