package vault

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/rastro/rastro"
)

// Backend stores opaque objects by name. Names are relative, slash-separated
// and made of [a-z0-9._-] segments (validName). The vault stores encrypted
// blobs under "blobs/" and wrapped case keys under "keys/"; a backend never
// sees a plaintext byte or an unwrapped key.
//
// A backend must make Commit atomic: until it returns, the object is not
// visible under its name, and a crash or an Abort leaves nothing visible.
// The contract is checked by vaulttest.Backend, which every backend's tests
// run.
type Backend interface {
	// Create starts a new object. Write to it, then Commit or Abort it.
	Create(ctx context.Context) (Temp, error)
	// Open opens a committed object for random access. ENOTFOUND if absent.
	Open(ctx context.Context, name string) (Object, error)
	// Stat returns a committed object's size. ENOTFOUND if absent.
	Stat(ctx context.Context, name string) (int64, error)
	// Delete removes an object. ENOTFOUND if absent.
	Delete(ctx context.Context, name string) error
	// List returns the names of the committed objects whose name starts
	// with prefix, sorted.
	List(ctx context.Context, prefix string) ([]string, error)
}

// Temp is an object being written. Exactly one of Commit and Abort must be
// called; Abort after Commit is a no-op, so `defer t.Abort()` is safe.
type Temp interface {
	io.Writer
	// Commit makes the written bytes visible under name, durably. With
	// replace=false it fails with ErrExist when name already exists (and the
	// existing object is left untouched); with replace=true it replaces it
	// atomically. The temp object is gone after Commit either way.
	Commit(ctx context.Context, name string, replace bool) error
	// Abort discards the written bytes.
	Abort() error
}

// Object is a committed object opened for reading.
type Object interface {
	io.ReaderAt
	io.Closer
	// Size is the object's length in bytes.
	Size() int64
}

// ErrExist is returned by Temp.Commit with replace=false when the name is
// taken. Check with errors.Is.
var ErrExist = errors.New("vault: object exists")

// validName reports whether name is an acceptable object name: relative,
// clean, with no empty, "." or ".." segment and only [a-z0-9._-] characters.
func validName(name string) bool {
	if name == "" || len(name) > 512 {
		return false
	}
	for _, seg := range strings.Split(name, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
		for _, c := range seg {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
				return false
			}
		}
	}
	return true
}

// checkName returns an EINVALID error for a bad object name.
func checkName(name string) error {
	if !validName(name) {
		return rastro.Errorf(rastro.EINVALID, "Vault object name %q is not valid.", name)
	}
	return nil
}

// notFound returns the ENOTFOUND error for an object name.
func notFound(name string) error {
	return rastro.Errorf(rastro.ENOTFOUND, "Vault object %s not found.", name)
}

// CheckName is validName for backends outside this package: it returns an
// EINVALID error when name is not an acceptable object name.
func CheckName(name string) error { return checkName(name) }

// NotFound returns the ENOTFOUND error a backend should return for a missing
// object, so that all backends read alike.
func NotFound(name string) error { return notFound(name) }
