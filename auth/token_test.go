package auth

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

func TestNewToken(t *testing.T) {
	tok, hash := NewToken(PrefixAPI)
	if !strings.HasPrefix(tok, PrefixAPI) {
		t.Fatalf("token %q lacks prefix", tok)
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(tok, PrefixAPI))
	if err != nil || len(raw) != 32 {
		t.Fatalf("token body: %d bytes, %v", len(raw), err)
	}
	if !bytes.Equal(hash, HashToken(tok)) || len(hash) != 32 {
		t.Fatal("hash is not the SHA-256 of the token")
	}
	tok2, _ := NewToken(PrefixAPI)
	if tok2 == tok {
		t.Fatal("two tokens are equal")
	}
}
