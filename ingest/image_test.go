package ingest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rastro/rastro/synth/images"
)

// parseImageFile parses one picture file and returns its item.
func parseImageFile(tb testing.TB, file string) (Item, *Report) {
	tb.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	if f := Detect(file, data[:min(len(data), 8192)]); f != FormatImage {
		tb.Fatalf("Detect(%s) = %q, want image", file, f)
	}
	items, rep := collect(tb, func(fn Func) (*Report, error) {
		return Parse(bytes.NewReader(data), filepath.Base(file), FormatImage, Options{}, fn)
	})
	if len(items) != 1 {
		tb.Fatalf("%s: %d items, want 1", file, len(items))
	}
	return items[0], rep
}

// TestImageSynth compares the metadata read from the generator's pictures
// with its truth: device, time (the generator writes EXIF 2.3, no offset
// tag, so the offset comes from the GPS time stamp) and GPS.
func TestImageSynth(t *testing.T) {
	dir := t.TempDir()
	cr := time.FixedZone("CST", -6*3600)
	ist := time.FixedZone("IST", 5*3600+30*60)
	res, err := images.Generate(images.Params{Dir: dir, Specs: []images.Spec{
		{Name: "IMG-20250302-WA0001", Seed: 1, Width: 96, Height: 64, Taken: time.Date(2025, 3, 2, 21, 17, 30, 0, cr),
			Lat: 9.9281234, Lon: -84.0907654, Device: "Samsung|SM-A515F", Variants: true},
		{Name: "IMG_0002", Seed: 2, Width: 64, Height: 80, Taken: time.Date(2024, 12, 31, 23, 59, 59, 0, ist),
			Lat: -33.8688, Lon: 151.2093, Device: "Apple|iPhone 12"},
		{Name: "plain", Seed: 3, Width: 32, Height: 32},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, truth := range res.Images {
		t.Run(truth.File, func(t *testing.T) {
			it, rep := parseImageFile(t, filepath.Join(dir, truth.File))
			f := it.Fields
			mk, model, _ := strings.Cut(truth.Device, "|")
			if f["make"] != mk || f["model"] != model {
				t.Errorf("device %q %q, want %q", f["make"], f["model"], truth.Device)
			}
			if f["width"] != strconv.Itoa(truth.Width) || f["height"] != strconv.Itoa(truth.Height) {
				t.Errorf("size %sx%s, want %dx%d", f["width"], f["height"], truth.Width, truth.Height)
			}
			if !it.Time.Equal(truth.Taken) || (!truth.Taken.IsZero() && f["taken"] != truth.Taken.Format(time.RFC3339)) {
				t.Errorf("taken %v (%s), want %v", it.Time, f["taken"], truth.Taken)
			}
			checkCoord(t, "lat", f["lat"], truth.Lat)
			checkCoord(t, "lon", f["lon"], truth.Lon)
			if len(rep.Problems) > 0 || rep.ZoneAssumed {
				t.Errorf("problems %v, zone assumed %v", rep.Problems, rep.ZoneAssumed)
			}
		})
	}
}

// checkCoord compares a coordinate field with the truth within 1e-5 degrees.
func checkCoord(t *testing.T, name, got string, want float64) {
	t.Helper()
	if want == 0 {
		if got != "" {
			t.Errorf("%s %q, want none", name, got)
		}
		return
	}
	v, err := strconv.ParseFloat(got, 64)
	if err != nil || math.Abs(v-want) > 1e-5 {
		t.Errorf("%s %q, want %v", name, got, want)
	}
}

func TestImageOffsetTag(t *testing.T) {
	// Big-endian TIFF with DateTimeOriginal and OffsetTimeOriginal (EXIF 2.31).
	tiff := bigEndianEXIF("2025:06:01 10:00:00", "+02:00")
	jpg := append([]byte{0xFF, 0xD8, 0xFF, 0xE1, byte((len(tiff) + 8) >> 8), byte(len(tiff) + 8)}, "Exif\x00\x00"...)
	jpg = append(append(jpg, tiff...), 0xFF, 0xD9)
	items, rep := collect(t, func(fn Func) (*Report, error) { return ParseImage(bytes.NewReader(jpg), "x.jpg", Options{}, fn) })
	it := items[0]
	if !it.Time.Equal(time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)) || it.Fields["taken"] != "2025-06-01T10:00:00+02:00" || it.Fields["taken_zone"] != "exif" {
		t.Errorf("taken %v %v", it.Time, it.Fields)
	}
	if it.Fields["exif_bytes"] != "12-"+strconv.Itoa(12+len(tiff)) {
		t.Errorf("exif_bytes %q", it.Fields["exif_bytes"])
	}
	if len(rep.Problems) != 1 { // no frame header: no dimensions
		t.Errorf("problems %v", rep.Problems)
	}
}

// bigEndianEXIF builds a TIFF block: IFD0 with an Exif pointer, and an Exif
// IFD with DateTimeOriginal and OffsetTimeOriginal.
func bigEndianEXIF(dto, offset string) []byte {
	b := []byte("MM\x00*\x00\x00\x00\x08")
	be := func(v ...uint32) {
		for _, x := range v {
			b = append(b, byte(x>>24), byte(x>>16), byte(x>>8), byte(x))
		}
	}
	entry := func(tag, typ uint16, count, val uint32) {
		b = append(b, byte(tag>>8), byte(tag), byte(typ>>8), byte(typ))
		be(count, val)
	}
	b = append(b, 0, 1) // IFD0 at 8: one entry, 2+12+4 = 18 bytes
	entry(tagExifPointer, 4, 1, 26)
	be(0)
	b = append(b, 0, 2) // Exif IFD at 26: two entries, 2+24+4 = 30 bytes; data at 56
	entry(tagDTOriginal, 2, 20, 56)
	entry(tagOffsetOrig, 2, 7, 76)
	be(0)
	b = append(b, dto+"\x00"...)
	return append(b, offset+"\x00"...)
}

func TestImagePNGAndPDQSamples(t *testing.T) {
	var buf bytes.Buffer
	img := image.NewGray(image.Rect(0, 0, 7, 5))
	img.Set(1, 1, color.White)
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	items, _ := collect(t, func(fn Func) (*Report, error) { return ParseImage(&buf, "x.png", Options{}, fn) })
	if f := items[0].Fields; f["format"] != "png" || f["width"] != "7" || f["height"] != "5" {
		t.Errorf("png fields %v", f)
	}
	dir := sharedData(t, filepath.Join("pdq", "images"))
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	n := 0
	for _, file := range files {
		if ext := strings.ToLower(filepath.Ext(file)); ext != ".jpg" && ext != ".jpeg" && ext != ".png" {
			continue
		}
		it, _ := parseImageFile(t, file)
		if it.Fields["width"] == "" || it.Fields["height"] == "" {
			t.Errorf("%s: no dimensions: %v", file, it.Fields)
		}
		n++
	}
	if n == 0 {
		t.Errorf("no pictures in %s", dir)
	}
}

func FuzzImage(f *testing.F) {
	f.Add(append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0, 60}, append([]byte("Exif\x00\x00"), bigEndianEXIF("2025:06:01 10:00:00", "+02:00")...)...))
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x04eXIfII*\x00"))
	f.Add([]byte("GIF89a\x01\x00\x01\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := ParseImage(bytes.NewReader(data), "x", Options{}, func(it Item) error {
			if it.Kind != KindImage || it.Locator != "image" {
				t.Fatalf("item %+v", it)
			}
			return nil
		})
		if err != nil && Detect("x", data) == FormatImage {
			t.Fatalf("err %v on a file Detect calls an image", err)
		}
	})
}
