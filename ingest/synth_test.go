package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rastro/rastro/synth"
)

// genCase writes a training case into a temporary folder.
func genCase(tb testing.TB, size string, seed uint64) (string, *synth.Truth) {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "case")
	tr, err := synth.Generate(context.Background(), synth.Options{Size: size, Seed: seed, Out: dir})
	if err != nil {
		tb.Fatalf("synth.Generate(%s, %d): %v", size, seed, err)
	}
	return dir, tr
}

// parsedFile is what the parser made of one evidence file.
type parsedFile struct {
	rep   *Report
	items map[string]Item // by locator
	data  []byte          // the chat text (the zip member for zips)
}

// parseCaseFile parses one chat file of a case the way the evidence.parse job would.
func parseCaseFile(t *testing.T, dir string, c synth.Chat) *parsedFile {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(c.File))
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pf := &parsedFile{items: map[string]Item{}}
	collect := func(it Item) error {
		if _, dup := pf.items[it.Locator]; dup {
			t.Errorf("%s: locator %s emitted twice", c.File, it.Locator)
		}
		pf.items[it.Locator] = it
		return nil
	}
	zone, err := time.LoadLocation(c.Zone)
	if err != nil {
		t.Fatal(err)
	}
	head := make([]byte, 8192)
	n, _ := f.ReadAt(head, 0)
	format := Detect(c.File, head[:n])
	want := map[string]Format{"whatsapp": FormatWhatsApp, "telegram": FormatTelegram}[c.Platform]
	if c.Member != "" {
		want = FormatWhatsAppZip
	}
	if format != want {
		t.Errorf("%s: detected %q, want %q", c.File, format, want)
	}
	opt := Options{Zone: zone}
	if c.Platform == "telegram" {
		opt = Options{} // date_unixtime needs no zone
	}
	pf.rep, err = Parse(f, c.File, want, opt, collect)
	pf.data, _ = os.ReadFile(path)
	if c.Member != "" {
		pf.data = zipMember(t, path, c.Member)
	}
	if err != nil {
		t.Fatalf("%s: %v", c.File, err)
	}
	if len(pf.rep.Problems) > 0 {
		t.Errorf("%s: problems %v", c.File, pf.rep.Problems)
	}
	return pf
}

// score counts what the parsers got right against the truth.
type score struct {
	chats, chatsOK       int
	records, recordsOK   int
	times, timesOK       int
	orders, ordersOK     int
	messages, messagesOK int
}

func TestScoreAgainstGenerator(t *testing.T) {
	for _, tc := range []struct {
		size string
		seed uint64
	}{{"tiny", 1}, {"tiny", 4}, {"small", 2}} {
		t.Run(tc.size+"-"+strconv.FormatUint(tc.seed, 10), func(t *testing.T) {
			dir, tr := genCase(t, tc.size, tc.seed)
			s := scoreCase(t, dir, tr)
			t.Logf("chats %d/%d, message counts %d/%d, record locators %d/%d, times %d/%d, date orders %d/%d",
				s.chatsOK, s.chats, s.messagesOK, s.messages, s.recordsOK, s.records, s.timesOK, s.times, s.ordersOK, s.orders)
		})
	}
}

// scoreCase parses every chat of the case and checks it against the truth.
func scoreCase(t *testing.T, dir string, tr *synth.Truth) score {
	t.Helper()
	var s score
	files := map[string]*parsedFile{}
	recs := map[string][]string{} // file -> message locators of the truth
	for _, r := range tr.Records {
		if r.Kind == "message" {
			recs[r.File] = append(recs[r.File], r.Locator)
		}
	}
	for _, c := range tr.Chats {
		pf := files[c.File]
		if pf == nil {
			pf = parseCaseFile(t, dir, c)
			files[c.File] = pf
			s.add(checkRecords(t, c, pf, recs[c.File]))
			checkZipMedia(t, c, pf)
			s.add(checkTimes(t, c, pf))
		}
		s.chats++
		n := countMessages(pf, c)
		s.messages++
		if n == c.Messages {
			s.messagesOK++
			s.chatsOK++
		} else {
			t.Errorf("%s %s: parsed %d messages, truth says %d", c.File, c.Pointer, n, c.Messages)
		}
		if c.Platform == "whatsapp" {
			s.orders++
			want := !strings.HasSuffix(c.Layout, "en_US")
			if pf.rep.DayFirst == want && pf.rep.DateOrderFrom != "default" {
				s.ordersOK++
			} else {
				t.Errorf("%s (%s): day first %v from %q, want %v", c.File, c.Layout, pf.rep.DayFirst, pf.rep.DateOrderFrom, want)
			}
		}
	}
	return s
}

func (s *score) add(o score) {
	s.records += o.records
	s.recordsOK += o.recordsOK
	s.times += o.times
	s.timesOK += o.timesOK
}

// countMessages counts the message items of one chat (one pointer of a full export).
func countMessages(pf *parsedFile, c synth.Chat) int {
	prefix := "json:" + c.Pointer + "/messages/"
	n := 0
	for loc, it := range pf.items {
		if it.Kind != KindMessage {
			continue
		}
		if c.Platform == "whatsapp" || strings.HasPrefix(loc, prefix) {
			n++
		}
	}
	return n
}

// checkRecords asserts every truth message record has an item at its locator.
func checkRecords(t *testing.T, c synth.Chat, pf *parsedFile, locs []string) score {
	t.Helper()
	var s score
	for _, loc := range locs {
		s.records++
		it, ok := pf.items[loc]
		switch {
		case !ok:
			t.Errorf("%s: no item at %s", c.File, loc)
		case it.Sender.IsZero():
			t.Errorf("%s %s: message of a person without sender", c.File, loc)
		default:
			s.recordsOK++
		}
	}
	return s
}

// waStart reads a WhatsApp stamp independently of the parser: the grammar of
// each layout as docs/SCENARIOS.md documents it.
var waStart = map[string]struct {
	re     *regexp.Regexp
	layout string
}{
	"android_en_GB": {regexp.MustCompile(`^(\d{2}/\d{2}/\d{4}), (\d{2}:\d{2}) - `), "02/01/2006 15:04"},
	"android_en_US": {regexp.MustCompile(`^(\d{1,2}/\d{1,2}/\d{2}), (\d{1,2}:\d{2})\x{202F}(AM|PM) - `), "1/2/06 3:04 PM"},
	"android_es_ES": {regexp.MustCompile(`^(\d{1,2}/\d{1,2}/\d{2}), (\d{1,2}:\d{2}) - `), "2/1/06 15:04"},
	"android_es_MX": {regexp.MustCompile(`^(\d{1,2}/\d{1,2}/\d{2}), (\d{1,2}:\d{2})\x{202F}([ap])\.\x{00A0}m\. - `), "2/1/06 3:04 PM"},
	"ios_en_GB":     {regexp.MustCompile(`^\x{200E}?\[(\d{2}/\d{2}/\d{4}), (\d{2}:\d{2}:\d{2})\] `), "02/01/2006 15:04:05"},
	"ios_en_US":     {regexp.MustCompile(`^\x{200E}?\[(\d{1,2}/\d{1,2}/\d{2}), (\d{1,2}:\d{2}:\d{2})\x{202F}(AM|PM)\] `), "1/2/06 3:04:05 PM"},
}

// expectWA returns the time written on a stamped line, read in zone.
func expectWA(layout, line string, zone *time.Location) (time.Time, bool) {
	g := waStart[layout]
	m := g.re.FindStringSubmatch(line)
	if m == nil {
		return time.Time{}, false
	}
	v := m[1] + " " + m[2]
	if len(m) > 3 {
		v += " " + strings.ToUpper(m[3])
		if len(m[3]) == 1 {
			v += "M"
		}
	}
	tm, err := time.ParseInLocation(g.layout, v, zone)
	return tm, err == nil
}

// checkTimes compares every item's time with an independent reading.
func checkTimes(t *testing.T, c synth.Chat, pf *parsedFile) score {
	t.Helper()
	zone, _ := time.LoadLocation(c.Zone)
	var s score
	if c.Platform == "whatsapp" {
		lines := strings.Split(string(pf.data), "\n")
		for loc, it := range pf.items {
			n, _ := strconv.Atoi(loc[strings.LastIndex(loc, ":")+1:])
			want, ok := expectWA(c.Layout, lines[n-1], zone)
			s.times++
			if d := it.Time.Sub(want); ok && d < time.Minute && d > -time.Minute {
				s.timesOK++
			} else {
				t.Errorf("%s %s: time %v, the file says %v (%q)", c.File, loc, it.Time, want, lines[n-1])
			}
		}
		return s
	}
	var root any
	if err := json.Unmarshal(pf.data, &root); err != nil {
		t.Fatal(err)
	}
	for loc, it := range pf.items {
		m, _ := jsonAt(root, strings.TrimPrefix(loc, "json:")).(map[string]any)
		unix, _ := strconv.ParseInt(m["date_unixtime"].(string), 10, 64)
		s.times++
		if it.Time.Equal(time.Unix(unix, 0)) && it.Time.Location() == time.UTC {
			s.timesOK++
		} else {
			t.Errorf("%s %s: time %v, date_unixtime %d", c.File, loc, it.Time, unix)
		}
	}
	return s
}

// jsonAt follows a JSON pointer of object keys and array indexes.
func jsonAt(v any, ptr string) any {
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		switch x := v.(type) {
		case map[string]any:
			v = x[tok]
		case []any:
			i, _ := strconv.Atoi(tok)
			if i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// zipMember reads one member of a zip file.
func zipMember(tb testing.TB, path, member string) []byte {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	zr, err := zipReader(data)
	if err != nil {
		tb.Fatal(err)
	}
	f, err := zr.Open(member)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(f); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func zipReader(data []byte) (*zip.Reader, error) {
	return zip.NewReader(bytes.NewReader(data), int64(len(data)))
}

func TestScoreAdsAgainstGenerator(t *testing.T) {
	dir, tr := genCase(t, "tiny", 1)
	want := map[string][]string{} // file -> ad record locators
	for _, r := range tr.Records {
		if r.Kind == "ad" {
			want[r.File] = append(want[r.File], r.Locator)
		}
	}
	if len(want) == 0 {
		t.Fatal("the case has no ad records")
	}
	found, total := 0, 0
	for file, locs := range want {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(file)))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]Item{}
		_, rep := collect(t, func(fn Func) (*Report, error) {
			return Parse(bytes.NewReader(data), file, Detect(file, data), Options{Kind: KindAd}, func(it Item) error {
				got[it.Locator] = it
				return fn(it)
			})
		})
		if len(rep.Problems) > 0 {
			t.Errorf("%s: problems %v", file, rep.Problems)
		}
		for _, loc := range locs {
			total++
			if it, ok := got[loc]; ok && it.Kind == KindAd && it.Text != "" {
				found++
			} else {
				t.Errorf("%s: no ad at %s", file, loc)
			}
		}
	}
	t.Logf("ad record locators %d/%d", found, total)
}

// checkZipMedia asserts a zipped chat lists its media as members and every
// attachment names one of them.
func checkZipMedia(t *testing.T, c synth.Chat, pf *parsedFile) {
	t.Helper()
	if c.Member == "" {
		return
	}
	members := map[string]bool{}
	for _, m := range pf.rep.Members {
		members[m.Name] = true
	}
	n := 0
	for loc, it := range pf.items {
		for _, a := range it.Attachments {
			n++
			if !members[a] {
				t.Errorf("%s %s: attachment %q is not a member of the zip", c.File, loc, a)
			}
		}
	}
	if n == 0 || n != len(pf.rep.Members) {
		t.Errorf("%s: %d attachments, %d media members", c.File, n, len(pf.rep.Members))
	}
}
