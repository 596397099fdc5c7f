package main

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/auth"
	"github.com/rastro/rastro/custody"
	"github.com/rastro/rastro/export"
	"github.com/rastro/rastro/sqlite"
	"github.com/rastro/rastro/synth"
	"github.com/rastro/rastro/web"
)

// The export scan (issue 8): a generated training scenario (tiny, seed 7)
// is loaded into a real SQLite store exactly as the demo loads it, every
// export the product offers is produced from the command line, and every
// byte of every output is searched for the victims' planted personal data.
//
// Formats, and what is scanned:
//   - FtM (rastro export ftm): the JSON lines.
//   - CASE/UCO court package (rastro export evidence): every file of the zip
//     (case.jsonld, report.html, evidence.json, custody/events.jsonl,
//     custody/proofs.json, checkpoint, manifest.json) except originals/: the
//     originals are the evidence itself (the seized chats name the victims)
//     and go to court byte for byte. They are scanned too, but as the
//     positive control: the scan must find the victims in them.
//   - HTCDS CSV (rastro htcds export) and its attribution sidecar.
//   - Statistics CSV (rastro stats export), k-anonymity only and with
//     differential privacy, and their method notes.
//   - PDF: no export of Rastro writes PDF; the court report is HTML
//     (report.html in the package, scanned above). Nothing to scan.
//
// Positive controls, so that the test can fail: FtM with IncludeVictimData
// by a caseworker, HTCDS with --personal-data, and the court package's
// originals must contain the victims' data. Statistics have no personal-data
// mode (they are counts only).

// plantedValue is one piece of a victim's personal data.
type plantedValue struct {
	victim, kind, value string
}

// victimValues returns the planted personal data of the scenario's possible
// victims: names, aliases, phones (E.164, the raw forms written in the
// evidence, digits only), e-mails, handles and birth dates. A value that a
// non-victim also has (common names collide by design) is left out, since
// finding it proves nothing.
func victimValues(t *testing.T, tr *synth.Truth) []plantedValue {
	t.Helper()
	others := map[string]bool{}
	var otherNames []string
	for _, p := range tr.People {
		if p.Kind == "victim" {
			continue
		}
		for _, v := range append(append(append([]string{p.Name}, p.Aliases...), p.Phones...), p.Emails...) {
			others[strings.ToLower(v)] = true
		}
		otherNames = append(otherNames, strings.ToLower(p.Name))
	}
	// A part of a name collides when someone else's name contains it.
	partCollides := func(v string) bool {
		return slices.ContainsFunc(otherNames, func(n string) bool { return containsWord(n, strings.ToLower(v)) })
	}
	forms := map[string][]string{} // E.164 phone -> raw forms in the evidence
	for _, sel := range tr.Selectors {
		if sel.Kind == "phone" && !sel.Decoy {
			forms[sel.Value] = append(forms[sel.Value], sel.Form)
		}
	}
	var out []plantedValue
	for _, p := range tr.People {
		if p.Kind != "victim" {
			continue
		}
		add := func(kind, v string) {
			v = strings.TrimSpace(v)
			if len([]rune(v)) < 5 || others[strings.ToLower(v)] {
				return
			}
			for _, x := range out {
				if x.victim == p.ID && x.value == v {
					return
				}
			}
			out = append(out, plantedValue{victim: p.ID, kind: kind, value: v})
		}
		add("name", p.Name)
		if f := strings.Fields(p.Name); len(f) >= 3 {
			// Chats and contact lists use the given name and first
			// surname; HTCDS splits given name and surnames.
			for kind, v := range map[string]string{"name (given and first surname)": f[0] + " " + f[1], "surnames": strings.Join(f[1:], " ")} {
				if !partCollides(v) {
					add(kind, v)
				}
			}
		}
		for _, a := range p.Aliases {
			add("alias", a)
		}
		add("birth date", p.BirthDate)
		for _, ph := range p.Phones {
			add("phone (E.164)", ph)
			add("phone (digits)", digitsOnly(ph))
			for _, f := range forms[ph] {
				if digitsOnly(f) == digitsOnly(ph) || len(digitsOnly(f)) >= 7 {
					add("phone (as written)", f)
				}
			}
		}
		for _, e := range p.Emails {
			add("e-mail", e)
		}
		for _, h := range p.Handles {
			_, handle, _ := strings.Cut(h, ":")
			add("handle", handle)
		}
	}
	if len(out) == 0 {
		t.Fatal("the scenario has no victims to look for")
	}
	return out
}

// digitsOnly keeps the digits of s.
func digitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

var jsonEscape = regexp.MustCompile(`\\u([0-9a-fA-F]{4})`)

// readings returns b as a reader would see it: raw, with HTML entities and
// JSON \u escapes decoded, NFC-normalised, lower-cased.
func readings(b []byte) []string {
	raw := string(b)
	unjson := jsonEscape.ReplaceAllStringFunc(raw, func(m string) string {
		n, _ := strconv.ParseUint(m[2:], 16, 32)
		return string(rune(n))
	})
	var out []string
	for _, s := range []string{raw, html.UnescapeString(raw), unjson} {
		out = append(out, strings.ToLower(norm.NFC.String(s)))
	}
	return out
}

// scanFound returns the planted values found in b.
func scanFound(b []byte, planted []plantedValue) []plantedValue {
	texts := readings(b)
	var found []plantedValue
	for _, p := range planted {
		v := strings.ToLower(norm.NFC.String(p.value))
		for _, s := range texts {
			if containsWord(s, v) {
				found = append(found, p)
				break
			}
		}
	}
	return found
}

// containsWord reports whether v occurs in s as a whole word: not inside a
// longer name, handle or number ("princesa" is not in "princesa_vip").
func containsWord(s, v string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], v)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(v)
		before, _ := utf8.DecodeLastRuneInString(s[:start])
		after, _ := utf8.DecodeRuneInString(s[end:])
		if !wordRune(before) && !wordRune(after) {
			return true
		}
		i = start + 1
	}
}

// wordRune reports whether r continues a word, handle or number.
func wordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_')
}

// exportFile is one output file of one format.
type exportFile struct {
	format, name string
	data         []byte
}

// filesOf reads an export output; a zip is read member by member, skipping
// (or keeping only) the originals.
func filesOf(t *testing.T, format, path string, originals bool) []exportFile {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	if !strings.HasSuffix(path, ".zip") {
		return []exportFile{{format, filepath.Base(path), b}}
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	var out []exportFile
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, custody.OriginalsDir) != originals {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, exportFile{format, filepath.Base(path) + "!/" + f.Name, data})
	}
	return out
}

// loadTrainingCase sets the demo up with the tiny scenario in dir, runs its
// jobs and returns the case and the scenario's truth; the store is closed
// again so that the commands can open it.
func loadTrainingCase(t *testing.T, dir string) (int64, *synth.Truth) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(dir, "rastro.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, caseID, err := setupDemo(ctx, s, dir, "tiny")
	if err != nil {
		t.Fatal(err)
	}
	ev, err := openEvidence(dir, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := newRunner(s, ev, slog.New(slog.DiscardHandler), 1).RunPending(ctx); err != nil {
		t.Fatal(err)
	}
	tr, err := readTruthFile(filepath.Join(dir, "scenarios", fmt.Sprintf("tiny-seed%d.truth.json", demoSeed)))
	if err != nil {
		t.Fatal(err)
	}
	recordContacts(t, s, caseID, tr)
	return caseID, tr
}

// recordContacts adds the victims' phones, e-mails and handles from the
// truth to their entities, as a caseworker records them after an interview:
// a tiny scenario writes few of them into its evidence, and a scan for
// values the case does not hold would prove nothing.
func recordContacts(t *testing.T, s rastro.Store, caseID int64, tr *synth.Truth) {
	t.Helper()
	ctx := context.Background()
	sys := rastro.SystemActor("test: caseworker's notes")
	for _, p := range tr.People {
		if p.Kind != "victim" {
			continue
		}
		e, err := s.Entity(ctx, sys, caseID, "person-"+p.ID)
		if err != nil {
			t.Fatal(err)
		}
		add := func(prop, v string) {
			e.Statements = append(e.Statements, &rastro.Statement{CaseID: caseID, Prop: prop, Value: v, Origin: rastro.OriginAnalyst, Confidence: 1})
		}
		for _, ph := range p.Phones {
			add("phone", ph)
		}
		for _, m := range p.Emails {
			add("email", m)
		}
		for _, h := range p.Handles {
			_, handle, _ := strings.Cut(h, ":")
			add("alias", handle)
		}
		if err := s.PutEntity(ctx, sys, e); err != nil {
			t.Fatal(err)
		}
	}
}

// TestExportScan produces every export format from the training case and
// fails if any of them carries a victim's personal data by default.
func TestExportScan(t *testing.T) {
	dir := t.TempDir()
	caseID, tr := loadTrainingCase(t, dir)
	planted := victimValues(t, tr)
	data, id := "--data="+dir, strconv.FormatInt(caseID, 10)
	out := func(name string) string { return filepath.Join(dir, "out", name) }
	if err := os.MkdirAll(filepath.Join(dir, "out"), 0o755); err != nil {
		t.Fatal(err)
	}

	mustRastro(t, "export", "ftm", data, "--case", id, "--out", out("case.ftm.json"))
	printed := mustRastro(t, "export", "evidence", data, "--case", id, "--out", out("court.zip"))
	// Scrubbing the package's metadata leaves it verifiable.
	if m := regexp.MustCompile(`--key '([^']+)'`).FindStringSubmatch(printed); m == nil {
		t.Errorf("export evidence printed no verifier key: %q", printed)
	} else {
		mustRastro(t, "verify", "--key", m[1], out("court.zip"))
	}
	mustRastro(t, "htcds", "export", data, "--case", id, "--out", out("htcds.csv"))
	mustRastro(t, "stats", "export", data, "--case", id, "--out", out("stats-k.csv"))
	mustRastro(t, "stats", "export", data, "--case", id, "--out", out("stats-dp.csv"), "--epsilon", "0.5", "--k", "2")

	// The same FtM export through the JSON API, as an analyst member.
	analystFtM := apiExport(t, dir, caseID)
	var files []exportFile
	files = append(files, exportFile{"FtM (API, analyst)", "GET /api/v1/cases/" + id + "/export/ftm", analystFtM})
	for _, f := range []struct{ format, name string }{
		{"FtM", "case.ftm.json"},
		{"CASE/UCO court package", "court.zip"},
		{"HTCDS CSV", "htcds.csv"}, {"HTCDS CSV", "htcds.csv.txt"},
		{"statistics CSV (k-anonymity)", "stats-k.csv"}, {"statistics CSV (k-anonymity)", "stats-k.csv.txt"},
		{"statistics CSV (differential privacy)", "stats-dp.csv"}, {"statistics CSV (differential privacy)", "stats-dp.csv.txt"},
	} {
		files = append(files, filesOf(t, f.format, out(f.name), false)...)
	}
	wantCourt := []string{custody.CaseUCOFile, custody.ReportFile, custody.EventsFile, custody.ManifestFile, custody.EvidenceFile}
	for _, f := range files {
		wantCourt = slices.DeleteFunc(wantCourt, func(n string) bool { return strings.HasSuffix(f.name, "!/"+n) })
	}
	if len(wantCourt) > 0 {
		t.Errorf("court package lacks %v", wantCourt)
	}
	for _, f := range files {
		if len(f.data) == 0 {
			t.Errorf("%s: %s is empty", f.format, f.name)
		}
		for _, p := range scanFound(f.data, planted) {
			t.Errorf("%s: %s contains %s's %s %q", f.format, f.name, p.victim, p.kind, p.value)
		}
	}

	// Positive controls: asked for explicitly, with the right role, the
	// same exports carry the victims' data, and the scan sees it.
	// Values found in no full export are logged: the scenario planted them
	// in its truth only (a tiny case writes few of the victims' own phones
	// and e-mails into its evidence), so their absence proves less.
	names := map[string]bool{}
	for _, p := range planted {
		names[p.kind+" "+p.value] = true
	}
	mustRastro(t, "htcds", "export", data, "--case", id, "--out", out("htcds-full.csv"),
		"--personal-data", "--purpose", "referral to a shelter, court order 12")
	fullFtM := out("case-full.ftm.json")
	mustRastro(t, "export", "ftm", data, "--case", id, "--out", fullFtM,
		"--victim-data", "--purpose", "prosecutor's request for the victims' statements")
	for _, c := range []struct {
		format string
		files  []exportFile
		kinds  []string
	}{
		{"FtM with victim data", filesOf(t, "FtM", fullFtM, false), []string{"name", "birth date", "phone (E.164)", "e-mail", "handle"}},
		{"HTCDS with personal data", filesOf(t, "HTCDS", out("htcds-full.csv"), false), []string{"surnames", "birth date"}},
		{"court package originals", filesOf(t, "court", out("court.zip"), true), []string{"name (given and first surname)"}},
	} {
		seen := map[string]bool{}
		for _, f := range c.files {
			for _, p := range scanFound(f.data, planted) {
				seen[p.kind] = true
				delete(names, p.kind+" "+p.value)
			}
		}
		for _, k := range c.kinds {
			if !seen[k] {
				t.Errorf("%s: no victim's %s found; the scan cannot see what it looks for", c.format, k)
			}
		}
	}
	if len(names) > 0 {
		t.Logf("planted values in no export, not even the full ones: %v", slices.Sorted(maps.Keys(names)))
	}
}

// apiExport fetches the case's FtM export through the JSON API as an
// analyst member of the case with a read token. (The API offers no export
// with victims' data, to anyone.)
func apiExport(t *testing.T, dir string, caseID int64) []byte {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(dir, "rastro.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sys := rastro.SystemActor("test: export scan")
	ts := httptest.NewServer(web.New(web.Config{}, s, nil).Handler())
	defer ts.Close()
	get := func(role rastro.Role) []byte {
		u := &rastro.User{AgencyID: 1, Username: "scan-" + string(role), DisplayName: "Scan " + string(role), Role: role, PasswordHash: "x"}
		if err := s.CreateUser(ctx, sys, u); err != nil {
			t.Fatal(err)
		}
		if err := s.AddMember(ctx, sys, &rastro.CaseMember{CaseID: caseID, UserID: u.ID, Role: rastro.MemberMember}); err != nil {
			t.Fatal(err)
		}
		secret, hash := auth.NewToken(auth.PrefixAPI)
		tk := &rastro.APIToken{UserID: u.ID, Name: "scan", Prefix: secret[:9], Hash: hash, Scopes: []string{rastro.ScopeRead}}
		if err := s.CreateAPIToken(ctx, rastro.ActorOf(u), tk); err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/cases/%d/export/ftm", ts.URL, caseID), nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("API FtM export as %s: %d %v: %s", role, res.StatusCode, err, b)
		}
		return b
	}
	return get(rastro.RoleAnalyst)
}

// TestFtMVictimDataNeedsCaseworker: the FtM export with victims' data is
// refused to an analyst.
func TestFtMVictimDataNeedsCaseworker(t *testing.T) {
	_, err := export.FtMWith(context.Background(), io.Discard, nil, rastro.Actor{UserID: 2, Role: rastro.RoleAnalyst}, 1,
		export.FtMOptions{IncludeVictimData: true})
	if rastro.ErrorCode(err) != rastro.EFORBIDDEN {
		t.Errorf("analyst's FtM export with victim data: %v, want EFORBIDDEN", err)
	}
}
