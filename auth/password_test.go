package auth

import (
	"strings"
	"testing"

	"github.com/rastro/rastro"
)

// fastParams keep tests quick; the format and logic are the same.
var fastParams = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashPasswordFormatAndVerify(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not OWASP argon2id PHC", h)
	}
	tests := []struct {
		name     string
		password string
		want     bool
	}{
		{"right", "correct horse battery", true},
		{"wrong", "correct horse batterx", false},
		{"empty", "", false},
		{"prefix", "correct horse", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := VerifyPassword(h, tt.password)
			if err != nil || got != tt.want {
				t.Fatalf("VerifyPassword = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestHashPasswordSaltsDiffer(t *testing.T) {
	a, _ := HashPasswordParams("same password here", fastParams)
	b, _ := HashPasswordParams("same password here", fastParams)
	if a == b {
		t.Fatal("two hashes of the same password are equal: salt not random")
	}
}

func TestHashPasswordRejectsShortAndLong(t *testing.T) {
	for _, pw := range []string{"short", strings.Repeat("x", 1025)} {
		if _, err := HashPasswordParams(pw, fastParams); rastro.ErrorCode(err) != rastro.EINVALID {
			t.Errorf("len %d: err = %v, want EINVALID", len(pw), err)
		}
	}
}

func TestVerifyPasswordMalformed(t *testing.T) {
	for _, h := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=0,t=1,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA", "$argon2id$v=19$m=64,t=1,p=1$!!$aGFzaA"} {
		if ok, err := VerifyPassword(h, "anything at all"); ok || err == nil {
			t.Errorf("VerifyPassword(%q) = %v, %v; want false and an error", h, ok, err)
		}
	}
}

func TestDummyHashParses(t *testing.T) {
	if _, err := VerifyPassword(dummyHash, "x"); err != nil {
		t.Fatal(err)
	}
}

func TestGeneratePassword(t *testing.T) {
	seen := map[string]bool{}
	for range 20 {
		p := GeneratePassword()
		if len(p) != 23 || strings.Count(p, "-") != 3 || strings.ContainsAny(p, "0O1lI") {
			t.Fatalf("password %q has the wrong shape", p)
		}
		if seen[p] {
			t.Fatal("repeated password")
		}
		seen[p] = true
		if _, err := HashPasswordParams(p, fastParams); err != nil {
			t.Fatalf("generated password rejected: %v", err)
		}
	}
}
