package reports_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rastro/rastro/synth/reports"
)

const sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
const pdq = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"

func testParams(dir string) reports.Params {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	return reports.Params{
		Seed: 7, Dir: dir, Prefix: "reports",
		Start: start, End: start.AddDate(0, 6, 0),
		Subjects: []reports.Subject{
			{Person: "p-1", ScreenNames: []string{"luna_vip23", "Luna.Oficial"}, Emails: []string{"Luna.Gato87@example.com"},
				Phones: []string{"+50245550123"}, IPs: []string{"192.0.2.44", "2001:db8::17"}},
			{Person: "p-2", ScreenNames: []string{"jefe_gt"}},
			{Person: "p-3", Emails: []string{"reclutador@example.org"}},
		},
		FileHashes: []string{sha, "sha256:" + sha + ",pdq:" + pdq, "md5:0cc175b9c0f1b6a831c399e269772661"},
	}
}

// reportDoc is the part of a report the test reads back independently.
type reportDoc struct {
	ReportID        string                                          `json:"reportId"`
	IncidentSummary struct{ IncidentType, IncidentDateTime string } `json:"incidentSummary"`
	ReportedUser    struct {
		ScreenNames     []string `json:"screenNames"`
		IPCaptureEvents []struct {
			IPAddress string `json:"ipAddress"`
			Port      int    `json:"port"`
			Event     string `json:"event"`
			DateTime  string `json:"dateTime"`
		} `json:"ipCaptureEvents"`
	} `json:"reportedUser"`
	UploadedFiles []struct {
		FileName string            `json:"fileName"`
		Hashes   map[string]string `json:"hashes"`
	} `json:"uploadedFiles"`
}

func generate(t *testing.T) (string, *reports.Result) {
	t.Helper()
	dir := t.TempDir()
	res, err := reports.Generate(testParams(filepath.Join(dir, "reports")))
	if err != nil {
		t.Fatal(err)
	}
	return dir, res
}

func TestReportsParseAndCiteHashes(t *testing.T) {
	dir, res := generate(t)
	if len(res.Files) < 5 {
		t.Fatalf("got %d files, want reports for 3 subjects plus background", len(res.Files))
	}
	cited := map[string]bool{}
	persons := map[string]bool{}
	for i, f := range res.Files {
		raw, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		var doc reportDoc
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if doc.ReportID != res.Reports[i].ID || res.Reports[i].File != f {
			t.Errorf("%s: truth %+v does not match reportId %q", f, res.Reports[i], doc.ReportID)
		}
		if _, err := time.Parse(time.RFC3339, doc.IncidentSummary.IncidentDateTime); err != nil || doc.IncidentSummary.IncidentType == "" {
			t.Errorf("%s: incident %+v", f, doc.IncidentSummary)
		}
		if len(doc.ReportedUser.IPCaptureEvents) < 2 || doc.ReportedUser.IPCaptureEvents[0].Event != "Registration" {
			t.Errorf("%s: ip events %+v", f, doc.ReportedUser.IPCaptureEvents)
		}
		for _, e := range doc.ReportedUser.IPCaptureEvents {
			if !strings.HasPrefix(e.IPAddress, "192.0.2.") && !strings.HasPrefix(e.IPAddress, "198.51.100.") &&
				!strings.HasPrefix(e.IPAddress, "203.0.113.") && !strings.HasPrefix(e.IPAddress, "2001:db8:") {
				t.Errorf("%s: IP %s outside documentation ranges", f, e.IPAddress)
			}
		}
		for _, u := range doc.UploadedFiles {
			for _, h := range u.Hashes {
				cited[h] = true
				if !slices.Contains(res.Reports[i].Hashes, h) {
					t.Errorf("%s cites %s but truth does not list it", f, h)
				}
			}
		}
		for _, s := range res.Reports[i].Subjects {
			persons[s] = true
		}
	}
	for _, h := range []string{sha, pdq, "0cc175b9c0f1b6a831c399e269772661"} {
		if !cited[h] {
			t.Errorf("hash %s never cited", h)
		}
	}
	for _, p := range []string{"p-1", "p-2", "p-3"} {
		if !persons[p] {
			t.Errorf("no report about %s", p)
		}
	}
	if len(res.Records) != len(res.Files) {
		t.Errorf("%d records for %d files", len(res.Records), len(res.Files))
	}
}

func TestSelectorsAtOffsets(t *testing.T) {
	dir, res := generate(t)
	files := map[string][]byte{}
	kinds := map[string]int{}
	for _, s := range res.Selectors {
		b, ok := files[s.File]
		if !ok {
			var err error
			if b, err = os.ReadFile(filepath.Join(dir, s.File)); err != nil {
				t.Fatal(err)
			}
			files[s.File] = b
		}
		end := s.Offset + int64(len(s.Form))
		if end > int64(len(b)) || string(b[s.Offset:end]) != s.Form {
			t.Errorf("%s@%d: want %q", s.File, s.Offset, s.Form)
		}
		if got := normalise(s.Kind, s.Form); got != s.Value {
			t.Errorf("%s %q normalises to %q, truth says %q", s.Kind, s.Form, got, s.Value)
		}
		kinds[s.Kind]++
	}
	for _, k := range []string{"handle", "email", "phone", "ipv4", "ipv6"} {
		if kinds[k] == 0 {
			t.Errorf("no %s selector planted", k)
		}
	}
	owned := 0
	for _, s := range res.Selectors {
		if s.Owner == "p-1" && s.Value == "+50245550123" {
			owned++
		}
	}
	if owned == 0 {
		t.Error("p-1's phone is not attributed to p-1")
	}
}

// normalise is the test's own normalisation of a written identifier.
func normalise(kind, form string) string {
	switch kind {
	case "handle":
		return strings.ToLower(strings.TrimPrefix(form, "@"))
	case "email", "ipv6":
		return strings.ToLower(form)
	}
	return form
}

func TestDeterministic(t *testing.T) {
	a, _ := generate(t)
	b, res := generate(t)
	for _, f := range res.Files {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		if !bytes.Equal(x, y) {
			t.Fatalf("%s differs between two runs with the same seed", f)
		}
	}
	p := testParams(t.TempDir())
	p.Seed = 8
	other, err := reports.Generate(p)
	if err != nil {
		t.Fatal(err)
	}
	x, _ := os.ReadFile(filepath.Join(a, res.Files[0]))
	y, _ := os.ReadFile(filepath.Join(p.Dir, filepath.Base(other.Files[0])))
	if bytes.Equal(x, y) {
		t.Error("a different seed wrote the same first report")
	}
}

func TestRejectsBadInput(t *testing.T) {
	tests := []struct {
		name string
		edit func(*reports.Params)
	}{
		{"empty window", func(p *reports.Params) { p.End = p.Start }},
		{"hash not hex", func(p *reports.Params) { p.FileHashes = []string{"zz"} }},
		{"unknown length", func(p *reports.Params) { p.FileHashes = []string{"abcd"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testParams(t.TempDir())
			tt.edit(&p)
			if _, err := reports.Generate(p); err == nil {
				t.Fatal("want an error")
			}
		})
	}
}
