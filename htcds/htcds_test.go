package htcds_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rastro/rastro"
	"github.com/rastro/rastro/htcds"
	synthhtcds "github.com/rastro/rastro/synth/htcds"
)

func TestHeaderIsTheStandard(t *testing.T) {
	f, err := os.Open(filepath.Join(sharedHTCDS(t), "HTCDS_Field_Standards_2.0_Field_Standards.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	all, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, row := range all[1:] {
		if len(row) > 6 && row[6] != "" && row[6] != "N/A" {
			want = append(want, row[6])
		}
	}
	if diff := cmp.Diff(want, htcds.Header()); diff != "" {
		t.Errorf("header differs from the standard's field table (-standard +ours):\n%s", diff)
	}
	if diff := cmp.Diff(synthhtcds.Fields(), htcds.Header()); diff != "" {
		t.Errorf("header differs from the generator's (-generator +ours):\n%s", diff)
	}
}

// TestRoundTripScenario: the generator's file reads and writes back byte for
// byte, directly and through Rastro entities.
func TestRoundTripScenario(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		orig := scenarioCSV(t, seed)
		file, err := htcds.Read(bytes.NewReader(orig))
		if err != nil {
			t.Fatal(err)
		}
		if len(file.Records) == 0 || len(file.Warnings) != 0 {
			t.Fatalf("records %d, warnings %v", len(file.Records), file.Warnings)
		}
		var direct bytes.Buffer
		if err := htcds.Write(&direct, file.Records); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(orig, direct.Bytes()) {
			t.Errorf("seed %d: read → write is not byte-identical:\n%s", seed, firstDiff(orig, direct.Bytes()))
		}
		m, err := htcds.ToEntities(file.Records, htcds.MapOptions{CaseID: 1, Source: "victims.csv"})
		if err != nil {
			t.Fatal(err)
		}
		var viaEntities bytes.Buffer
		if _, err := htcds.Export(&viaEntities, m.Entities, m.Links, htcds.ExportOptions{IncludePersonalData: true}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(orig, viaEntities.Bytes()) {
			t.Errorf("seed %d: import → entities → export is not byte-identical:\n%s", seed, firstDiff(orig, viaEntities.Bytes()))
		}
		again, err := htcds.Read(bytes.NewReader(viaEntities.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		var third bytes.Buffer
		if err := htcds.Write(&third, again.Records); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(third.Bytes(), viaEntities.Bytes()) {
			t.Errorf("export → import → export is not byte-identical")
		}
	}
}

// firstDiff shows the first differing line of two files.
func firstDiff(a, b []byte) string {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return "line " + strconv.Itoa(i+1) + ":\n- " + la[i] + "\n+ " + lb[i]
		}
	}
	return "lengths differ"
}

// TestTemplates reads the headers of the standard's Excel templates (both
// rows: names and labels) as a CSV saved from Excel would hold them, and the
// XLSForm's field names. The templates carry no example rows, so the round
// trip is on their headers: every column is read and written under its exact
// name, and a second export is byte-identical.
func TestTemplates(t *testing.T) {
	dir := sharedHTCDS(t)
	for _, name := range []string{"Toolkit_Excel_HTCDS_Excel_Spreadsheet_v2.0.xlsx", "Toolkit_Excel_HTCDS_Excel_Spreadsheet_single_select_with_validation_v2.0.xlsx"} {
		t.Run(name, func(t *testing.T) {
			rows := xlsxRows(t, filepath.Join(dir, name), 5)
			file, err := htcds.Read(bytes.NewReader(toCSV(t, rows)))
			if err != nil {
				t.Fatal(err)
			}
			if len(file.Records) != 0 {
				t.Errorf("template rows hold only row numbers in an unnamed column; got %d records", len(file.Records))
			}
			for _, want := range []string{"vic_TraffickingStatusDecisionMakingOrg", "cas_ReasonForOutgoingReferral", "con_Consent", "prs_FirstName"} {
				if !contains(file.Columns, want) {
					t.Errorf("column %s not recognised; columns %v", want, file.Columns)
				}
			}
			if len(file.Columns) != 38 {
				t.Errorf("%d columns recognised, want the template's 38", len(file.Columns))
			}
			for _, w := range []string{"vic_TraffickinStatusDecisionMakingOrg", "field labels", "from its label"} {
				if !hasWarning(file.Warnings, w) {
					t.Errorf("no warning about %q: %v", w, file.Warnings)
				}
			}
			checkStable(t, file.Records)
		})
	}
	t.Run("XLSForm", func(t *testing.T) {
		var names []string
		for _, row := range xlsxRows(t, filepath.Join(dir, "Toolkit_Survey_htcds_xlsform.xlsx"), 200)[1:] {
			if len(row) > 1 && strings.Contains(row[1], "_") && !strings.HasPrefix(row[1], "_") {
				names = append(names, row[1])
			}
		}
		file, err := htcds.Read(bytes.NewReader(toCSV(t, [][]string{names})))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"prs_FirstName", "prs_SecondName", "vic_MethodsOfControl"} {
			if !contains(file.Columns, want) {
				t.Errorf("XLSForm column for %s not recognised", want)
			}
		}
	})
}

// checkStable asserts write → read → write is byte-identical.
func checkStable(t *testing.T, recs []htcds.Record) {
	t.Helper()
	var a, b bytes.Buffer
	if err := htcds.Write(&a, recs); err != nil {
		t.Fatal(err)
	}
	again, err := htcds.Read(bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := htcds.Write(&b, again.Records); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("write → read → write differs")
	}
	if h := csvHeader(t, a.Bytes()); !cmp.Equal(h, htcds.Header()) {
		t.Errorf("export header is not the standard's")
	}
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

func TestLenientValues(t *testing.T) {
	in := "First Name,vic_Methods_of_Control,prs_Gender,con_Consent,prs_Citizenship,hte_Date,prs_MobilePhone,vic_RecruitmentWebsitesAndApps\n" +
		"Ana,Physical threats;Debt bondage ;debtbondage,feminine ,YES,hn;gt,2024-06-12T00:00:00Z,+504 9555 0101,Facebook WhatsApp\n"
	file, err := htcds.Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"prs_FirstName": "Ana", "vic_MethodsOfControl": "PhysicalThreats;DebtBondage", "prs_Gender": "Feminine",
		"con_Consent": "true", "prs_Citizenship": "HN;GT", "hte_Date": "2024-06-12", "prs_MobilePhone": "+50495550101",
		"vic_RecruitmentWebsitesAndApps": "Facebook;WhatsApp",
	}
	if diff := cmp.Diff(want, file.Records[0].Values); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
	if file.Records[0].Line != 2 {
		t.Errorf("line = %d", file.Records[0].Line)
	}
}

func TestValidationNamesRowAndColumn(t *testing.T) {
	tests := []struct {
		name, csv, want string
	}{
		{"unknown code", "vic_MethodsOfControl\nPhysicalThreats;Witchcraft\n", `line 2, column vic_MethodsOfControl: "Witchcraft" is not in the vic_MethodsOfControl code list`},
		{"bad date", "prs_Gender,prs_Birthdate\nFeminine,2024-02-07\nFeminine,07/02/2004\n", "line 3, column prs_Birthdate: not an ISO 8601 date"},
		{"bad checkbox", "con_Consent\nmaybe\n", "line 2, column con_Consent: not a checkbox value"},
		{"bad country", "prs_Citizenship\nHonduras\n", `line 2, column prs_Citizenship: "Honduras" is not an ISO 3166 country code`},
		{"bad phone", "prs_MobilePhone\ncall me\n", "line 2, column prs_MobilePhone: not an E.164 phone number"},
		{"bad latitude", "hte_Latitude\n123\n", "line 2, column hte_Latitude: not a coordinate"},
		{"unknown column", "prs_Gender,favourite_colour\nFeminine,blue\n", `column "favourite_colour": not an HTCDS 2.0 field name`},
		{"duplicate column", "prs_FirstName,First Name\nA,B\n", `column "First Name": same field (prs_FirstName)`},
		{"ragged row", "prs_Gender\nFeminine,extra\n", "line 2, column #2: more cells than header columns"},
		{"multiline row keeps its start line", "cco_CaseComment,con_Consent\n\"two\nlines\",true\n\"x\",nope\n", "line 4, column con_Consent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := htcds.Read(strings.NewReader(tt.csv))
			var ve *htcds.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want a ValidationError", err)
			}
			if rastro.ErrorCode(err) != rastro.EINVALID {
				t.Errorf("code = %q", rastro.ErrorCode(err))
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q lacks %q", err, tt.want)
			}
		})
	}
}

func TestReadEmpty(t *testing.T) {
	if _, err := htcds.Read(strings.NewReader("")); rastro.ErrorCode(err) != rastro.EINVALID {
		t.Errorf("empty file: %v", err)
	}
}
