package money

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/rastro/rastro/synth/ident"
	"github.com/rastro/rastro/synth/truth"
)

// currency is one fiat currency: ISO code, AMLworld-style name and a fixed
// illustrative rate (units per 1 USD, times 1000) used only to keep
// cross-border amounts plausible.
type currency struct {
	code, name string
	perUSDk    int64
}

// currencies indexed by curXXX.
var currencies = [...]currency{
	{"USD", "US Dollar", 1000},
	{"CRC", "Costa Rican Colon", 505000},
	{"GTQ", "Guatemalan Quetzal", 7750},
	{"HNL", "Honduran Lempira", 24700},
	{"NIO", "Nicaraguan Cordoba", 36600},
	{"DOP", "Dominican Peso", 59000},
	{"MXN", "Mexican Peso", 17200},
}

// convert turns minor units of currency a into minor units of b, rounding half up.
func convert(v int64, a, b int) int64 {
	if a == b {
		return v
	}
	num := v * currencies[b].perUSDk
	return (num + currencies[a].perUSDk/2) / currencies[a].perUSDk
}

// country holds what the generator needs per country.
type country struct {
	code     string
	cur      int
	layout   int // statement layout
	bank     string
	bankID   string // numeric id written in AMLworld's bank columns
	cities   []string
	personal bool // takes part in background person-to-person activity
}

// countries: the region of the scenarios; banks are invented.
var countries = [...]country{
	{"GT", 2, layoutSemicolon, "Banco Ficticio de Occidente", "0912", []string{"Guatemala", "Quetzaltenango", "Escuintla", "Huehuetenango", "Coban"}, true},
	{"SV", 0, layoutSemicolon, "Banco Ejemplo Cuscatleco", "0913", []string{"San Salvador", "Santa Ana", "San Miguel", "La Libertad"}, true},
	{"HN", 3, layoutSemicolon, "Banco Demostrativo Hondureño", "0914", []string{"Tegucigalpa", "San Pedro Sula", "La Ceiba", "Choluteca"}, true},
	{"NI", 4, layoutSemicolon, "Banco Ficticio Lacustre", "0915", []string{"Managua", "Leon", "Granada", "Chinandega"}, true},
	{"CR", 1, layoutComma, "Banco Ejemplo del Valle", "0911", []string{"San Jose", "Alajuela", "Limon", "Puntarenas", "Liberia"}, true},
	{"PA", 0, layoutSemicolon, "Banco Demostrativo del Canal", "0916", []string{"Panama", "Colon", "David", "Santiago"}, true},
	{"DO", 5, layoutSemicolon, "Banco Ficticio Antillano", "0917", []string{"Santo Domingo", "Santiago", "Puerto Plata", "La Romana"}, true},
	{"MX", 6, layoutUS, "Banco Ejemplo del Norte", "0918", []string{"Ciudad de Mexico", "Tapachula", "Monterrey", "Tijuana", "Cancun"}, true},
	{"US", 0, layoutUS, "Example Federal Bank", "0919", []string{"Houston", "Los Angeles", "Miami", "New York", "Atlanta", "Charlotte"}, true},
}

// countryIndex returns the index of code in countries, or of "US".
func countryIndex(code string) int {
	for i, c := range countries {
		if c.code == strings.ToUpper(code) {
			return i
		}
	}
	return len(countries) - 1
}

// currencyIndex returns the index of an ISO code, or -1.
func currencyIndex(code string) int {
	for i, c := range currencies {
		if c.code == strings.ToUpper(code) {
			return i
		}
	}
	return -1
}

// rail says where a transaction is written.
const (
	railBank = iota
	railBTC
	railToken
)

// acct is an account with what the writers need precomputed.
type acct struct {
	truth.Account
	rail    int
	country int
	cur     int
	story   bool // belongs to a person of the story: its identifiers are selectors
	iban    bool
	stmt    int // index of its statement file, -1 if none
	name    string
	chain   string // "ethereum" or "tron" for token wallets
}

// roleGroup classifies story roles.
func isVictim(role string) bool { return role == "victim" || role == "possible_victim" }

func isSuspect(role string) bool {
	switch role {
	case "", "victim", "possible_victim", "business", "background", "bystander", "mule":
		return false
	}
	return true
}

// ibanCountry reports whether Rastro's scenarios use IBANs in c.
func ibanCountry(c string) bool { return c == "CR" || c == "DO" || c == "GT" || c == "SV" }

// fillAccount completes a story or internal account: number, bank,
// currency, kind.
func fillAccount(r *rand.Rand, a truth.Account) acct {
	x := acct{Account: a, stmt: -1}
	if x.Kind == "" {
		x.Kind = "bank"
	}
	switch x.Kind {
	case "btc":
		x.rail, x.cur, x.Currency = railBTC, -1, "BTC"
		if x.Number == "" {
			x.Number = pickBTC(r)
		}
		return x
	case "eth", "tron":
		x.rail, x.cur, x.chain = railToken, -1, "ethereum"
		if x.Kind == "tron" {
			x.chain = "tron"
		}
		if x.Number == "" {
			x.Number = ident.ETH(r)
			if x.Kind == "tron" {
				x.Number = ident.Tron(r)
			}
		}
		if x.Currency == "" {
			x.Currency = "USDT"
		}
		return x
	}
	x.country = countryIndex(x.Country)
	c := countries[x.country]
	x.Country = c.code
	x.cur = currencyIndex(x.Currency)
	if x.cur < 0 {
		x.cur = c.cur
	}
	x.Currency = currencies[x.cur].code
	if x.Bank == "" {
		x.Bank = c.bank
	}
	if x.Number == "" {
		x.Number = bankNumber(r, c.code)
	}
	x.iban = len(x.Number) > 4 && x.Number[:2] == c.code && ibanCountry(c.code)
	return x
}

// pickBTC returns one of the three address types.
func pickBTC(r *rand.Rand) string {
	switch r.IntN(3) {
	case 0:
		return ident.BTCLegacy(r)
	case 1:
		return ident.BTCSegwit(r)
	}
	return ident.BTCTaproot(r)
}

// bankNumber returns an IBAN where the country uses one, a CLABE-shaped
// number for MX and a plain account number elsewhere.
func bankNumber(r *rand.Rand, cc string) string {
	if ibanCountry(cc) {
		return ident.IBAN(r, cc)
	}
	b := make([]byte, 0, 18)
	switch cc {
	case "MX":
		b = append(b, "091180"...)
		for range 11 {
			b = append(b, byte('0'+r.IntN(10)))
		}
		return string(append(b, clabeCheck(b)))
	case "US":
		b = append(b, "9"...)
	}
	for range 10 + r.IntN(3) {
		b = append(b, byte('0'+r.IntN(10)))
	}
	return string(b)
}

// clabeCheck is the CLABE control digit (weights 3,7,1 mod 10).
func clabeCheck(d []byte) byte {
	w := [3]int{3, 7, 1}
	s := 0
	for i, c := range d {
		s += int(c-'0') * w[i%3] % 10
	}
	return byte('0' + (10-s%10)%10)
}

// idOf builds internal account ids like "bg-00042".
func idOf(prefix string, n int) string {
	b := append([]byte(prefix), '-')
	return string(appendPadded(b, int64(n), 5))
}

// label gives an internal account a readable name used in descriptions.
func label(prefix string, n int) string { return prefix + " " + strconv.Itoa(n) }
