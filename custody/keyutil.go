package custody

import (
	"crypto/ed25519"
	"encoding/base64"
)

// decodeB64 decodes standard base64.
func decodeB64(s string) ([]byte, error) { return base64.StdEncoding.DecodeString(s) }

// ed25519Public returns the public key of an Ed25519 seed.
func ed25519Public(seed []byte) ed25519.PublicKey {
	return ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
}
