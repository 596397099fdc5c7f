package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// Token prefixes, so that a leaked secret can be recognised (and scanned
// for) by what it is.
const (
	PrefixSession = "rs_"
	PrefixAPI     = "rk_"
)

// NewToken returns a fresh random token (prefix followed by 32 random bytes
// in unpadded base64url) and its SHA-256, which is all the store keeps.
func NewToken(prefix string) (token string, hash []byte) {
	b := make([]byte, 32)
	// crypto/rand.Read never returns an error on supported platforms.
	_, _ = rand.Read(b)
	token = prefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken returns the SHA-256 of token, the form under which sessions and
// API tokens are looked up.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
