package ingest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/rastro/rastro/internal/cputime"
)

// caseChats reads every chat file of a platform from a generated small case.
func caseChats(b *testing.B, platform string) map[string][]byte {
	b.Helper()
	dir, tr := genCase(b, "small", 2)
	out := map[string][]byte{}
	for _, c := range tr.Chats {
		if c.Platform != platform || c.Member != "" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(c.File)))
		if err != nil {
			b.Fatal(err)
		}
		out[c.File] = data
	}
	return out
}

func benchParse(b *testing.B, platform string, parse func([]byte, Func) (*Report, error)) {
	files := caseChats(b, platform)
	var total int64
	for _, d := range files {
		total += int64(len(d))
	}
	b.SetBytes(total)
	b.ReportAllocs()
	cpu0, n := cputime.Process(), 0
	for b.Loop() {
		n++
		for name, d := range files {
			if _, err := parse(d, func(Item) error { return nil }); err != nil {
				b.Fatalf("%s: %v", name, err)
			}
		}
	}
	if cpu := cputime.Process() - cpu0; cpu > 0 {
		b.ReportMetric(float64(total)*float64(n)/1e6/cpu.Seconds(), "MB/cpu-s")
	}
}

// BenchmarkWhatsApp parses every WhatsApp .txt of the small case (both passes).
func BenchmarkWhatsApp(b *testing.B) {
	benchParse(b, "whatsapp", func(d []byte, fn Func) (*Report, error) {
		return ParseWhatsApp(bytes.NewReader(d), "chat.txt", Options{}, fn)
	})
}

// BenchmarkTelegram parses every Telegram result.json of the small case.
func BenchmarkTelegram(b *testing.B) {
	benchParse(b, "telegram", func(d []byte, fn Func) (*Report, error) {
		return ParseTelegram(bytes.NewReader(d), "result.json", Options{}, fn)
	})
}
