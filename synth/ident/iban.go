package ident

import (
	"math/rand/v2"
	"strings"
)

// ibanFormat describes the BBAN of one country: a bank code drawn from
// invented codes followed by random digits.
type ibanFormat struct {
	banks  []string // invented bank identifiers (no real bank uses them)
	digits int      // random digits after the bank code
}

// ibanFormats gives the BBAN layout per country (SWIFT IBAN registry):
// CR 22 chars (0 + 3-digit bank + 14 digits), DO 28 (4-letter bank + 20
// digits), GT 28 (4-letter bank + 20), SV 28 (4-letter bank + 20), ES 24
// (4-digit bank + 4-digit branch + 2 national check digits + 10 digits).
// The bank codes below are invented: letters "XM", "ZZ", "QX" do not start
// any bank code in these countries' registries as far as we know.
var ibanFormats = map[string]ibanFormat{
	"CR": {[]string{"0901", "0902", "0903", "0904"}, 14},
	"DO": {[]string{"XMPL", "ZZBK", "QXBN", "XMCB"}, 20},
	"GT": {[]string{"XMPL", "ZZBK", "QXBN", "XMCB"}, 20},
	"SV": {[]string{"XMPL", "ZZBK", "QXBN", "XMCB"}, 20},
	"ES": {[]string{"9901", "9902", "9903", "9904"}, 16},
}

// IBAN returns an electronic-format IBAN (no spaces) for country (CR DO GT SV
// ES) with the correct length and mod-97 check digits. Unknown countries fall
// back to CR.
func IBAN(r *rand.Rand, country string) string {
	cc, bban := ibanBBAN(r, country)
	return cc + ibanCheck(cc, bban) + bban
}

// IBANDecoy returns an IBAN of the right shape and length whose check digits
// are wrong, so mod-97 validation fails.
func IBANDecoy(r *rand.Rand, country string) string {
	cc, bban := ibanBBAN(r, country)
	good := ibanCheck(cc, bban)
	g := int(good[0]-'0')*10 + int(good[1]-'0')
	// Check digits 02..98 have pairwise distinct residues mod 97, so any
	// other value in that range fails.
	bad := 2 + (g-2+1+r.IntN(96))%97
	return cc + itoa2(bad) + bban
}

// ibanBBAN draws the country code and a BBAN.
func ibanBBAN(r *rand.Rand, country string) (string, string) {
	cc := strings.ToUpper(country)
	f, ok := ibanFormats[cc]
	if !ok {
		cc, f = "CR", ibanFormats["CR"]
	}
	b := make([]byte, 0, 24)
	b = append(b, f.banks[r.IntN(len(f.banks))]...)
	if cc != "ES" {
		return cc, string(appendDigits(r, b, f.digits))
	}
	branch := appendDigits(r, nil, 4)
	account := appendDigits(r, nil, 10)
	b = append(b, branch...)
	b = append(b, esControl(append([]byte("00"), append(b[:4:4], branch...)...)), esControl(account))
	return cc, string(append(b, account...))
}

// esControl computes one Spanish national check digit (dígito de control)
// over 10 digits.
func esControl(d []byte) byte {
	weights := [10]int{1, 2, 4, 8, 5, 10, 9, 7, 3, 6}
	sum := 0
	for i, c := range d {
		sum += int(c-'0') * weights[i]
	}
	v := 11 - sum%11
	switch v {
	case 10:
		v = 1
	case 11:
		v = 0
	}
	return byte('0' + v)
}

// ibanCheck computes the two ISO 13616 check digits for cc and bban.
func ibanCheck(cc, bban string) string {
	rem := ibanMod97(bban + cc + "00")
	return itoa2(98 - rem)
}

// ibanMod97 returns s mod 97 with letters expanded to 10..35.
func ibanMod97(s string) int {
	rem := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A') + 10) % 97
		}
	}
	return rem
}
