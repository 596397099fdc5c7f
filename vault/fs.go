package vault

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// FSBackend stores objects as files under a root directory (by default the
// data directory's "vault" folder). A new object is written to root/tmp,
// fsynced, then renamed (or hard-linked, for no-replace commits) into place
// and the directory fsynced, so a crash or an interrupted upload never leaves
// a partial object under its final name; at worst a stale file in root/tmp,
// which RemoveStaleTemp deletes.
type FSBackend struct {
	root string
}

// tempDir is the folder of objects being written.
const tempDir = "tmp"

// NewFSBackend returns a backend rooted at dir, creating it (mode 0700).
func NewFSBackend(dir string) (*FSBackend, error) {
	if err := os.MkdirAll(filepath.Join(dir, tempDir), 0o700); err != nil {
		return nil, fmt.Errorf("vault: fs backend: %w", err)
	}
	return &FSBackend{root: dir}, nil
}

// Root returns the backend's directory.
func (b *FSBackend) Root() string { return b.root }

// path returns the file path of an object name.
func (b *FSBackend) path(name string) string {
	return filepath.Join(b.root, filepath.FromSlash(name))
}

// Create implements Backend.
func (b *FSBackend) Create(ctx context.Context) (Temp, error) {
	f, err := os.CreateTemp(filepath.Join(b.root, tempDir), "put-*")
	if err != nil {
		return nil, fmt.Errorf("vault: fs create: %w", err)
	}
	return &fsTemp{b: b, f: f}, nil
}

// Open implements Backend.
func (b *FSBackend) Open(ctx context.Context, name string) (Object, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	f, err := os.Open(b.path(name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, notFound(name)
	} else if err != nil {
		return nil, fmt.Errorf("vault: fs open: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("vault: fs open: %w", err)
	}
	return &fsObject{File: f, size: fi.Size()}, nil
}

// Stat implements Backend.
func (b *FSBackend) Stat(ctx context.Context, name string) (int64, error) {
	if err := checkName(name); err != nil {
		return 0, err
	}
	fi, err := os.Stat(b.path(name))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, notFound(name)
	} else if err != nil {
		return 0, fmt.Errorf("vault: fs stat: %w", err)
	}
	return fi.Size(), nil
}

// Delete implements Backend.
func (b *FSBackend) Delete(ctx context.Context, name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	err := os.Remove(b.path(name))
	if errors.Is(err, fs.ErrNotExist) {
		return notFound(name)
	} else if err != nil {
		return fmt.Errorf("vault: fs delete: %w", err)
	}
	return nil
}

// List implements Backend. Objects being written (root/tmp) are not listed.
func (b *FSBackend) List(ctx context.Context, prefix string) ([]string, error) {
	var names []string
	err := filepath.WalkDir(b.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(b.root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == tempDir {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && strings.HasPrefix(rel, prefix) && validName(rel) {
			names = append(names, rel)
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("vault: fs list: %w", err)
	}
	sort.Strings(names)
	return names, nil
}

// RemoveStaleTemp deletes files in root/tmp older than age: the leftovers of
// a process that died mid-write. Call it at start-up (with an age longer than
// any upload in progress on another node sharing the directory).
func (b *FSBackend) RemoveStaleTemp(age time.Duration) (removed int, err error) {
	dir := filepath.Join(b.root, tempDir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("vault: remove stale temp: %w", err)
	}
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil || time.Since(fi.ModTime()) < age {
			continue
		}
		if os.Remove(filepath.Join(dir, e.Name())) == nil {
			removed++
		}
	}
	return removed, nil
}

// fsObject is an open object file.
type fsObject struct {
	*os.File
	size int64
}

// Size implements Object.
func (o *fsObject) Size() int64 { return o.size }

// fsTemp is an object file being written in root/tmp.
type fsTemp struct {
	b    *FSBackend
	f    *os.File
	done bool
}

// Write implements io.Writer.
func (t *fsTemp) Write(p []byte) (int, error) { return t.f.Write(p) }

// Commit implements Temp: fsync the file, move it into place, fsync the
// directory.
func (t *fsTemp) Commit(ctx context.Context, name string, replace bool) error {
	defer t.Abort()
	if err := checkName(name); err != nil {
		return err
	}
	dst := t.b.path(name)
	if _, err := os.Lstat(dst); err == nil && !replace {
		return ErrExist // spare the fsync of a duplicate; place re-checks atomically
	}
	if err := t.f.Sync(); err != nil {
		return fmt.Errorf("vault: fs commit: %w", err)
	}
	if err := t.f.Close(); err != nil {
		return fmt.Errorf("vault: fs commit: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return fmt.Errorf("vault: fs commit: %w", err)
	}
	if err := place(t.f.Name(), dst, replace); err != nil {
		return err
	}
	t.done = true
	return syncDir(filepath.Dir(dst))
}

// place moves src to dst: rename when replacing, hard link (which fails
// atomically when dst exists) otherwise.
func place(src, dst string, replace bool) error {
	if replace {
		if err := os.Rename(src, dst); err != nil {
			return fmt.Errorf("vault: fs commit: %w", err)
		}
		return nil
	}
	err := os.Link(src, dst)
	if errors.Is(err, fs.ErrExist) {
		return ErrExist
	} else if err != nil {
		return fmt.Errorf("vault: fs commit: %w", err)
	}
	return nil
}

// Abort implements Temp.
func (t *fsTemp) Abort() error {
	t.f.Close()
	err := os.Remove(t.f.Name())
	if t.done || errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// syncDir fsyncs a directory so that a rename in it is durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("vault: fs sync dir: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("vault: fs sync dir: %w", err)
	}
	return nil
}
