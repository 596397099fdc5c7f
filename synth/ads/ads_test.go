package ads_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rastro/rastro/synth/ads"
	"github.com/rastro/rastro/synth/truth"
)

func testParams(dir string, size int64) ads.Params {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	return ads.Params{
		Seed: 7, Dir: dir, Prefix: "ads", Start: start, End: start.AddDate(0, 4, 0), TargetBytes: size,
		Orgs: []ads.Org{
			{ID: "org-1", Poster: "p-3", Phones: []string{"+50245550123", "+50245550177"}, Handles: []string{"Luna_VIP23"},
				Emails: []string{"reservas.luna@example.com"}, Cities: []string{"Ciudad de Guatemala", "tapachula"}, Purpose: "sexual"},
			{ID: "org-2", Poster: "p-8", Phones: []string{"+50495550142"}, Emails: []string{"Empleos.USA@example.net"},
				Cities: []string{"San Pedro Sula", "Houston"}, Purpose: "labour"},
			{ID: "org-3", Poster: "p-9", Phones: []string{"+12025550188"}, Cities: []string{"Houston"}, Purpose: "sexual"},
		},
	}
}

func generate(t *testing.T, size int64) (string, *ads.Result) {
	t.Helper()
	dir := t.TempDir()
	res, err := ads.Generate(testParams(filepath.Join(dir, "ads"), size))
	if err != nil {
		t.Fatal(err)
	}
	return dir, res
}

// adLine is the part of a scraped ad the test checks.
type adLine struct {
	ID, Site, URL, City, Country, Title, Body, Language string
	PostedAt                                            string `json:"posted_at"`
	Phones, Contacts, Images                            []string
	Price                                               *int64
	Currency                                            string
}

func TestJSONLParses(t *testing.T) {
	dir, res := generate(t, 400<<10)
	f, err := os.Open(filepath.Join(dir, "ads", ads.JSONLName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n := 0
	host := regexp.MustCompile(`^https://[a-z-]+\.example\.(com|org|net)/`)
	for sc.Scan() {
		n++
		var a adLine
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("line %d: %v: %s", n, err, sc.Bytes())
		}
		if _, err := time.Parse(time.RFC3339, a.PostedAt); err != nil || a.ID == "" || a.Title == "" || a.Body == "" {
			t.Fatalf("line %d: incomplete ad %+v", n, a)
		}
		if !host.MatchString(a.URL) || !strings.HasSuffix(a.URL, ".html") {
			t.Fatalf("line %d: url %q not on an example domain", n, a.URL)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	st, _ := f.Stat()
	if n < 100 || st.Size() < 200<<10 {
		t.Errorf("only %d ads, %d bytes for a 400 KiB target", n, st.Size())
	}
	if len(res.Ads) < 10 || len(res.Records) != len(res.Ads) {
		t.Errorf("%d story ads, %d records", len(res.Ads), len(res.Records))
	}
}

func TestAdsTruthPointsAtAds(t *testing.T) {
	dir, res := generate(t, 200<<10)
	orgs := map[string]int{}
	for _, a := range res.Ads {
		b := readFile(t, dir, a.File)
		chunk := string(b[a.Offset : a.Offset+a.Length])
		if strings.HasSuffix(a.File, ".jsonl") {
			var l adLine
			if err := json.Unmarshal([]byte(chunk), &l); err != nil || l.ID != a.ID {
				t.Errorf("%s@%d: not the JSON of ad %s: %v", a.File, a.Offset, a.ID, err)
			}
		} else if !strings.HasPrefix(chunk, "<body") || !strings.HasSuffix(chunk, "</body>") || !strings.Contains(a.File, a.ID) {
			t.Errorf("%s@%d: not the page body of ad %s", a.File, a.Offset, a.ID)
		}
		orgs[a.Org]++
	}
	for _, o := range []string{"org-1", "org-2", "org-3"} {
		if orgs[o] < 3 {
			t.Errorf("%s has %d ads", o, orgs[o])
		}
	}
}

func TestSelectorsAtOffsetsAndDecode(t *testing.T) {
	dir, res := generate(t, 300<<10)
	seen := map[string]int{}
	for _, s := range res.Selectors {
		b := readFile(t, dir, s.File)
		if end := s.Offset + int64(len(s.Form)); end > int64(len(b)) || string(b[s.Offset:end]) != s.Form {
			t.Fatalf("%s@%d: want %q", s.File, s.Offset, s.Form)
		}
		if got := decode(s); got != s.Value {
			t.Errorf("%s %q (%s) decodes to %q, truth says %q", s.Kind, s.Form, s.Obfuscation, got, s.Value)
		}
		seen[s.Kind+"/"+s.Obfuscation]++
	}
	for _, k := range []string{"phone/", "phone/separators", "phone/words_es", "phone/words_en", "phone/emoji_digits",
		"email/", "email/at_dot", "handle/", "onion/"} {
		if seen[k] == 0 {
			t.Errorf("no %s selector planted (seen %v)", k, seen)
		}
	}
}

func TestPagesAreWellFormed(t *testing.T) {
	dir, res := generate(t, 200<<10)
	saved := regexp.MustCompile(`^<!DOCTYPE html>\n<!-- saved from url=\((\d{4})\)(\S+) -->\n`)
	dark := 0
	for _, f := range res.Files {
		if !strings.HasSuffix(f, ".html") {
			continue
		}
		b := readFile(t, dir, f)
		m := saved.FindSubmatch(b)
		if m == nil {
			t.Fatalf("%s: no saved-from header", f)
		}
		if n, _ := strconv.Atoi(string(m[1])); n != len(m[2]) {
			t.Errorf("%s: saved-from length %d, URL has %d bytes", f, n, len(m[2]))
		}
		if strings.HasPrefix(string(m[2]), "http://") {
			dark++
			if !regexp.MustCompile(`^http://[a-z2-7]{56}\.onion/`).Match(m[2]) {
				t.Errorf("%s: dark listing URL %s", f, m[2])
			}
		}
		if err := balanced(b); err != "" {
			t.Errorf("%s: %s", f, err)
		}
	}
	if dark == 0 {
		t.Error("no dark-web listing saved")
	}
}

func TestDeterministic(t *testing.T) {
	a, ra := generate(t, 100<<10)
	b, rb := generate(t, 100<<10)
	if len(ra.Files) != len(rb.Files) {
		t.Fatalf("%d vs %d files", len(ra.Files), len(rb.Files))
	}
	for _, f := range ra.Files {
		if !bytes.Equal(readFile(t, a, f), readFile(t, b, f)) {
			t.Fatalf("%s differs between two runs with the same seed", f)
		}
	}
}

func TestRejectsBadParams(t *testing.T) {
	p := testParams(t.TempDir(), 1000)
	p.End = p.Start
	if _, err := ads.Generate(p); err == nil {
		t.Error("empty window accepted")
	}
	p = testParams(t.TempDir(), 1000)
	p.Orgs[0].Phones = nil
	if _, err := ads.Generate(p); err == nil {
		t.Error("org without phone accepted")
	}
}

func BenchmarkGenerate(b *testing.B) {
	const size = 16 << 20
	dir := b.TempDir()
	b.SetBytes(size)
	for b.Loop() {
		if _, err := ads.Generate(testParams(dir, size)); err != nil {
			b.Fatal(err)
		}
	}
}

func readFile(tb testing.TB, dir, rel string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// decode turns a written form back into the normalised value, written
// independently of the generator: digit words, keycaps and separators for
// phones (national numbers take the calling code from the value's prefix
// table), "arroba"/"(at)" for e-mails.
func decode(s truth.Selector) string {
	switch s.Kind {
	case "phone":
		return decodePhone(s.Form, s.Value)
	case "email":
		f := strings.NewReplacer(" arroba ", "@", " (at) ", "@", " punto ", ".", " (dot) ", ".").Replace(s.Form)
		return strings.ToLower(f)
	case "handle":
		return strings.ToLower(strings.TrimPrefix(s.Form, "@"))
	}
	return strings.ToLower(s.Form)
}

func decodePhone(form, value string) string {
	words := map[string]string{"cero": "0", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5", "seis": "6",
		"siete": "7", "ocho": "8", "nueve": "9", "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4",
		"five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
	f := strings.NewReplacer("\uFE0F", "", "\u20E3", "").Replace(form)
	for w, d := range words {
		f = strings.ReplaceAll(f, w, d)
	}
	var digits strings.Builder
	for _, c := range f {
		if c >= '0' && c <= '9' {
			digits.WriteRune(c)
		}
	}
	d := digits.String()
	if strings.HasPrefix(f, "+") {
		return "+" + d
	}
	for _, cc := range []string{"502", "503", "504", "505", "506", "507", "52", "1"} {
		if strings.HasPrefix(value, "+"+cc) {
			return "+" + cc + d
		}
	}
	return d
}

// balanced checks that non-void elements open and close in order.
func balanced(b []byte) string {
	void := map[string]bool{"meta": true, "link": true, "img": true, "br": true, "!doctype": true, "input": true, "hr": true}
	tag := regexp.MustCompile(`<(/?)([a-zA-Z!][a-zA-Z0-9]*)[^>]*>`)
	var stack []string
	for _, m := range tag.FindAllSubmatch(bytes.ReplaceAll(b, []byte("<!--"), []byte("<!x")), -1) {
		name := strings.ToLower(string(m[2]))
		if void[name] || name == "!x" {
			continue
		}
		if len(m[1]) == 0 {
			stack = append(stack, name)
			continue
		}
		if len(stack) == 0 || stack[len(stack)-1] != name {
			return "unbalanced </" + name + "> with open " + strings.Join(stack, ">")
		}
		stack = stack[:len(stack)-1]
	}
	if len(stack) > 0 {
		return "unclosed " + strings.Join(stack, ",")
	}
	return ""
}
