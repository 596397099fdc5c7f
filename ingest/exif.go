package ingest

import (
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"time"
)

// exifInfo is what the image item keeps of an EXIF block.
type exifInfo struct {
	Make, Model      string
	DateTime         string // IFD0 DateTime (last change), "2006:01:02 15:04:05"
	Original         string // DateTimeOriginal, local wall clock
	Offset           string // OffsetTimeOriginal (EXIF 2.31), "+01:00"
	HasGPS           bool
	Lat, Lon         float64
	GPSDate, GPSTime string // GPSDateStamp "2006:01:02" and "15:04:05" (UTC)
	PixelW, PixelH   int    // PixelXDimension / PixelYDimension
	hasLat, hasLon   bool
	latRef, lonRef   string
	latDMS, lonDMS   [3]float64
	gpsHMS           [3]float64
	hasGPSTimeOfDay  bool
}

// EXIF tags read.
const (
	tagMake          = 0x010F
	tagModel         = 0x0110
	tagDateTime      = 0x0132
	tagExifPointer   = 0x8769
	tagGPSPointer    = 0x8825
	tagDTOriginal    = 0x9003
	tagOffsetTime    = 0x9010
	tagOffsetOrig    = 0x9011
	tagPixelX        = 0xA002
	tagPixelY        = 0xA003
	tagGPSLatRef     = 1
	tagGPSLat        = 2
	tagGPSLonRef     = 3
	tagGPSLon        = 4
	tagGPSTimeStamp  = 7
	tagGPSDateStamp  = 0x1D
	maxIFDEntries    = 512 // more is a broken or hostile block
	exifTimeLayout   = "2006:01:02 15:04:05"
	exifFieldMaxSize = 256 // longest ASCII value kept
)

// errNotTIFF is a block that does not start with a TIFF header.
var errNotTIFF = errors.New("exif: no TIFF header")

// tiffReader reads IFDs of one TIFF block with bounds checks everywhere.
type tiffReader struct {
	b  []byte
	bo binary.ByteOrder
}

// parseEXIF reads a TIFF block (the payload of a JPEG APP1 "Exif\0\0"
// segment after those six bytes, or a PNG eXIf chunk). It follows only
// IFD0's Exif and GPS pointers, once each, so a pointer loop cannot hang it.
func parseEXIF(b []byte) (exifInfo, error) {
	var x exifInfo
	if len(b) < 8 {
		return x, errNotTIFF
	}
	tr := tiffReader{b: b}
	switch string(b[:4]) {
	case "II*\x00":
		tr.bo = binary.LittleEndian
	case "MM\x00*":
		tr.bo = binary.BigEndian
	default:
		return x, errNotTIFF
	}
	var exifOff, gpsOff uint32
	tr.walk(tr.bo.Uint32(b[4:]), func(tag, typ uint16, count, val uint32, raw []byte) {
		switch tag {
		case tagMake:
			x.Make = tr.ascii(typ, count, raw)
		case tagModel:
			x.Model = tr.ascii(typ, count, raw)
		case tagDateTime:
			x.DateTime = tr.ascii(typ, count, raw)
		case tagExifPointer:
			exifOff = val
		case tagGPSPointer:
			gpsOff = val
		}
	})
	if exifOff != 0 {
		tr.walk(exifOff, func(tag, typ uint16, count, val uint32, raw []byte) {
			switch tag {
			case tagDTOriginal:
				x.Original = tr.ascii(typ, count, raw)
			case tagOffsetOrig:
				x.Offset = tr.ascii(typ, count, raw)
			case tagOffsetTime:
				if x.Offset == "" {
					x.Offset = tr.ascii(typ, count, raw)
				}
			case tagPixelX:
				x.PixelW = int(tr.uint(typ, val))
			case tagPixelY:
				x.PixelH = int(tr.uint(typ, val))
			}
		})
	}
	if gpsOff != 0 {
		tr.walk(gpsOff, x.gpsTag(&tr))
		x.finishGPS()
	}
	return x, nil
}

// gpsTag returns the visitor of GPS IFD entries.
func (x *exifInfo) gpsTag(tr *tiffReader) func(tag, typ uint16, count, val uint32, raw []byte) {
	return func(tag, typ uint16, count, val uint32, raw []byte) {
		switch tag {
		case tagGPSLatRef:
			x.latRef = tr.ascii(typ, count, raw)
		case tagGPSLonRef:
			x.lonRef = tr.ascii(typ, count, raw)
		case tagGPSLat:
			x.hasLat = tr.rationals(typ, count, raw, &x.latDMS)
		case tagGPSLon:
			x.hasLon = tr.rationals(typ, count, raw, &x.lonDMS)
		case tagGPSTimeStamp:
			x.hasGPSTimeOfDay = tr.rationals(typ, count, raw, &x.gpsHMS)
		case tagGPSDateStamp:
			x.GPSDate = tr.ascii(typ, count, raw)
		}
	}
}

// finishGPS turns degrees/minutes/seconds and references into signed
// decimal degrees; out-of-range values are dropped.
func (x *exifInfo) finishGPS() {
	if x.hasLat && x.hasLon {
		lat := x.latDMS[0] + x.latDMS[1]/60 + x.latDMS[2]/3600
		lon := x.lonDMS[0] + x.lonDMS[1]/60 + x.lonDMS[2]/3600
		if strings.EqualFold(x.latRef, "S") {
			lat = -lat
		}
		if strings.EqualFold(x.lonRef, "W") {
			lon = -lon
		}
		if lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 {
			x.HasGPS, x.Lat, x.Lon = true, lat, lon
		}
	}
	h, m, s := x.gpsHMS[0], x.gpsHMS[1], x.gpsHMS[2]
	if x.hasGPSTimeOfDay && h >= 0 && h < 24 && m >= 0 && m < 60 && s >= 0 && s < 61 {
		sec := int(math.Floor(s))
		x.GPSTime = time.Date(0, 1, 1, int(h), int(m), sec, 0, time.UTC).Format("15:04:05")
	}
}

// walk calls visit for each entry of the IFD at off. raw is the value's
// bytes (inline or at its offset), nil when out of bounds.
func (tr *tiffReader) walk(off uint32, visit func(tag, typ uint16, count, val uint32, raw []byte)) {
	b := tr.b
	if uint64(off)+2 > uint64(len(b)) {
		return
	}
	n := int(tr.bo.Uint16(b[off:]))
	if n > maxIFDEntries {
		n = maxIFDEntries
	}
	for i := range n {
		e := uint64(off) + 2 + uint64(i)*12
		if e+12 > uint64(len(b)) {
			return
		}
		tag, typ := tr.bo.Uint16(b[e:]), tr.bo.Uint16(b[e+2:])
		count, val := tr.bo.Uint32(b[e+4:]), tr.bo.Uint32(b[e+8:])
		visit(tag, typ, count, val, tr.value(typ, count, b[e+8:e+12], val))
	}
}

// typeSizes are the byte sizes of TIFF field types 1..12.
var typeSizes = [...]uint64{0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8}

// value returns the bytes of an entry's value.
func (tr *tiffReader) value(typ uint16, count uint32, inline []byte, off uint32) []byte {
	if typ == 0 || int(typ) >= len(typeSizes) {
		return nil
	}
	size := typeSizes[typ] * uint64(count)
	if size <= 4 {
		return inline[:size]
	}
	if uint64(off)+size > uint64(len(tr.b)) {
		return nil
	}
	return tr.b[off : uint64(off)+size]
}

// ascii reads an ASCII value up to its first NUL, trimmed and capped.
func (tr *tiffReader) ascii(typ uint16, _ uint32, raw []byte) string {
	if typ != 2 && typ != 7 {
		return ""
	}
	if i := strings.IndexByte(string(raw), 0); i >= 0 {
		raw = raw[:i]
	}
	s := strings.TrimSpace(strings.ToValidUTF8(string(raw), ""))
	return cutRunes(s, exifFieldMaxSize)
}

// uint reads a SHORT or LONG value.
func (tr *tiffReader) uint(typ uint16, val uint32) uint32 {
	switch typ {
	case 3:
		if tr.bo == binary.BigEndian {
			return val >> 16
		}
		return val & 0xFFFF
	case 4:
		return val
	}
	return 0
}

// rationals reads three RATIONALs (degrees, minutes, seconds or hours,
// minutes, seconds) into out; a zero denominator fails.
func (tr *tiffReader) rationals(typ uint16, count uint32, raw []byte, out *[3]float64) bool {
	if typ != 5 || count != 3 || len(raw) != 24 {
		return false
	}
	for i := range 3 {
		num, den := tr.bo.Uint32(raw[i*8:]), tr.bo.Uint32(raw[i*8+4:])
		if den == 0 {
			return false
		}
		out[i] = float64(num) / float64(den)
	}
	return true
}
