package vault

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/rastro/rastro"
)

// MasterKeyEnv is the environment variable that carries the master key
// (base64 of 32 bytes). When set, it wins over the key file.
const MasterKeyEnv = "RASTRO_MASTER_KEY"

// MasterKeyFile is the key file's name in the data directory.
const MasterKeyFile = "master.key"

// LoadMasterKey returns the master key: from the environment variable
// MasterKeyEnv when getenv returns it non-empty, else from dataDir's
// master.key, which is created (mode 0600, 32 random bytes in base64) when
// absent. A key file readable by group or others is refused, since anyone who
// can read it can read every case. Keep the key file (or the variable) off the
// disk that holds the vault if the disk may leave your control: the
// encryption protects a stolen disk only when the key is not on it.
func LoadMasterKey(dataDir string, getenv func(string) string) (key []byte, source string, err error) {
	if s := getenv(MasterKeyEnv); s != "" {
		key, err := ParseMasterKey(s)
		if err != nil {
			return nil, "", fmt.Errorf("vault: %s: %w", MasterKeyEnv, err)
		}
		return key, MasterKeyEnv, nil
	}
	path := filepath.Join(dataDir, MasterKeyFile)
	key, err = readKeyFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		key, err = createKeyFile(path)
	}
	if err != nil {
		return nil, "", err
	}
	return key, path, nil
}

// readKeyFile reads a master key file, refusing loose permissions.
func readKeyFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, rastro.Errorf(rastro.EINVALID, "The master key file %s is readable by others (mode %v); run chmod 600 on it.", path, fi.Mode().Perm())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("vault: master key: %w", err)
	}
	key, err := ParseMasterKey(string(data))
	if err != nil {
		return nil, fmt.Errorf("vault: master key file %s: %w", path, err)
	}
	return key, nil
}

// createKeyFile writes a new random master key; if another process created
// the file first, that file is read instead.
func createKeyFile(path string) ([]byte, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("vault: master key: %w", err)
	}
	key := make([]byte, KeySize)
	rand.Read(key)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return readKeyFile(path)
	} else if err != nil {
		return nil, fmt.Errorf("vault: master key: %w", err)
	}
	_, err = f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("vault: master key: %w", err)
	}
	return key, nil
}
