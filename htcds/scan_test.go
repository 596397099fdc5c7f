package htcds_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/htcds"
	"github.com/rastro/rastro/synth"
)

// TestExportScanScenario plants the training scenario's victims' names,
// phone numbers and birth dates on their imported entities (as ingestion of
// the case's chats would) and scans the default HTCDS export for them.
func TestExportScanScenario(t *testing.T) {
	dir := t.TempDir()
	tr, err := synth.Generate(context.Background(), synth.Options{Size: "tiny", Seed: 2, Out: dir})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "htcds", "victims.csv"))
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := htcds.Import(bytes.NewReader(data), htcds.MapOptions{CaseID: 1, Source: "victims.csv"})
	if err != nil {
		t.Fatal(err)
	}
	byLine := map[string]*rastro.Entity{}
	for _, e := range m.Entities {
		if e.Schema == "Person" {
			byLine[e.Statements[0].Locator] = e
		}
	}
	var planted []string
	for _, rec := range tr.Records {
		if rec.Kind != "case_record" {
			continue
		}
		e := byLine[rec.Locator]
		for _, p := range tr.People {
			if p.ID != rec.Person {
				continue
			}
			first, last, _ := strings.Cut(p.Name, " ")
			e.Statements = append(e.Statements,
				&rastro.Statement{Prop: "prs_FirstName", Value: first}, &rastro.Statement{Prop: "prs_SecondName", Value: last},
				&rastro.Statement{Prop: "name", Value: p.Name})
			for _, ph := range p.Phones {
				e.Statements = append(e.Statements, &rastro.Statement{Prop: "prs_MobilePhone", Value: ph}, &rastro.Statement{Prop: "phone", Value: ph})
			}
			planted = append(planted, p.Name, last, p.BirthDate)
			planted = append(planted, p.Phones...)
		}
	}
	if len(planted) == 0 {
		t.Fatal("no victims planted")
	}
	var out, full bytes.Buffer
	if _, err := htcds.Export(&out, m.Entities, m.Links, htcds.ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, s := range planted {
		if strings.Contains(out.String(), s) {
			t.Errorf("default export contains planted %q", s)
		}
		if strings.Contains(out.String(), strings.TrimPrefix(s, "+")) && strings.HasPrefix(s, "+") {
			t.Errorf("default export contains planted number %q", s)
		}
	}
	if _, err := htcds.Export(&full, m.Entities, m.Links, htcds.ExportOptions{IncludePersonalData: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(full.String(), planted[0]) && !strings.Contains(full.String(), strings.SplitN(planted[0], " ", 2)[0]) {
		t.Error("control: the export with personal data should contain the planted name")
	}
}
