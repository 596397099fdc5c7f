// Package unpack lists the regular files inside zip, tar and tar.gz
// containers, safely: member names that climb out of the archive, links,
// devices, zip bombs and archives past their size or entry limits are
// rejected with an error naming the member. It writes nothing anywhere; the
// caller decides what to do with each member's stream.
package unpack

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/rastro/rastro"
)

// Limits bound what unpacking one container (with everything nested in it)
// may produce, against zip bombs and archives built to exhaust the disk.
type Limits struct {
	MaxEntries int   // members, directories included (default 100,000)
	MaxTotal   int64 // uncompressed bytes (default 64 GiB)
	// MaxRatio is the largest uncompressed/compressed ratio accepted for a
	// member (zip) or the whole stream (tar.gz) once it is past 1 MiB
	// (default 200; text rarely passes 20, a bomb is in the thousands).
	MaxRatio int64
	// MaxDepth is how many levels of containers inside containers are
	// unpacked (default 1: a zip inside a zip is unpacked, a zip inside that
	// is stored whole). Negative means none.
	MaxDepth int
}

// DefaultLimits fill the zero fields of a Limits.
var DefaultLimits = Limits{MaxEntries: 100_000, MaxTotal: 64 << 30, MaxRatio: 200, MaxDepth: 1}

// WithDefaults fills the zero fields.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits
	if l.MaxEntries > 0 {
		d.MaxEntries = l.MaxEntries
	}
	if l.MaxTotal > 0 {
		d.MaxTotal = l.MaxTotal
	}
	if l.MaxRatio > 0 {
		d.MaxRatio = l.MaxRatio
	}
	if l.MaxDepth != 0 {
		d.MaxDepth = max(l.MaxDepth, -1)
	}
	return d
}

// ratioFloor is the output size below which the ratio is not checked: small
// highly compressible files are harmless.
const ratioFloor = 1 << 20

// Budget is what remains of a container's limits. Pass the outer
// container's budget when unpacking the containers nested in it, so that the
// limits hold for the whole tree.
type Budget struct {
	lim     Limits
	entries int
	total   int64
}

// NewBudget returns a full budget; zero fields of lim take DefaultLimits.
func NewBudget(lim Limits) *Budget { return &Budget{lim: lim.WithDefaults()} }

// LimitError reports that a container exceeded a limit; unpacking of that
// container stops. Member names the member at fault.
type LimitError struct {
	Member string
	Reason string
}

// Error implements error.
func (e *LimitError) Error() string {
	return fmt.Sprintf("member %q: %s; unpacking stopped", e.Member, e.Reason)
}

// limitErr returns a *LimitError wrapped in an EINVALID rastro error.
func limitErr(member, format string, args ...any) error {
	return &codedLimit{&LimitError{Member: member, Reason: fmt.Sprintf(format, args...)}}
}

// codedLimit carries a LimitError with the EINVALID code.
type codedLimit struct{ *LimitError }

// Unwrap exposes both the LimitError and a rastro error.
func (c *codedLimit) Unwrap() []error {
	return []error{c.LimitError, rastro.Errorf(rastro.EINVALID, "%s", c.LimitError.Error())}
}

// Kind is a container format.
type Kind string

// Container formats.
const (
	None  Kind = ""
	Zip   Kind = "zip"
	Tar   Kind = "tar"
	TarGz Kind = "tar.gz"
)

// KindByName returns the container format a file name claims.
func KindByName(name string) Kind {
	n := strings.ToLower(name)
	switch {
	case strings.HasSuffix(n, ".zip"):
		return Zip
	case strings.HasSuffix(n, ".tar"):
		return Tar
	case strings.HasSuffix(n, ".tar.gz"), strings.HasSuffix(n, ".tgz"):
		return TarGz
	}
	return None
}

// KindByMagic returns the container format of the first bytes of a file.
func KindByMagic(head []byte) Kind {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return Zip
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return TarGz
	case len(head) >= 262 && string(head[257:262]) == "ustar":
		return Tar
	}
	return None
}

// Member is one regular file inside a container.
type Member struct {
	Name string // cleaned, slash-separated, relative
	Size int64  // declared uncompressed size (-1 if unknown)
}

// Func stores one member, reading r to its end. An error it returns is
// reported for that member and unpacking goes on, unless it wraps a
// LimitError.
type Func func(m Member, r io.Reader) error

// CleanName checks a member name against path traversal and returns it
// cleaned. Backslashes count as separators, since Windows tools write them
// and a later export to Windows would honour them.
func CleanName(name string) (string, error) {
	n := strings.ReplaceAll(name, `\`, "/")
	switch {
	case n == "" || strings.ContainsRune(n, 0):
		return "", fmt.Errorf("member %q has an empty or binary name", name)
	case strings.HasPrefix(n, "/"), len(n) >= 2 && n[1] == ':':
		return "", fmt.Errorf("member %q has an absolute path; rejected (path traversal)", name)
	}
	for _, seg := range strings.Split(n, "/") {
		if seg == ".." {
			return "", fmt.Errorf("member %q climbs out of the archive with \"..\"; rejected (path traversal)", name)
		}
	}
	return strings.TrimPrefix(path.Clean(n), "./"), nil
}

// Unpack calls fn for every regular file of a container, in archive order,
// within the Budget. It returns the per-member errors; a limit error stops
// the container and is the last error.
func Unpack(kind Kind, ra io.ReaderAt, size int64, b *Budget, fn Func) []error {
	switch kind {
	case Zip:
		return unzip(ra, size, b, fn)
	case Tar:
		return untar(io.NewSectionReader(ra, 0, size), nil, b, fn)
	case TarGz:
		src := &countReader{r: io.NewSectionReader(ra, 0, size)}
		gz, err := gzip.NewReader(src)
		if err != nil {
			return []error{rastro.Errorf(rastro.EINVALID, "not a gzip stream: %v", err)}
		}
		gz.Multistream(false)
		return untar(gz, src, b, fn)
	}
	return nil
}

// IsLimit reports whether err (or an error it wraps) is a LimitError, which
// stops the container.
func IsLimit(err error) bool {
	var le *LimitError
	return errors.As(err, &le)
}

// unzip unpacks a zip archive.
func unzip(ra io.ReaderAt, size int64, b *Budget, fn Func) []error {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return []error{rastro.Errorf(rastro.EINVALID, "not a readable zip archive: %v", err)}
	}
	if len(zr.File) > b.lim.MaxEntries-b.entries {
		return []error{limitErr(zr.File[0].Name, "the archive has %d entries, more than the limit of %d", len(zr.File), b.lim.MaxEntries-b.entries)}
	}
	var errs []error
	for _, f := range zr.File {
		err := unzipMember(f, b, fn)
		if err != nil {
			errs = append(errs, err)
		}
		if IsLimit(err) {
			break
		}
	}
	return errs
}

// unzipMember checks and unpacks one zip entry.
func unzipMember(f *zip.File, b *Budget, fn Func) error {
	b.entries++
	name, err := CleanName(f.Name)
	if err != nil {
		return rastro.Errorf(rastro.EINVALID, "%v", err)
	}
	mode := f.Mode()
	switch {
	case mode.IsDir():
		return nil
	case !mode.IsRegular():
		return rastro.Errorf(rastro.EINVALID, "member %q is a %s, not a regular file; rejected", f.Name, kindOfMode(mode))
	}
	declared := int64(min(f.UncompressedSize64, 1<<62))
	if declared > ratioFloor && declared/max(int64(f.CompressedSize64), 1) > b.lim.MaxRatio {
		return limitErr(f.Name, "would expand %d compressed bytes to %d (ratio over %d: a zip bomb?)", f.CompressedSize64, declared, b.lim.MaxRatio)
	}
	if declared > b.lim.MaxTotal-b.total {
		return limitErr(f.Name, "would pass the limit of %d uncompressed bytes for the archive", b.lim.MaxTotal)
	}
	rc, err := f.Open()
	if err != nil {
		return rastro.Errorf(rastro.EINVALID, "member %q cannot be read: %v", f.Name, err)
	}
	defer rc.Close()
	lr := &limitReader{r: rc, member: f.Name, b: b, max: declared}
	return fn(Member{Name: name, Size: declared}, lr)
}

// kindOfMode names a non-regular file type for messages.
func kindOfMode(mode fs.FileMode) string {
	switch {
	case mode&fs.ModeSymlink != 0:
		return "symbolic link"
	case mode&fs.ModeDevice != 0:
		return "device"
	case mode&fs.ModeNamedPipe != 0:
		return "named pipe"
	case mode&fs.ModeSocket != 0:
		return "socket"
	}
	return "special file"
}

// untar unpacks a tar stream; src, when not nil, counts the compressed bytes
// under a gzip layer so that the stream's ratio can be checked.
func untar(r io.Reader, src *countReader, b *Budget, fn Func) []error {
	g := &guardReader{r: r, src: src, b: b, current: "(first tar header)"}
	tr := tar.NewReader(g)
	var errs []error
	for {
		hdr, err := tr.Next()
		switch {
		case err == io.EOF:
			return errs
		case IsLimit(err):
			return append(errs, err)
		case err != nil:
			return append(errs, rastro.Errorf(rastro.EINVALID, "the tar stream is damaged after %d entries (%q): %v", b.entries, g.current, err))
		}
		g.current = hdr.Name
		err = untarMember(tr, hdr, b, fn)
		if err != nil {
			errs = append(errs, err)
		}
		if IsLimit(err) {
			return errs
		}
	}
}

// untarMember checks and unpacks one tar entry.
func untarMember(tr *tar.Reader, hdr *tar.Header, b *Budget, fn Func) error {
	b.entries++
	if b.entries > b.lim.MaxEntries {
		return limitErr(hdr.Name, "the archive has more than %d entries", b.lim.MaxEntries)
	}
	name, err := CleanName(hdr.Name)
	if err != nil {
		return rastro.Errorf(rastro.EINVALID, "%v", err)
	}
	switch hdr.Typeflag {
	case tar.TypeReg, tar.TypeRegA:
	case tar.TypeDir:
		return nil
	case tar.TypeSymlink:
		return rastro.Errorf(rastro.EINVALID, "member %q is a symbolic link (to %q); rejected", hdr.Name, hdr.Linkname)
	case tar.TypeLink:
		return rastro.Errorf(rastro.EINVALID, "member %q is a hard link (to %q); rejected", hdr.Name, hdr.Linkname)
	default:
		return rastro.Errorf(rastro.EINVALID, "member %q is not a regular file (tar type %q); rejected", hdr.Name, hdr.Typeflag)
	}
	if hdr.Size > b.lim.MaxTotal-b.total {
		return limitErr(hdr.Name, "would pass the limit of %d uncompressed bytes for the archive", b.lim.MaxTotal)
	}
	return fn(Member{Name: name, Size: hdr.Size}, &limitReader{r: tr, member: hdr.Name, b: b, max: hdr.Size})
}

// guardReader sits under the tar reader and stops a compressed stream that
// expands too much, even through bytes the tar reader skips (the body of a
// rejected member, padding).
type guardReader struct {
	r       io.Reader
	src     *countReader // compressed bytes; nil for a plain tar
	b       *Budget
	n       int64
	current string // the member being read, for messages
}

// Read implements io.Reader.
func (g *guardReader) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	g.n += int64(n)
	if g.src != nil && g.n > ratioFloor && g.n/max(g.src.n, 1) > g.b.lim.MaxRatio {
		return n, limitErr(g.current, "the stream expanded %d compressed bytes to %d (ratio over %d: a compression bomb?)", g.src.n, g.n, g.b.lim.MaxRatio)
	}
	return n, err
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

// Read implements io.Reader.
func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// limitReader reads one member, charging the Budget and failing with a
// LimitError past the member's declared size, the total, or the ratio.
type limitReader struct {
	r      io.Reader
	member string
	b      *Budget
	max, n int64
}

// Read implements io.Reader.
func (l *limitReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.n += int64(n)
	l.b.total += int64(n)
	switch {
	case l.n > l.max:
		return n, limitErr(l.member, "holds more bytes than its declared %d", l.max)
	case l.b.total > l.b.lim.MaxTotal:
		return n, limitErr(l.member, "passes the limit of %d uncompressed bytes for the archive", l.b.lim.MaxTotal)
	}
	return n, err
}
