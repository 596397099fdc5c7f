package ident

import (
	"crypto/sha256"
	"strings"
)

// base58CheckValid decodes a base58check string and verifies its checksum.
// BTCDecoy uses it; tests use their own independent decoder.
func base58CheckValid(s string) bool {
	num := []byte{}
	for i := 0; i < len(s); i++ {
		v := strings.IndexByte(base58Alphabet, s[i])
		if v < 0 {
			return false
		}
		carry := v
		for j := len(num) - 1; j >= 0; j-- {
			carry += int(num[j]) * 58
			num[j] = byte(carry)
			carry >>= 8
		}
		for carry > 0 {
			num = append([]byte{byte(carry)}, num...)
			carry >>= 8
		}
	}
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	data := append(make([]byte, zeros), num...)
	if len(data) < 5 {
		return false
	}
	body, sum := data[:len(data)-4], data[len(data)-4:]
	first := sha256.Sum256(body)
	second := sha256.Sum256(first[:])
	return string(second[:4]) == string(sum)
}

// bech32Valid verifies the checksum of a lower-case "bc1" address against
// the constant its witness version requires.
func bech32Valid(s string) bool {
	pos := strings.LastIndexByte(s, '1')
	if pos < 1 || pos+7 > len(s) {
		return false
	}
	data := make([]byte, 0, len(s)-pos-1)
	for i := pos + 1; i < len(s); i++ {
		v := strings.IndexByte(bech32Charset, s[i])
		if v < 0 {
			return false
		}
		data = append(data, byte(v))
	}
	want := uint32(bech32mConst)
	if data[0] == 0 {
		want = bech32Const
	}
	return bech32Polymod(append(bech32HRPExpand(s[:pos]), data...)) == want
}
