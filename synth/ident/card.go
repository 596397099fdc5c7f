package ident

import "math/rand/v2"

// testIINs are issuer prefixes published for testing by card networks and
// processors (e.g. 4111 1111 1111 1111, 4242 4242 4242 4242, 4000 0000 0000
// 0002, 5555 5555 5555 4444, 2223 0000 4840 0011); no cardholder holds them.
var testIINs = [...]string{"411111", "424242", "400000", "555555", "222300"}

// Card returns a 16-digit Luhn-valid card number in a test IIN range.
func Card(r *rand.Rand) string {
	b := cardBody(r)
	return string(append(b, luhnDigit(b)))
}

// CardDecoy returns a 16-digit number in a test IIN range that fails Luhn.
func CardDecoy(r *rand.Rand) string {
	b := cardBody(r)
	good := luhnDigit(b) - '0'
	bad := (good + 1 + byte(r.IntN(9))) % 10
	return string(append(b, '0'+bad))
}

// cardBody returns the first 15 digits: a test IIN and random digits.
func cardBody(r *rand.Rand) []byte {
	b := make([]byte, 0, 16)
	b = append(b, testIINs[r.IntN(len(testIINs))]...)
	return appendDigits(r, b, 15-len(b))
}

// luhnDigit returns the check digit that makes body+digit pass Luhn.
func luhnDigit(body []byte) byte {
	sum := 0
	double := true // the rightmost body digit is doubled once the check digit is appended
	for i := len(body) - 1; i >= 0; i-- {
		d := int(body[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return byte('0' + (10-sum%10)%10)
}
