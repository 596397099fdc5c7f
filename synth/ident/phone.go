package ident

import (
	"math/rand/v2"
	"strings"
)

// phoneScheme is one fictional block: E.164 prefixes (country code plus
// national prefix digits) followed by a fixed stem and a random tail.
type phoneScheme struct {
	prefixes []string // "+1202", "+502 4", ...
	stem     string   // fixed digits after the prefix
	tail     int      // random digits after the stem
}

// phoneSchemes maps region codes to their fictional blocks; see the package
// documentation for why each one cannot, or is very unlikely to, reach a person.
var phoneSchemes = map[string]phoneScheme{
	"US": {[]string{"+1202", "+1212", "+1305", "+1312", "+1415", "+1713"}, "55501", 2},
	"DO": {[]string{"+1809", "+1829", "+1849"}, "55501", 2},
	"GB": {[]string{"+44207946", "+44113496", "+44121496", "+44131496", "+44141496", "+44151496", "+44161496"}, "0", 3},
	"GT": {[]string{"+5024"}, "55501", 2},
	"SV": {[]string{"+5036"}, "55501", 2},
	"HN": {[]string{"+5049"}, "55501", 2},
	"NI": {[]string{"+5058"}, "55501", 2},
	"CR": {[]string{"+5068"}, "55501", 2},
	"PA": {[]string{"+5076"}, "55501", 2},
	"MX": {[]string{"+5255"}, "555001", 2},
	"ES": {[]string{"+3461"}, "55501", 2},
}

// countryCodeLen is the length of the "+CC" part of each scheme's prefixes.
var countryCodeLen = map[string]int{
	"US": 2, "DO": 2, "GB": 3, "GT": 4, "SV": 4, "HN": 4, "NI": 4, "CR": 4, "PA": 4, "MX": 3, "ES": 3,
}

// Regions lists the region codes Phone supports, in a fixed order.
func Regions() []string {
	return []string{"GT", "SV", "HN", "NI", "CR", "PA", "DO", "MX", "US", "GB", "ES"}
}

// Phone returns a fictional E.164 number valid for region (GT SV HN NI CR PA
// DO MX US GB ES). An unknown region falls back to the US fictional block.
func Phone(r *rand.Rand, region string) string {
	s, ok := phoneSchemes[strings.ToUpper(region)]
	if !ok {
		s = phoneSchemes["US"]
	}
	b := make([]byte, 0, 16)
	b = append(b, s.prefixes[r.IntN(len(s.prefixes))]...)
	b = append(b, s.stem...)
	return string(appendDigits(r, b, s.tail))
}

// PhoneDecoy returns a phone-shaped E.164 string for region that fails
// libphonenumber validation: a fictional number with its last digit dropped
// (too short) or with a national leading digit no plan uses (0 or 1).
func PhoneDecoy(r *rand.Rand, region string) string {
	reg := strings.ToUpper(region)
	if _, ok := phoneSchemes[reg]; !ok {
		reg = "US"
	}
	p := Phone(r, reg)
	if r.IntN(2) == 0 || reg == "GB" || reg == "MX" || reg == "ES" {
		return p[:len(p)-1]
	}
	cc := countryCodeLen[reg]
	lead := byte('0')
	if r.IntN(2) == 1 {
		lead = '1'
	}
	return p[:cc] + string(lead) + p[cc+1:]
}

// appendDigits appends n random decimal digits.
func appendDigits(r *rand.Rand, b []byte, n int) []byte {
	for range n {
		b = append(b, byte('0'+r.IntN(10)))
	}
	return b
}
