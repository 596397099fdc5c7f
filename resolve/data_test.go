package resolve

import (
	"encoding/csv"
	"github.com/rastro/rastro/internal/shareddata"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// erDir is the record-linkage benchmarks of the reference data, or skips.
func erDir(tb testing.TB) string { return shareddata.Dir(tb, "er") }

// readCSV reads a CSV file with a header into maps, trimming spaces.
func readCSV(tb testing.TB, path string) []map[string]string {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.TrimLeadingSpace = true
	rows, err := r.ReadAll()
	if err != nil {
		tb.Fatalf("read %s: %v", path, err)
	}
	var out []map[string]string
	for _, row := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[strings.TrimSpace(h)] = strings.TrimSpace(row[i])
		}
		out = append(out, m)
	}
	return out
}

// febrlRecords loads a FEBRL file; truth maps record ID to "rec-N".
func febrlRecords(tb testing.TB, file, source string, truth map[string]string) []Record {
	tb.Helper()
	var recs []Record
	for _, row := range readCSV(tb, filepath.Join(erDir(tb), file)) {
		id := row["rec_id"]
		parts := strings.Split(id, "-")
		truth[id] = parts[0] + "-" + parts[1]
		f := map[string][]string{}
		put := func(k, v string) {
			if v != "" {
				f[k] = append(f[k], v)
			}
		}
		put(FieldFirstName, row["given_name"])
		put(FieldLastName, row["surname"])
		put(FieldBirthDate, row["date_of_birth"])
		put(FieldDocument, row["soc_sec_id"])
		put(FieldCity, row["suburb"])
		put("address", strings.TrimSpace(row["street_number"]+" "+row["address_1"]))
		put("address_2", row["address_2"])
		put("postcode", row["postcode"])
		put("state", row["state"])
		recs = append(recs, Record{ID: id, Source: source, Fields: f})
	}
	return recs
}

// fakeRecords loads fake_1000.csv; truth maps unique_id to cluster.
func fakeRecords(tb testing.TB, truth map[string]string) []Record {
	tb.Helper()
	var recs []Record
	for _, row := range readCSV(tb, filepath.Join(erDir(tb), "fake_1000.csv")) {
		id := row["unique_id"]
		truth[id] = row["cluster"]
		f := map[string][]string{}
		for k, col := range map[string]string{FieldFirstName: "first_name", FieldLastName: "surname", FieldBirthDate: "dob", FieldCity: "city", FieldEmail: "email"} {
			if v := row[col]; v != "" {
				f[k] = []string{v}
			}
		}
		recs = append(recs, Record{ID: id, Fields: f})
	}
	return recs
}
