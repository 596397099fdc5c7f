package images

import (
	"encoding/binary"
	"math"
	"time"
)

// TIFF field types used in the EXIF segment (EXIF 2.3, section 4.6.2).
const (
	typeByte      = 1
	typeASCII     = 2
	typeShort     = 3
	typeLong      = 4
	typeRational  = 5
	typeUndefined = 7
)

// Tags written by exifSegment. IFD entries must be sorted by tag.
const (
	tagCompression      = 0x0103
	tagMake             = 0x010F
	tagModel            = 0x0110
	tagOrientation      = 0x0112
	tagXResolution      = 0x011A
	tagYResolution      = 0x011B
	tagResolutionUnit   = 0x0128
	tagDateTime         = 0x0132
	tagJPEGInterchange  = 0x0201
	tagJPEGLength       = 0x0202
	tagYCbCrPositioning = 0x0213
	tagExifIFD          = 0x8769
	tagGPSIFD           = 0x8825

	tagExifVersion       = 0x9000
	tagDateTimeOriginal  = 0x9003
	tagDateTimeDigitized = 0x9004
	tagComponentsConfig  = 0x9101
	tagFlashpixVersion   = 0xA000
	tagColorSpace        = 0xA001
	tagPixelXDimension   = 0xA002
	tagPixelYDimension   = 0xA003

	tagGPSVersionID    = 0x0000
	tagGPSLatitudeRef  = 0x0001
	tagGPSLatitude     = 0x0002
	tagGPSLongitudeRef = 0x0003
	tagGPSLongitude    = 0x0004
	tagGPSTimeStamp    = 0x0007
	tagGPSDateStamp    = 0x001D
)

// exifTimeLayout is the EXIF date-time format "YYYY:MM:DD HH:MM:SS".
const exifTimeLayout = "2006:01:02 15:04:05"

// gpsSecondsDenominator fixes the precision of GPS seconds: 1/10000 of an
// arc-second is about 3 mm, far below the 1e-5 degree the truth promises.
const gpsSecondsDenominator = 10000

// le is the byte order of every segment written here ("II", as Android
// phones write it).
var le = binary.LittleEndian

// meta is the metadata one JPEG file carries in its EXIF segment.
type meta struct {
	Make, Model   string
	Taken         time.Time // zero: no date tags
	HasGPS        bool
	Lat, Lon      float64
	Width, Height int
	Thumb         []byte // JPEG thumbnail for IFD1; nil: none
}

// entry is one 12-byte IFD entry before layout: its value bytes are placed
// inline when they fit in 4 bytes, otherwise in the IFD's data area.
type entry struct {
	tag   uint16
	typ   uint16
	count uint32
	value []byte
}

// ifd is one image file directory; pointers to sub-IFDs are patched in
// once every IFD's offset is known.
type ifd struct {
	entries []entry
	next    uint32 // offset of the next IFD, 0 for none
}

// size is the number of bytes the IFD occupies, data area included.
func (d *ifd) size() int {
	n := 2 + 12*len(d.entries) + 4
	for _, e := range d.entries {
		if len(e.value) > 4 {
			n += len(e.value) + len(e.value)%2 // values start on a word boundary
		}
	}
	return n
}

// appendTo serialises the IFD, which starts at offset off from the TIFF
// header, followed by its data area.
func (d *ifd) appendTo(b []byte, off int) []byte {
	b = le.AppendUint16(b, uint16(len(d.entries)))
	data := off + 2 + 12*len(d.entries) + 4
	for _, e := range d.entries {
		b = le.AppendUint16(b, e.tag)
		b = le.AppendUint16(b, e.typ)
		b = le.AppendUint32(b, e.count)
		if len(e.value) <= 4 {
			var v [4]byte
			copy(v[:], e.value)
			b = append(b, v[:]...)
			continue
		}
		b = le.AppendUint32(b, uint32(data))
		data += len(e.value) + len(e.value)%2
	}
	b = le.AppendUint32(b, d.next)
	for _, e := range d.entries {
		if len(e.value) > 4 {
			b = append(b, e.value...)
			if len(e.value)%2 == 1 {
				b = append(b, 0)
			}
		}
	}
	return b
}

func asciiEntry(tag uint16, s string) entry {
	v := append([]byte(s), 0)
	return entry{tag, typeASCII, uint32(len(v)), v}
}

func shortEntry(tag uint16, v uint16) entry {
	return entry{tag, typeShort, 1, le.AppendUint16(nil, v)}
}

func longEntry(tag uint16, v uint32) entry {
	return entry{tag, typeLong, 1, le.AppendUint32(nil, v)}
}

func undefinedEntry(tag uint16, v []byte) entry {
	return entry{tag, typeUndefined, uint32(len(v)), v}
}

// rationalEntry holds count unsigned rationals given as num, den pairs.
func rationalEntry(tag uint16, pairs ...uint32) entry {
	var v []byte
	for _, p := range pairs {
		v = le.AppendUint32(v, p)
	}
	return entry{tag, typeRational, uint32(len(pairs) / 2), v}
}

// dms splits an absolute angle in degrees into the three GPS rationals
// degrees/1, minutes/1, seconds/gpsSecondsDenominator.
func dms(deg float64) []uint32 {
	deg = math.Abs(deg)
	total := uint64(math.Round(deg * 3600 * gpsSecondsDenominator))
	secs := total % (60 * gpsSecondsDenominator)
	mins := total / (60 * gpsSecondsDenominator)
	return []uint32{uint32(mins / 60), 1, uint32(mins % 60), 1, uint32(secs), gpsSecondsDenominator}
}

// maxSegment is the largest APP1 payload a JPEG length field can hold.
const maxSegment = 0xFFFF - 2

// exifSegment returns a complete APP1 segment (marker, length, "Exif\0\0",
// TIFF structure) describing m. Offsets inside are relative to the TIFF
// header, as EXIF 2.3 requires. The layout is IFD0, Exif IFD, GPS IFD,
// then IFD1 and the thumbnail it points to, each IFD followed by its data.
func exifSegment(m meta) []byte {
	if len(m.Thumb) > maxSegment-1024 {
		m.Thumb = nil // a segment cannot hold it; phones then omit it too
	}
	ifd0, exifIFD, gpsIFD := buildIFDs(m)
	off0 := 8
	offExif := off0 + ifd0.size()
	offGPS := offExif + exifIFD.size()
	offIFD1 := offGPS
	patchLong(ifd0, tagExifIFD, uint32(offExif))
	if gpsIFD != nil {
		patchLong(ifd0, tagGPSIFD, uint32(offGPS))
		offIFD1 += gpsIFD.size()
	}
	var ifd1 *ifd
	if m.Thumb != nil {
		ifd1 = thumbDirectory()
		ifd0.next = uint32(offIFD1)
		patchLong(ifd1, tagJPEGInterchange, uint32(offIFD1+ifd1.size()))
		patchLong(ifd1, tagJPEGLength, uint32(len(m.Thumb)))
	}
	tiff := []byte{'I', 'I', 0x2A, 0x00}
	tiff = le.AppendUint32(tiff, uint32(off0))
	tiff = ifd0.appendTo(tiff, off0)
	tiff = exifIFD.appendTo(tiff, offExif)
	if gpsIFD != nil {
		tiff = gpsIFD.appendTo(tiff, offGPS)
	}
	if ifd1 != nil {
		tiff = ifd1.appendTo(tiff, offIFD1)
		tiff = append(tiff, m.Thumb...)
	}
	seg := make([]byte, 0, 10+len(tiff))
	seg = append(seg, 0xFF, 0xE1)
	seg = binary.BigEndian.AppendUint16(seg, uint16(2+6+len(tiff))) // JPEG lengths are big-endian
	seg = append(seg, "Exif\x00\x00"...)
	return append(seg, tiff...)
}

// thumbDirectory is IFD1 describing a JPEG thumbnail; its offset and
// length are patched in by the caller.
func thumbDirectory() *ifd {
	return &ifd{entries: []entry{
		shortEntry(tagCompression, 6), // JPEG
		rationalEntry(tagXResolution, 72, 1),
		rationalEntry(tagYResolution, 72, 1),
		shortEntry(tagResolutionUnit, 2),
		longEntry(tagJPEGInterchange, 0),
		longEntry(tagJPEGLength, 0),
	}}
}

// buildIFDs returns IFD0, the Exif IFD and the GPS IFD (nil without GPS);
// the sub-IFD pointers in IFD0 are placeholders.
func buildIFDs(m meta) (*ifd, *ifd, *ifd) {
	ifd0 := &ifd{}
	if m.Make != "" {
		ifd0.entries = append(ifd0.entries, asciiEntry(tagMake, m.Make))
	}
	if m.Model != "" {
		ifd0.entries = append(ifd0.entries, asciiEntry(tagModel, m.Model))
	}
	ifd0.entries = append(ifd0.entries,
		shortEntry(tagOrientation, 1),
		rationalEntry(tagXResolution, 72, 1),
		rationalEntry(tagYResolution, 72, 1),
		shortEntry(tagResolutionUnit, 2))
	if !m.Taken.IsZero() {
		ifd0.entries = append(ifd0.entries, asciiEntry(tagDateTime, m.Taken.Format(exifTimeLayout)))
	}
	ifd0.entries = append(ifd0.entries, shortEntry(tagYCbCrPositioning, 1), longEntry(tagExifIFD, 0))
	exifIFD := &ifd{entries: []entry{undefinedEntry(tagExifVersion, []byte("0230"))}}
	if !m.Taken.IsZero() {
		ts := m.Taken.Format(exifTimeLayout)
		exifIFD.entries = append(exifIFD.entries, asciiEntry(tagDateTimeOriginal, ts), asciiEntry(tagDateTimeDigitized, ts))
	}
	exifIFD.entries = append(exifIFD.entries,
		undefinedEntry(tagComponentsConfig, []byte{1, 2, 3, 0}),
		undefinedEntry(tagFlashpixVersion, []byte("0100")),
		shortEntry(tagColorSpace, 1),
		longEntry(tagPixelXDimension, uint32(m.Width)),
		longEntry(tagPixelYDimension, uint32(m.Height)))
	if !m.HasGPS {
		return ifd0, exifIFD, nil
	}
	ifd0.entries = append(ifd0.entries, longEntry(tagGPSIFD, 0))
	return ifd0, exifIFD, gpsDirectory(m)
}

// gpsDirectory builds the GPS IFD; GPS time stamps are UTC by definition.
func gpsDirectory(m meta) *ifd {
	latRef, lonRef := "N", "E"
	if m.Lat < 0 {
		latRef = "S"
	}
	if m.Lon < 0 {
		lonRef = "W"
	}
	d := &ifd{entries: []entry{
		{tagGPSVersionID, typeByte, 4, []byte{2, 3, 0, 0}},
		asciiEntry(tagGPSLatitudeRef, latRef),
		rationalEntry(tagGPSLatitude, dms(m.Lat)...),
		asciiEntry(tagGPSLongitudeRef, lonRef),
		rationalEntry(tagGPSLongitude, dms(m.Lon)...),
	}}
	if m.Taken.IsZero() {
		return d
	}
	u := m.Taken.UTC()
	d.entries = append(d.entries,
		rationalEntry(tagGPSTimeStamp, uint32(u.Hour()), 1, uint32(u.Minute()), 1, uint32(u.Second()), 1),
		asciiEntry(tagGPSDateStamp, u.Format("2006:01:02")))
	return d
}

// patchLong sets the value of the LONG entry tag in d.
func patchLong(d *ifd, tag uint16, v uint32) {
	for i := range d.entries {
		if d.entries[i].tag == tag {
			d.entries[i].value = le.AppendUint32(nil, v)
		}
	}
}
