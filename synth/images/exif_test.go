package images

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// This file holds an EXIF reader written from the EXIF 2.3 / TIFF 6.0
// layout, independent of exif.go: it walks JPEG segments, the TIFF header
// and the IFD chain and checks the structure as it goes.

// exifField is one IFD entry as read back.
type exifField struct {
	typ   uint16
	count uint32
	raw   []byte // the value bytes, wherever they were stored
}

// exifData maps IFD name ("0", "exif", "gps", "1") to its fields by tag.
type exifData struct {
	order binary.ByteOrder
	ifds  map[string]map[uint16]exifField
	thumb []byte // the JPEG IFD1 points to, nil without IFD1
}

// findExif returns the TIFF bytes of the first APP1 Exif segment, checking
// that it comes right after SOI, or nil when the file has none.
func findExif(tb testing.TB, jpg []byte) []byte {
	tb.Helper()
	if len(jpg) < 4 || jpg[0] != 0xFF || jpg[1] != 0xD8 {
		tb.Fatalf("not a JPEG: starts % x", jpg[:min(4, len(jpg))])
	}
	for i := 2; i+4 <= len(jpg); {
		if jpg[i] != 0xFF {
			tb.Fatalf("segment at %d does not start with 0xFF", i)
		}
		marker := jpg[i+1]
		if marker == 0xDA || marker == 0xD9 { // start of scan: no more metadata
			return nil
		}
		n := int(binary.BigEndian.Uint16(jpg[i+2:]))
		if i+2+n > len(jpg) {
			tb.Fatalf("segment %x at %d overruns the file", marker, i)
		}
		body := jpg[i+4 : i+2+n]
		if marker == 0xE1 && strings.HasPrefix(string(body), "Exif\x00\x00") {
			if i != 2 {
				tb.Errorf("Exif APP1 at offset %d, want right after SOI", i)
			}
			return body[6:]
		}
		i += 2 + n
	}
	return nil
}

// parseExif walks IFD0 and its Exif and GPS sub-IFDs.
func parseExif(tb testing.TB, tiff []byte) exifData {
	tb.Helper()
	var d exifData
	switch string(tiff[:2]) {
	case "II":
		d.order = binary.LittleEndian
	case "MM":
		d.order = binary.BigEndian
	default:
		tb.Fatalf("bad TIFF byte order %q", tiff[:2])
	}
	if d.order.Uint16(tiff[2:]) != 42 {
		tb.Fatalf("bad TIFF magic %d", d.order.Uint16(tiff[2:]))
	}
	d.ifds = map[string]map[uint16]exifField{}
	var next uint32
	d.ifds["0"], next = readIFD(tb, d.order, tiff, d.order.Uint32(tiff[4:]))
	if next != 0 {
		d.ifds["1"], next = readIFD(tb, d.order, tiff, next)
		if next != 0 {
			tb.Errorf("IFD1 links to a third IFD at %d", next)
		}
		d.thumb = readThumb(tb, d, tiff)
	}
	for name, tag := range map[string]uint16{"exif": 0x8769, "gps": 0x8825} {
		if f, ok := d.ifds["0"][tag]; ok {
			if f.typ != 4 || f.count != 1 {
				tb.Errorf("pointer %#x has type %d count %d, want LONG 1", tag, f.typ, f.count)
			}
			d.ifds[name], _ = readIFD(tb, d.order, tiff, d.order.Uint32(f.raw))
		}
	}
	return d
}

// typeSizes are the byte sizes of TIFF field types 1..10.
var typeSizes = map[uint16]uint32{1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8}

// readIFD reads the IFD at off and returns its fields and the offset of
// the next IFD.
func readIFD(tb testing.TB, bo binary.ByteOrder, tiff []byte, off uint32) (map[uint16]exifField, uint32) {
	tb.Helper()
	if off%2 != 0 || int(off)+2 > len(tiff) {
		tb.Fatalf("IFD offset %d odd or outside the %d-byte TIFF", off, len(tiff))
	}
	n := int(bo.Uint16(tiff[off:]))
	fields := map[uint16]exifField{}
	prev := -1
	for k := range n {
		e := tiff[int(off)+2+12*k:]
		tag, typ, count := bo.Uint16(e), bo.Uint16(e[2:]), bo.Uint32(e[4:])
		if int(tag) <= prev {
			tb.Errorf("IFD at %d: tag %#x after %#x, entries must ascend", off, tag, prev)
		}
		prev = int(tag)
		size, ok := typeSizes[typ]
		if !ok {
			tb.Fatalf("tag %#x: unknown type %d", tag, typ)
		}
		size *= count
		raw := e[8 : 8+min(size, 4)]
		if size > 4 {
			vo := bo.Uint32(e[8:])
			if vo%2 != 0 || int(vo+size) > len(tiff) {
				tb.Fatalf("tag %#x: value offset %d odd or outside the TIFF", tag, vo)
			}
			raw = tiff[vo : vo+size]
		}
		fields[tag] = exifField{typ, count, raw}
	}
	return fields, bo.Uint32(tiff[int(off)+2+12*n:])
}

// readThumb returns the JPEG thumbnail IFD1 describes.
func readThumb(tb testing.TB, d exifData, tiff []byte) []byte {
	tb.Helper()
	f1 := d.ifds["1"]
	if c := f1[0x0103]; c.typ != 3 || d.order.Uint16(c.raw) != 6 {
		tb.Fatalf("IFD1 Compression is not SHORT 6 (JPEG)")
	}
	off, n := f1[0x0201], f1[0x0202]
	if off.typ != 4 || n.typ != 4 {
		tb.Fatalf("IFD1 thumbnail offset/length types %d/%d, want LONG", off.typ, n.typ)
	}
	o, l := d.order.Uint32(off.raw), d.order.Uint32(n.raw)
	if int(o+l) > len(tiff) {
		tb.Fatalf("thumbnail %d+%d outside the %d-byte TIFF", o, l, len(tiff))
	}
	return tiff[o : o+l]
}

// ascii returns an ASCII field without its NUL, checking the count.
func (d exifData) ascii(tb testing.TB, ifd string, tag uint16) string {
	tb.Helper()
	f, ok := d.ifds[ifd][tag]
	if !ok {
		tb.Fatalf("IFD %s has no tag %#x", ifd, tag)
	}
	if f.typ != 2 || len(f.raw) == 0 || f.raw[len(f.raw)-1] != 0 || int(f.count) != len(f.raw) {
		tb.Fatalf("tag %#x: not a NUL-terminated ASCII of the declared count", tag)
	}
	return string(f.raw[:len(f.raw)-1])
}

// degrees reads a GPS coordinate (three RATIONALs) and its reference.
func (d exifData) degrees(tb testing.TB, tag, refTag uint16, neg string) float64 {
	tb.Helper()
	f := d.ifds["gps"][tag]
	if f.typ != 5 || f.count != 3 {
		tb.Fatalf("GPS tag %#x: type %d count %d, want RATIONAL 3", tag, f.typ, f.count)
	}
	v := 0.0
	for i, scale := range []float64{1, 60, 3600} {
		num, den := d.order.Uint32(f.raw[8*i:]), d.order.Uint32(f.raw[8*i+4:])
		if den == 0 {
			tb.Fatalf("GPS tag %#x: zero denominator", tag)
		}
		v += float64(num) / float64(den) / scale
	}
	if d.ascii(tb, "gps", refTag) == neg {
		v = -v
	}
	return v
}

func TestExifReadBack(t *testing.T) {
	taken := time.Date(2025, 3, 2, 23, 59, 58, 0, time.FixedZone("CST", -6*3600))
	tests := []struct {
		name         string
		lat, lon     float64
		device       string
		make_, model string
	}{
		{"guatemala city", 14.634915, -90.506882, "Samsung|SM-A515F", "Samsung", "SM-A515F"},
		{"south east", -33.868820, 151.209296, "Apple|iPhone 12", "Apple", "iPhone 12"},
		{"tiny values", 0.000004, -0.000009, "Xiaomi|Redmi Note 9", "Xiaomi", "Redmi Note 9"},
		{"extremes", -89.999999, 179.999999, "motorola|moto g(8)", "motorola", "moto g(8)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Spec{Name: "x", Seed: 1, Width: 320, Height: 240, Taken: taken, Lat: tt.lat, Lon: tt.lon, Device: tt.device}
			data, _ := generateBytes(t, s)
			d := parseExif(t, findExif(t, data[VariantOriginal]))
			if got := d.ascii(t, "0", 0x010F); got != tt.make_ {
				t.Errorf("Make = %q, want %q", got, tt.make_)
			}
			if got := d.ascii(t, "0", 0x0110); got != tt.model {
				t.Errorf("Model = %q, want %q", got, tt.model)
			}
			if got := d.ascii(t, "exif", 0x9003); got != "2025:03:02 23:59:58" {
				t.Errorf("DateTimeOriginal = %q, want the device's local time", got)
			}
			if got := d.ascii(t, "gps", 0x001D); got != "2025:03:03" {
				t.Errorf("GPSDateStamp = %q, want the UTC date 2025:03:03", got)
			}
			if th := decode(t, d.thumb).Bounds(); th.Dx() != 160 || th.Dy() != 120 {
				t.Errorf("thumbnail %dx%d, want 160x120 for a 4:3 picture", th.Dx(), th.Dy())
			}
			lat, lon := d.degrees(t, 0x0002, 0x0001, "S"), d.degrees(t, 0x0004, 0x0003, "W")
			if math.Abs(lat-tt.lat) > 1e-5 || math.Abs(lon-tt.lon) > 1e-5 {
				t.Errorf("GPS = %.7f,%.7f, want %.7f,%.7f", lat, lon, tt.lat, tt.lon)
			}
		})
	}
}

func TestExifOptionalParts(t *testing.T) {
	data, _ := generateBytes(t, Spec{Name: "bare", Seed: 2, Width: 40, Height: 30})
	d := parseExif(t, findExif(t, data[VariantOriginal]))
	for _, tag := range []uint16{0x010F, 0x0110, 0x0132, 0x8825} {
		if _, ok := d.ifds["0"][tag]; ok {
			t.Errorf("IFD0 has tag %#x although the spec gave no device, time or GPS", tag)
		}
	}
	if _, ok := d.ifds["exif"][0x9003]; ok {
		t.Error("DateTimeOriginal written for a zero Taken")
	}
	if got := pixelDims(t, d); got != "40x30" {
		t.Errorf("PixelX/YDimension = %s, want 40x30", got)
	}
}

// pixelDims reads PixelXDimension × PixelYDimension from the Exif IFD.
func pixelDims(tb testing.TB, d exifData) string {
	tb.Helper()
	x, y := d.ifds["exif"][0xA002], d.ifds["exif"][0xA003]
	if x.typ != 4 || y.typ != 4 {
		tb.Fatalf("PixelX/YDimension types %d/%d, want LONG", x.typ, y.typ)
	}
	return fmt.Sprintf("%dx%d", d.order.Uint32(x.raw), d.order.Uint32(y.raw))
}
