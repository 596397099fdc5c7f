package custody

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
)

// maxMetaSize bounds the package's JSON and text files read into memory.
const maxMetaSize = 256 << 20

// Package is an opened court package, a zip archive or a directory. Only
// regular files with safe relative names are visible: a zip entry with an
// absolute or ".." name, a backslash, a duplicate name or a symbolic link
// makes the whole package unreadable, and a directory package is read
// through os.Root, so that no symbolic link leads outside it.
type Package struct {
	files   map[string]int64 // regular file name → size
	open    func(name string) (io.ReadCloser, error)
	closer  io.Closer
	refused []Problem // directory entries that are not regular files
}

// OpenPackage opens the zip archive or directory at path.
func OpenPackage(path string) (*Package, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("open package: %w", err)
	}
	if fi.IsDir() {
		return openDir(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open package: %w", err)
	}
	p, err := ReadPackage(f, fi.Size())
	if err != nil {
		f.Close()
		return nil, err
	}
	p.closer = f
	return p, nil
}

// Close releases the package's file or directory.
func (p *Package) Close() error {
	if p.closer == nil {
		return nil
	}
	return p.closer.Close()
}

// Files lists the package's regular files, sorted.
func (p *Package) Files() []string {
	names := make([]string, 0, len(p.files))
	for n := range p.files {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// ReadPackage reads a zip archive of size bytes from r.
func ReadPackage(r io.ReaderAt, size int64) (*Package, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("open package: not a readable zip archive: %w", err)
	}
	p := &Package{files: map[string]int64{}}
	entries := map[string]*zip.File{}
	for _, f := range zr.File {
		name := f.Name
		if err := checkName(name); err != nil {
			return nil, fmt.Errorf("open package: zip entry %q: %w", name, err)
		}
		if strings.HasSuffix(name, "/") {
			continue
		}
		if !f.Mode().IsRegular() {
			return nil, fmt.Errorf("open package: zip entry %q is not a regular file (mode %v)", name, f.Mode())
		}
		if _, dup := entries[name]; dup {
			return nil, fmt.Errorf("open package: zip entry %q appears twice", name)
		}
		entries[name] = f
		p.files[name] = int64(f.UncompressedSize64)
	}
	p.open = func(name string) (io.ReadCloser, error) {
		f, ok := entries[name]
		if !ok {
			return nil, fs.ErrNotExist
		}
		return f.Open()
	}
	return p, nil
}

// checkName rejects names that could point outside the package.
func checkName(name string) error {
	clean := strings.TrimSuffix(name, "/")
	if strings.Contains(name, `\`) || !fs.ValidPath(clean) || clean == "." {
		return errors.New("unsafe path: packages hold relative paths without '..', '\\' or a leading '/'")
	}
	return nil
}

// openDir opens a directory package through os.Root.
func openDir(path string) (*Package, error) {
	root, err := os.OpenRoot(path)
	if err != nil {
		return nil, fmt.Errorf("open package: %w", err)
	}
	p := &Package{files: map[string]int64{}, closer: root}
	fsys := root.FS()
	err = fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return nil
		case !d.Type().IsRegular():
			p.refused = append(p.refused, Problem{File: name, Seq: -1, Message: "is not a regular file (a symbolic link or device); packages hold regular files only"})
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		p.files[name] = info.Size()
		return nil
	})
	if err != nil {
		root.Close()
		return nil, fmt.Errorf("open package: %w", err)
	}
	p.open = func(name string) (io.ReadCloser, error) {
		if _, ok := p.files[name]; !ok {
			return nil, fs.ErrNotExist
		}
		return fsys.Open(name)
	}
	return p, nil
}

// readSmall reads a whole metadata file, at most maxMetaSize bytes.
func (p *Package) readSmall(name string) ([]byte, error) {
	if _, ok := p.files[name]; !ok {
		return nil, errors.New("missing from the package")
	}
	rc, err := p.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxMetaSize+1))
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if len(b) > maxMetaSize {
		return nil, fmt.Errorf("larger than %d bytes", maxMetaSize)
	}
	return b, nil
}
