package resolve

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/rastro/rastro"
)

// columnFields maps common CSV column names to Record fields; columns not
// listed keep their own name and are compared as generic strings.
var columnFields = map[string]string{
	"name": FieldName, "full_name": FieldName, "first_name": FieldFirstName, "given_name": FieldFirstName,
	"firstname": FieldFirstName, "last_name": FieldLastName, "surname": FieldLastName, "lastname": FieldLastName,
	"dob": FieldBirthDate, "date_of_birth": FieldBirthDate, "birth_date": FieldBirthDate, "birthdate": FieldBirthDate,
	"phone": FieldPhone, "telephone": FieldPhone, "mobile": FieldPhone, "email": FieldEmail, "e-mail": FieldEmail,
	"handle": FieldHandle, "username": FieldHandle, "iban": FieldIBAN, "account": FieldIBAN, "wallet": FieldWallet,
	"document": FieldDocument, "id_number": FieldDocument, "passport": FieldDocument, "soc_sec_id": FieldDocument,
	"city": FieldCity, "suburb": FieldCity, "town": FieldCity,
}

// ReadCSV reads records from a CSV file with a header line, for `rastro
// resolve --in`. idColumn names the record ID column; fields, when not
// empty, lists the columns to use (others are ignored), else every column
// but the ID is used. Column names are mapped to Record fields (given_name →
// first_name, dob → birth_date, suburb → city, ...); values holding several
// identifiers may separate them with "|". It returns EINVALID when the ID
// column is missing or an ID repeats.
func ReadCSV(r io.Reader, idColumn string, fields []string) ([]Record, error) {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, rastro.Errorf(rastro.EINVALID, "resolve csv: cannot read the header line: %v", err)
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	idCol := slices.Index(header, idColumn)
	if idCol < 0 {
		return nil, rastro.Errorf(rastro.EINVALID, "resolve csv: no column %q; the header has %s", idColumn, strings.Join(header, ", "))
	}
	cols := columnMapping(header, idCol, fields)
	// Parsing and building records overlap: batches of rows go to a second
	// goroutine, which appends their records in order.
	batches := make(chan [][]string, 4)
	done := make(chan []Record)
	go func() {
		var recs []Record
		for b := range batches {
			for _, row := range b {
				recs = append(recs, csvRecord(cols, row, idCol))
			}
		}
		done <- recs
	}()
	batch := make([][]string, 0, csvBatch)
	for line := 2; ; line++ {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			batches <- batch
			close(batches)
			return <-done, nil
		}
		if err != nil {
			close(batches)
			<-done
			return nil, rastro.Errorf(rastro.EINVALID, "resolve csv: line %d: %v", line, err)
		}
		if batch = append(batch, row); len(batch) == csvBatch {
			batches <- batch
			batch = make([][]string, 0, csvBatch)
		}
	}
}

// csvBatch is how many rows ReadCSV hands over at a time.
const csvBatch = 4096

// columnMapping returns, per column, the Record field it fills, or "" for
// the ID column and the columns not among fields (when fields is set).
func columnMapping(header []string, idCol int, fields []string) []string {
	cols := make([]string, len(header))
	for i, h := range header {
		if i == idCol || len(fields) > 0 && !slices.Contains(fields, h) {
			continue
		}
		cols[i] = h
		if m, ok := columnFields[strings.ToLower(h)]; ok {
			cols[i] = m
		}
	}
	return cols
}

// csvRecord builds one record from a CSV row; cols maps columns to fields.
func csvRecord(cols, row []string, idCol int) Record {
	rec := Record{ID: strings.TrimSpace(row[idCol]), Fields: make(map[string][]string, len(cols))}
	for i, f := range cols {
		if f == "" || i >= len(row) {
			continue
		}
		if !strings.Contains(row[i], "|") {
			if v := strings.TrimSpace(row[i]); v != "" {
				rec.Fields[f] = append(rec.Fields[f], v)
			}
			continue
		}
		for _, v := range strings.Split(row[i], "|") {
			if v = strings.TrimSpace(v); v != "" {
				rec.Fields[f] = append(rec.Fields[f], v)
			}
		}
	}
	return rec
}

// WriteClusters writes "record_id,cluster_id" lines, sorted by record ID,
// for `rastro resolve --out`.
func WriteClusters(w io.Writer, res *Result) error {
	of := res.ClusterOf()
	ids := make([]string, 0, len(of))
	for id := range of {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"record_id", "cluster_id"}); err != nil {
		return fmt.Errorf("resolve csv: %w", err)
	}
	for _, id := range ids {
		if err := cw.Write([]string{id, of[id]}); err != nil {
			return fmt.Errorf("resolve csv: %w", err)
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteExplanations writes one line per scored pair — a, b, match weight,
// probability, linked, and every field's contribution joined by "; " —
// for `rastro resolve --explain`.
func WriteExplanations(w io.Writer, res *Result) error {
	of := res.ClusterOf()
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"a", "b", "weight_bits", "probability", "same_cluster", "judgement", "explanation"}); err != nil {
		return fmt.Errorf("resolve csv: %w", err)
	}
	for _, p := range res.Pairs {
		texts := []string{fmt.Sprintf("prior: %+.1f", p.PriorBits)}
		for _, c := range p.Contributions {
			texts = append(texts, c.Text)
		}
		row := []string{p.A, p.B, strconv.FormatFloat(p.Weight, 'f', 2, 64), strconv.FormatFloat(p.Probability, 'f', 4, 64),
			strconv.FormatBool(of[p.A] == of[p.B]), string(p.Judgement), strings.Join(texts, "; ")}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("resolve csv: %w", err)
		}
	}
	cw.Flush()
	return cw.Error()
}
