package resolve

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReadCSVMapsColumns(t *testing.T) {
	in := "rec_id, given_name, surname, dob, phone, notes\n" +
		"r1, José, Pérez, 1990-05-28, +50245550101|+50245550102, tall\n" +
		"r2, Pepe, Perez, , , \n"
	got, err := ReadCSV(strings.NewReader(in), "rec_id", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Record{
		{ID: "r1", Fields: map[string][]string{FieldFirstName: {"José"}, FieldLastName: {"Pérez"}, FieldBirthDate: {"1990-05-28"},
			FieldPhone: {"+50245550101", "+50245550102"}, "notes": {"tall"}}},
		{ID: "r2", Fields: map[string][]string{FieldFirstName: {"Pepe"}, FieldLastName: {"Perez"}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	only, err := ReadCSV(strings.NewReader(in), "rec_id", []string{"surname"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string][]string{FieldLastName: {"Pérez"}}, only[0].Fields); diff != "" {
		t.Errorf("with --fields surname (-want +got):\n%s", diff)
	}
	if _, err := ReadCSV(strings.NewReader(in), "id", nil); err == nil || !strings.Contains(err.Error(), "no column \"id\"") {
		t.Errorf("missing ID column: err = %v", err)
	}
}

func TestWriteClustersAndExplanations(t *testing.T) {
	res := &Result{
		Clusters: []Cluster{{ID: "a", Members: []string{"a", "c"}}, {ID: "b", Members: []string{"b"}}},
		Pairs: []PairScore{{A: "a", B: "c", Weight: 12.5, Probability: 0.9998, PriorBits: -9,
			Contributions: []Contribution{{Field: FieldPhone, Text: "an identifier is shared: +8.0"}}}},
	}
	var buf bytes.Buffer
	if err := WriteClusters(&buf, res); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("record_id,cluster_id\na,a\nb,b\nc,a\n", buf.String()); diff != "" {
		t.Errorf("clusters (-want +got):\n%s", diff)
	}
	buf.Reset()
	if err := WriteExplanations(&buf, res); err != nil {
		t.Fatal(err)
	}
	want := "a,b,weight_bits,probability,same_cluster,judgement,explanation\n" +
		"a,c,12.50,0.9998,true,,prior: -9.0; an identifier is shared: +8.0\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("explanations (-want +got):\n%s", diff)
	}
}
