package ingest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rastro/rastro/synth/images"
)

// bigUFDR builds a UFDR with n instant messages in one chat, each shaped like
// the fixture's first message.
func bigUFDR(tb testing.TB, n int) []byte {
	tb.Helper()
	fixture := string(readFixture(tb, "ufdr/report.xml"))
	start := strings.Index(fixture, `<model type="InstantMessage" id="msg-0001"`)
	end := strings.Index(fixture, `<model type="InstantMessage" id="msg-0002"`)
	msg := fixture[start:end]
	var b strings.Builder
	b.WriteString(fixture[:start])
	for i := range n {
		b.WriteString(strings.Replace(msg, `id="msg-0001"`, fmt.Sprintf(`id="msg-%07d"`, i), 1))
	}
	b.WriteString(fixture[end:])
	return buildZip(tb, [2]string{"report.xml", b.String()})
}

// BenchmarkUFDR parses a UFDR of 20,000 messages; MB/s counts report.xml
// (uncompressed).
func BenchmarkUFDR(b *testing.B) {
	archive := bigUFDR(b, 20000)
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(zr.File[0].UncompressedSize64))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		if _, err := ParseUFDR(bytes.NewReader(archive), int64(len(archive)), "x.ufdr", Options{}, func(Item) error { n++; return nil }); err != nil || n < 20000 {
			b.Fatalf("%d items, %v", n, err)
		}
	}
}

// BenchmarkPDF parses a 200-page Flate-compressed PDF.
func BenchmarkPDF(b *testing.B) {
	pages := make([]string, 200)
	for i := range pages {
		pages[i] = strings.Repeat("BT /F1 10 Tf 72 700 Td (Llamar al +1 555-555-0123, pregunta por Ana) Tj 0 -12 Td [(tarifa) -300 (100)] TJ ET\n", 40)
	}
	pdf := buildPDF(b, true, pages...)
	b.SetBytes(int64(len(pdf)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParsePDF(bytes.NewReader(pdf), "x.pdf", Options{}, func(Item) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImage reads the metadata of a 1024x768 generated photo.
func BenchmarkImage(b *testing.B) {
	dir := b.TempDir()
	res, err := images.Generate(images.Params{Dir: dir, Specs: []images.Spec{{Name: "p", Seed: 1, Width: 1024, Height: 768,
		Taken: time.Date(2025, 3, 2, 21, 0, 0, 0, time.UTC), Lat: 9.9, Lon: -84.1, Device: "Samsung|SM-A515F"}}})
	if err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, res.Files[0]))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseImage(bytes.NewReader(data), "p.jpg", Options{}, func(Item) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
