// Package images writes procedurally generated, benign pictures (landscapes,
// seascapes, rooms, buildings, sky, abstract textures; never people) as JPEG
// files carrying EXIF metadata the way phones write it, plus near-duplicate
// variants (resized, recompressed, cropped) for testing perceptual matching
// such as PDQ (match threshold: Hamming distance ≤ 31).
//
// Output is a pure function of the Spec: the same Spec gives byte-identical
// files. The original and its variants share one truth.Image Group.
//
// Which variant keeps the metadata mirrors what happens to photos in the
// field, and truth.Image says it: a field is empty when the file does not
// carry it.
//   - original: full EXIF (Make, Model, DateTime, DateTimeOriginal, GPS)
//     and a 160-pixel JPEG thumbnail in IFD1, as a phone camera writes.
//   - resized: half size, EXIF stripped, as messaging apps (WhatsApp,
//     Telegram) do when they recompress a photo before sending it.
//   - recompressed: the decoded original re-encoded at quality 60 with the
//     EXIF kept, as an e-mail client or a "reduce size" tool does.
//   - cropped: 0.5–1 % trimmed from each border by a gallery editor that
//     keeps the EXIF, updates PixelXDimension / PixelYDimension and leaves
//     the thumbnail of the uncropped picture in place (a stale thumbnail
//     is a known forensic tell).
//
// EXIF follows version 2.3 (no OffsetTime tags): DateTime and
// DateTimeOriginal are Spec.Taken's wall clock, GPSDateStamp and
// GPSTimeStamp its UTC time.
package images

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/synth/truth"
)

// Spec describes one original picture and, optionally, its near-duplicates.
type Spec struct {
	Name     string    // base file name without extension, e.g. "IMG-20250302-WA0001"
	Seed     uint64    // drives the scene, the JPEG quality and the crop margins
	Width    int       // e.g. 1024
	Height   int       // e.g. 768
	Taken    time.Time // EXIF DateTimeOriginal (local time of the device); zero: no date tags
	Lat, Lon float64   // EXIF GPS; both zero: no GPS IFD
	Device   string    // "Make|Model", e.g. "Samsung|SM-A515F"; "": no Make/Model tags
	Owner    string    // person ID of the holder, copied to the truth
	Variants bool      // also write near-duplicates: resized, recompressed, cropped
}

// Params says where to write and what.
type Params struct {
	Dir    string // absolute folder to write into (created if missing)
	Prefix string // path of Dir relative to the case folder, e.g. "media"
	Specs  []Spec
}

// Result lists the files written (relative to the case folder, in Spec
// order, each original before its variants) and their ground truth.
type Result struct {
	Files  []string
	Images []truth.Image
}

// Variant names as they appear in truth.Image.Variant and in file suffixes.
const (
	VariantOriginal     = "original"
	VariantResized      = "resized"
	VariantRecompressed = "recompressed"
	VariantCropped      = "cropped"
)

// Size limits: large enough for any phone photo, small enough that a typo
// in a size does not fill the disk.
const (
	minSide = 16
	maxSide = 8192
)

// recompressQuality is the quality of the recompressed variant; PDQ
// implementations discard hashes of quality < 50, so 60 stays usable.
const recompressQuality = 60

// thumbQuality is the quality of the EXIF thumbnail.
const thumbQuality = 70

// streamScene and streamVariant separate the PCG streams of this package from other
// generators fed the same seed.
const (
	streamScene   = 0x696d672d7363656e // "img-scen"
	streamVariant = 0x696d672d76617269 // "img-vari"
)

// Generate renders every Spec into p.Dir and returns the files and their
// truth. Specs are rendered in parallel (one worker per CPU); the output
// does not depend on the number of workers. It fails with EINVALID for a
// bad Spec (before writing anything) and wraps I/O errors.
func Generate(p Params) (*Result, error) {
	if err := validate(p); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(p.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("images: %w", err)
	}
	imgs := make([][]truth.Image, len(p.Specs))
	errs := make([]error, len(p.Specs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(p.Specs)) {
		wg.Go(func() {
			var buf bytes.Buffer
			for i := range next {
				imgs[i], errs[i] = generateOne(p, p.Specs[i], &buf)
			}
		})
	}
	for i := range p.Specs {
		next <- i
	}
	close(next)
	wg.Wait()
	res := &Result{}
	for i, s := range p.Specs {
		if errs[i] != nil {
			return nil, fmt.Errorf("images: %s: %w", s.Name, errs[i])
		}
		for _, im := range imgs[i] {
			res.Files = append(res.Files, im.File)
			res.Images = append(res.Images, im)
		}
	}
	return res, nil
}

// validate checks every Spec so that a bad one fails before any file is
// written.
func validate(p Params) error {
	if p.Dir == "" {
		return rastro.Errorf(rastro.EINVALID, "images: Dir is empty; give the folder to write into")
	}
	seen := make(map[string]bool, len(p.Specs))
	for i, s := range p.Specs {
		if msg := validateSpec(s); msg != "" {
			return rastro.Errorf(rastro.EINVALID, "images: spec %d (%q): %s", i, s.Name, msg)
		}
		if seen[s.Name] {
			return rastro.Errorf(rastro.EINVALID, "images: spec %d: name %q used twice; names must be unique", i, s.Name)
		}
		seen[s.Name] = true
	}
	return nil
}

// validateSpec returns what is wrong with s, or "" when it is usable.
func validateSpec(s Spec) string {
	switch {
	case s.Name == "" || strings.ContainsAny(s.Name, `/\`) || s.Name == "." || s.Name == "..":
		return "name must be a plain file name without extension"
	case s.Width < minSide || s.Height < minSide || s.Width > maxSide || s.Height > maxSide:
		return fmt.Sprintf("size %dx%d outside %d..%d", s.Width, s.Height, minSide, maxSide)
	case !(s.Lat >= -90 && s.Lat <= 90 && s.Lon >= -180 && s.Lon <= 180): // also rejects NaN
		return fmt.Sprintf("coordinates %g,%g out of range", s.Lat, s.Lon)
	case s.Device != "" && strings.Count(s.Device, "|") != 1:
		return fmt.Sprintf("device %q is not \"Make|Model\"", s.Device)
	}
	return ""
}

// generateOne writes the original of s and, when asked, its variants.
func generateOne(p Params, s Spec, buf *bytes.Buffer) ([]truth.Image, error) {
	scene := rand.New(rand.NewPCG(s.Seed, streamScene))
	vr := rand.New(rand.NewPCG(s.Seed, streamVariant))
	quality := 84 + vr.IntN(12) // phones save at 84..95
	pic := render(scene, s.Width, s.Height)
	m := specMeta(s)
	buf.Reset()
	if err := jpeg.Encode(buf, thumbnail(pic), &jpeg.Options{Quality: thumbQuality}); err != nil {
		return nil, fmt.Errorf("encode thumbnail: %w", err)
	}
	m.Thumb = bytes.Clone(buf.Bytes())
	orig, err := writeJPEG(p, s, VariantOriginal, pic, quality, &m, buf)
	if err != nil {
		return nil, err
	}
	if !s.Variants {
		return []truth.Image{orig}, nil
	}
	// Variants start from the decoded original, as the app that made them did.
	dec, err := jpeg.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		return nil, fmt.Errorf("decode original: %w", err)
	}
	src, ok := dec.(*image.YCbCr)
	if !ok {
		return nil, fmt.Errorf("decode original: got %T, want *image.YCbCr", dec)
	}
	half, err := halve(src)
	if err != nil {
		return nil, err
	}
	crop := cropRect(vr, src.Bounds())
	cm := m
	cm.Width, cm.Height = crop.Dx(), crop.Dy()
	out := []truth.Image{orig}
	for _, v := range []struct {
		name    string
		img     image.Image
		quality int
		meta    *meta
	}{
		{VariantResized, half, 75 + vr.IntN(8), nil},
		{VariantRecompressed, src, recompressQuality, &m},
		{VariantCropped, src.SubImage(crop), quality, &cm},
	} {
		im, err := writeJPEG(p, s, v.name, v.img, v.quality, v.meta, buf)
		if err != nil {
			return nil, err
		}
		out = append(out, im)
	}
	return out, nil
}

// specMeta is the EXIF metadata of the original.
func specMeta(s Spec) meta {
	mk, model, _ := strings.Cut(s.Device, "|")
	return meta{
		Make: mk, Model: model, Taken: s.Taken,
		HasGPS: s.Lat != 0 || s.Lon != 0, Lat: s.Lat, Lon: s.Lon,
		Width: s.Width, Height: s.Height,
	}
}

// cropRect trims 0.5–1 % from each border of b (1–2 % of each side's
// length in all). PDQ is not crop-resistant: on these scenes a symmetric
// trim of 1 % per border already moves the hash by up to ~32 bits and
// 2.5 % by ~60, so a larger crop would no longer be a near-duplicate a
// PDQ matcher can be expected to find.
func cropRect(r *rand.Rand, b image.Rectangle) image.Rectangle {
	w, h := b.Dx(), b.Dy()
	margin := func(n int) int { return max(n*(5+r.IntN(6))/1000, 1) }
	x0, x1 := margin(w), margin(w)
	y0, y1 := margin(h), margin(h)
	return image.Rect(b.Min.X+x0, b.Min.Y+y0, b.Max.X-x1, b.Max.Y-y1)
}

// writeJPEG encodes img at quality into buf, inserts the EXIF segment of m
// (none when m is nil) right after SOI, writes the file and returns its
// truth. buf keeps the encoded JPEG (without EXIF) for the caller.
func writeJPEG(p Params, s Spec, variant string, img image.Image, quality int, m *meta, buf *bytes.Buffer) (truth.Image, error) {
	buf.Reset()
	if err := jpeg.Encode(buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return truth.Image{}, fmt.Errorf("encode %s: %w", variant, err)
	}
	name := s.Name
	if variant != VariantOriginal {
		name += "-" + variant
	}
	name += ".jpg"
	enc := buf.Bytes()
	var app1 []byte
	if m != nil {
		app1 = exifSegment(*m)
	}
	sum, err := writeFile(filepath.Join(p.Dir, name), enc[:2], app1, enc[2:])
	if err != nil {
		return truth.Image{}, err
	}
	b := img.Bounds()
	t := truth.Image{
		File: path.Join(p.Prefix, name), SHA256: sum,
		Group: GroupID(s.Name), Variant: variant,
		Width: b.Dx(), Height: b.Dy(), Owner: s.Owner,
	}
	if m != nil {
		t.Taken, t.Device = m.Taken, s.Device
		if m.HasGPS {
			t.Lat, t.Lon = m.Lat, m.Lon
		}
	}
	return t, nil
}

// GroupID is the near-duplicate group of the picture named name: the
// original and all its variants share it.
func GroupID(name string) string { return "img:" + name }

// writeFile writes the parts to file in order and returns their SHA-256.
func writeFile(file string, parts ...[]byte) (string, error) {
	h := sha256.New()
	f, err := os.Create(file)
	if err != nil {
		return "", err
	}
	for _, part := range parts {
		h.Write(part)
		if _, err := f.Write(part); err != nil {
			f.Close()
			return "", err
		}
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
