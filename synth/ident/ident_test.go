package ident

import (
	"crypto/sha256"
	"crypto/sha3"
	"encoding/base32"
	"math/big"
	"math/rand/v2"
	"net/netip"
	"regexp"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
	legacy "golang.org/x/crypto/sha3"
)

// The validators below are written independently of the generators (big-int
// base58, table-free bech32 decoder, per-letter EIP-55 check) and are anchored
// to published test vectors, so a bug shared by generator and checker would
// show up as a vector failure.

const n = 300 // samples per generator

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 99)) }

func TestPhoneValid(t *testing.T) {
	r := newRand(1)
	for _, region := range Regions() {
		for range n {
			p := Phone(r, region)
			num, err := phonenumbers.Parse(p, "")
			if err != nil {
				t.Fatalf("Phone(%s) = %q: parse: %v", region, p, err)
			}
			if !phonenumbers.IsValidNumber(num) {
				t.Fatalf("Phone(%s) = %q: not valid per libphonenumber", region, p)
			}
			if got := phonenumbers.GetRegionCodeForNumber(num); got != region {
				t.Fatalf("Phone(%s) = %q: region %s", region, p, got)
			}
			if e164 := phonenumbers.Format(num, phonenumbers.E164); e164 != p {
				t.Fatalf("Phone(%s) = %q: not E.164 (%q)", region, p, e164)
			}
		}
	}
}

func TestPhoneDecoyInvalid(t *testing.T) {
	r := newRand(2)
	shape := regexp.MustCompile(`^\+\d{9,13}$`)
	for _, region := range Regions() {
		for range n {
			p := PhoneDecoy(r, region)
			if !shape.MatchString(p) {
				t.Fatalf("PhoneDecoy(%s) = %q: not phone-shaped", region, p)
			}
			num, err := phonenumbers.Parse(p, "")
			if err == nil && phonenumbers.IsValidNumber(num) {
				t.Fatalf("PhoneDecoy(%s) = %q: valid per libphonenumber", region, p)
			}
		}
	}
}

// TestPhoneFictionalBlocks pins the documented ranges: a change to the
// scheme table must come with a change to the package documentation.
func TestPhoneFictionalBlocks(t *testing.T) {
	blocks := map[string]*regexp.Regexp{
		"US": regexp.MustCompile(`^\+1(202|212|305|312|415|713)55501\d\d$`),
		"DO": regexp.MustCompile(`^\+1(809|829|849)55501\d\d$`),
		"GB": regexp.MustCompile(`^\+44(207946|113496|121496|131496|141496|151496|161496)0\d{3}$`),
		"GT": regexp.MustCompile(`^\+502455501\d\d$`),
		"SV": regexp.MustCompile(`^\+503655501\d\d$`),
		"HN": regexp.MustCompile(`^\+504955501\d\d$`),
		"NI": regexp.MustCompile(`^\+505855501\d\d$`),
		"CR": regexp.MustCompile(`^\+506855501\d\d$`),
		"PA": regexp.MustCompile(`^\+507655501\d\d$`),
		"MX": regexp.MustCompile(`^\+5255555001\d\d$`),
		"ES": regexp.MustCompile(`^\+346155501\d\d$`),
	}
	r := newRand(3)
	for region, re := range blocks {
		for range 50 {
			if p := Phone(r, region); !re.MatchString(p) {
				t.Fatalf("Phone(%s) = %q outside the documented block %s", region, p, re)
			}
		}
	}
}

func TestEmailAndHandle(t *testing.T) {
	r := newRand(4)
	email := regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*@example\.(com|org|net)$`)
	handle := regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	locals := []string{"", "María José", "Ñandú.Pérez", "  ..x..  ", "日本", "luna_vip"}
	for range n {
		for _, l := range locals {
			if e := Email(r, l); !email.MatchString(e) {
				t.Fatalf("Email(%q) = %q", l, e)
			}
			if h := Handle(r, l); !handle.MatchString(h) {
				t.Fatalf("Handle(%q) = %q", l, h)
			}
		}
	}
	if e := Email(r, "María José"); !strings.HasPrefix(e, "maria.jose@") {
		t.Errorf("Email(María José) = %q, want maria.jose@...", e)
	}
}

// ibanValid is the ISO 13616 check with math/big.
func ibanValid(s string) bool {
	re := s[4:] + s[:4]
	var digits strings.Builder
	for _, c := range re {
		switch {
		case c >= '0' && c <= '9':
			digits.WriteRune(c)
		case c >= 'A' && c <= 'Z':
			digits.WriteString(big.NewInt(int64(c - 'A' + 10)).String())
		default:
			return false
		}
	}
	v, _ := new(big.Int).SetString(digits.String(), 10)
	return new(big.Int).Mod(v, big.NewInt(97)).Int64() == 1
}

func TestIBAN(t *testing.T) {
	for _, known := range []string{"GB82WEST12345698765432", "CR05015202001026284066", "ES9121000418450200051332", "DO28BAGR00000001212453611324", "GT82TRAJ01020000001210029690", "SV62CENR00000000000000700025"} {
		if !ibanValid(known) {
			t.Fatalf("test validator rejects registry example %s", known)
		}
	}
	lengths := map[string]int{"CR": 22, "DO": 28, "GT": 28, "SV": 28, "ES": 24}
	shape := regexp.MustCompile(`^[A-Z]{2}\d{2}[A-Z0-9]+$`)
	r := newRand(5)
	for cc, l := range lengths {
		for range n {
			for _, tc := range []struct {
				iban string
				want bool
			}{{IBAN(r, cc), true}, {IBANDecoy(r, cc), false}} {
				if len(tc.iban) != l || tc.iban[:2] != cc || !shape.MatchString(tc.iban) {
					t.Fatalf("%s IBAN %q: wrong shape/length (want %d)", cc, tc.iban, l)
				}
				if ibanValid(tc.iban) != tc.want {
					t.Fatalf("IBAN %q: mod-97 valid=%v, want %v", tc.iban, !tc.want, tc.want)
				}
			}
		}
	}
}

// TestIBANSpanishControl checks the national check digits of generated
// Spanish IBANs with the published example 2100 0418 45 0200051332.
func TestIBANSpanishControl(t *testing.T) {
	dc := func(d string) byte {
		w := []int{1, 2, 4, 8, 5, 10, 9, 7, 3, 6}
		s := 0
		for i := range d {
			s += int(d[i]-'0') * w[i]
		}
		v := (11 - s%11) % 11
		if v == 10 {
			v = 1
		}
		return byte('0' + v)
	}
	check := func(iban string) bool {
		b := iban[4:]
		return dc("00"+b[:8]) == b[8] && dc(b[10:]) == b[9]
	}
	if !check("ES9121000418450200051332") {
		t.Fatal("test check rejects the published example")
	}
	r := newRand(6)
	for range n {
		if i := IBAN(r, "ES"); !check(i) {
			t.Fatalf("IBAN(ES) = %q: national check digits wrong", i)
		}
	}
}

func luhnValid(s string) bool {
	sum := 0
	for i := range len(s) {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

func TestCard(t *testing.T) {
	for _, v := range []string{"4111111111111111", "79927398713", "5555555555554444", "2223000048400011"} {
		if !luhnValid(v) {
			t.Fatalf("test validator rejects %s", v)
		}
	}
	iin := regexp.MustCompile(`^(411111|424242|400000|555555|222300)\d{10}$`)
	r := newRand(7)
	for range n {
		c, d := Card(r), CardDecoy(r)
		if !iin.MatchString(c) || !luhnValid(c) {
			t.Fatalf("Card() = %q", c)
		}
		if !iin.MatchString(d) || luhnValid(d) {
			t.Fatalf("CardDecoy() = %q passes Luhn or leaves the test IINs", d)
		}
	}
}

// decodeBase58Check decodes with math/big and returns version and payload.
func decodeBase58Check(s string) (byte, []byte, bool) {
	const alpha = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
	v := new(big.Int)
	for _, c := range s {
		i := strings.IndexRune(alpha, c)
		if i < 0 {
			return 0, nil, false
		}
		v.Mul(v, big.NewInt(58)).Add(v, big.NewInt(int64(i)))
	}
	b := v.Bytes()
	for i := 0; i < len(s) && s[i] == '1'; i++ {
		b = append([]byte{0}, b...)
	}
	if len(b) != 25 {
		return 0, nil, false
	}
	h1 := sha256.Sum256(b[:21])
	h2 := sha256.Sum256(h1[:])
	if string(h2[:4]) != string(b[21:]) {
		return 0, nil, false
	}
	return b[0], b[1:21], true
}

// decodeSegwit decodes a bech32/bech32m address per BIP-173/350 and returns
// the witness version and program.
func decodeSegwit(s string) (int, []byte, bool) {
	const cs = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
	if strings.ToLower(s) != s && strings.ToUpper(s) != s {
		return 0, nil, false
	}
	s = strings.ToLower(s)
	pos := strings.LastIndex(s, "1")
	if pos < 1 || len(s)-pos-1 < 6 {
		return 0, nil, false
	}
	hrp, vals := s[:pos], []int{}
	for _, c := range s[pos+1:] {
		i := strings.IndexRune(cs, c)
		if i < 0 {
			return 0, nil, false
		}
		vals = append(vals, i)
	}
	c := polymod(hrp, vals)
	if c != 1 && c != 0x2bc830a3 {
		return 0, nil, false
	}
	data := vals[:len(vals)-6]
	if len(data) == 0 {
		return 0, nil, false
	}
	ver := data[0]
	if (ver == 0) != (c == 1) {
		return 0, nil, false
	}
	var prog []byte
	acc, bits := 0, 0
	for _, d := range data[1:] {
		acc = acc<<5 | d
		bits += 5
		if bits >= 8 {
			bits -= 8
			prog = append(prog, byte(acc>>bits))
		}
	}
	if bits >= 5 || acc&(1<<bits-1) != 0 {
		return 0, nil, false
	}
	return ver, prog, true
}

func polymod(hrp string, data []int) int {
	gen := []int{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	vals := []int{}
	for _, c := range hrp {
		vals = append(vals, int(c)>>5)
	}
	vals = append(vals, 0)
	for _, c := range hrp {
		vals = append(vals, int(c)&31)
	}
	chk := 1
	for _, v := range append(vals, data...) {
		b := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ v
		for i := range 5 {
			if b>>i&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	return chk
}

func TestBech32Vectors(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want int
	}{
		{"A12UEL5L", 1}, {"a12uel5l", 1},
		{"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", 1},
		{"split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w", 1},
		{"A1LQFN3A", 0x2bc830a3}, {"a1lqfn3a", 0x2bc830a3},
		{"abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx", 0x2bc830a3},
		{"split1checkupstagehandshakeupstreamerranterredcaperredlc445v", 0x2bc830a3},
	} {
		s := strings.ToLower(tc.s)
		pos := strings.LastIndex(s, "1")
		var vals []int
		for _, c := range s[pos+1:] {
			vals = append(vals, strings.IndexRune("qpzry9x8gf2tvdw0s3jn54khce6mua7l", c))
		}
		if got := polymod(s[:pos], vals); got != tc.want {
			t.Errorf("vector %s: polymod %#x, want %#x", tc.s, got, tc.want)
		}
	}
	for _, tc := range []struct {
		addr    string
		ver     int
		progLen int
	}{
		{"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", 0, 20},
		{"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", 0, 20},
		{"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", 1, 32},
	} {
		ver, prog, ok := decodeSegwit(tc.addr)
		if !ok || ver != tc.ver || len(prog) != tc.progLen {
			t.Errorf("decodeSegwit(%s) = %d, %d bytes, %v", tc.addr, ver, len(prog), ok)
		}
	}
}

func TestBTC(t *testing.T) {
	for _, v := range []string{"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"} {
		if ver, _, ok := decodeBase58Check(v); !ok || ver != 0 {
			t.Fatalf("test decoder rejects %s", v)
		}
	}
	r := newRand(8)
	for range n {
		if a := BTCLegacy(r); a[0] != '1' {
			t.Fatalf("BTCLegacy() = %q does not start with 1", a)
		} else if ver, _, ok := decodeBase58Check(a); !ok || ver != 0 {
			t.Fatalf("BTCLegacy() = %q: base58check invalid", a)
		}
		if a := BTCSegwit(r); !strings.HasPrefix(a, "bc1q") {
			t.Fatalf("BTCSegwit() = %q", a)
		} else if ver, prog, ok := decodeSegwit(a); !ok || ver != 0 || len(prog) != 20 {
			t.Fatalf("BTCSegwit() = %q: invalid bech32 P2WPKH", a)
		}
		if a := BTCTaproot(r); !strings.HasPrefix(a, "bc1p") {
			t.Fatalf("BTCTaproot() = %q", a)
		} else if ver, prog, ok := decodeSegwit(a); !ok || ver != 1 || len(prog) != 32 {
			t.Fatalf("BTCTaproot() = %q: invalid bech32m P2TR", a)
		}
		d := BTCDecoy(r)
		if _, _, ok := decodeBase58Check(d); ok {
			t.Fatalf("BTCDecoy() = %q passes base58check", d)
		}
		if _, _, ok := decodeSegwit(d); ok {
			t.Fatalf("BTCDecoy() = %q passes bech32", d)
		}
		if !strings.HasPrefix(d, "1") && !strings.HasPrefix(d, "bc1q") && !strings.HasPrefix(d, "bc1p") {
			t.Fatalf("BTCDecoy() = %q has no BTC shape", d)
		}
	}
}

// eip55Valid checks every letter's case against Keccak-256 of the lower-case hex.
func eip55Valid(a string) bool {
	if len(a) != 42 || a[:2] != "0x" {
		return false
	}
	body := a[2:]
	h := legacy.NewLegacyKeccak256()
	h.Write([]byte(strings.ToLower(body)))
	sum := h.Sum(nil)
	for i, c := range body {
		nib := (sum[i/2] >> (4 * (1 - uint(i)%2))) & 0xf
		switch {
		case c >= 'a' && c <= 'f':
			if nib >= 8 {
				return false
			}
		case c >= 'A' && c <= 'F':
			if nib < 8 {
				return false
			}
		case c < '0' || c > '9':
			return false
		}
	}
	return true
}

func TestETH(t *testing.T) {
	for _, v := range []string{
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
		"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
	} {
		if !eip55Valid(v) {
			t.Fatalf("test validator rejects EIP-55 vector %s", v)
		}
		if eip55Valid(strings.ToLower(v[:3]) + strings.ToUpper(v[3:])) {
			t.Fatalf("test validator accepts a broken version of %s", v)
		}
	}
	r := newRand(9)
	for range n {
		if a := ETH(r); !eip55Valid(a) {
			t.Fatalf("ETH() = %q fails EIP-55", a)
		}
		d := ETHDecoy(r)
		if eip55Valid(d) || strings.ToLower(d) == d || strings.ToUpper(d[2:]) == d[2:] {
			t.Fatalf("ETHDecoy() = %q is not a mixed-case EIP-55 failure", d)
		}
	}
}

func TestTron(t *testing.T) {
	if ver, _, ok := decodeBase58Check("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"); !ok || ver != 0x41 {
		t.Fatal("test decoder rejects the USDT-TRC20 contract address")
	}
	r := newRand(10)
	for range n {
		a := Tron(r)
		if ver, _, ok := decodeBase58Check(a); !ok || ver != 0x41 || a[0] != 'T' || len(a) != 34 {
			t.Fatalf("Tron() = %q invalid", a)
		}
	}
}

// onionValid decodes a v3 address and checks version and checksum.
func onionValid(a string) bool {
	host, ok := strings.CutSuffix(a, ".onion")
	if !ok || len(host) != 56 || strings.ToLower(host) != host {
		return false
	}
	raw, err := base32.StdEncoding.DecodeString(strings.ToUpper(host))
	if err != nil || len(raw) != 35 || raw[34] != 3 {
		return false
	}
	d := sha3.Sum256(append(append([]byte(".onion checksum"), raw[:32]...), 3))
	return d[0] == raw[32] && d[1] == raw[33]
}

func TestOnion(t *testing.T) {
	if !onionValid("duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion") {
		t.Fatal("test validator rejects a published v3 address")
	}
	r := newRand(11)
	for range n {
		if a := Onion(r); !onionValid(a) {
			t.Fatalf("Onion() = %q invalid", a)
		}
		d := OnionDecoy(r)
		if onionValid(d) || len(d) != 62 {
			t.Fatalf("OnionDecoy() = %q valid or misshaped", d)
		}
	}
}

func TestIP(t *testing.T) {
	v4 := []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("198.51.100.0/24"), netip.MustParsePrefix("203.0.113.0/24")}
	v6 := netip.MustParsePrefix("2001:db8::/32")
	r := newRand(12)
	for range n {
		a, err := netip.ParseAddr(IPv4(r))
		if err != nil || !(v4[0].Contains(a) || v4[1].Contains(a) || v4[2].Contains(a)) {
			t.Fatalf("IPv4() = %v outside RFC 5737 (%v)", a, err)
		}
		s := IPv6(r)
		b, err := netip.ParseAddr(s)
		if err != nil || !v6.Contains(b) || b.String() != s {
			t.Fatalf("IPv6() = %q outside 2001:db8::/32 or not canonical (%v)", s, err)
		}
	}
}

// everything draws one of each identifier.
func everything(r *rand.Rand) []string {
	var out []string
	for _, reg := range Regions() {
		out = append(out, Phone(r, reg), PhoneDecoy(r, reg))
	}
	for _, cc := range []string{"CR", "DO", "GT", "SV", "ES"} {
		out = append(out, IBAN(r, cc), IBANDecoy(r, cc))
	}
	return append(out, Email(r, ""), Handle(r, ""), Card(r), CardDecoy(r), BTCLegacy(r), BTCSegwit(r),
		BTCTaproot(r), BTCDecoy(r), ETH(r), ETHDecoy(r), Tron(r), Onion(r), OnionDecoy(r), IPv4(r), IPv6(r))
}

func TestDeterministic(t *testing.T) {
	a, b := everything(newRand(42)), everything(newRand(42))
	c := everything(newRand(43))
	if strings.Join(a, ",") != strings.Join(b, ",") {
		t.Fatal("same seed gave different identifiers")
	}
	if strings.Join(a, ",") == strings.Join(c, ",") {
		t.Fatal("different seeds gave the same identifiers")
	}
}
