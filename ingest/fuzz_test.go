package ingest

import (
	"bytes"
	"encoding/json"
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
	dir, err := os.Getwd()
	if err != nil {
		return
	}
	for ; dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		matches, _ := filepath.Glob(filepath.Join(dir, "shared", "data", "chat-formats", "*"+sub+"*"))
		for _, m := range matches {
			if data, err := os.ReadFile(m); err == nil {
				f.Add(data)
			}
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
