package vault

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/rastro/rastro"
)

// KeySize is the length of master and case keys: AES-256.
const KeySize = 32

// KeyStore hands out per-case data keys.
type KeyStore interface {
	// CaseKey returns the case's 32-byte data key. With create=true a key is
	// made and stored on first use; with create=false a case without a key
	// gives ENOTFOUND.
	CaseKey(ctx context.Context, caseID int64, create bool) ([]byte, error)
}

// Keyring is the KeyStore of a vault: random per-case data keys, wrapped
// (AES-256-GCM, the case id as additional data so a wrapped key cannot be
// moved to another case) by the master key and stored in the backend as
// "keys/case-<id>.json". The database holds no key material, so a database
// dump alone reveals nothing, and a stolen disk without the master key (which
// lives in a key file or the environment, see LoadMasterKey) reveals nothing
// either. Unwrapped keys are cached in memory for the Keyring's life.
type Keyring struct {
	backend Backend
	master  []byte
	mu      sync.Mutex
	cache   map[int64][]byte
}

// NewKeyring returns a keyring over backend with the given 32-byte master key.
func NewKeyring(b Backend, master []byte) (*Keyring, error) {
	if len(master) != KeySize {
		return nil, rastro.Errorf(rastro.EINVALID, "The vault master key must be %d bytes, not %d.", KeySize, len(master))
	}
	return &Keyring{backend: b, master: bytes.Clone(master), cache: map[int64][]byte{}}, nil
}

// wrappedKey is the JSON form of a stored case key.
type wrappedKey struct {
	Version   int    `json:"version"`
	CaseID    int64  `json:"case_id"`
	Alg       string `json:"alg"`        // "A256GCM"
	MasterKey string `json:"master_key"` // KeyID of the wrapping master key
	Nonce     string `json:"nonce"`      // base64
	Wrapped   string `json:"wrapped"`    // base64 ciphertext+tag of the case key
}

// KeyID returns a short public identifier of a key (not a secret: a
// truncated hash under a fixed label), used to say which master key wrapped a
// case key and which case key encrypted a blob.
func KeyID(key []byte) string {
	h := sha256.Sum256(append([]byte("rastro vault key id\x00"), key...))
	return hex.EncodeToString(h[:8])
}

// keyName is the backend name of a case's wrapped key.
func keyName(caseID int64) string { return fmt.Sprintf("keys/case-%d.json", caseID) }

// CaseKey implements KeyStore.
func (k *Keyring) CaseKey(ctx context.Context, caseID int64, create bool) ([]byte, error) {
	if caseID <= 0 {
		return nil, rastro.Errorf(rastro.EINVALID, "Case id %d is not valid.", caseID)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if key, ok := k.cache[caseID]; ok {
		return key, nil
	}
	key, err := k.load(ctx, caseID)
	if rastro.ErrorCode(err) == rastro.ENOTFOUND && create {
		key, err = k.create(ctx, caseID)
	}
	if err != nil {
		return nil, err
	}
	k.cache[caseID] = key
	return key, nil
}

// load reads and unwraps a case key.
func (k *Keyring) load(ctx context.Context, caseID int64) ([]byte, error) {
	data, err := readObject(ctx, k.backend, keyName(caseID))
	if rastro.ErrorCode(err) == rastro.ENOTFOUND {
		return nil, rastro.Errorf(rastro.ENOTFOUND, "Case %d has no vault key yet.", caseID)
	} else if err != nil {
		return nil, err
	}
	return unwrapKey(data, caseID, k.master)
}

// create makes a case key and stores it wrapped. If another process stored
// one meanwhile, that one wins and is returned.
func (k *Keyring) create(ctx context.Context, caseID int64) ([]byte, error) {
	key := make([]byte, KeySize)
	rand.Read(key)
	data, err := wrapKey(key, caseID, k.master)
	if err != nil {
		return nil, err
	}
	err = writeObject(ctx, k.backend, keyName(caseID), data, false)
	if errors.Is(err, ErrExist) {
		return k.load(ctx, caseID)
	}
	return key, err
}

// wrapKey encrypts a case key under the master key.
func wrapKey(key []byte, caseID int64, master []byte) ([]byte, error) {
	aead, err := newGCM(master)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	w := wrappedKey{
		Version: 1, CaseID: caseID, Alg: "A256GCM", MasterKey: KeyID(master),
		Nonce:   base64.StdEncoding.EncodeToString(nonce),
		Wrapped: base64.StdEncoding.EncodeToString(aead.Seal(nil, nonce, key, wrapAD(caseID))),
	}
	return json.MarshalIndent(w, "", "  ")
}

// unwrapKey decrypts a stored case key, naming what is wrong when it fails.
func unwrapKey(data []byte, caseID int64, master []byte) ([]byte, error) {
	var w wrappedKey
	if err := json.Unmarshal(data, &w); err != nil || w.Version != 1 || w.Alg != "A256GCM" {
		return nil, rastro.Errorf(rastro.EINVALID, "The vault key file %s is not a version 1 A256GCM wrapped key.", keyName(caseID))
	}
	if w.CaseID != caseID {
		return nil, rastro.Errorf(rastro.EINVALID, "The vault key file %s belongs to case %d.", keyName(caseID), w.CaseID)
	}
	if w.MasterKey != KeyID(master) {
		return nil, rastro.Errorf(rastro.EINTERNAL,
			"The key of case %d is wrapped by master key %s but the configured master key is %s: wrong RASTRO_MASTER_KEY or key file, or an unfinished rotation.",
			caseID, w.MasterKey, KeyID(master))
	}
	nonce, err1 := base64.StdEncoding.DecodeString(w.Nonce)
	ct, err2 := base64.StdEncoding.DecodeString(w.Wrapped)
	aead, err := newGCM(master)
	if err != nil {
		return nil, err
	}
	if err1 != nil || err2 != nil || len(nonce) != aead.NonceSize() {
		return nil, rastro.Errorf(rastro.EINVALID, "The vault key file %s is damaged.", keyName(caseID))
	}
	key, err := aead.Open(nil, nonce, ct, wrapAD(caseID))
	if err != nil || len(key) != KeySize {
		return nil, rastro.Errorf(rastro.EINVALID, "The vault key file %s fails authentication: damaged or tampered.", keyName(caseID))
	}
	return key, nil
}

// wrapAD is the additional data binding a wrapped key to its case.
func wrapAD(caseID int64) []byte { return fmt.Appendf(nil, "rastro vault case key v1 case=%d", caseID) }

// newGCM returns AES-256-GCM under key.
func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("vault: cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("vault: cipher: %w", err)
	}
	return aead, nil
}

// Rotate re-wraps every case key in the backend from the old master key to
// the new one. Blobs are not touched: they are encrypted with the case keys,
// which do not change. Key files already wrapped by the new key are skipped,
// so an interrupted rotation is finished by running Rotate again.
//
// Procedure:
//  1. Generate a new key: 32 random bytes, base64 (`head -c32 /dev/urandom | base64`).
//  2. Stop every Rastro process that uses the vault (a node still holding the
//     old key would fail to read case keys created after the rotation).
//  3. Back up the backend's "keys/" folder (it is small).
//  4. Run Rotate(old, new) (e.g. `rastro vault rotate-key`, reading the old
//     key from the usual place and the new one from RASTRO_NEW_MASTER_KEY).
//  5. Put the new key in the key file or RASTRO_MASTER_KEY on every node,
//     start the nodes, then destroy the old key and the backup of keys/.
func Rotate(ctx context.Context, b Backend, oldMaster, newMaster []byte) (rotated int, err error) {
	if len(oldMaster) != KeySize || len(newMaster) != KeySize {
		return 0, rastro.Errorf(rastro.EINVALID, "Master keys must be %d bytes.", KeySize)
	}
	names, err := b.List(ctx, "keys/")
	if err != nil {
		return 0, err
	}
	for _, name := range names {
		did, err := rotateOne(ctx, b, name, oldMaster, newMaster)
		if err != nil {
			return rotated, fmt.Errorf("vault: rotate %s: %w", name, err)
		}
		if did {
			rotated++
		}
	}
	return rotated, nil
}

// rotateOne re-wraps one key file; false when it was already rotated.
func rotateOne(ctx context.Context, b Backend, name string, oldMaster, newMaster []byte) (bool, error) {
	var caseID int64
	if _, err := fmt.Sscanf(name, "keys/case-%d.json", &caseID); err != nil || keyName(caseID) != name {
		return false, nil // not a case key file
	}
	data, err := readObject(ctx, b, name)
	if err != nil {
		return false, err
	}
	if _, err := unwrapKey(data, caseID, newMaster); err == nil {
		return false, nil
	}
	key, err := unwrapKey(data, caseID, oldMaster)
	if err != nil {
		return false, err
	}
	data, err = wrapKey(key, caseID, newMaster)
	if err != nil {
		return false, err
	}
	return true, writeObject(ctx, b, name, data, true)
}

// readObject reads a small object whole.
func readObject(ctx context.Context, b Backend, name string) ([]byte, error) {
	o, err := b.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	defer o.Close()
	data := make([]byte, o.Size())
	if _, err := o.ReadAt(data, 0); err != nil && err != io.EOF {
		return nil, fmt.Errorf("vault: read %s: %w", name, err)
	}
	return data, nil
}

// writeObject writes a small object whole.
func writeObject(ctx context.Context, b Backend, name string, data []byte, replace bool) error {
	t, err := b.Create(ctx)
	if err != nil {
		return err
	}
	defer t.Abort()
	if _, err := t.Write(data); err != nil {
		return fmt.Errorf("vault: write %s: %w", name, err)
	}
	return t.Commit(ctx, name, replace)
}

// ParseMasterKey decodes a base64 (standard or URL alphabet, padding
// optional) 32-byte master key.
func ParseMasterKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if key, err := enc.DecodeString(s); err == nil && len(key) == KeySize {
			return key, nil
		}
	}
	return nil, rastro.Errorf(rastro.EINVALID, "The master key must be %d random bytes in base64 (44 characters).", KeySize)
}
