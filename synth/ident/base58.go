package ident

import "crypto/sha256"

// base58Alphabet is Bitcoin's base58 alphabet (no 0, O, I, l).
const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// base58Check encodes version||payload||checksum, where checksum is the first
// four bytes of SHA-256(SHA-256(version||payload)).
func base58Check(version byte, payload []byte) string {
	data := make([]byte, 0, 1+len(payload)+4)
	data = append(data, version)
	data = append(data, payload...)
	first := sha256.Sum256(data)
	second := sha256.Sum256(first[:])
	return base58Encode(append(data, second[:4]...))
}

// base58Encode converts bytes to base58: each leading zero byte becomes '1',
// the rest is the big-endian number in base 58.
func base58Encode(in []byte) string {
	zeros := 0
	for zeros < len(in) && in[zeros] == 0 {
		zeros++
	}
	// Repeated division of a byte slice; inputs are 25 bytes, so O(n²) is fine.
	num := append([]byte(nil), in[zeros:]...)
	var digits []byte
	for len(num) > 0 {
		rem := 0
		next := num[:0]
		for _, b := range num {
			acc := rem*256 + int(b)
			q := acc / 58
			rem = acc % 58
			if len(next) > 0 || q > 0 {
				next = append(next, byte(q))
			}
		}
		digits = append(digits, base58Alphabet[rem])
		num = next
	}
	out := make([]byte, 0, zeros+len(digits))
	for range zeros {
		out = append(out, '1')
	}
	for i := len(digits) - 1; i >= 0; i-- {
		out = append(out, digits[i])
	}
	return string(out)
}
