package reports

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/rastro/rastro/synth/ident"
	"github.com/rastro/rastro/synth/truth"
)

// esp is a fictional electronic service provider.
type esp struct{ name, domain string }

// esps are the fictional providers that file reports.
func esps() []esp {
	return []esp{
		{"PixelNest Social (fictitious)", "pixelnest.example.com"},
		{"Chatterbox Messenger (fictitious)", "chatterbox.example.net"},
		{"Vendly Marketplace (fictitious)", "vendly.example.org"},
		{"Nubecita Video (fictitious)", "nubecita.example.com"},
	}
}

// renderer writes one report and collects the selectors it planted.
type renderer struct {
	r     *rand.Rand
	w     jw
	file  string
	owner string
	id    string
	sels  []truth.Selector
}

// sel records a selector written at off.
func (rw *renderer) sel(kind, value, form string, off int64, owner string) {
	rw.sels = append(rw.sels, truth.Selector{
		Kind: kind, Value: value, Form: form, File: rw.file, Offset: off, Owner: owner,
	})
}

// strSel writes s as a JSON string member value and records it as a selector.
func (rw *renderer) strSel(kind, value, s, owner string) {
	rw.sel(kind, value, s, rw.w.str(s), owner)
}

// stamp writes t as an RFC 3339 UTC string.
func (rw *renderer) stamp(t time.Time) {
	rw.w.str(t.UTC().Format(time.RFC3339))
}

// render writes report number n.
func (rw *renderer) render(n int, rep report) {
	r, w := rw.r, &rw.w
	rw.id = strconv.Itoa(170000000 + n*7919 + r.IntN(7000))
	e := esps()[r.IntN(len(esps()))]
	w.open('{')
	w.key("reportId")
	w.str(rw.id)
	w.key("reportKind")
	w.str("Provider referral (CyberTipline-style, fictional training data)")
	w.key("submittedAt")
	rw.stamp(rep.at.Add(time.Duration(1+r.IntN(72)) * time.Hour))
	w.key("reportingEsp")
	w.open('{')
	w.key("name")
	w.str(e.name)
	w.key("contactEmail")
	contact := "cybertips@" + e.domain
	rw.strSel("email", contact, contact, "")
	w.close('}')
	w.key("incidentSummary")
	w.open('{')
	w.key("incidentType")
	w.str(rep.incident)
	w.key("incidentDateTime")
	rw.stamp(rep.at)
	w.key("incidentDateTimeDescription")
	w.str("Time of the most recent activity reviewed by the provider")
	w.close('}')
	ips := rw.reportedUser(rep)
	rw.uploadedFiles(rep, ips)
	w.key("additionalInfo")
	w.str(additionalInfo(r, rep))
	w.close('}')
	w.b = append(w.b, '\n')
}

// reportedUser writes the reportedUser object and returns the IPs used.
func (rw *renderer) reportedUser(rep report) []string {
	r, w, u, owner := rw.r, &rw.w, rep.user, rep.person
	w.key("reportedUser")
	w.open('{')
	w.key("espUserId")
	w.str(strconv.FormatInt(1_000_000_000+r.Int64N(8_999_999_999), 10))
	w.key("screenNames")
	w.open('[')
	names := u.ScreenNames
	if len(names) == 0 {
		names = []string{ident.Handle(r, "")}
	}
	for _, s := range names {
		w.item()
		rw.strSel("handle", strings.ToLower(strings.TrimPrefix(s, "@")), s, owner)
	}
	w.close(']')
	w.key("emails")
	w.open('[')
	for _, s := range u.Emails {
		w.item()
		w.open('{')
		w.key("address")
		rw.strSel("email", strings.ToLower(s), s, owner)
		w.key("verified")
		w.bool(r.IntN(3) > 0)
		w.close('}')
	}
	w.close(']')
	w.key("phones")
	w.open('[')
	for _, s := range u.Phones {
		w.item()
		w.open('{')
		w.key("number")
		rw.strSel("phone", s, s, owner)
		w.key("verified")
		w.bool(r.IntN(2) == 0)
		w.close('}')
	}
	w.close(']')
	ips := u.IPs
	if len(ips) == 0 {
		ips = []string{ident.IPv4(rw.r)}
		if r.IntN(3) == 0 {
			ips = append(ips, ident.IPv6(rw.r))
		}
	}
	rw.ipEvents(rep, ips, owner)
	w.close('}')
	return ips
}

// ipEvents writes the IP capture events: a registration, then logins.
func (rw *renderer) ipEvents(rep report, ips []string, owner string) {
	r, w := rw.r, &rw.w
	w.key("ipCaptureEvents")
	w.open('[')
	n := 2 + r.IntN(4)
	at := rep.at.Add(-time.Duration(20+r.IntN(200)) * 24 * time.Hour)
	for i := range n {
		event := "Login"
		if i == 0 {
			event = "Registration"
		}
		rw.ipEvent(ips[r.IntN(len(ips))], event, at, owner)
		at = at.Add(time.Duration(r.Int64N(int64(rep.at.Sub(at))/2 + 1)))
	}
	w.close(']')
}

// ipEvent writes one IP capture event object as an array item.
func (rw *renderer) ipEvent(ip, event string, at time.Time, owner string) {
	w := &rw.w
	w.item()
	w.open('{')
	w.key("ipAddress")
	kind := "ipv4"
	if strings.Contains(ip, ":") {
		kind = "ipv6"
	}
	rw.strSel(kind, strings.ToLower(ip), ip, owner)
	w.key("port")
	w.int(int64(1024 + rw.r.IntN(64512)))
	w.key("event")
	w.str(event)
	w.key("dateTime")
	rw.stamp(at)
	w.close('}')
}

// uploadedFiles writes the files the provider cites, by hash only.
func (rw *renderer) uploadedFiles(rep report, ips []string) {
	r, w := rw.r, &rw.w
	w.key("uploadedFiles")
	w.open('[')
	for i, u := range rep.uploads {
		w.item()
		w.open('{')
		w.key("fileName")
		w.str("upload_" + strconv.Itoa(100000+r.IntN(900000)) + "_" + strconv.Itoa(i+1) + ".jpg")
		w.key("hashes")
		w.open('{')
		for _, h := range [...][2]string{{"sha256", u.sha256}, {"md5", u.md5}, {"pdq", u.pdq}} {
			if h[1] != "" {
				w.key(h[0])
				w.str(h[1])
			}
		}
		w.close('}')
		w.key("fileViewedByEsp")
		w.bool(r.IntN(3) > 0)
		w.key("publiclyAvailable")
		w.bool(false)
		w.key("uploadEvents")
		w.open('[')
		rw.ipEvent(ips[r.IntN(len(ips))], "Upload", rep.at.Add(-time.Duration(r.IntN(3600))*time.Second), rep.person)
		w.close(']')
		w.close('}')
	}
	w.close(']')
}

// additionalInfo returns the provider's free-text note.
func additionalInfo(r *rand.Rand, rep report) string {
	if rep.person == "" {
		return [...]string{
			"Automated classifier flagged the account. On review no further context was available.",
			"User report received. The account was disabled; no further information.",
		}[r.IntN(2)]
	}
	lead := [...]string{
		"The account posted paid listings offering \"modelos nuevas\" and moved conversations to WhatsApp.",
		"Messages sent by the account reference travel arranged for others, a \"deuda\" to repay and a manager who collects payments.",
		"The account contacted several users who state they are under 18, offering work and a paid trip.",
	}[r.IntN(3)]
	if len(rep.uploads) > 0 {
		lead += " Uploaded files are cited by hash only."
	}
	return lead + " Information provided as-is by the reporting provider."
}
