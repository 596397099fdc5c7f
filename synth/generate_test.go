package synth

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rastro/rastro"
)

// genCase writes a case into a temporary folder.
func genCase(tb testing.TB, size string, seed uint64) (string, *Truth) {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "case")
	tr, err := Generate(context.Background(), Options{Size: size, Seed: seed, Out: dir})
	if err != nil {
		tb.Fatalf("Generate(%s, %d): %v", size, seed, err)
	}
	return dir, tr
}

// folderHashes maps every file under dir to its SHA-256.
func folderHashes(tb testing.TB, dir string) map[string]string {
	tb.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		sum := sha256.Sum256(b)
		out[filepath.ToSlash(rel)] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, _ := genCase(t, "tiny", 7)
	b, _ := genCase(t, "tiny", 7)
	c, _ := genCase(t, "tiny", 8)
	ha, hb, hc := folderHashes(t, a), folderHashes(t, b), folderHashes(t, c)
	if len(ha) < 10 {
		t.Fatalf("only %d files written", len(ha))
	}
	for name, sum := range ha {
		if hb[name] != sum {
			t.Errorf("%s differs between two runs with seed 7", name)
		}
	}
	if len(ha) != len(hb) {
		t.Errorf("run 1 wrote %d files, run 2 wrote %d", len(ha), len(hb))
	}
	if ha["truth.json"] == hc["truth.json"] {
		t.Errorf("seeds 7 and 8 gave the same truth.json")
	}
}

func TestGenerateRejectsBadOptions(t *testing.T) {
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "x"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		o    Options
	}{
		{"unknown size", Options{Size: "huge", Out: filepath.Join(t.TempDir(), "c")}},
		{"non-empty folder", Options{Size: "tiny", Out: full}},
		{"no folder", Options{Size: "tiny"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Generate(context.Background(), tt.o)
			var re *rastro.Error
			if !errors.As(err, &re) || rastro.ErrorCode(err) != rastro.EINVALID {
				t.Fatalf("Generate(%+v) = %v, want EINVALID", tt.o, err)
			}
		})
	}
}

func TestGenerateStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Generate(ctx, Options{Size: "small", Seed: 1, Out: filepath.Join(t.TempDir(), "c")})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Generate with a cancelled context = %v, want context.Canceled", err)
	}
}

func TestProgressReachesTotal(t *testing.T) {
	var last, total int64
	calls := 0
	_, err := Generate(context.Background(), Options{Size: "tiny", Seed: 3, Out: filepath.Join(t.TempDir(), "c"),
		Progress: func(d, tot int64) { last, total = d, tot; calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	if calls == 0 || last != total || total != 1<<20 {
		t.Fatalf("progress: %d calls, last %d of %d; want final call with done == total == 1 MiB", calls, last, total)
	}
}

func TestFilesMatchTruth(t *testing.T) {
	dir, tr := genCase(t, "tiny", 11)
	onDisk := folderHashes(t, dir)
	delete(onDisk, "truth.json")
	var total int64
	for _, f := range tr.Files {
		if onDisk[f.Path] != f.SHA256 {
			t.Errorf("%s: sha256 on disk %q, truth %q", f.Path, onDisk[f.Path], f.SHA256)
		}
		st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil || st.Size() != f.Size {
			t.Errorf("%s: size %v (err %v), truth %d", f.Path, st, err, f.Size)
		}
		delete(onDisk, f.Path)
		total += f.Size
	}
	for p := range onDisk {
		t.Errorf("%s written but missing from truth.Files", p)
	}
	if total < 600<<10 || total > 3<<20 {
		t.Errorf("tiny case holds %d bytes of evidence, want about 1 MiB", total)
	}
	b, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	var back Truth
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("truth.json does not parse: %v", err)
	}
	if len(back.Selectors) != len(tr.Selectors) || len(back.People) != len(tr.People) {
		t.Errorf("truth.json differs from the returned Truth")
	}
}

// caseReader reads case files and zip members, caching them.
type caseReader struct {
	tb    testing.TB
	dir   string
	cache map[string][]byte
}

func (c *caseReader) read(file, member string) []byte {
	c.tb.Helper()
	key := file + "\x00" + member
	if b, ok := c.cache[key]; ok {
		return b
	}
	path := filepath.Join(c.dir, filepath.FromSlash(file))
	var b []byte
	var err error
	if member == "" {
		b, err = os.ReadFile(path)
	} else {
		b, err = readZipMember(path, member)
	}
	if err != nil {
		c.tb.Fatalf("read %s %s: %v", file, member, err)
	}
	c.cache[key] = b
	return b
}

func readZipMember(path, member string) ([]byte, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	f, err := zr.Open(member)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

func TestSelectorsAreAtTheirOffsets(t *testing.T) {
	dir, tr := genCase(t, "tiny", 5)
	cr := &caseReader{tb: t, dir: dir, cache: map[string][]byte{}}
	obf := map[string]int{}
	chatSels := 0
	for _, s := range tr.Selectors {
		b := cr.read(s.File, s.Member)
		end := s.Offset + int64(len(s.Form))
		if s.Offset < 0 || end > int64(len(b)) || string(b[s.Offset:end]) != s.Form {
			got := ""
			if s.Offset >= 0 && s.Offset < int64(len(b)) {
				got = string(b[s.Offset:min(end, int64(len(b)))])
			}
			t.Errorf("%s %s@%d: want %q, file has %q", s.File, s.Member, s.Offset, s.Form, got)
		}
		if strings.HasPrefix(s.File, "chats/") {
			chatSels++
			obf[s.Obfuscation]++
		}
	}
	holds := map[string]bool{}
	for _, p := range tr.People {
		for _, v := range slices.Concat(p.Phones, p.Emails) {
			holds[p.ID+" "+v] = true
		}
	}
	for _, s := range tr.Selectors {
		if strings.HasPrefix(s.File, "chats/") && s.Owner != "" && !s.Decoy && (s.Kind == "phone" || s.Kind == "email") && !holds[s.Owner+" "+s.Value] {
			t.Errorf("%s@%d: %s %s planted as %s's, but truth does not list it for them", s.File, s.Offset, s.Kind, s.Value, s.Owner)
		}
	}
	for _, o := range []string{"", "words_es", "words_en", "separators", "emoji_digits", "at_dot"} {
		if obf[o] == 0 {
			t.Errorf("no chat selector with obfuscation %q (counts %v)", o, obf)
		}
	}
	zipped := 0
	for _, s := range tr.Selectors {
		if s.Member != "" {
			zipped++
		}
	}
	if chatSels < 50 || zipped == 0 {
		t.Errorf("%d chat selectors, %d inside a zip; want many and some", chatSels, zipped)
	}
}

func TestRecordsPointAtMessages(t *testing.T) {
	dir, tr := genCase(t, "tiny", 6)
	cr := &caseReader{tb: t, dir: dir, cache: map[string][]byte{}}
	people := map[string]bool{}
	for _, p := range tr.People {
		people[p.ID] = true
	}
	parsed := map[string]any{}
	n := 0
	for _, r := range tr.Records {
		if r.Person != "" && !people[r.Person] {
			t.Errorf("record %s %s: unknown person %s", r.File, r.Locator, r.Person)
		}
		if !strings.HasPrefix(r.File, "chats/") {
			continue
		}
		n++
		switch loc := r.Locator; {
		case strings.HasPrefix(loc, "json:"):
			v, ok := parsed[r.File]
			if !ok {
				if err := json.Unmarshal(cr.read(r.File, ""), &v); err != nil {
					t.Fatalf("%s: %v", r.File, err)
				}
				parsed[r.File] = v
			}
			msg, err := jsonPointer(v, strings.TrimPrefix(loc, "json:"))
			if err != nil {
				t.Errorf("%s %s: %v", r.File, loc, err)
				continue
			}
			if m, ok := msg.(map[string]any); !ok || (m["from"] == nil && m["actor"] == nil) {
				t.Errorf("%s %s: not a message: %v", r.File, loc, msg)
			}
		default:
			member, lineLoc, _ := strings.Cut(strings.TrimPrefix(loc, "zip:"), "#")
			if !strings.HasPrefix(loc, "zip:") {
				member, lineLoc = "", loc
			}
			num, err := strconv.Atoi(strings.TrimPrefix(lineLoc, "line:"))
			lines := strings.Split(string(cr.read(r.File, member)), "\n")
			if err != nil || num < 1 || num > len(lines) || !strings.Contains(lines[num-1], ": ") && !strings.Contains(lines[num-1], "added") && !strings.Contains(lines[num-1], "Añadiste") && !strings.Contains(lines[num-1], "añadió") {
				t.Errorf("%s %s: not a message line", r.File, loc)
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d chat records", n)
	}
}

// jsonPointer resolves an RFC 6901 pointer (no escapes needed here).
func jsonPointer(v any, ptr string) (any, error) {
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		switch x := v.(type) {
		case map[string]any:
			v = x[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil, errors.New("index " + tok + " out of range")
			}
			v = x[i]
		default:
			return nil, errors.New("pointer goes through a scalar at " + tok)
		}
	}
	return v, nil
}

func TestChatsCoverFormats(t *testing.T) {
	_, tr := genCase(t, "small", 9)
	layouts := map[string]bool{}
	var zips, full, single int
	for _, c := range tr.Chats {
		layouts[c.Layout] = true
		switch {
		case c.Member != "":
			zips++
		case c.Pointer != "":
			full++
		case c.Layout == "telegram_chat":
			single++
		}
	}
	if zips == 0 || full == 0 || single == 0 {
		t.Errorf("zips %d, chats in full Telegram exports %d, single Telegram exports %d; want all > 0", zips, full, single)
	}
	for _, l := range waLayouts {
		if !layouts[l] {
			t.Errorf("no chat in layout %s at size small (have %v)", l, layouts)
		}
	}
	var chatBytes int64
	for _, f := range tr.Files {
		if strings.HasPrefix(f.Path, "chats/") {
			chatBytes += f.Size
		}
	}
	if chatBytes < 5<<20 {
		t.Errorf("small case has %d bytes of chats, want most of 8 MiB", chatBytes)
	}
}

func TestStoryCast(t *testing.T) {
	purposes := map[string]bool{}
	for seed := uint64(1); seed <= 12; seed++ {
		s := buildStory(newRand(seed, 1), 1)
		if n := len(s.sc.Countries); n < 2 || n > 4 || !slices.Contains([]string{"MX", "US"}, s.sc.Destination) {
			t.Errorf("seed %d: countries %v destination %s", seed, s.sc.Countries, s.sc.Destination)
		}
		for _, p := range s.sc.Purposes {
			purposes[p] = true
		}
		checkCast(t, seed, s)
	}
	if !purposes["labour"] || !purposes["begging"] {
		t.Errorf("12 seeds never gave forced labour and begging: %v", purposes)
	}
}

func checkCast(t *testing.T, seed uint64, s *story) {
	t.Helper()
	minors, shared, twins, similar := 0, 0, 0, 0
	names := map[string]string{}
	for _, p := range s.people {
		if p.Kind == "suspect" {
			names[p.Name] = p.ID
		}
	}
	for _, p := range s.people {
		switch p.Kind {
		case "victim":
			if p.Minor {
				minors++
			}
			if len(p.Indicators) == 0 || p.Purpose == "" {
				t.Errorf("seed %d: victim %s without indicators or purpose", seed, p.ID)
			}
		case "suspect":
			if len(p.SharedWith) > 0 {
				shared++
			}
		case "bystander":
			if names[p.Name] == p.Resembles {
				twins++
			}
			if slices.Contains(p.Similarity, "similar_phone") {
				similar++
			}
		}
	}
	if minors == 0 || shared < 2 || twins == 0 || similar == 0 {
		t.Errorf("seed %d: %d minors, %d suspects sharing a phone, %d name twins, %d similar phones", seed, minors, shared, twins, similar)
	}
	if len(s.events) == 0 || s.events[0].Type != "Recruitment" {
		t.Errorf("seed %d: timeline does not start with recruitment: %+v", seed, s.events)
	}
}

func TestTruthJSONIsIndentedAndStable(t *testing.T) {
	dir, _ := genCase(t, "tiny", 4)
	b, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"version": "1"`, `"people": [`, `"selectors": [`, `"files": [`, `"image_groups": [`} {
		if !bytes.Contains(b, []byte(key)) {
			t.Errorf("truth.json lacks %s", key)
		}
	}
}

func TestZipExportHoldsItsMedia(t *testing.T) {
	dir, tr := genCase(t, "tiny", 13)
	imgs := map[string]string{}
	for _, im := range tr.Images {
		imgs[im.File] = im.SHA256
	}
	zips := 0
	for _, c := range tr.Chats {
		if c.Member == "" {
			continue
		}
		zips++
		zr, err := zip.OpenReader(filepath.Join(dir, filepath.FromSlash(c.File)))
		if err != nil {
			t.Fatalf("%s: %v", c.File, err)
		}
		defer zr.Close()
		chat, _ := readZipMember(filepath.Join(dir, filepath.FromSlash(c.File)), c.Member)
		media := 0
		for _, f := range zr.File {
			if f.Name == c.Member {
				continue
			}
			media++
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			sum := sha256.Sum256(b)
			if imgs["images/"+f.Name] != hex.EncodeToString(sum[:]) {
				t.Errorf("%s: member %s differs from images/%s", c.File, f.Name, f.Name)
			}
			if !bytes.Contains(chat, []byte("<attached: "+f.Name+">")) {
				t.Errorf("%s: %s is not attached in the chat", c.File, f.Name)
			}
		}
		if media == 0 {
			t.Errorf("%s: no media in the zip", c.File)
		}
	}
	if zips == 0 {
		t.Fatal("no zipped WhatsApp export")
	}
}
