package custody

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
)

// Report is the outcome of verifying a package: what was checked and every
// problem found. The package verifies when Problems is empty.
type Report struct {
	Case       CaseRecord `json:"case"`
	Origin     string     `json:"origin"`
	TreeSize   int64      `json:"tree_size"`
	RootHash   string     `json:"root_hash"`
	Key        string     `json:"key"`        // the verifier key the checkpoint was checked with
	KeyPinned  bool       `json:"key_pinned"` // the key was given by the verifier, not only read from the package
	Files      int        `json:"files"`
	Items      int        `json:"items"`
	Originals  int        `json:"originals"`
	HashesOnly int        `json:"hashes_only"`
	Events     int        `json:"events"`
	// TimestampTime is the RFC 3161 time of the checkpoint, when the package
	// holds a time-stamp (its CMS signature is checked with the TSA's
	// certificate, e.g. by openssl ts -verify, not here).
	TimestampTime time.Time `json:"timestamp_time,omitzero"`
	Problems      []Problem `json:"problems"`
}

// OK reports whether every check passed.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

// VerifyPackage verifies the package at path (zip archive or directory)
// offline. With pinned keys, the package's key must be one of them; without,
// the report says the key was only read from the package. It returns the
// report and, when any check failed, a *VerifyError listing every problem by
// file and event; other errors mean the package could not be opened.
func VerifyPackage(path string, pinnedKeys ...string) (*Report, error) {
	p, err := OpenPackage(path)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	return p.Verify(pinnedKeys...)
}

// verifier carries the state of one verification.
type verifier struct {
	p        *Package
	r        *Report
	ps       problems
	hashes   map[string]string // file → SHA-256 computed while checking the manifest
	items    map[int64]EvidenceRecord
	root     []byte
	verified bool // the checkpoint's signature verified
}

// Verify runs every check; see VerifyPackage.
func (p *Package) Verify(pinnedKeys ...string) (*Report, error) {
	v := &verifier{p: p, r: &Report{Files: len(p.files)}, hashes: map[string]string{}, items: map[int64]EvidenceRecord{}}
	v.ps = append(v.ps, p.refused...)
	v.manifest()
	v.checkpoint(pinnedKeys)
	v.evidence()
	v.originals()
	v.events()
	v.r.Problems = v.ps
	if v.r.Problems == nil {
		v.r.Problems = []Problem{}
	}
	return v.r, v.ps.err()
}

// readJSON reads a file that must be canonical JSON into dst.
func (v *verifier) readJSON(name string, dst any) bool {
	b, err := v.p.readSmall(name)
	if err != nil {
		v.ps.add(name, -1, "%v", err)
		return false
	}
	if canon, err := Canonicalize(b); err != nil {
		v.ps.add(name, -1, "not valid JSON: %v", err)
		return false
	} else if !bytes.Equal(canon, b) {
		v.ps.add(name, -1, "not in canonical JSON form (RFC 8785): the file was edited")
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		v.ps.add(name, -1, "unexpected content: %v", err)
		return false
	}
	return true
}

// manifest checks that manifest.json lists exactly the package's other
// files with their sizes and SHA-256 hashes.
func (v *verifier) manifest() {
	var m Manifest
	if !v.readJSON(ManifestFile, &m) {
		return
	}
	if m.Format != PackageFormat {
		v.ps.add(ManifestFile, -1, "format %q, want %q", m.Format, PackageFormat)
	}
	listed := map[string]bool{}
	for _, e := range m.Files {
		if listed[e.Path] || e.Path == ManifestFile {
			v.ps.add(ManifestFile, -1, "lists %q twice or lists itself", e.Path)
			continue
		}
		listed[e.Path] = true
		v.manifestEntry(e)
	}
	for _, name := range v.p.Files() {
		if !listed[name] && name != ManifestFile {
			v.ps.add(name, -1, "is not listed in manifest.json: a file was added or renamed")
		}
	}
}

// manifestEntry hashes one listed file, reading at most its listed size.
func (v *verifier) manifestEntry(e ManifestEntry) {
	size, ok := v.p.files[e.Path]
	if !ok {
		v.ps.add(e.Path, -1, "listed in manifest.json but missing from the package")
		return
	}
	if size != e.Size {
		v.ps.add(e.Path, -1, "has %d bytes but manifest.json lists %d", size, e.Size)
		return
	}
	sum, err := v.hashFile(e.Path, e.Size)
	if err != nil {
		v.ps.add(e.Path, -1, "%v", err)
		return
	}
	v.hashes[e.Path] = sum
	if sum != e.SHA256 {
		v.ps.add(e.Path, -1, "SHA-256 is %s but manifest.json lists %s: the file was changed", sum, e.SHA256)
	}
}

// hashFile streams a file through SHA-256, refusing more than size bytes.
func (v *verifier) hashFile(name string, size int64) (string, error) {
	rc, err := v.p.open(name)
	if err != nil {
		return "", fmt.Errorf("open: %w", err)
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(rc, size+1))
	if err != nil {
		return "", fmt.Errorf("read: %w", err)
	}
	if n != size {
		return "", fmt.Errorf("holds %d bytes, not the %d its entry states", n, size)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// checkpoint verifies the signed checkpoint with the package's key and,
// when given, checks that key against the pinned ones.
func (v *verifier) checkpoint(pinned []string) {
	keyText, err := v.p.readSmall(KeyFile)
	if err != nil {
		v.ps.add(KeyFile, -1, "%v", err)
		return
	}
	key := strings.TrimSpace(string(keyText))
	if string(keyText) != key+"\n" {
		v.ps.add(KeyFile, -1, "must hold exactly one key line")
	}
	if _, err := note.NewVerifier(key); err != nil {
		v.ps.add(KeyFile, -1, "not a verifier key: %v", err)
		return
	}
	v.r.Key = key
	if len(pinned) > 0 {
		if !containsKey(pinned, key) {
			v.ps.add(KeyFile, -1, "key %s is not the pinned key: the package was signed by someone else", keyID(key))
			key = strings.TrimSpace(pinned[0])
		}
		v.r.Key, v.r.KeyPinned = key, true
	}
	msg, err := v.p.readSmall(CheckpointFile)
	if err != nil {
		v.ps.add(CheckpointFile, -1, "%v", err)
		return
	}
	cp, err := OpenCheckpoint(msg, key)
	if err != nil {
		v.ps.add(CheckpointFile, -1, "%v", err)
		return
	}
	v.verified, v.root = true, cp.Hash
	v.r.Origin, v.r.TreeSize, v.r.RootHash = cp.Origin, int64(cp.Size), hex.EncodeToString(cp.Hash)
	v.timestamp(msg)
}

// timestamp checks the optional RFC 3161 response: granted, and for the
// SHA-256 of the checkpoint file.
func (v *verifier) timestamp(checkpoint []byte) {
	if _, ok := v.p.files[TimestampFile]; !ok {
		return
	}
	der, err := v.p.readSmall(TimestampFile)
	if err != nil {
		v.ps.add(TimestampFile, -1, "%v", err)
		return
	}
	info, err := ParseTimestamp(der)
	if err != nil {
		v.ps.add(TimestampFile, -1, "%v", err)
		return
	}
	if digest := sha256.Sum256(checkpoint); !bytes.Equal(info.Digest, digest[:]) {
		v.ps.add(TimestampFile, -1, "time-stamps SHA-256 %x, not the checkpoint's %x", info.Digest, digest)
		return
	}
	v.r.TimestampTime = info.Time
}

// containsKey reports whether key is among the pinned keys.
func containsKey(pinned []string, key string) bool {
	for _, k := range pinned {
		if strings.TrimSpace(k) == key {
			return true
		}
	}
	return false
}

// keyID returns a key's "name+hash" for messages.
func keyID(key string) string {
	if i := strings.LastIndexByte(key, '+'); i > 0 {
		return key[:i]
	}
	return key
}

// evidence reads evidence.json.
func (v *verifier) evidence() {
	var recs EvidenceRecords
	if !v.readJSON(EvidenceFile, &recs) {
		return
	}
	v.r.Case = recs.Case
	for _, it := range recs.Items {
		if _, dup := v.items[it.ID]; dup || !isHexHash(it.SHA256) {
			v.ps.add(EvidenceFile, -1, "item %d is listed twice or has a malformed SHA-256", it.ID)
			continue
		}
		v.items[it.ID] = it
	}
	v.r.Items = len(v.items)
}

// isHexHash reports whether s is 64 lowercase hex digits.
func isHexHash(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == HashSize && strings.ToLower(s) == s
}

// originals checks that each item's original is present (unless hashes
// only) and hashes to its recorded SHA-256, and that no other file hides
// under originals/.
func (v *verifier) originals() {
	want := map[string]bool{}
	for _, it := range v.items {
		name := OriginalsDir + it.SHA256
		if it.HashesOnly {
			v.r.HashesOnly++
			if _, ok := v.p.files[name]; ok {
				v.ps.add(name, -1, "present although evidence.json marks item %d as hashes only", it.ID)
			}
			continue
		}
		want[name] = true
		v.r.Originals++
		sum, err := v.originalHash(name)
		if err != nil {
			v.ps.add(name, -1, "original of evidence item %d: %v", it.ID, err)
		} else if sum != it.SHA256 {
			v.ps.add(name, -1, "SHA-256 is %s, not the %s recorded for evidence item %d: the original was changed", sum, it.SHA256, it.ID)
		}
	}
	for _, name := range v.p.Files() {
		if strings.HasPrefix(name, OriginalsDir) && !want[name] {
			v.ps.add(name, -1, "is not the original of any item in evidence.json")
		}
	}
}

// originalHash returns the hash computed during the manifest check, or
// computes it.
func (v *verifier) originalHash(name string) (string, error) {
	if sum, ok := v.hashes[name]; ok {
		return sum, nil
	}
	size, ok := v.p.files[name]
	if !ok {
		return "", fmt.Errorf("missing from the package")
	}
	return v.hashFile(name, size)
}

// WriteText writes the report for people: what was checked, and either
// "VERIFIED" or every problem, one a line. The CLI prints it.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Case %d %q: %d items (%d originals, %d hashes only), %d custody events, %d files\n",
		r.Case.ID, r.Case.Title, r.Items, r.Originals, r.HashesOnly, r.Events, r.Files)
	fmt.Fprintf(&b, "Checkpoint: log %q, %d events, root %s\n", r.Origin, r.TreeSize, r.RootHash)
	if r.KeyPinned {
		fmt.Fprintf(&b, "Key: %s (pinned)\n", keyID(r.Key))
	} else {
		fmt.Fprintf(&b, "Key: %s, read from the package only: compare it with the key the agency published, or pass --key\n", keyID(r.Key))
	}
	if !r.TimestampTime.IsZero() {
		fmt.Fprintf(&b, "RFC 3161 time-stamp: %s (check its signature with openssl ts -verify)\n", r.TimestampTime.UTC().Format(time.RFC3339))
	}
	if r.OK() {
		b.WriteString("VERIFIED: every check passed.\n")
	} else {
		fmt.Fprintf(&b, "FAILED: %d problems:\n", len(r.Problems))
		for _, p := range r.Problems {
			b.WriteString("  " + p.String() + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
