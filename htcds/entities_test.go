package htcds_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/htcds"
)

const plantedCSV = "prs_FirstName,prs_SecondName,prs_Birthdate,prs_MobilePhone,prs_Gender,vic_TraffickingStatus,vic_TraffickingStatusDecisionMakingOrg,vic_TypeOfExploitation,per_RoleInProcess,per_RoleDetails,hte_Type,hte_Date,hte_Country,cco_CaseComment\n" +
	"Zuleima,Quetzaltenango,2009-03-14,+50495550177,Feminine,PossibleVictimOfTrafficking,,SexualExploitation,,,Recruitment,2024-05-01,HN,Zuleima said her aunt called\n" +
	"Ximena,Otoniel,1999-01-02,+50495550188,Feminine,ActualVictimOfTrafficking,Police,ForcedLabour,,,Exploitation,2024-07-01,MX,\n" +
	"Bartolo,Icaza,1980-05-05,+50495550199,Masculine,,,,RecruiterOrIntermediary;Transporter,recruited in Choluteca,,,,\n"

func plantedEntities(t *testing.T) *htcds.Mapped {
	t.Helper()
	file, err := htcds.Read(strings.NewReader(plantedCSV))
	if err != nil {
		t.Fatal(err)
	}
	m, err := htcds.ToEntities(file.Records, htcds.MapOptions{CaseID: 9, Source: "partner.csv", EvidenceID: 3})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestToEntitiesRolesAndProvenance(t *testing.T) {
	m := plantedEntities(t)
	var people []*rastro.Entity
	for _, e := range m.Entities {
		if e.Schema == "Person" {
			people = append(people, e)
		}
		for _, st := range e.Statements {
			if st.Origin != rastro.OriginImport || st.EvidenceID != 3 || !strings.HasPrefix(st.Locator, "line:") {
				t.Errorf("%s %s: provenance %+v", e.ID, st.Prop, st)
			}
		}
	}
	want := []struct {
		role  rastro.CaseRole
		legal rastro.LegalStatus
		line  string
	}{
		{rastro.CaseRolePossibleVictim, rastro.LegalNone, "line:2"},
		{rastro.CaseRoleVictim, rastro.LegalNone, "line:3"},
		{rastro.CaseRoleSuspect, rastro.LegalSuspected, "line:4"},
	}
	if len(people) != len(want) {
		t.Fatalf("%d people, want %d", len(people), len(want))
	}
	for i, w := range want {
		p := people[i]
		if p.CaseRole != w.role || p.LegalStatus != w.legal || p.Statements[0].Locator != w.line {
			t.Errorf("person %d: role %s/%s at %s, want %s/%s at %s", i, p.CaseRole, p.LegalStatus, p.Statements[0].Locator, w.role, w.legal, w.line)
		}
		if p.CaseRole.IsVictim() && (p.Sensitivity != "restricted" || strings.Contains(p.Caption, "Zuleima") || strings.Contains(p.Caption, "Ximena")) {
			t.Errorf("victim entity not restricted or named in caption: %q %q", p.Sensitivity, p.Caption)
		}
	}
	if people[2].Caption != "Bartolo Icaza" {
		t.Errorf("suspect caption = %q", people[2].Caption)
	}
	if len(m.Links) != 2 || m.Links[0].Schema != htcds.LinkInvolved {
		t.Errorf("links = %+v", m.Links)
	}
	again := plantedEntities(t)
	if again.Entities[0].ID != m.Entities[0].ID {
		t.Error("entity IDs are not stable across imports")
	}
}

// TestExportRedactsByDefault plants victims' names, phones and birth dates
// and scans the default export for them.
func TestExportRedactsByDefault(t *testing.T) {
	m := plantedEntities(t)
	var out bytes.Buffer
	res, err := htcds.Export(&out, m.Entities, m.Links, htcds.ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n := res.Rows
	if n != 3 || len(res.Dropped) != 0 {
		t.Errorf("%d rows exported (want 3), dropped %v", n, res.Dropped)
	}
	for _, planted := range []string{"Zuleima", "Quetzaltenango", "2009-03-14", "50495550177", "Ximena", "Otoniel", "1999-01-02", "50495550188", "aunt", "Choluteca"} {
		if strings.Contains(out.String(), planted) {
			t.Errorf("default export contains %q", planted)
		}
	}
	for _, kept := range []string{"PossibleVictimOfTrafficking", "SexualExploitation", "RecruiterOrIntermediary;Transporter", "2024-05-01"} {
		if !strings.Contains(out.String(), kept) {
			t.Errorf("default export lost the non-personal value %q", kept)
		}
	}
	var full bytes.Buffer
	if _, err := htcds.Export(&full, m.Entities, m.Links, htcds.ExportOptions{IncludePersonalData: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(full.String(), "Zuleima") {
		t.Error("an export with personal data lost the name")
	}
	var side bytes.Buffer
	if err := htcds.WriteSidecar(&side, "out.csv", n, true); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(side.String(), htcds.Attribution) {
		t.Errorf("sidecar lacks the attribution: %s", side.String())
	}
}

// TestExportFollowsCaseRole: a person marked victim in Rastro after import,
// or created without HTCDS data, is exported with the matching status.
func TestExportFollowsCaseRole(t *testing.T) {
	m := plantedEntities(t)
	extra := &rastro.Entity{ID: "p-new", Schema: "Person", CaseRole: rastro.CaseRolePossibleVictim, Statements: []*rastro.Statement{
		{Prop: "firstName", Value: "Nadia"}, {Prop: "gender", Value: "female"}, {Prop: "nationality", Value: "gt"},
		{Prop: "vic_MethodsOfControl", Value: "Physical threats;Voodoo"}, {Prop: "prs_Birthdate", Value: "last spring"}}}
	other := &rastro.Entity{ID: "p-bystander", Schema: "Person", CaseRole: rastro.CaseRoleUnknown}
	recs, dropped := htcds.FromEntities(append(m.Entities, extra, other), m.Links, htcds.ExportOptions{IncludePersonalData: true})
	if len(dropped) != 2 || !strings.HasPrefix(dropped[0], "p-new: prs_Birthdate:") || strings.Contains(dropped[0], "spring") {
		t.Errorf("dropped = %q, want the two invalid values reported without the personal value", dropped)
	}
	if len(recs) != 4 {
		t.Fatalf("%d records, want 3 imported + 1 victim", len(recs))
	}
	last := recs[3].Values
	if last["vic_TraffickingStatus"] != "PossibleVictimOfTrafficking" || last["prs_Gender"] != "Feminine" || last["prs_Citizenship"] != "GT" || last["prs_FirstName"] != "Nadia" {
		t.Errorf("victim created in Rastro exported as %v", last)
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(plantedCSV))
	f.Add([]byte("vic_MethodsOfControl,hte_Date\nDebtBondage,2024-01-01\n"))
	f.Add([]byte("First Name\nA\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := htcds.Read(bytes.NewReader(data))
		if err != nil {
			return
		}
		var a bytes.Buffer
		if err := htcds.Write(&a, file.Records); err != nil {
			t.Fatal(err)
		}
		again, err := htcds.Read(bytes.NewReader(a.Bytes()))
		if err != nil {
			t.Fatalf("own export does not read back: %v", err)
		}
		var b bytes.Buffer
		if err := htcds.Write(&b, again.Records); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatal("export → import → export differs")
		}
	})
}

func BenchmarkReadScenario(b *testing.B) {
	data := scenarioCSV(b, 1)
	big := append([]byte{}, data...)
	body := data[bytes.IndexByte(data, '\n')+1:]
	for range 250 {
		big = append(big, body...)
	}
	b.SetBytes(int64(len(big)))
	for b.Loop() {
		if _, err := htcds.Read(bytes.NewReader(big)); err != nil {
			b.Fatal(err)
		}
	}
}
