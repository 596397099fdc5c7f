package ingest

import (
	"bytes"
	"encoding/json"
	"github.com/rastro/rastro/internal/shareddata"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// seedSamples adds the reference samples of shared/data/chat-formats whose
// names contain sub, when present.
func seedSamples(f *testing.F, sub string) {
	f.Helper()
	dir := shareddata.Find("chat-formats")
	if dir == "" {
		return
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "*"+sub+"*"))
	for _, m := range matches {
		if data, err := os.ReadFile(m); err == nil {
			f.Add(data)
		}
	}
}

// checkLineLocator fails unless loc is prefix+"line:N" with N a line of data.
func checkLineLocator(t *testing.T, data []byte, prefix, loc string) {
	t.Helper()
	n, err := strconv.Atoi(strings.TrimPrefix(loc, prefix+"line:"))
	lines := bytes.Count(data, []byte{'\n'}) + 1
	if !strings.HasPrefix(loc, prefix+"line:") || err != nil || n < 1 || n > lines {
		t.Fatalf("locator %q out of bounds (%d lines)", loc, lines)
	}
}

func FuzzWhatsApp(f *testing.F) {
	f.Add([]byte("28/05/2025, 16:20 - Ana: hola\nsigue\n5/28/25, 4:20\u202fPM - B: x\n"))
	f.Add([]byte("\u200e[5/28/25, 4:20:05\u202fp.\u00a0m.] B: \u200e<attached: x.jpg>\n31/02/25, 0:00 - y"))
	seedSamples(f, "whatsapp")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, dayFirst := range []*bool{nil, new(bool)} {
			rep, err := ParseWhatsApp(bytes.NewReader(data), "x.txt", Options{DayFirst: dayFirst}, func(it Item) error {
				checkLineLocator(t, data, "", it.Locator)
				return nil
			})
			if err != nil || rep == nil {
				t.Fatalf("err %v", err)
			}
		}
	})
}

func FuzzTelegram(f *testing.F) {
	f.Add([]byte(tgFull))
	f.Add([]byte(`{"messages": [{"id": 1, "text": ["a", {"type": "phone", "text": "1"}]}, {"text_entities": 3}]}`))
	seedSamples(f, "telegram")
	f.Fuzz(func(t *testing.T, data []byte) {
		var root any
		valid := json.Unmarshal(data, &root) == nil
		_, err := ParseTelegram(bytes.NewReader(data), "result.json", Options{}, func(it Item) error {
			ptr, ok := strings.CutPrefix(it.Locator, "json:")
			if !ok || (valid && jsonAt(root, ptr) == nil) {
				t.Fatalf("locator %q does not point into the document", it.Locator)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("err %v", err)
		}
	})
}

// checkBytesLocator fails unless loc is "bytes:A-B" with 0 <= A <= B <= size.
func checkBytesLocator(t *testing.T, size int, loc string) {
	t.Helper()
	a, b, ok := strings.Cut(strings.TrimPrefix(loc, "bytes:"), "-")
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(b)
	if !strings.HasPrefix(loc, "bytes:") || !ok || err1 != nil || err2 != nil || x < 0 || x > y || y > size {
		t.Fatalf("locator %q out of bounds (%d bytes)", loc, size)
	}
}

// fuzzLines is the fuzz body of parsers with "line:N" locators.
func fuzzLines(f *testing.F, format Format, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Parse(bytes.NewReader(data), "x", format, Options{}, func(it Item) error {
			checkLineLocator(t, data, "", it.Locator)
			return nil
		})
		if err != nil {
			t.Fatalf("err %v", err)
		}
	})
}

// fuzzBytes is the fuzz body of parsers with "bytes:A-B" locators.
func fuzzBytes(f *testing.F, format Format, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Parse(bytes.NewReader(data), "x", format, Options{}, func(it Item) error {
			checkBytesLocator(t, len(data), it.Locator)
			return nil
		})
		if err != nil {
			t.Fatalf("err %v", err)
		}
	})
}

func FuzzCSV(f *testing.F) {
	fuzzLines(f, FormatCSV, "Timestamp,From,To,Message\n2025-01-02 10:00:00,+505 8555 0115,Ana,\"hola\nsigue\"\n", "Fecha;Texto\n13/01/2025 1:00 p. m.;x\n\"bad\"quote;y\n")
}

func FuzzAdsJSONL(f *testing.F) {
	fuzzLines(f, FormatAdsJSONL, `{"id":"1","title":"t","body":"b","phones":["1"],"images":"x.jpg","posted_at":"2024-05-15T00:44:49-05:00"}`+"\n{]\n")
}

func FuzzText(f *testing.F) {
	fuzzLines(f, FormatText, "uno\ndos\n\n\ntres\n", "\ufeff\r\n\r\nx")
}

func FuzzEML(f *testing.F) {
	fuzzBytes(f, FormatEML, emlSample, "From: a\n\nbody")
}

func FuzzMbox(f *testing.F) {
	fuzzBytes(f, FormatMbox, "From a Tue\nFrom: a@example.org\n\nx\n>From y\n\nFrom b\nSubject: s\n\nz\n", "junk\nFrom x\n")
}

func FuzzHTML(f *testing.F) {
	fuzzBytes(f, FormatHTML, "<!DOCTYPE html><html><head><title>t</title></head><body><script>x</script><p>a<br>b</p><a href='u'>l</a></body></html>", "<body><!-- x <time datetime=2024-01-01>")
}

func FuzzDiscord(f *testing.F) {
	f.Add([]byte(discordSample))
	f.Add([]byte(`{"messages":[{"timestamp":"x","author":7},{"content":"a"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var root any
		valid := json.Unmarshal(data, &root) == nil
		_, err := ParseDiscord(bytes.NewReader(data), "x.json", Options{}, func(it Item) error {
			ptr, ok := strings.CutPrefix(it.Locator, "json:")
			if !ok || (valid && jsonAt(root, ptr) == nil) {
				t.Fatalf("locator %q does not point into the document", it.Locator)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("err %v", err)
		}
	})
}

func FuzzWhatsAppZip(f *testing.F) {
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = ParseWhatsAppZip(bytes.NewReader(data), int64(len(data)), "x.zip", Options{}, func(it Item) error {
			if !strings.HasPrefix(it.Locator, "zip:") {
				t.Fatalf("locator %q", it.Locator)
			}
			return nil
		})
	})
}

func FuzzDetect(f *testing.F) {
	f.Add("x.json", []byte(`{"messages": []}`))
	f.Fuzz(func(t *testing.T, name string, head []byte) {
		_ = Detect(name, head)
	})
}
