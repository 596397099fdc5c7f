package ingest

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// readFixture returns a file of testdata.
func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// buildZip returns a zip archive of the given members, in order.
func buildZip(tb testing.TB, members ...[2]string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		w, err := zw.Create(m[0])
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write([]byte(m[1])); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestUFDR(t *testing.T) {
	archive := buildZip(t, [2]string{"report.xml", string(readFixture(t, "ufdr/report.xml"))},
		[2]string{"files/Image/IMG-20250302-WA0003.jpg", "\xff\xd8\xff\xd9"})
	if f := Detect("Extraction_01.ufdr", archive[:min(len(archive), 8192)]); f != FormatUFDR {
		t.Fatalf("Detect = %q, want ufdr", f)
	}
	items, rep := collect(t, func(fn Func) (*Report, error) {
		return Parse(bytes.NewReader(archive), "Extraction_01.ufdr", FormatUFDR, Options{}, fn)
	})
	if len(rep.Problems) > 0 {
		t.Errorf("problems %v", rep.Problems)
	}
	chat := Chat{ID: "15555550142@s.whatsapp.net", Title: "Marco Ruiz", Platform: "whatsapp", Type: "OneOnOne"}
	marco := Party{Name: "Marco Ruiz", Phone: "+15555550142"}
	want := []Item{
		{Kind: KindMessage, Locator: "ufdr:report.xml#model/msg-0001", Time: time.Date(2025, 3, 3, 3, 15, 7, 0, time.UTC),
			Sender: marco, Recipients: []Party{{Name: "Owner", Phone: "+15555550107"}}, Chat: chat,
			Text:   "la chica nueva llega mañana, escribe a reservas@example.com & confirma",
			Fields: map[string]string{"status": "Read", "id": "msg-0001"}},
		{Kind: KindMessage, Locator: "ufdr:report.xml#model/msg-0002", Time: time.Date(2025, 3, 3, 3, 17, 30, 250e6, time.UTC),
			Sender: Party{Phone: "+15555550107"}, Recipients: []Party{marco}, Chat: chat, Text: "ok, mando foto",
			Attachments: []string{"IMG-20250302-WA0003.jpg"}, Fields: map[string]string{"id": "msg-0002", "deleted_state": "Deleted"}},
		{Kind: KindMessage, Locator: "ufdr:report.xml#model/sms-0001", Time: time.Date(2025, 3, 1, 15, 30, 0, 0, time.UTC),
			Chat: Chat{Platform: "sms"}, Sender: Party{Phone: "5555550175"}, Text: "Paso por ti a las 8",
			Fields: map[string]string{"folder": "Inbox", "id": "sms-0001"}},
		{Kind: KindContact, Locator: "ufdr:report.xml#model/contact-0001", Title: "Lucía Herrera", Chat: Chat{Platform: "phone"},
			Sender: Party{Name: "Lucía Herrera", Phone: "+15555550163"},
			Text:   "Lucía Herrera\nMobile: +1 555-555-0163\nHome: lucia.herrera@example.com",
			Fields: map[string]string{"phones": "+1 555-555-0163", "emails": "lucia.herrera@example.com"}},
		{Kind: KindCall, Locator: "ufdr:report.xml#model/call-0001", Time: time.Date(2025, 3, 3, 7, 2, 11, 0, time.UTC),
			Chat: Chat{Platform: "phone"}, Sender: Party{Name: "Jefe", Phone: "+15555550199"}, Recipients: []Party{{Phone: "+15555550107"}},
			Text: "Incoming call", Fields: map[string]string{"direction": "Incoming", "type": "Voice", "status": "Established", "duration_s": "205"}},
		{Kind: KindFile, Locator: "ufdr:report.xml#model/file-0001", Time: time.Date(2025, 3, 3, 3, 17, 31, 0, time.UTC),
			Text: "/storage/emulated/0/WhatsApp/Media/WhatsApp Images/IMG-20250302-WA0003.jpg",
			Fields: map[string]string{"path": "/storage/emulated/0/WhatsApp/Media/WhatsApp Images/IMG-20250302-WA0003.jpg", "size": "48213",
				"local_path": "files/Image/IMG-20250302-WA0003.jpg", "sha256": strings.Repeat("0", 64), "tags": "Image"}},
	}
	if d := cmp.Diff(want, items); d != "" {
		t.Errorf("items (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]Member{{Name: "files/Image/IMG-20250302-WA0003.jpg", Size: 4}}, rep.Members); d != "" {
		t.Errorf("members (-want +got):\n%s", d)
	}
}

func TestUFDRErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		archive  []byte
		wantErr  bool
		items    int
		problems int
	}{
		{"zip without report", buildZip(t, [2]string{"files/a.jpg", "x"}), true, 0, 0},
		{"not a zip", []byte("PK nonsense"), true, 0, 0},
		{"truncated xml keeps earlier items", buildZip(t, [2]string{"report.xml", string(readFixture(t, "ufdr/report.xml")[:5200])}), false, 1, 1},
		{"model without id located by offset", buildZip(t, [2]string{"report.xml",
			`<project><decodedData><modelType type="Call"><model type="Call"><field name="Direction"><value>Outgoing</value></field></model></modelType></decodedData></project>`}), false, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var items []Item
			rep, err := ParseUFDR(bytes.NewReader(tc.archive), int64(len(tc.archive)), "x.ufdr", Options{}, func(it Item) error {
				items = append(items, it)
				return nil
			})
			if (err != nil) != tc.wantErr {
				t.Fatalf("err %v, want error %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			if len(items) != tc.items || len(rep.Problems) != tc.problems {
				t.Errorf("items %d problems %v, want %d and %d", len(items), rep.Problems, tc.items, tc.problems)
			}
			for _, it := range items {
				if !strings.HasPrefix(it.Locator, "ufdr:report.xml#") {
					t.Errorf("locator %q", it.Locator)
				}
			}
		})
	}
}

func TestUFDRNeedsRandomAccess(t *testing.T) {
	_, err := Parse(io.MultiReader(strings.NewReader("PK")), "x.ufdr", FormatUFDR, Options{}, func(Item) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "needs a file") {
		t.Errorf("err %v, want a 'needs a file' error", err)
	}
}

func FuzzUFDR(f *testing.F) {
	f.Add([]byte(`<project xmlns="http://pa.cellebrite.com/report/2.0"><decodedData><modelType type="Chat"><model type="Chat" id="c"><field name="Source"><value>Telegram</value></field><multiModelField name="Messages"><model type="InstantMessage" id="m"><field name="TimeStamp"><value>2025-01-01T00:00:00+02:00</value></field><field name="Body"><value>x</value></field></model></multiModelField></model></modelType></decodedData><taggedFiles><file path="/a" id="f"/></taggedFiles></project>`))
	f.Add([]byte(`<model type="Call"><field name="Duration"><value>1.02:03:04</value></field><multiModelField name="Parties"><model type="Party"><field name="Identifier"><value>+1 555</value></field></model></multiModelField></model><model type="Contact"`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := ParseUFDRReport(bytes.NewReader(data), "report.xml", Options{}, func(it Item) error {
			if !strings.HasPrefix(it.Locator, "ufdr:report.xml#model/") && !strings.HasPrefix(it.Locator, "ufdr:report.xml#offset/") {
				t.Fatalf("locator %q", it.Locator)
			}
			return nil
		})
		if err != nil || rep == nil {
			t.Fatalf("err %v", err)
		}
	})
}

func TestUFDRValues(t *testing.T) {
	cr := time.FixedZone("CST", -6*3600)
	for _, tc := range []struct {
		name, in  string
		zone      *time.Location
		want      time.Time
		hasOffset bool
	}{
		{"offset", "2025-03-02T21:15:07.000-06:00", nil, time.Date(2025, 3, 3, 3, 15, 7, 0, time.UTC), true},
		{"zulu", "2025-03-02T21:15:07Z", cr, time.Date(2025, 3, 2, 21, 15, 7, 0, time.UTC), true},
		{"no offset read in zone", "2025-03-02T21:15:07", cr, time.Date(2025, 3, 3, 3, 15, 7, 0, time.UTC), false},
		{"no offset without zone is UTC", "2025-03-02 21:15:07.5", nil, time.Date(2025, 3, 2, 21, 15, 7, 5e8, time.UTC), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseUFDRTime(tc.in, cmpZone(tc.zone))
			if err != nil || !got.Equal(tc.want) || got.Location() != time.UTC || hasOffset(tc.in) != tc.hasOffset {
				t.Errorf("parseUFDRTime(%q) = %v, %v; offset %v", tc.in, got, err, hasOffset(tc.in))
			}
		})
	}
	for in, want := range map[string]string{"+1 (555) 555-0101": "+15555550101", "555.0101": "5550101", "user123": "", "12": "", "+": ""} {
		if got := phoneDigits(in); got != want {
			t.Errorf("phoneDigits(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]int{"00:03:25": 205, "1.00:00:01": 86401, "00:00:07.250": 7, "3:25": -1, "aa:00:00": -1} {
		got, ok := parseTimeSpan(in)
		if !ok {
			got = -1
		}
		if got != want {
			t.Errorf("parseTimeSpan(%q) = %d, want %d", in, got, want)
		}
	}
}

// cmpZone returns zone, or UTC for nil.
func cmpZone(zone *time.Location) *time.Location {
	if zone == nil {
		return time.UTC
	}
	return zone
}
