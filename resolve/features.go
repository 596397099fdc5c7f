package resolve

import (
	"slices"
	"strings"
)

// identifierFields are the fields compared as identifiers: strong evidence,
// capped weight, blocked on exact value.
var identifierFields = []string{FieldPhone, FieldEmail, FieldHandle, FieldIBAN, FieldWallet, FieldDocument}

// knownFields are the fields with a dedicated comparison.
var knownFields = map[string]bool{
	FieldName: true, FieldFirstName: true, FieldLastName: true, FieldBirthDate: true,
	FieldPhone: true, FieldEmail: true, FieldHandle: true, FieldIBAN: true,
	FieldWallet: true, FieldDocument: true, FieldCity: true,
}

// prepared is a record normalised once for blocking and comparison.
type prepared struct {
	// Set by prepareAll, kept together at the front so that comparing two
	// records mostly reads one cache line of each. IDs are interned
	// strings (-1 for none): equal IDs, equal strings.
	givenID, surID, surKeyID, cityID, givenPhID int32
	dobN                                        int32    // date of birth as the number YYYYMMDD, 0 for none
	dobKey                                      uint64   // its eight digits as bytes
	idFirst                                     [6]int32 // interned first value of each identifier field
	idCount                                     [6]uint8 // values of each identifier field (at most 255)
	nGiven, nSur                                uint8    // given names and surnames (at most 255)
	// Interned first two given names, surnames and surname phonetic keys
	// (-1 past the end), to test for a shared one without comparing
	// strings; sharedToken falls back to the strings beyond two.
	givenTok, surTok, surPhTok [2]int32
	// Letter signatures of given[0], surnames[0], surnameKey and city.
	givenSig, surSig, surKeySig, citySig nameSig

	id, source  string
	given       []string // canonical given names (nicknames resolved)
	givenRaw    []string // folded given names as written
	surnames    []string
	givenPh     []string
	surnamePh   []string
	surnameKey  string // surnames joined by a space
	compactName string // given + surnames without spaces, for n-grams
	sortKey     string // date of birth and compact name, to order large blocks
	dob         string // YYYYMMDD
	ids         [6][]string
	city        string
	generic     []string // folded values of generic fields, by index

	// Pads the struct to a whole number of 64-byte cache lines: a slice of
	// them is allocated line-aligned, so the fields at the front are one
	// line of each record (TestPreparedFillsCacheLines).
	_ [24]byte
}

// prepare normalises r; generic lists the generic field names by index.
func prepare(r Record, generic []string) prepared {
	p := prepared{id: r.ID, source: r.Source}
	p.givenRaw, p.surnames = nameParts(r.Fields[FieldFirstName], r.Fields[FieldLastName], r.Fields[FieldName])
	for _, g := range p.givenRaw {
		c := canonicalGiven(g)
		p.given = append(p.given, c)
		p.givenPh = append(p.givenPh, phonetic(c))
	}
	for _, s := range p.surnames {
		p.surnamePh = append(p.surnamePh, phonetic(s))
	}
	p.surnameKey = strings.Join(p.surnames, " ")
	p.compactName = strings.Join(p.given, "") + strings.Join(p.surnames, "")
	for _, v := range r.Fields[FieldBirthDate] {
		if p.dob = normDate(v); p.dob != "" {
			break
		}
	}
	p.sortKey = p.dob + "|" + p.compactName
	for i, f := range identifierFields {
		p.ids[i] = normIdentifiers(f, r.Fields[f])
	}
	if c := r.Fields[FieldCity]; len(c) > 0 {
		p.city = strings.Join(strings.Fields(fold(c[0])), " ")
	}
	p.generic = make([]string, len(generic))
	for i, f := range generic {
		p.generic[i] = strings.Join(strings.Fields(fold(strings.Join(r.Fields[f], " "))), " ")
	}
	return p
}

// normIdentifiers normalises, sorts and deduplicates the values of one
// identifier field.
func normIdentifiers(field string, vs []string) []string {
	var out []string
	for _, v := range vs {
		if n := normIdentifier(field, v); n != "" {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// genericFields returns the sorted names of the fields without a dedicated
// comparison that some record fills.
func genericFields(recs []Record) []string {
	seen := map[string]bool{}
	for _, r := range recs {
		for f, vs := range r.Fields {
			if !knownFields[f] && len(vs) > 0 {
				seen[f] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for f := range seen {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}
