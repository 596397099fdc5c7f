package htcds

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rastro/rastro"
)

// Record is one row of an HTCDS file: values by exact field name, in their
// canonical spelling (code names, "true"/"false", ISO dates). Line is the
// line of the file where the row starts (the header is line 1).
type Record struct {
	Line   int               `json:"line"`
	Values map[string]string `json:"values"`
}

// Get returns the value of field, "" when empty.
func (r Record) Get(field string) string { return r.Values[field] }

// Multi returns the values of a multiselect field.
func (r Record) Multi(field string) []string {
	var out []string
	for _, v := range strings.Split(r.Values[field], MultiSep) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// File is a read HTCDS file: the fields of its columns, its records and
// warnings about what was read leniently (variant column names, a label row
// skipped, empty columns ignored).
type File struct {
	Columns  []string `json:"columns"`
	Records  []Record `json:"records"`
	Warnings []string `json:"warnings,omitempty"`
}

// Problem is one invalid cell or column.
type Problem struct {
	Line   int    `json:"line"`
	Column string `json:"column"` // the header as written in the file
	Msg    string `json:"message"`
}

// String reads "line 3, column vic_MethodsOfControl: ...".
func (p Problem) String() string {
	if p.Line == 0 {
		return fmt.Sprintf("column %q: %s", p.Column, p.Msg)
	}
	return fmt.Sprintf("line %d, column %s: %s", p.Line, p.Column, p.Msg)
}

// ValidationError lists every problem of a file. It unwraps to an EINVALID
// *rastro.Error, so rastro.ErrorCode reports EINVALID.
type ValidationError struct {
	Problems []Problem
}

// maxShown is how many problems Error spells out.
const maxShown = 20

// Error lists the first problems, one per line.
func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "htcds: %d problem(s) in the file", len(e.Problems))
	for i, p := range e.Problems {
		if i == maxShown {
			fmt.Fprintf(&b, "\n... and %d more", len(e.Problems)-maxShown)
			break
		}
		b.WriteString("\n" + p.String())
	}
	return b.String()
}

// Unwrap returns the EINVALID error the rest of Rastro understands.
func (e *ValidationError) Unwrap() error {
	return rastro.Errorf(rastro.EINVALID, "%s", e.Error())
}

// Read reads an HTCDS CSV file. Columns may use the exact field names, the
// known variants or the field labels; a second header row of labels (as in
// the standard's Excel template) is skipped; columns with an empty header
// are ignored; any other unknown column is a problem. Every value is checked
// against its field's code list or type. All problems are returned together
// in a *ValidationError.
func Read(r io.Reader) (*File, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, rastro.Errorf(rastro.EINVALID, "htcds: empty file: the first line must be the header")
	} else if err != nil {
		return nil, rastro.Errorf(rastro.EINVALID, "htcds: line 1: %v", err)
	}
	f := &File{}
	cols, problems := resolveHeader(header, f)
	v := newValidator()
	first := true
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, rastro.Errorf(rastro.EINVALID, "htcds: %v", err)
		}
		line, _ := cr.FieldPos(0)
		if first && isLabelRow(row, cols) {
			f.Warnings = append(f.Warnings, fmt.Sprintf("line %d holds the field labels (template layout); skipped", line))
			f.Warnings = append(f.Warnings, labelledColumns(header, row, cols, f)...)
			first = false
			continue
		}
		first = false
		rec, ps := v.record(line, row, header, cols)
		problems = append(problems, ps...)
		if len(rec.Values) > 0 {
			f.Records = append(f.Records, rec)
		}
	}
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	return f, nil
}

// resolveHeader maps each header cell onto a field ID ("" to ignore).
func resolveHeader(header []string, f *File) ([]string, []Problem) {
	res := newColumnResolver()
	cols := make([]string, len(header))
	seen := map[string]string{}
	var problems []Problem
	for i, h := range header {
		h = strings.TrimPrefix(h, "\ufeff")
		header[i] = h
		if strings.TrimSpace(h) == "" {
			f.Warnings = append(f.Warnings, fmt.Sprintf("column %d has no header; ignored", i+1))
			continue
		}
		id, exact, ok := res.resolve(h)
		switch {
		case !ok:
			problems = append(problems, Problem{Column: h, Msg: "not an HTCDS 2.0 field name, known variant or label; rename the column or add it to KnownVariants"})
			continue
		case seen[id] != "":
			problems = append(problems, Problem{Column: h, Msg: fmt.Sprintf("same field (%s) as column %q", id, seen[id])})
			continue
		case !exact:
			f.Warnings = append(f.Warnings, fmt.Sprintf("column %q read as %s", h, id))
		}
		seen[id] = h
		cols[i] = id
		f.Columns = append(f.Columns, id)
	}
	return cols, problems
}

// isLabelRow reports whether row repeats the columns' field labels.
func isLabelRow(row, cols []string) bool {
	idx := fieldIndex()
	match, nonEmpty := 0, 0
	for i, cell := range row {
		if i >= len(cols) || cols[i] == "" || strings.TrimSpace(cell) == "" {
			continue
		}
		nonEmpty++
		if squash(cell) == squash(idx[cols[i]].Label) || squash(cell) == squash(cols[i]) {
			match++
		}
	}
	return nonEmpty > 0 && match*2 >= nonEmpty
}

// labelledColumns names the columns whose header is empty but whose label
// row cell is a field label (the v2.0 Excel template leaves the name of
// cas_ReasonForOutgoingReferral out of its first row).
func labelledColumns(header, labels, cols []string, f *File) []string {
	res := newColumnResolver()
	var warnings []string
	for i, h := range header {
		if strings.TrimSpace(h) != "" || i >= len(labels) || strings.TrimSpace(labels[i]) == "" {
			continue
		}
		id, _, ok := res.resolve(labels[i])
		if ok && !contains(f.Columns, id) {
			cols[i] = id
			header[i] = labels[i]
			f.Columns = append(f.Columns, id)
			warnings = append(warnings, fmt.Sprintf("column %d has no name; read as %s from its label", i+1, id))
		}
	}
	return warnings
}
