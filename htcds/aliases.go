package htcds

import "strings"

// KnownVariants maps column names seen in the standard's own toolkit onto
// the field names of the standard. Headers are also matched ignoring case,
// "_", "-" and spaces (so the XLSForm's prs_First_Name is prs_FirstName)
// and by field label where the label is unique (the Excel template's second
// header row). Add a line here when a partner's file spells a column
// differently.
func KnownVariants() map[string]string {
	return map[string]string{
		// Excel template v2.0 (both workbooks): missing "g".
		"vic_TraffickinStatusDecisionMakingOrg": "vic_TraffickingStatusDecisionMakingOrg",
		// XLSForm survey.
		"prs_First_Name":         "prs_FirstName",
		"prs_Second_Name":        "prs_SecondName",
		"vic_Methods_of_Control": "vic_MethodsOfControl",
		// Excel template labels that several fields share.
		"Status":  "cas_Status",
		"Consent": "con_Consent",
	}
}

// extraCodes are values the standard's Field Definitions.md defines for a
// field although its 2.0 picklist lacks them (the CTDC names); they are
// accepted as they are.
func extraCodes() map[string][]string {
	return map[string][]string{
		"vic_MethodsOfControl": {"RestrictsMovement", "UsesChildren"},
	}
}

// squash lowercases s and drops "_", "-", spaces and non-breaking spaces,
// for lenient matching of names and labels.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '_', '-', ' ', '\u00a0', '\t':
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(s)))
}

// columnResolver resolves header cells onto field IDs.
type columnResolver struct {
	byKey map[string]string
}

// newColumnResolver indexes names, known variants and unique labels.
func newColumnResolver() columnResolver {
	r := columnResolver{byKey: map[string]string{}}
	labels := map[string][]string{}
	for _, f := range standardFields() {
		r.byKey[squash(f.ID)] = f.ID
		labels[squash(f.Label)] = append(labels[squash(f.Label)], f.ID)
	}
	for k, ids := range labels {
		if _, taken := r.byKey[k]; !taken && len(ids) == 1 {
			r.byKey[k] = ids[0]
		}
	}
	for alias, id := range KnownVariants() {
		r.byKey[squash(alias)] = id
	}
	return r
}

// resolve returns the field ID for a header cell and whether it was exact.
func (r columnResolver) resolve(h string) (id string, exact, ok bool) {
	id, ok = r.byKey[squash(h)]
	return id, ok && id == h, ok
}

// codeResolver maps a field's accepted spellings (name, label, any case)
// onto the code names.
func codeResolver(f Field) map[string]string {
	m := map[string]string{}
	for _, c := range f.Codes {
		m[squash(c.Label)] = c.Name
	}
	for _, c := range f.Codes {
		m[squash(c.Name)] = c.Name
	}
	for _, extra := range extraCodes()[f.ID] {
		m[squash(extra)] = extra
	}
	return m
}
