package htcds

import "strings"

// Field is one field of the standard: its exact name ("Field Name including
// Prefix"), label, section, type and code list.
type Field struct {
	ID         string
	Label      string
	Section    string
	Type       string // Text, Picklist, Multiselect Picklist, Date, Checkbox, Number, Geolocation, Long Text, Lookup [...]
	Core       bool
	Deprecated bool
	Multi      bool // multiselect: values separated by MultiSep
	Codes      []Code
}

// Code is one value of a code list: system name and human label.
type Code struct {
	Name  string
	Label string
}

// MultiSep separates the values of a multiselect cell (as Salesforce, the
// standard's reference platform, exports them).
const MultiSep = ";"

// Fields returns the HTCDS 2.0 fields in the standard's order, DEPRECATED
// ones included so that older files still import.
func Fields() []Field {
	return standardFields()
}

// Header returns the exact field names, in the standard's order: the header
// every export writes.
func Header() []string {
	fs := standardFields()
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.ID
	}
	return out
}

// fieldIndex maps field IDs onto fields.
func fieldIndex() map[string]Field {
	m := map[string]Field{}
	for _, f := range standardFields() {
		m[f.ID] = f
	}
	return m
}

// kind classifies a field for validation.
func (f Field) kind() string {
	switch {
	case len(f.Codes) > 0:
		return "code"
	case strings.HasPrefix(f.Type, "Date"):
		return "date"
	case f.Type == "Checkbox":
		return "bool"
	case f.Type == "Number":
		return "number"
	case f.Type == "Geolocation" || strings.HasSuffix(f.ID, "Longitude") || strings.HasSuffix(f.ID, "Latitude"):
		return "geo"
	}
	switch f.ID {
	case "prs_Citizenship", "prs_MailingCountry", "org_ShippingCountry":
		return "country"
	case "prs_PrimaryLanguage", "prs_SecondaryLanguage":
		return "language"
	case "prs_HomePhone", "prs_MobilePhone", "org_Phone":
		return "phone"
	}
	return "text"
}
