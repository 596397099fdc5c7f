package ingest

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"strconv"
	"time"
)

// KindImage is the item kind of a picture's metadata.
const KindImage = "image"

// maxImageHeader bounds the bytes kept of a JPEG's segments before its
// frame header (EXIF, ICC profiles, ...); metadata past it is not read.
const maxImageHeader = 8 << 20

// maxPNGExif bounds a PNG eXIf chunk.
const maxPNGExif = 1 << 20

// ParseImage reads a JPEG, PNG or GIF picture's metadata and emits one item
// of kind "image", located by "image". The picture itself is never decoded:
// only its header (image.DecodeConfig of the format's package) and its EXIF
// block (JPEG APP1, PNG eXIf) are read. Fields: format, width, height and,
// when the file carries them, make, model, taken (RFC 3339 with the offset
// when known), taken_zone (how the offset was found: "exif" from
// OffsetTimeOriginal, "gps" from the GPS UTC time stamp, "assumed" from
// Options.Zone or UTC), lat, lon (decimal degrees, WGS 84) and exif_bytes
// (the EXIF block's byte range in the file). Item.Time is the taken time in
// UTC. The text repeats device, time and coordinates so that selector
// extraction sees them.
func ParseImage(r io.Reader, name string, opt Options, fn Func) (*Report, error) {
	rep := &Report{Format: FormatImage}
	br := bufio.NewReader(r)
	magic, _ := br.Peek(8)
	it := Item{Kind: KindImage, Locator: "image", Fields: map[string]string{}}
	var cfg image.Config
	var exif []byte
	var exifAt int64
	var err error
	switch {
	case bytes.HasPrefix(magic, []byte("\xff\xd8")):
		it.Fields["format"] = "jpeg"
		cfg, exif, exifAt, err = jpegMeta(br)
	case bytes.HasPrefix(magic, []byte("\x89PNG\r\n\x1a\n")):
		it.Fields["format"] = "png"
		cfg, exif, exifAt, err = pngMeta(br)
	case bytes.HasPrefix(magic, []byte("GIF8")):
		it.Fields["format"] = "gif"
		cfg, err = gif.DecodeConfig(br)
	default:
		return nil, fmt.Errorf("ingest image: %s is not a JPEG, PNG or GIF", name)
	}
	if err != nil {
		rep.problem("image", "header: %v", err)
	}
	if cfg.Width > 0 && cfg.Height > 0 {
		it.Fields["width"], it.Fields["height"] = strconv.Itoa(cfg.Width), strconv.Itoa(cfg.Height)
	}
	if exif != nil {
		x, err := parseEXIF(exif)
		if err != nil {
			rep.problem("image", "%v", err)
		} else {
			it.Fields["exif_bytes"] = fmt.Sprintf("%d-%d", exifAt, exifAt+int64(len(exif)))
			applyEXIF(&it, x, opt, rep)
		}
	}
	it.Text = imageText(&it)
	rep.Items++
	return rep, fn(it)
}

// applyEXIF copies device, time and place into the item.
func applyEXIF(it *Item, x exifInfo, opt Options, rep *Report) {
	setNonEmpty(it.Fields, "make", x.Make)
	setNonEmpty(it.Fields, "model", x.Model)
	if x.HasGPS {
		it.Fields["lat"] = strconv.FormatFloat(x.Lat, 'f', 7, 64)
		it.Fields["lon"] = strconv.FormatFloat(x.Lon, 'f', 7, 64)
	}
	if x.Original == "" || x.Original == "0000:00:00 00:00:00" { // cameras without a set clock write zeros
		return
	}
	taken, how, err := exifTaken(x, opt.Zone)
	if err != nil {
		rep.problem("image", "DateTimeOriginal %q: %v", x.Original, err)
		return
	}
	if how == "assumed" && opt.Zone == nil {
		rep.ZoneAssumed = true
	}
	it.Time = taken.UTC()
	it.Fields["taken"] = taken.Format(time.RFC3339)
	it.Fields["taken_zone"] = how
}

// exifTaken reads DateTimeOriginal with the best offset the block gives:
// OffsetTimeOriginal, else the difference to the GPS UTC time stamp (EXIF
// 2.3 cameras, which write no offset, still write GPS time), else zone.
func exifTaken(x exifInfo, zone *time.Location) (time.Time, string, error) {
	wall, err := time.Parse(exifTimeLayout, x.Original)
	if err != nil {
		return time.Time{}, "", err
	}
	if x.Offset != "" {
		if t, err := time.Parse(exifTimeLayout+"Z07:00", x.Original+x.Offset); err == nil {
			return t, "exif", nil
		}
	}
	if gps, err := time.Parse("2006:01:02 15:04:05", x.GPSDate+" "+x.GPSTime); err == nil {
		// GPS time is when the fix was taken, seconds or minutes off the
		// shutter: round the difference to the quarter hour zones use.
		diff := wall.Sub(gps).Round(15 * time.Minute)
		if diff.Abs() <= 14*time.Hour {
			return time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), 0,
				time.FixedZone("", int(diff.Seconds()))), "gps", nil
		}
	}
	if zone == nil {
		zone = time.UTC
	}
	return time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), 0, zone), "assumed", nil
}

// imageText summarises the metadata in one line.
func imageText(it *Item) string {
	var b []byte
	add := func(s string) {
		if s == "" {
			return
		}
		if len(b) > 0 {
			b = append(b, ", "...)
		}
		b = append(b, s...)
	}
	f := it.Fields
	add(f["format"])
	if f["width"] != "" {
		add(f["width"] + "x" + f["height"])
	}
	add(joinNonEmpty(f["make"], f["model"]))
	add(f["taken"])
	if f["lat"] != "" {
		add(f["lat"] + ", " + f["lon"])
	}
	return string(b)
}

// joinNonEmpty joins the non-empty strings with a space.
func joinNonEmpty(ss ...string) string {
	var out []byte
	for _, s := range ss {
		if s != "" {
			if len(out) > 0 {
				out = append(out, ' ')
			}
			out = append(out, s...)
		}
	}
	return string(out)
}

// recorder keeps up to max bytes of what passes through it.
type recorder struct {
	buf  bytes.Buffer
	max  int
	full bool
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.buf.Len()+len(p) > r.max {
		r.full = true
		return len(p), nil
	}
	return r.buf.Write(p)
}

// errJPEGHeader is a JPEG whose segments could not be walked.
var errJPEGHeader = errors.New("jpeg: malformed segment")

// jpegMeta walks a JPEG's segments up to the frame header, keeping the
// first EXIF APP1 payload (the TIFF block) and its offset, then reads the
// dimensions with jpeg.DecodeConfig from the recorded bytes and the rest.
func jpegMeta(br *bufio.Reader) (image.Config, []byte, int64, error) {
	rec := &recorder{max: maxImageHeader}
	tr := io.TeeReader(br, rec)
	exif, at, werr := walkJPEG(tr)
	if rec.full {
		return image.Config{}, exif, at, fmt.Errorf("jpeg: metadata segments past %d MB", maxImageHeader>>20)
	}
	cfg, err := jpeg.DecodeConfig(io.MultiReader(bytes.NewReader(rec.buf.Bytes()), br))
	if err == nil {
		return cfg, exif, at, nil
	}
	return cfg, exif, at, errors.Join(werr, err)
}

// walkJPEG reads segments until SOF, SOS or EOI and returns the EXIF block.
func walkJPEG(r io.Reader) ([]byte, int64, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:2]); err != nil {
		return nil, 0, err
	}
	pos := int64(2)
	var exif []byte
	var at int64
	for {
		if _, err := io.ReadFull(r, hdr[:2]); err != nil {
			return exif, at, err
		}
		pos += 2
		for hdr[0] == 0xFF && hdr[1] == 0xFF { // fill bytes
			if _, err := io.ReadFull(r, hdr[1:2]); err != nil {
				return exif, at, err
			}
			pos++
		}
		m := hdr[1]
		switch {
		case hdr[0] != 0xFF:
			return exif, at, errJPEGHeader
		case m == 0x01 || m >= 0xD0 && m <= 0xD7:
			continue
		case m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC, m == 0xDA, m == 0xD9:
			return exif, at, nil
		}
		if _, err := io.ReadFull(r, hdr[2:4]); err != nil {
			return exif, at, err
		}
		n := int64(binary.BigEndian.Uint16(hdr[2:4])) - 2
		pos += 2
		if n < 0 {
			return exif, at, errJPEGHeader
		}
		if m == 0xE1 && exif == nil {
			seg := make([]byte, n)
			if _, err := io.ReadFull(r, seg); err != nil {
				return exif, at, err
			}
			if bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
				exif, at = seg[6:], pos+6
			}
		} else if _, err := io.CopyN(io.Discard, r, n); err != nil {
			return exif, at, err
		}
		pos += n
	}
}

// pngMeta reads the dimensions, then walks the chunks before the image data
// for an eXIf chunk.
func pngMeta(br *bufio.Reader) (image.Config, []byte, int64, error) {
	cfg, err := png.DecodeConfig(br) // reads the signature and IHDR only
	if err != nil {
		return cfg, nil, 0, err
	}
	pos := int64(8 + 8 + 13 + 4)
	var hdr [8]byte
	for {
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			return cfg, nil, 0, nil // no eXIf before the end: fine
		}
		n, typ := int64(binary.BigEndian.Uint32(hdr[:4])), string(hdr[4:])
		pos += 8
		if typ == "IDAT" || typ == "IEND" {
			return cfg, nil, 0, nil
		}
		if typ == "eXIf" && n <= maxPNGExif {
			data := make([]byte, n)
			if _, err := io.ReadFull(br, data); err != nil {
				return cfg, nil, 0, fmt.Errorf("png eXIf: %w", err)
			}
			return cfg, data, pos, nil
		}
		if _, err := io.CopyN(io.Discard, br, n+4); err != nil {
			return cfg, nil, 0, nil
		}
		pos += n + 4
	}
}
