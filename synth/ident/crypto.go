package ident

import (
	"crypto/sha3"
	"encoding/base32"
	"encoding/hex"
	"math/rand/v2"
	"strings"

	legacy "golang.org/x/crypto/sha3"
)

// randBytes returns n random bytes from r.
func randBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// BTCLegacy returns a P2PKH address: base58check of version 0x00 and a random
// 20-byte hash (no key pair exists for it).
func BTCLegacy(r *rand.Rand) string {
	return base58Check(0x00, randBytes(r, 20))
}

// BTCSegwit returns a P2WPKH address: bech32, witness version 0, 20-byte program.
func BTCSegwit(r *rand.Rand) string {
	return segwitAddress(0, randBytes(r, 20))
}

// BTCTaproot returns a P2TR address: bech32m, witness version 1, 32-byte program.
func BTCTaproot(r *rand.Rand) string {
	return segwitAddress(1, randBytes(r, 32))
}

// BTCDecoy returns a legacy, segwit or taproot address with one character
// replaced so that its checksum fails.
func BTCDecoy(r *rand.Rand) string {
	var a, alphabet string
	start := 1 // never touch the leading '1' of base58 (it encodes a zero byte)
	switch r.IntN(3) {
	case 0:
		a, alphabet = BTCLegacy(r), base58Alphabet
	case 1:
		a, alphabet, start = BTCSegwit(r), bech32Charset, 4 // keep "bc1" and the witness version
	default:
		a, alphabet, start = BTCTaproot(r), bech32Charset, 4
	}
	for {
		i := start + r.IntN(len(a)-start)
		c := alphabet[r.IntN(len(alphabet))]
		if c == a[i] {
			continue
		}
		d := a[:i] + string(c) + a[i+1:]
		if !btcChecksumOK(d) {
			return d
		}
	}
}

// btcChecksumOK re-verifies an address this package produced; used by
// BTCDecoy to make sure a mutation really broke the checksum.
func btcChecksumOK(a string) bool {
	if strings.HasPrefix(a, "bc1") {
		return bech32Valid(a)
	}
	return base58CheckValid(a)
}

// ETH returns "0x" and 40 hex digits with the EIP-55 mixed-case checksum.
func ETH(r *rand.Rand) string {
	return "0x" + eip55(hex.EncodeToString(randBytes(r, 20)))
}

// ETHDecoy returns a mixed-case address that violates EIP-55: one letter's
// case is flipped relative to the checksum.
func ETHDecoy(r *rand.Rand) string {
	for {
		a := []byte(eip55(hex.EncodeToString(randBytes(r, 20))))
		var letters []int
		for i, c := range a {
			if c > '9' {
				letters = append(letters, i)
			}
		}
		if len(letters) < 3 {
			continue // too few letters to stay mixed-case after a flip
		}
		i := letters[r.IntN(len(letters))]
		a[i] ^= 0x20
		if hasUpper(a) && hasLower(a) {
			return "0x" + string(a)
		}
	}
}

// eip55 applies the EIP-55 checksum to 40 lower-case hex digits: a letter is
// upper-cased when the matching nibble of Keccak-256(address) is >= 8.
func eip55(lower string) string {
	h := legacy.NewLegacyKeccak256()
	h.Write([]byte(lower))
	sum := h.Sum(nil)
	out := []byte(lower)
	for i, c := range out {
		nib := sum[i/2] >> 4
		if i%2 == 1 {
			nib = sum[i/2] & 0x0f
		}
		if c >= 'a' && nib >= 8 {
			out[i] = c - 0x20
		}
	}
	return string(out)
}

// hasUpper and hasLower report whether b holds an upper/lower-case letter.
func hasUpper(b []byte) bool {
	for _, c := range b {
		if c >= 'A' && c <= 'F' {
			return true
		}
	}
	return false
}

func hasLower(b []byte) bool {
	for _, c := range b {
		if c >= 'a' && c <= 'f' {
			return true
		}
	}
	return false
}

// Tron returns a TRON address: base58check of version 0x41 and a random
// 20-byte account hash; it always starts with "T".
func Tron(r *rand.Rand) string {
	return base58Check(0x41, randBytes(r, 20))
}

// onionEncoding is RFC 4648 base32 without padding, lower-cased on output.
var onionEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// Onion returns a v3 onion address: base32(pubkey || checksum || 0x03) +
// ".onion", checksum = SHA3-256(".onion checksum" || pubkey || 0x03)[:2].
// The "public key" is random bytes, not a point anyone has a key for.
func Onion(r *rand.Rand) string {
	pub := randBytes(r, 32)
	return onionAddress(pub, onionChecksum(pub))
}

// OnionDecoy returns a v3-shaped onion address whose checksum is wrong.
func OnionDecoy(r *rand.Rand) string {
	pub := randBytes(r, 32)
	sum := onionChecksum(pub)
	sum[r.IntN(2)] ^= byte(1 + r.IntN(255))
	return onionAddress(pub, sum)
}

// onionChecksum computes the two checksum bytes of a v3 onion address.
func onionChecksum(pub []byte) [2]byte {
	msg := make([]byte, 0, 15+32+1)
	msg = append(msg, ".onion checksum"...)
	msg = append(msg, pub...)
	msg = append(msg, 0x03)
	d := sha3.Sum256(msg)
	return [2]byte{d[0], d[1]}
}

// onionAddress assembles pubkey, checksum and version into the address.
func onionAddress(pub []byte, sum [2]byte) string {
	raw := make([]byte, 0, 35)
	raw = append(raw, pub...)
	raw = append(raw, sum[0], sum[1], 0x03)
	return strings.ToLower(onionEncoding.EncodeToString(raw)) + ".onion"
}
