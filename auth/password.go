package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"math/big"
	"strings"

	"golang.org/x/crypto/argon2"

	"github.com/rastro/rastro"
)

// Params are argon2id cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	SaltLen int
	KeyLen  uint32
}

// DefaultParams returns OWASP's recommended argon2id parameters (19 MiB,
// two passes, one lane).
func DefaultParams() Params {
	return Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
}

// maxPasswordLen bounds the work an attacker can make us do per attempt.
const maxPasswordLen = 1024

// minPasswordLen is the shortest password HashPassword accepts.
const minPasswordLen = 12

var b64 = base64.RawStdEncoding

// HashPassword returns the argon2id hash of password in PHC string format
// ($argon2id$v=19$m=19456,t=2,p=1$salt$hash) with DefaultParams(). It returns
// EINVALID when the password is shorter than 12 or longer than 1024 bytes.
func HashPassword(password string) (string, error) {
	return HashPasswordParams(password, DefaultParams())
}

// HashPasswordParams is HashPassword with explicit parameters.
func HashPasswordParams(password string, p Params) (string, error) {
	if len(password) < minPasswordLen {
		return "", rastro.Errorf(rastro.EINVALID, "The password must have at least %d characters.", minPasswordLen)
	}
	if len(password) > maxPasswordLen {
		return "", rastro.Errorf(rastro.EINVALID, "The password must have at most %d characters.", maxPasswordLen)
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the PHC-encoded argon2id
// hash, comparing in constant time. A malformed hash is an error, never a
// match.
func VerifyPassword(hash, password string) (bool, error) {
	p, salt, key, err := parsePHC(hash)
	if err != nil {
		return false, err
	}
	if len(password) > maxPasswordLen {
		return false, nil
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// parsePHC splits "$argon2id$v=19$m=..,t=..,p=..$salt$hash".
func parsePHC(s string) (Params, []byte, []byte, error) {
	var p Params
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("verify password: not an argon2id PHC string")
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, fmt.Errorf("verify password: unsupported argon2 version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, fmt.Errorf("verify password: parameters: %w", err)
	}
	if p.Memory == 0 || p.Time == 0 || p.Threads == 0 || p.Memory > 1<<22 || p.Time > 64 {
		return p, nil, nil, fmt.Errorf("verify password: parameters out of range")
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, fmt.Errorf("verify password: salt: %w", err)
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 {
		return p, nil, nil, fmt.Errorf("verify password: malformed hash")
	}
	return p, salt, key, nil
}

// passwordAlphabet leaves out characters that are easy to misread on paper
// (0/O, 1/l/I).
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// GeneratePassword returns a random one-time password of four groups of five
// characters (about 116 bits), meant to be printed and changed at first use.
func GeneratePassword() string {
	var b strings.Builder
	max := big.NewInt(int64(len(passwordAlphabet)))
	for i := range 20 {
		if i > 0 && i%5 == 0 {
			b.WriteByte('-')
		}
		// crypto/rand's Reader never fails (Go 1.24+ aborts the program
		// instead), so the error is always nil.
		n, _ := rand.Int(rand.Reader, max)
		b.WriteByte(passwordAlphabet[n.Int64()])
	}
	return b.String()
}
