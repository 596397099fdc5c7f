package htcds

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// validator checks and canonicalises cell values.
type validator struct {
	fields map[string]Field
	codes  map[string]map[string]string
	phone  *regexp.Regexp
}

// newValidator indexes fields and code lists.
func newValidator() *validator {
	v := &validator{fields: fieldIndex(), codes: map[string]map[string]string{},
		phone: regexp.MustCompile(`^\+?[1-9]\d{1,14}$`)}
	for id, f := range v.fields {
		if len(f.Codes) > 0 {
			v.codes[id] = codeResolver(f)
		}
	}
	return v
}

// record validates one row into a Record.
func (v *validator) record(line int, row, header, cols []string) (Record, []Problem) {
	rec := Record{Line: line, Values: map[string]string{}}
	var problems []Problem
	if len(row) > len(cols) {
		for _, extra := range row[len(cols):] {
			if strings.TrimSpace(extra) != "" {
				problems = append(problems, Problem{Line: line, Column: fmt.Sprintf("#%d", len(cols)+1), Msg: "more cells than header columns"})
				break
			}
		}
	}
	for i, cell := range row {
		if i >= len(cols) || cols[i] == "" || strings.TrimSpace(cell) == "" {
			continue
		}
		val, err := v.value(v.fields[cols[i]], cell)
		if err != nil {
			problems = append(problems, Problem{Line: line, Column: header[i], Msg: err.Error()})
			continue
		}
		rec.Values[cols[i]] = val
	}
	return rec, problems
}

// canonical replaces each value of vals by its canonical form, deleting
// and reporting the ones that would not import.
func (v *validator) canonical(entityID string, vals map[string]string) []string {
	var dropped []string
	for _, f := range Header() {
		cell, ok := vals[f]
		if !ok {
			continue
		}
		if strings.TrimSpace(cell) == "" {
			delete(vals, f)
			continue
		}
		c, err := v.value(v.fields[f], cell)
		if err != nil {
			delete(vals, f)
			dropped = append(dropped, entityID+": "+f+": "+err.Error())
			continue
		}
		vals[f] = c
	}
	return dropped
}

// value checks one non-empty cell against its field and returns its
// canonical form. Messages quote coded values only, never free text, which
// may hold personal data.
func (v *validator) value(f Field, cell string) (string, error) {
	switch f.kind() {
	case "code":
		return v.code(f, cell)
	case "date":
		return date(cell)
	case "bool":
		return boolean(cell)
	case "number":
		if _, err := strconv.ParseFloat(strings.TrimSpace(cell), 64); err != nil {
			return "", fmt.Errorf("not a number")
		}
		return strings.TrimSpace(cell), nil
	case "geo":
		return geo(f, cell)
	case "country":
		return isoCodes(f, cell, strings.ToUpper, "an ISO 3166 country code (e.g. HN)")
	case "language":
		return isoCodes(f, cell, strings.ToLower, "an ISO 639-2 language code (e.g. spa)")
	case "phone":
		p := strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", ".", "").Replace(cell)
		if !v.phone.MatchString(p) {
			return "", fmt.Errorf("not an E.164 phone number (+ country code and up to 15 digits)")
		}
		return p, nil
	}
	return cell, nil
}

// code resolves each value of a (multi)select cell onto the code list.
func (v *validator) code(f Field, cell string) (string, error) {
	parts := []string{cell}
	if f.Multi {
		parts = splitCell(cell)
	}
	var out []string
	for _, p := range parts {
		name, ok := v.codes[f.ID][squash(p)]
		if !ok {
			return "", fmt.Errorf("%q is not in the %s code list (%s)", strings.TrimSpace(p), f.ID, codeNames(f))
		}
		if !contains(out, name) {
			out = append(out, name)
		}
	}
	return strings.Join(out, MultiSep), nil
}

// splitCell splits a multiselect cell on ";" (Salesforce) or, when there is
// none, on "," or spaces (XLSForm select_multiple exports).
func splitCell(cell string) []string {
	var parts []string
	switch {
	case strings.Contains(cell, MultiSep):
		parts = strings.Split(cell, MultiSep)
	case strings.Contains(cell, ","):
		parts = strings.Split(cell, ",")
	default:
		parts = strings.Fields(cell)
	}
	var out []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

// date accepts an ISO 8601 date (a time part is dropped).
func date(cell string) (string, error) {
	s := strings.TrimSpace(cell)
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') {
		s = s[:10]
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", fmt.Errorf("not an ISO 8601 date (YYYY-MM-DD)")
	}
	return s, nil
}

// boolean accepts the usual spellings of a checkbox.
func boolean(cell string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(cell)) {
	case "true", "1", "yes", "y", "x", "si", "sí":
		return "true", nil
	case "false", "0", "no", "n":
		return "false", nil
	}
	return "", fmt.Errorf("not a checkbox value (true or false)")
}

// geo checks a longitude or latitude.
func geo(f Field, cell string) (string, error) {
	s := strings.TrimSpace(cell)
	x, err := strconv.ParseFloat(s, 64)
	limit := 180.0
	if strings.HasSuffix(f.ID, "Latitude") {
		limit = 90
	}
	if err != nil || x < -limit || x > limit {
		return "", fmt.Errorf("not a coordinate between -%g and %g", limit, limit)
	}
	return s, nil
}

// isoCodes checks 2- or 3-letter codes (several for a multiselect field).
func isoCodes(f Field, cell string, norm func(string) string, what string) (string, error) {
	parts := []string{cell}
	if f.Multi {
		parts = splitCell(cell)
	}
	var out []string
	for _, p := range parts {
		c := norm(strings.TrimSpace(p))
		if len(c) < 2 || len(c) > 3 || strings.ToUpper(c) != strings.Map(upperLetter, c) {
			return "", fmt.Errorf("%q is not %s", strings.TrimSpace(p), what)
		}
		out = append(out, c)
	}
	return strings.Join(out, MultiSep), nil
}

// upperLetter maps ASCII letters to upper case and anything else to "?".
func upperLetter(r rune) rune {
	switch {
	case r >= 'a' && r <= 'z':
		return r - 'a' + 'A'
	case r >= 'A' && r <= 'Z':
		return r
	}
	return '?'
}

// codeNames lists a field's code names for error messages.
func codeNames(f Field) string {
	names := make([]string, len(f.Codes))
	for i, c := range f.Codes {
		names[i] = c.Name
	}
	if len(names) > 8 {
		return strings.Join(names[:8], ", ") + ", ..."
	}
	return strings.Join(names, ", ")
}

// contains reports whether s holds x.
func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}
