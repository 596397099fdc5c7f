package extract

import (
	"crypto/sha256"
	"crypto/sha3"
	"encoding/base32"
	"strings"

	xsha3 "golang.org/x/crypto/sha3"
)

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// base58Value is the digit value of c in the Bitcoin alphabet, or -1.
func base58Value(c byte) int {
	switch {
	case c >= '1' && c <= '9':
		return int(c - '1')
	case c >= 'A' && c <= 'H':
		return int(c-'A') + 9
	case c >= 'J' && c <= 'N':
		return int(c-'J') + 17
	case c >= 'P' && c <= 'Z':
		return int(c-'P') + 22
	case c >= 'a' && c <= 'k':
		return int(c-'a') + 33
	case c >= 'm' && c <= 'z':
		return int(c-'m') + 44
	}
	return -1
}

// base58Decode decodes s into buf (big-endian), returning nil on a bad
// character or when the result does not fit.
func base58Decode(s string, buf []byte) []byte {
	out := buf[:0]
	for i := 0; i < len(s); i++ {
		v := base58Value(s[i])
		if v < 0 {
			return nil
		}
		carry := v
		// out is little-endian while decoding.
		for j := range out {
			carry += int(out[j]) * 58
			out[j] = byte(carry)
			carry >>= 8
		}
		for carry > 0 {
			if len(out) == cap(out) {
				return nil
			}
			out = append(out, byte(carry))
			carry >>= 8
		}
	}
	for i := 0; i < len(s) && s[i] == '1'; i++ {
		if len(out) == cap(out) {
			return nil
		}
		out = append(out, 0)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// base58Check decodes a 25-byte base58check payload and returns its
// version byte; ok is false when the length or checksum is wrong.
func base58Check(s string) (version byte, ok bool) {
	var buf [32]byte
	b := base58Decode(s, buf[:])
	if len(b) != 25 {
		return 0, false
	}
	h := sha256.Sum256(b[:21])
	h = sha256.Sum256(h[:])
	if h[0] != b[21] || h[1] != b[22] || h[2] != b[23] || h[3] != b[24] {
		return 0, false
	}
	return b[0], true
}

const bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

func bech32Polymod(values []byte) uint32 {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i := range 5 {
			if (top>>i)&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	return chk
}

// Checksum constants of BIP-173 (bech32) and BIP-350 (bech32m).
const (
	bech32Const  = 1
	bech32mConst = 0x2bc830a3
)

// bech32Decode splits s into its human-readable part and 5-bit data
// (without checksum) and reports which checksum constant matched.
func bech32Decode(s string) (hrp string, data []byte, constant uint32, ok bool) {
	if len(s) < 8 || len(s) > 90 {
		return "", nil, 0, false
	}
	if strings.ToLower(s) != s && strings.ToUpper(s) != s {
		return "", nil, 0, false // mixed case is invalid
	}
	s = strings.ToLower(s)
	sep := strings.LastIndexByte(s, '1')
	if sep < 1 || sep+7 > len(s) {
		return "", nil, 0, false
	}
	hrp = s[:sep]
	values := make([]byte, 0, len(hrp)*2+1+len(s)-sep-1)
	for i := 0; i < len(hrp); i++ {
		if hrp[i] < 33 || hrp[i] > 126 {
			return "", nil, 0, false
		}
		values = append(values, hrp[i]>>5)
	}
	values = append(values, 0)
	for i := 0; i < len(hrp); i++ {
		values = append(values, hrp[i]&31)
	}
	for i := sep + 1; i < len(s); i++ {
		v := strings.IndexByte(bech32Charset, s[i])
		if v < 0 {
			return "", nil, 0, false
		}
		values = append(values, byte(v))
	}
	constant = bech32Polymod(values)
	if constant != bech32Const && constant != bech32mConst {
		return "", nil, 0, false
	}
	data = values[len(hrp)*2+1 : len(values)-6]
	return hrp, data, constant, true
}

// convertBits regroups 5-bit groups into bytes without padding.
func convertBits(data []byte) ([]byte, bool) {
	acc, bits := 0, 0
	out := make([]byte, 0, len(data)*5/8)
	for _, v := range data {
		acc = acc<<5 | int(v)
		bits += 5
		for bits >= 8 {
			bits -= 8
			out = append(out, byte(acc>>bits))
		}
	}
	if bits >= 5 || acc&(1<<bits-1) != 0 {
		return nil, false
	}
	return out, true
}

// segwitCheck validates a segwit address per BIP-173 and BIP-350 for the
// given human-readable parts ("bc", "tb").
func segwitCheck(addr string) (reason string, ok bool) {
	hrp, data, constant, ok := bech32Decode(addr)
	if !ok {
		return "bad bech32 checksum or characters", false
	}
	if hrp != "bc" && hrp != "tb" && hrp != "bcrt" {
		return "unknown network prefix " + hrp, false
	}
	if len(data) < 1 || data[0] > 16 {
		return "bad witness version", false
	}
	prog, ok := convertBits(data[1:])
	if !ok || len(prog) < 2 || len(prog) > 40 {
		return "bad witness program", false
	}
	if data[0] == 0 && len(prog) != 20 && len(prog) != 32 {
		return "bad v0 program length", false
	}
	if (data[0] == 0) != (constant == bech32Const) {
		return "wrong checksum variant for witness version", false
	}
	return "", true
}

// eip55 returns the EIP-55 checksummed form of a 40-hex-digit address
// (without 0x).
func eip55(hex string) string {
	low := strings.ToLower(hex)
	h := xsha3.NewLegacyKeccak256()
	h.Write([]byte(low))
	sum := h.Sum(nil)
	out := []byte(low)
	for i, c := range out {
		nib := sum[i/2] >> 4
		if i%2 == 1 {
			nib = sum[i/2] & 0x0f
		}
		if c >= 'a' && nib >= 8 {
			out[i] = c - 'a' + 'A'
		}
	}
	return string(out)
}

// onionV3Check validates the 56-character base32 label of a v3 onion
// address: version 3 and the SHA3-256 checksum over the public key.
func onionV3Check(label string) bool {
	if len(label) != 56 {
		return false
	}
	raw, err := base32.StdEncoding.DecodeString(strings.ToUpper(label))
	if err != nil || len(raw) != 35 || raw[34] != 3 {
		return false
	}
	msg := make([]byte, 0, 15+32+1)
	msg = append(msg, ".onion checksum"...)
	msg = append(msg, raw[:32]...)
	msg = append(msg, 3)
	sum := sha3.Sum256(msg)
	return sum[0] == raw[32] && sum[1] == raw[33]
}

// luhn reports whether the digit string passes the Luhn check.
func luhn(digits []byte) bool {
	sum, dbl := 0, false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if dbl {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		dbl = !dbl
	}
	return sum%10 == 0
}

// cardBrand returns the brand of a card number by its issuer
// identification number and length, or "" when no scheme matches.
func cardBrand(d []byte) string {
	n := len(d)
	p := func(k int) int {
		v := 0
		for i := 0; i < k && i < n; i++ {
			v = v*10 + int(d[i]-'0')
		}
		return v
	}
	switch {
	case d[0] == '4' && (n == 13 || n == 16 || n == 19):
		return "visa"
	case (p(2) >= 51 && p(2) <= 55 || p(4) >= 2221 && p(4) <= 2720) && n == 16:
		return "mastercard"
	case (p(2) == 34 || p(2) == 37) && n == 15:
		return "amex"
	case (p(4) == 6011 || p(2) == 65 || p(3) >= 644 && p(3) <= 649) && n >= 16 && n <= 19:
		return "discover"
	case p(4) >= 3528 && p(4) <= 3589 && n >= 16 && n <= 19:
		return "jcb"
	case (p(3) >= 300 && p(3) <= 305 || p(2) == 36 || p(2) == 38 || p(2) == 39) && n >= 14 && n <= 19:
		return "diners"
	case p(2) == 62 && n >= 16 && n <= 19:
		return "unionpay"
	case (p(2) == 50 || p(2) >= 56 && p(2) <= 69) && n >= 12 && n <= 19:
		return "maestro"
	}
	return ""
}
