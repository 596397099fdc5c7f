package synth

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWritePeople(t *testing.T) {
	var a, b bytes.Buffer
	st, err := WritePeople(&a, 5000, 3)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := WritePeople(&b, 5000, 3); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("same seed wrote different files")
	}
	rows, err := csv.NewReader(&a).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(PeopleHeader, rows[0]); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if len(rows)-1 != 5000 || st.Records != 5000 {
		t.Fatalf("%d rows, stats %+v; want 5000", len(rows)-1, st)
	}
	per := map[string]int{}
	for _, r := range rows[1:] {
		per[r[1]]++
		if r[2] == "" || r[3] == "" {
			t.Errorf("record %s has no name: %v", r[0], r)
		}
	}
	dup := 0
	for _, n := range per {
		if n > 1 {
			dup++
		}
	}
	// about one person in five has two to four records
	if len(per) != st.People || dup != st.Duplicated || dup < len(per)/7 || dup > len(per)/4 {
		t.Errorf("%d people, %d with duplicates (stats %+v); want about a fifth", len(per), dup, st)
	}
}
