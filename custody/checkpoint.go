package custody

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/rastro/rastro"
	"github.com/transparency-dev/formats/log"
	"golang.org/x/mod/sumdb/note"
)

// Key file names in the data directory.
const (
	SignerKeyFile   = "custody-signer.key" // the private key, mode 0600
	VerifierKeyFile = "custody-verifier.pub"
)

// Keys is the log's checkpoint signing key and its published verifier key
// ("name+hash+base64", the form note.NewVerifier reads).
type Keys struct {
	Signer      note.Signer
	VerifierKey string
}

// LoadOrCreateKeys reads the signer key from dir, or, when there is none,
// generates an Ed25519 key named origin and writes it (0600) with its
// verifier key beside it. The key's name is the log's origin line.
func LoadOrCreateKeys(dir, origin string) (*Keys, error) {
	path := filepath.Join(dir, SignerKeyFile)
	skey, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createKeys(dir, origin)
	} else if err != nil {
		return nil, fmt.Errorf("custody keys: %w", err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("custody keys: %s is readable by others (mode %v); run chmod 600 on it", path, fi.Mode().Perm())
	}
	return keysFrom(strings.TrimSpace(string(skey)))
}

// createKeys generates and writes a new key pair.
func createKeys(dir, origin string) (*Keys, error) {
	skey, vkey, err := note.GenerateKey(rand.Reader, origin)
	if err != nil {
		return nil, fmt.Errorf("custody keys: generate: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("custody keys: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, SignerKeyFile), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("custody keys: %w", err)
	}
	if _, err := f.WriteString(skey + "\n"); err != nil {
		f.Close()
		return nil, fmt.Errorf("custody keys: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("custody keys: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, VerifierKeyFile), []byte(vkey+"\n"), 0o644); err != nil {
		return nil, fmt.Errorf("custody keys: %w", err)
	}
	return keysFrom(skey)
}

// keysFrom derives the verifier key from a signer key.
func keysFrom(skey string) (*Keys, error) {
	s, err := note.NewSigner(skey)
	if err != nil {
		return nil, fmt.Errorf("custody keys: %w", err)
	}
	vkey, err := verifierKeyOf(skey)
	if err != nil {
		return nil, err
	}
	return &Keys{Signer: s, VerifierKey: vkey}, nil
}

// verifierKeyOf computes the verifier key of an Ed25519 signer key
// "PRIVATE+KEY+name+hash+base64(0x01 || seed)".
func verifierKeyOf(skey string) (string, error) {
	parts := strings.SplitN(skey, "+", 5)
	if len(parts) != 5 {
		return "", errors.New("custody keys: malformed signer key")
	}
	seed, err := decodeB64(parts[4])
	if err != nil || len(seed) != 33 || seed[0] != 1 {
		return "", errors.New("custody keys: signer key is not an Ed25519 note key")
	}
	return note.NewEd25519VerifierKey(parts[2], ed25519Public(seed[1:]))
}

// SignCheckpoint signs the tree head as a C2SP tlog-checkpoint whose origin
// line is the signer's name.
func SignCheckpoint(head rastro.TreeHead, signer note.Signer) (*rastro.Checkpoint, error) {
	if head.Size < 0 || len(head.RootHash) != HashSize {
		return nil, errors.New("sign checkpoint: malformed tree head")
	}
	text := log.Checkpoint{Origin: signer.Name(), Size: uint64(head.Size), Hash: head.RootHash}.Marshal()
	msg, err := note.Sign(&note.Note{Text: string(text)}, signer)
	if err != nil {
		return nil, fmt.Errorf("sign checkpoint: %w", err)
	}
	return &rastro.Checkpoint{Size: head.Size, RootHash: head.RootHash, Note: string(msg)}, nil
}

// OpenCheckpoint verifies a signed checkpoint with the verifier key and
// returns its contents. The origin line must be the key's name.
func OpenCheckpoint(msg []byte, verifierKey string) (*log.Checkpoint, error) {
	v, err := note.NewVerifier(strings.TrimSpace(verifierKey))
	if err != nil {
		return nil, fmt.Errorf("checkpoint: verifier key: %w", err)
	}
	n, err := note.Open(msg, note.VerifierList(v))
	var unverified *note.UnverifiedNoteError
	var invalid *note.InvalidSignatureError
	switch {
	case errors.As(err, &unverified):
		return nil, fmt.Errorf("checkpoint: no signature by key %s+%08x", v.Name(), v.KeyHash())
	case errors.As(err, &invalid):
		return nil, fmt.Errorf("checkpoint: signature by key %s+%08x does not verify: the note or signature was changed", v.Name(), v.KeyHash())
	case err != nil:
		return nil, fmt.Errorf("checkpoint: malformed signed note: %w", err)
	}
	var cp log.Checkpoint
	if _, err := cp.Unmarshal([]byte(n.Text)); err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	if cp.Origin != v.Name() {
		return nil, fmt.Errorf("checkpoint: origin %q is not the key's name %q", cp.Origin, v.Name())
	}
	return &cp, nil
}

// ParseCheckpointText reads the tree head of a signed checkpoint without
// verifying its signature, for consistency checks by a holder of the log
// (the store) who verifies signatures elsewhere.
func ParseCheckpointText(msg string) (*log.Checkpoint, error) {
	text, _, ok := strings.Cut(msg, "\n\n")
	if !ok {
		return nil, errors.New("checkpoint: no signature block")
	}
	var cp log.Checkpoint
	if _, err := cp.Unmarshal([]byte(text + "\n")); err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	return &cp, nil
}
