package extract

import (
	"strings"
	"testing"
)

// Published test vectors: BIP-173 and BIP-350 (segwit addresses).
func TestSegwitVectors(t *testing.T) {
	tests := []struct {
		name, addr string
		ok         bool
	}{
		{"bip173 v0 p2wpkh upper", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", true},
		{"bip173 v0 p2wsh testnet", "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", true},
		{"bip350 v1 40 bytes", "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", true},
		{"bip350 v16", "BC1SW50QGDZ25J", true},
		{"bip350 v2", "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", true},
		{"bip350 v0 testnet", "tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy", true},
		{"bip350 v1 testnet", "tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c", true},
		{"bip350 taproot", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", true},
		{"bip350 invalid hrp", "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut", false},
		{"bip350 v1 with bech32 checksum", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", false},
		{"bip350 v0 with bech32m checksum", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", false},
		{"bip350 invalid character", "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4", false},
		{"bip350 program too short", "bc1pw5dgrnzv", false},
		{"bip350 v0 16-byte program", "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", false},
		{"bip173 v1 bech32 is not bip350", "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx", false},
		{"mixed case", "bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", false},
		{"one char changed", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reason, ok := segwitCheck(tt.addr)
			if ok != tt.ok {
				t.Errorf("segwitCheck(%q) = %v (%s), want %v", tt.addr, ok, reason, tt.ok)
			}
		})
	}
}

// EIP-55 test vectors from the EIP.
func TestEIP55Vectors(t *testing.T) {
	for _, addr := range []string{
		"5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
		"fB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
		"dbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
		"D1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
	} {
		if got := eip55(strings.ToLower(addr)); got != addr {
			t.Errorf("eip55(%s) = %s", strings.ToLower(addr), got)
		}
	}
	tests := []struct {
		name, text string
		valid      bool
	}{
		{"checksummed", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", true},
		{"all lower has no checksum", "0xde709f2102306220921060314715629080e2fb77", true},
		{"all upper has no checksum", "0x52908400098527886E0F7030069857D2E4169EE7", true},
		{"one letter's case flipped", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sel := only(t, Scan([]byte("wallet "+tt.text+" ok"), Options{Decoys: true}), KindETH)
			if sel.Valid != tt.valid {
				t.Errorf("Valid = %v (%s), want %v", sel.Valid, sel.Reason, tt.valid)
			}
		})
	}
}

// only returns the single selector of kind in sels.
func only(tb testing.TB, sels []Selector, kind string) Selector {
	tb.Helper()
	var got []Selector
	for _, s := range sels {
		if s.Kind == kind {
			got = append(got, s)
		}
	}
	if len(got) != 1 {
		tb.Fatalf("want one %s selector, got %+v", kind, sels)
	}
	return got[0]
}

// Base58check: well-known addresses (Bitcoin wiki examples, the USDT
// contract on TRON).
func TestBase58CheckVectors(t *testing.T) {
	tests := []struct {
		name, addr string
		version    byte
		ok         bool
	}{
		{"p2pkh", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", 0x00, true},
		{"p2sh", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", 0x05, true},
		{"genesis", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", 0x00, true},
		{"tron usdt", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", 0x41, true},
		{"last char changed", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", 0, false},
		{"swapped chars", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNyL", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, ok := base58Check(tt.addr)
			if ok != tt.ok || (ok && v != tt.version) {
				t.Errorf("base58Check(%s) = %#x, %v; want %#x, %v", tt.addr, v, ok, tt.version, tt.ok)
			}
		})
	}
}

// IBAN examples of the SWIFT IBAN Registry.
func TestIBANVectors(t *testing.T) {
	tests := []struct {
		iban string
		ok   bool
	}{
		{"GB82WEST12345698765432", true},
		{"DE89370400440532013000", true},
		{"FR1420041010050500013M02606", true},
		{"NL91ABNA0417164300", true},
		{"CR05015202001026284066", true},
		{"DO28BAGR00000001212453611324", true},
		{"GT82TRAJ01020000001210029690", true},
		{"SV62CENR00000000000000700025", true},
		{"GB82WEST12345698765431", false}, // check digits
		{"DE8937040044053201300", false},  // one digit short
		{"XX82WEST12345698765432", false}, // no such country
	}
	for _, tt := range tests {
		t.Run(tt.iban, func(t *testing.T) {
			if reason, ok := ibanCheck(tt.iban); ok != tt.ok {
				t.Errorf("ibanCheck = %v (%s), want %v", ok, reason, tt.ok)
			}
		})
	}
}

func TestIBANGroupedInText(t *testing.T) {
	sel := only(t, Scan([]byte("cuenta: GB82 WEST 1234 5698 7654 32 gracias"), Options{}), KindIBAN)
	if sel.Value != "GB82WEST12345698765432" || sel.Raw != "GB82 WEST 1234 5698 7654 32" {
		t.Errorf("got %q from %q", sel.Value, sel.Raw)
	}
}

// Card numbers published for testing by the card schemes and processors.
func TestCardVectors(t *testing.T) {
	tests := []struct {
		number, brand string
		luhn          bool
	}{
		{"4111111111111111", "visa", true},
		{"4242424242424242", "visa", true},
		{"5555555555554444", "mastercard", true},
		{"2223003122003222", "mastercard", true},
		{"378282246310005", "amex", true},
		{"6011111111111117", "discover", true},
		{"4111111111111112", "visa", false},
	}
	for _, tt := range tests {
		t.Run(tt.number, func(t *testing.T) {
			d := []byte(tt.number)
			if got := cardBrand(d); got != tt.brand {
				t.Errorf("brand %q, want %q", got, tt.brand)
			}
			if got := luhn(d); got != tt.luhn {
				t.Errorf("luhn %v, want %v", got, tt.luhn)
			}
		})
	}
	sel := only(t, Scan([]byte("tarjeta 4111 1111 1111 1111 vence"), Options{}), KindCard)
	if sel.Value != "4111111111111111" {
		t.Errorf("grouped card: %+v", sel)
	}
}

// Onion v3: the Tor Project's former address (rend-spec-v3 format).
func TestOnionV3(t *testing.T) {
	tests := []struct {
		label string
		ok    bool
	}{
		{"2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid", true},
		{"2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wie", false}, // version byte
		{"3gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid", false}, // checksum
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			if got := onionV3Check(tt.label); got != tt.ok {
				t.Errorf("onionV3Check = %v, want %v", got, tt.ok)
			}
		})
	}
}
