package intake_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rastro/rastro"
	"github.com/rastro/rastro/intake"
	"github.com/rastro/rastro/intake/unpack"
	"github.com/rastro/rastro/synth"
)

// synthCase generates the tiny training case.
func synthCase(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "case")
	if _, err := synth.Generate(t.Context(), synth.Options{Size: "tiny", Seed: 3, Out: dir}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// diskFiles returns the SHA-256 of every regular file under dir by relative path.
func diskFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		must(t, err)
		if d.Type().IsRegular() {
			data, err := os.ReadFile(p)
			must(t, err)
			rel, _ := filepath.Rel(dir, p)
			m[filepath.ToSlash(rel)] = sha(data)
		}
		return nil
	})
	return m
}

func TestIngestSynthCase(t *testing.T) {
	e := newEnv(t)
	dir := synthCase(t)
	var lastDone, lastTotal int64
	items, errs := e.svc.Ingest(t.Context(), e.actor, e.caseID, dir, meta, func(done, total int64) { lastDone, lastTotal = done, total })
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	if lastDone != lastTotal || lastTotal == 0 {
		t.Errorf("last progress = %d/%d, want done = total > 0", lastDone, lastTotal)
	}
	bySHA := map[string]*rastro.Evidence{}
	for _, ev := range items {
		bySHA[ev.SHA256] = ev
	}
	files := diskFiles(t, dir)
	for rel, sum := range files {
		ev, ok := bySHA[sum]
		if !ok {
			t.Errorf("%s (sha256 %s) is not evidence", rel, sum[:12])
			continue
		}
		if ev.Source != meta.Source || ev.ExhibitNo != meta.ExhibitNo || ev.Tool != meta.Tool ||
			ev.SourceTZ != meta.SourceTZ || ev.AcquiredBy != e.actor.UserID || !ev.AcquiredAt.Equal(meta.AcquiredAt) {
			t.Errorf("%s: acquisition metadata not recorded: %+v", rel, ev)
		}
		if len(ev.MD5) != 32 || len(ev.SHA1) != 40 || ev.MediaType == "" {
			t.Errorf("%s: md5 %q sha1 %q media type %q", rel, ev.MD5, ev.SHA1, ev.MediaType)
		}
	}
	checkWhatsAppZip(t, e, dir, files, bySHA)
	checkReingest(t, e, dir, items)
}

// checkWhatsAppZip checks that the zip's members are its children.
func checkWhatsAppZip(t *testing.T, e *env, dir string, files map[string]string, bySHA map[string]*rastro.Evidence) {
	t.Helper()
	var zipRel string
	for rel := range files {
		if strings.HasSuffix(rel, ".zip") {
			zipRel = rel
		}
	}
	if zipRel == "" {
		t.Fatal("the tiny case has no WhatsApp zip")
	}
	parent := bySHA[files[zipRel]]
	if parent.MediaType != "application/zip" || parent.ParentID != 0 {
		t.Errorf("zip item: media type %q parent %d", parent.MediaType, parent.ParentID)
	}
	zr, err := zip.OpenReader(filepath.Join(dir, zipRel))
	must(t, err)
	defer zr.Close()
	byName := e.list(t)
	for _, f := range zr.File {
		rc, err := f.Open()
		must(t, err)
		var buf bytes.Buffer
		buf.ReadFrom(rc)
		rc.Close()
		child, ok := bySHA[sha(buf.Bytes())]
		if !ok {
			t.Errorf("member %s is not evidence", f.Name)
			continue
		}
		// A member whose content is also a loose file earlier in the walk
		// is one item (one row per SHA-256 per case); any other is a child.
		want := zipRel + "!/" + f.Name
		if got := byName[want]; got != nil && got.ParentID != parent.ID {
			t.Errorf("%s: parent %d, want the zip %d", want, got.ParentID, parent.ID)
		}
		if child.OriginalName == want && child.ParentID != parent.ID {
			t.Errorf("%s has parent %d", want, child.ParentID)
		}
	}
	if chat := byName[zipRel+"!/_chat.txt"]; chat == nil || chat.ParentID != parent.ID || !strings.HasPrefix(chat.MediaType, "text/plain") {
		t.Errorf("_chat.txt of the zip: %+v; want a text child of the zip", chat)
	}
}

// checkReingest ingests the folder again and expects the same items.
func checkReingest(t *testing.T, e *env, dir string, first []*rastro.Evidence) {
	t.Helper()
	before := len(e.list(t))
	again, errs := e.ingest(t, dir)
	if len(errs) != 0 {
		t.Fatalf("second ingest errors: %v", errs)
	}
	ids := func(evs []*rastro.Evidence) []int64 {
		var out []int64
		for _, ev := range evs {
			out = append(out, ev.ID)
		}
		return out
	}
	if diff := cmp.Diff(ids(first), ids(again)); diff != "" {
		t.Errorf("second ingest returned other items (-first +second):\n%s", diff)
	}
	if after := len(e.list(t)); after != before {
		t.Errorf("second ingest changed the item count from %d to %d", before, after)
	}
	blobs, _ := filepath.Glob(filepath.Join(e.vdir, "blobs", "*", "*", "*"))
	if len(blobs) != before {
		t.Errorf("%d blobs in the vault for %d items", len(blobs), before)
	}
}

func TestIngestCallsOnStoredInOrder(t *testing.T) {
	e := newEnv(t)
	dir := writeFiles(t, map[string][]byte{
		"a.txt":   []byte("first"),
		"b.zip":   makeZip(t, entry{name: "in/one.txt", data: []byte("one")}, entry{name: "two.txt", data: []byte("two")}),
		"c/d.csv": []byte("x,y\n1,2\n"),
	})
	if _, errs := e.ingest(t, dir); len(errs) != 0 {
		t.Fatal(errs)
	}
	want := []string{"acquire a.txt", "acquire b.zip", "unpack b.zip!/in/one.txt", "unpack b.zip!/two.txt", "acquire c/d.csv"}
	if diff := cmp.Diff(want, e.actions); diff != "" {
		t.Errorf("OnStored calls (-want +got):\n%s", diff)
	}
	for i, info := range e.infos {
		if !info.Created || info.Actor.UserID != e.actor.UserID {
			t.Errorf("hook call %d: %+v; want a new item by the acting user", i, info)
		}
	}
	e.actions, e.infos = nil, nil
	if _, errs := e.ingest(t, dir); len(errs) != 0 {
		t.Fatal(errs)
	}
	if diff := cmp.Diff(want, e.actions); diff != "" {
		t.Errorf("OnStored calls on re-ingest (-want +got):\n%s", diff)
	}
	for i, info := range e.infos {
		if info.Created {
			t.Errorf("re-ingest hook call %d says the item is new", i)
		}
	}
	items := e.list(t)
	if items["c/d.csv"].MediaType != "text/csv; charset=utf-8" {
		t.Errorf("csv media type %q", items["c/d.csv"].MediaType)
	}
}

func TestIngestRejectsBadArchives(t *testing.T) {
	good := entry{name: "good.txt", data: []byte("a harmless file")}
	zeros := make([]byte, 8<<20)
	tests := []struct {
		name     string
		file     string
		data     func(t *testing.T) []byte
		lim      unpack.Limits
		want     []string // in one error message
		keepGood bool     // the good member is still stored
	}{
		{"zip traversal", "t.zip", func(t *testing.T) []byte {
			return makeZip(t, entry{name: "../../etc/evil.sh", data: []byte("x")}, good)
		}, unpack.Limits{}, []string{`"../../etc/evil.sh"`, "path traversal"}, true},
		{"zip backslash traversal", "t.zip", func(t *testing.T) []byte {
			return makeZip(t, entry{name: `..\..\evil.bat`, data: []byte("x")}, good)
		}, unpack.Limits{}, []string{`evil.bat`, "path traversal"}, true},
		{"tar absolute path", "t.tar", func(t *testing.T) []byte {
			return makeTar(t, entry{name: "/etc/passwd", data: []byte("x")}, good)
		}, unpack.Limits{}, []string{`"/etc/passwd"`, "absolute path"}, true},
		{"zip symlink", "t.zip", func(t *testing.T) []byte {
			return makeZip(t, entry{name: "link", data: []byte("/etc/shadow"), mode: os.ModeSymlink}, good)
		}, unpack.Limits{}, []string{`"link"`, "symbolic link"}, true},
		{"tar symlink", "t.tar", func(t *testing.T) []byte {
			return makeTar(t, entry{name: "link", typeflag: '2', link: "/etc/shadow"}, good)
		}, unpack.Limits{}, []string{`"link"`, "symbolic link", "/etc/shadow"}, true},
		{"tar hard link", "t.tgz", func(t *testing.T) []byte {
			return gz(t, makeTar(t, entry{name: "hard", typeflag: '1', link: "good.txt"}, good))
		}, unpack.Limits{}, []string{`"hard"`, "hard link"}, true},
		{"zip bomb", "t.zip", func(t *testing.T) []byte {
			return makeZip(t, entry{name: "bomb.bin", data: zeros}, good)
		}, unpack.Limits{}, []string{`"bomb.bin"`, "zip bomb"}, false},
		{"tar.gz bomb", "t.tar.gz", func(t *testing.T) []byte {
			return gz(t, makeTar(t, entry{name: "bomb.bin", data: zeros}, good))
		}, unpack.Limits{}, []string{`"bomb.bin"`, "compression bomb"}, false},
		{"too many entries", "t.zip", func(t *testing.T) []byte {
			var es []entry
			for i := range 10 {
				es = append(es, entry{name: strings.Repeat("x", i+1), data: []byte{byte(i)}})
			}
			return makeZip(t, es...)
		}, unpack.Limits{MaxEntries: 5}, []string{"10 entries", "limit of 5"}, false},
		{"total size", "t.tar", func(t *testing.T) []byte {
			return makeTar(t, good, entry{name: "big.bin", data: make([]byte, 5000)})
		}, unpack.Limits{MaxTotal: 4096}, []string{`"big.bin"`, "4096 uncompressed bytes"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.svc.Limits = tt.lim
			path := filepath.Join(writeFiles(t, map[string][]byte{tt.file: tt.data(t)}), tt.file)
			_, errs := e.ingest(t, path)
			if !anyContains(errs, tt.want...) {
				t.Fatalf("errors %v; want one naming %q", errs, tt.want)
			}
			items := e.list(t)
			if items[tt.file] == nil {
				t.Errorf("the container itself was not stored")
			}
			if (items[tt.file+"!/good.txt"] != nil) != tt.keepGood {
				t.Errorf("good member stored = %v, want %v", !tt.keepGood, tt.keepGood)
			}
			for name := range items {
				if name != tt.file && name != tt.file+"!/good.txt" {
					t.Errorf("a rejected member was stored as %q", name)
				}
			}
		})
	}
}

// anyContains reports whether one error's message contains all of want.
func anyContains(errs []error, want ...string) bool {
	for _, err := range errs {
		ok := rastro.ErrorCode(err) == rastro.EINVALID
		for _, w := range want {
			ok = ok && strings.Contains(err.Error(), w)
		}
		if ok {
			return true
		}
	}
	return false
}

func TestIngestNestedArchives(t *testing.T) {
	e := newEnv(t)
	deeper := makeZip(t, entry{name: "b.txt", data: []byte("two levels down")})
	inner := makeZip(t, entry{name: "a.txt", data: []byte("one level down")}, entry{name: "deeper.zip", data: deeper})
	path := filepath.Join(writeFiles(t, map[string][]byte{"outer.zip": makeZip(t, entry{name: "inner.zip", data: inner})}), "outer.zip")
	if _, errs := e.ingest(t, path); len(errs) != 0 {
		t.Fatal(errs)
	}
	items := e.list(t)
	var names []string
	for n := range items {
		names = append(names, n)
	}
	want := []string{"outer.zip", "outer.zip!/inner.zip", "outer.zip!/inner.zip!/a.txt", "outer.zip!/inner.zip!/deeper.zip"}
	if diff := cmp.Diff(want, names, cmpSort); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
	if a, in := items["outer.zip!/inner.zip!/a.txt"], items["outer.zip!/inner.zip"]; a == nil || in == nil || a.ParentID != in.ID {
		t.Errorf("a.txt is not a child of inner.zip")
	}
}

// cmpSort compares string slices as sets.
var cmpSort = cmp.Transformer("sort", func(in []string) []string {
	out := append([]string(nil), in...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
})

func TestIngestBrokenFileGoesOn(t *testing.T) {
	e := newEnv(t)
	trunc := makeZip(t, entry{name: "x.txt", data: bytes.Repeat([]byte("abc"), 1000)})
	dir := writeFiles(t, map[string][]byte{
		"a-notzip.zip":    []byte("this is not an archive"),
		"b-truncated.zip": trunc[:len(trunc)/2],
		"c-ok.txt":        []byte("fine"),
	})
	_, errs := e.ingest(t, dir)
	if !anyContains(errs, "a-notzip.zip", "not a zip archive") || !anyContains(errs, "b-truncated.zip") {
		t.Errorf("errors %v; want both broken files named", errs)
	}
	items := e.list(t)
	for _, name := range []string{"a-notzip.zip", "b-truncated.zip", "c-ok.txt"} {
		if items[name] == nil {
			t.Errorf("%s was not stored", name)
		}
	}
}

func TestIngestRefusesWithoutAccess(t *testing.T) {
	e := newEnv(t)
	path := filepath.Join(writeFiles(t, map[string][]byte{"a.txt": []byte("x")}), "a.txt")
	tests := []struct {
		name   string
		caseID int64
		meta   intake.Acquisition
		code   string
	}{
		{"no such case", e.caseID + 100, meta, rastro.ENOTFOUND},
		{"bad time zone", e.caseID, intake.Acquisition{SourceTZ: "Mars/Olympus"}, rastro.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, errs := e.svc.Ingest(t.Context(), e.actor, tt.caseID, path, tt.meta, nil)
			if len(items) != 0 || len(errs) != 1 || rastro.ErrorCode(errs[0]) != tt.code {
				t.Fatalf("items %d, errs %v; want one %s error", len(items), errs, tt.code)
			}
		})
	}
	if blobs, _ := filepath.Glob(filepath.Join(e.vdir, "blobs", "*")); len(blobs) != 0 {
		t.Errorf("a refused ingest wrote blobs: %v", blobs)
	}
	if _, errs := e.ingest(t, filepath.Join(t.TempDir(), "missing")); len(errs) != 1 || rastro.ErrorCode(errs[0]) != rastro.ENOTFOUND {
		t.Errorf("missing path: %v", errs)
	}
}

func TestIngestCancelledStopsCleanly(t *testing.T) {
	e := newEnv(t)
	files := map[string][]byte{}
	for i := range 40 {
		files[strings.Repeat("d/", i%3)+string(rune('a'+i%26))+strings.Repeat("x", i)+".txt"] = bytes.Repeat([]byte{byte(i)}, 1000+i)
	}
	dir := writeFiles(t, files)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	calls := 0
	items, errs := e.svc.Ingest(ctx, e.actor, e.caseID, dir, meta, func(done, total int64) {
		if calls++; calls == 3 {
			cancel()
		}
	})
	if len(items) == len(files) || !slices.ContainsFunc(errs, func(err error) bool { return errors.Is(err, context.Canceled) }) {
		t.Fatalf("%d of %d items stored, errors %v; want a stop with context.Canceled", len(items), len(files), errs)
	}
	for _, ev := range items {
		if ok, err := e.svc.Vault.Exists(t.Context(), e.caseID, ev.SHA256); !ok || err != nil {
			t.Errorf("%s has a row but no blob", ev.OriginalName)
		}
	}
	if again, errs := e.ingest(t, dir); len(errs) != 0 || len(again) != len(files) {
		t.Errorf("resumed ingest: %d items, errors %v; want all %d", len(again), errs, len(files))
	}
}
