package money

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
)

// Amount is an exact decimal: an integer number of minor units and a scale
// (decimal places). Small values live in an int64; values that do not fit
// (18-decimal tokens) switch to math/big transparently. The zero value is 0.
type Amount struct {
	u     int64
	b     *big.Int // non-nil only when the value does not fit u
	scale uint8
}

// NewAmount returns units × 10^-scale.
func NewAmount(units int64, scale int) Amount { return Amount{u: units, scale: uint8(scale)} }

// ErrAmount is wrapped by every amount parse error.
var ErrAmount = errors.New("not an amount")

// ParseAmount reads an exact decimal. With decimalComma the comma is the
// decimal separator and dots group thousands ("1.234,56"); otherwise the dot
// is decimal and commas group ("1,234.56"). A leading '-' or '+', surrounding
// spaces, quotes and a trailing or leading currency sign are accepted;
// "(12.00)" is negative, as accountants write it.
func ParseAmount(s string, decimalComma bool) (Amount, error) {
	t := trimAmount(s)
	neg := false
	if len(t) >= 2 && t[0] == '(' && t[len(t)-1] == ')' {
		neg, t = true, t[1:len(t)-1]
	}
	if len(t) > 0 && (t[0] == '-' || t[0] == '+') {
		neg = neg != (t[0] == '-')
		t = t[1:]
	}
	dec, group := byte('.'), byte(',')
	if decimalComma {
		dec, group = ',', '.'
	}
	var u int64
	n, scale, seenDec, overflow := 0, 0, false, false
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= '0' && c <= '9':
			n++
			if seenDec {
				scale++
			}
			if u > (math.MaxInt64-9)/10 {
				overflow = true
			}
			u = u*10 + int64(c-'0')
		case c == dec && !seenDec:
			seenDec = true
		case (c == group || c == ' ' || c == '\'') && !seenDec:
		default:
			return Amount{}, fmt.Errorf("amount %q: %w", s, ErrAmount)
		}
	}
	if n == 0 || scale > 36 {
		return Amount{}, fmt.Errorf("amount %q: %w", s, ErrAmount)
	}
	if overflow {
		return bigAmount(t, dec, neg, scale)
	}
	if neg {
		u = -u
	}
	return Amount{u: u, scale: uint8(scale)}, nil
}

// trimAmount drops spaces, quotes and currency signs around an amount.
func trimAmount(s string) string {
	cut := func(c byte) bool { return c == ' ' || c == '"' || c == '$' || c == '\t' }
	for len(s) > 0 && cut(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && cut(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "€"), "€")
	return strings.TrimSuffix(strings.TrimPrefix(s, "£"), "£")
}

// bigAmount parses digits that overflow int64 (18-decimal tokens).
func bigAmount(t string, dec byte, neg bool, scale int) (Amount, error) {
	digits := make([]byte, 0, len(t)+1)
	if neg {
		digits = append(digits, '-')
	}
	for i := 0; i < len(t); i++ {
		if t[i] >= '0' && t[i] <= '9' {
			digits = append(digits, t[i])
		}
	}
	return amountFromDigits(string(digits), scale)
}

// MustAmount parses a dot-decimal literal and panics on error; for tests and
// constants only.
func MustAmount(s string) Amount {
	a, err := ParseAmount(s, false)
	if err != nil {
		panic(err)
	}
	return a
}

// amountFromDigits builds an amount from a signed digit string.
func amountFromDigits(d string, scale int) (Amount, error) {
	var b big.Int
	if _, ok := b.SetString(d, 10); !ok {
		return Amount{}, fmt.Errorf("amount %q: %w", d, ErrAmount)
	}
	return fromBig(&b, scale), nil
}

// fromBig normalises a big value to the int64 form when it fits.
func fromBig(b *big.Int, scale int) Amount {
	if b.IsInt64() {
		return Amount{u: b.Int64(), scale: uint8(scale)}
	}
	return Amount{b: new(big.Int).Set(b), scale: uint8(scale)}
}

// big returns the value as a new big.Int of minor units.
func (a Amount) bigUnits() *big.Int {
	if a.b != nil {
		return new(big.Int).Set(a.b)
	}
	return big.NewInt(a.u)
}

// Scale returns the number of decimal places.
func (a Amount) Scale() int { return int(a.scale) }

// Sign returns -1, 0 or +1.
func (a Amount) Sign() int {
	if a.b != nil {
		return a.b.Sign()
	}
	switch {
	case a.u < 0:
		return -1
	case a.u > 0:
		return 1
	}
	return 0
}

// IsZero reports whether a is 0.
func (a Amount) IsZero() bool { return a.Sign() == 0 }

// Neg returns -a.
func (a Amount) Neg() Amount {
	if a.b == nil && a.u != math.MinInt64 {
		return Amount{u: -a.u, scale: a.scale}
	}
	return fromBig(new(big.Int).Neg(a.bigUnits()), int(a.scale))
}

// Abs returns |a|.
func (a Amount) Abs() Amount {
	if a.Sign() < 0 {
		return a.Neg()
	}
	return a
}

// rescale returns a's minor units at a larger scale.
func (a Amount) rescale(scale int) Amount {
	if scale <= int(a.scale) {
		return a
	}
	f := scale - int(a.scale)
	if a.b == nil && f <= 18 {
		hi, lo := mul64(a.u, pow10(f))
		if hi {
			return Amount{u: lo, scale: uint8(scale)}
		}
	}
	m := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(f)), nil)
	return fromBig(m.Mul(m, a.bigUnits()), scale)
}

// pow10 returns 10^n for n ≤ 18.
func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// mul64 multiplies and reports whether the product fits in int64.
func mul64(a, b int64) (bool, int64) {
	if a == 0 || b == 0 {
		return true, 0
	}
	p := a * b
	if p/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		return false, 0
	}
	return true, p
}

// align brings a and b to the same scale.
func align(a, b Amount) (Amount, Amount) {
	s := max(int(a.scale), int(b.scale))
	return a.rescale(s), b.rescale(s)
}

// Add returns a+b exactly.
func (a Amount) Add(b Amount) Amount {
	a, b = align(a, b)
	if a.b == nil && b.b == nil {
		s := a.u + b.u
		if (s > a.u) == (b.u > 0) {
			return Amount{u: s, scale: a.scale}
		}
	}
	return fromBig(new(big.Int).Add(a.bigUnits(), b.bigUnits()), int(a.scale))
}

// Sub returns a-b exactly.
func (a Amount) Sub(b Amount) Amount { return a.Add(b.Neg()) }

// Cmp compares a and b: -1, 0 or +1.
func (a Amount) Cmp(b Amount) int {
	a, b = align(a, b)
	if a.b == nil && b.b == nil {
		switch {
		case a.u < b.u:
			return -1
		case a.u > b.u:
			return 1
		}
		return 0
	}
	return a.bigUnits().Cmp(b.bigUnits())
}

// Min returns the smaller of a and b.
func (a Amount) Min(b Amount) Amount {
	if a.Cmp(b) <= 0 {
		return a
	}
	return b
}

// MulFrac returns a × num / den, rounded towards zero to a's scale: the
// share of an amount attributed by a proportional model.
func (a Amount) MulFrac(num, den Amount) Amount {
	if den.IsZero() {
		return Amount{scale: a.scale}
	}
	num, den = align(num, den)
	r := a.bigUnits()
	r.Mul(r, num.bigUnits())
	r.Quo(r, den.bigUnits())
	return fromBig(r, int(a.scale))
}

// atLeastPct reports whether a ≥ b × pct / 100, exactly.
func (a Amount) atLeastPct(b Amount, pct int) bool {
	a, b = align(a, b)
	if a.b == nil && b.b == nil {
		ok1, x := mul64(a.u, 100)
		ok2, y := mul64(b.u, int64(pct))
		if ok1 && ok2 {
			return x >= y
		}
	}
	x := new(big.Int).Mul(a.bigUnits(), big.NewInt(100))
	return x.Cmp(new(big.Int).Mul(b.bigUnits(), big.NewInt(int64(pct)))) >= 0
}

// Ratio returns a/b as a float64 for scores and explanations only; money is
// never computed with it.
func (a Amount) Ratio(b Amount) float64 {
	a, b = align(a, b)
	if b.IsZero() {
		return 0
	}
	x, _ := new(big.Rat).SetFrac(a.bigUnits(), b.bigUnits()).Float64()
	return x
}

// String formats the amount with a dot decimal and all its decimals.
func (a Amount) String() string {
	s := a.bigUnits().String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if sc := int(a.scale); sc > 0 {
		if len(s) <= sc {
			s = strings.Repeat("0", sc-len(s)+1) + s
		}
		s = s[:len(s)-sc] + "." + s[len(s)-sc:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// MarshalText writes String, so amounts travel as exact JSON strings.
func (a Amount) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText reads a dot-decimal amount.
func (a *Amount) UnmarshalText(b []byte) error {
	x, err := ParseAmount(string(b), false)
	if err != nil {
		return err
	}
	*a = x
	return nil
}

// Rates converts amounts into one currency for totals: units of the target
// currency per one unit of each listed currency, as exact decimals. A
// currency without a rate is left out of converted totals and reported.
type Rates struct {
	To    string            // target currency, e.g. "USD"
	Rates map[string]Amount // e.g. "MXN": 0.058
}

// Convert returns a in r.To, rounded towards zero to scale decimals, and
// whether a rate was known.
func (r Rates) Convert(a Amount, currency string, scale int) (Amount, bool) {
	if currency == r.To {
		return a, true
	}
	rate, ok := r.Rates[currency]
	if !ok {
		return Amount{}, false
	}
	p := a.bigUnits()
	p.Mul(p, rate.bigUnits())
	// p has scale a.scale+rate.scale; reduce to scale.
	drop := int(a.scale) + int(rate.scale) - scale
	if drop > 0 {
		p.Quo(p, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(drop)), nil))
		return fromBig(p, scale), true
	}
	return fromBig(p, int(a.scale)+int(rate.scale)), true
}
