package images

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"math/bits"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rastro/rastro"
	"github.com/rastro/rastro/synth/truth"
)

// testSpecs returns n specs with variants; seeds and places differ.
func testSpecs(n int) []Spec {
	specs := make([]Spec, n)
	for i := range specs {
		specs[i] = Spec{
			Name:     fmt.Sprintf("IMG-20250302-WA%04d", i+1),
			Seed:     uint64(1000 + 7*i),
			Width:    320 + 16*(i%4),
			Height:   240,
			Taken:    time.Date(2025, 3, 2, 9+i%10, 4*i%60, 0, 0, time.FixedZone("CST", -6*3600)),
			Lat:      14.6 + float64(i)/100,
			Lon:      -90.5 - float64(i)/100,
			Device:   "Samsung|SM-A515F",
			Owner:    fmt.Sprintf("person-%d", i%3),
			Variants: true,
		}
	}
	return specs
}

// generate runs Generate into a fresh folder and returns the folder too.
func generate(tb testing.TB, specs []Spec) (string, *Result) {
	tb.Helper()
	dir := tb.TempDir()
	res, err := Generate(Params{Dir: filepath.Join(dir, "media"), Prefix: "media", Specs: specs})
	if err != nil {
		tb.Fatalf("Generate: %v", err)
	}
	return dir, res
}

// generateBytes generates one spec and returns each variant's file bytes.
func generateBytes(tb testing.TB, s Spec) (map[string][]byte, []truth.Image) {
	tb.Helper()
	dir, res := generate(tb, []Spec{s})
	out := map[string][]byte{}
	for _, im := range res.Images {
		out[im.Variant] = readFile(tb, dir, im.File)
	}
	return out, res.Images
}

func readFile(tb testing.TB, dir, rel string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func decode(tb testing.TB, data []byte) image.Image {
	tb.Helper()
	m, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("decode: %v", err)
	}
	return m
}

func TestDeterministic(t *testing.T) {
	specs := testSpecs(6)
	dirA, a := generate(t, specs)
	// The second run uses one worker: output must not depend on scheduling.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	dirB, b := generate(t, specs)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("two runs of the same specs differ (-first +second):\n%s", diff)
	}
	for _, f := range a.Files {
		if !bytes.Equal(readFile(t, dirA, f), readFile(t, dirB, f)) {
			t.Errorf("%s differs between two runs", f)
		}
	}
}

func TestFilesMatchTruth(t *testing.T) {
	specs := testSpecs(4)
	dir, res := generate(t, specs)
	if len(res.Images) != 4*len(specs) || len(res.Files) != len(res.Images) {
		t.Fatalf("got %d images / %d files, want %d", len(res.Images), len(res.Files), 4*len(specs))
	}
	for i, im := range res.Images {
		s := specs[i/4]
		data := readFile(t, dir, im.File)
		sum := sha256.Sum256(data)
		if im.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: truth SHA-256 does not match the file", im.File)
		}
		if b := decode(t, data).Bounds(); b.Dx() != im.Width || b.Dy() != im.Height {
			t.Errorf("%s: decodes as %dx%d, truth says %dx%d", im.File, b.Dx(), b.Dy(), im.Width, im.Height)
		}
		if res.Files[i] != im.File || im.Group != GroupID(s.Name) || im.Owner != s.Owner {
			t.Errorf("%s: file/group/owner = %s/%s/%s", im.File, res.Files[i], im.Group, im.Owner)
		}
		checkVariant(t, s, im, data)
	}
}

// checkVariant checks the name, size and metadata of one file against
// what the package documents for its variant.
func checkVariant(t *testing.T, s Spec, im truth.Image, data []byte) {
	t.Helper()
	wantFile := "media/" + s.Name + "-" + im.Variant + ".jpg"
	wantW, wantH, wantExif := s.Width, s.Height, true
	switch im.Variant {
	case VariantOriginal:
		wantFile = "media/" + s.Name + ".jpg"
	case VariantResized:
		wantW, wantH, wantExif = s.Width/2, s.Height/2, false
	case VariantCropped:
		// 0.5–1 % per border: the picture loses 1–2 % of each side.
		if im.Width >= s.Width || im.Width < s.Width*97/100 || im.Height >= s.Height || im.Height < s.Height*97/100 {
			t.Errorf("%s: cropped to %dx%d from %dx%d", im.File, im.Width, im.Height, s.Width, s.Height)
		}
		wantW, wantH = im.Width, im.Height
	}
	if im.File != wantFile || im.Width != wantW || im.Height != wantH {
		t.Errorf("%s %dx%d, want %s %dx%d", im.File, im.Width, im.Height, wantFile, wantW, wantH)
	}
	tiff := findExif(t, data)
	if !wantExif {
		if tiff != nil || !im.Taken.IsZero() || im.Device != "" || im.Lat != 0 || im.Lon != 0 {
			t.Errorf("%s: stripped variant carries metadata (file or truth)", im.File)
		}
		return
	}
	if tiff == nil {
		t.Fatalf("%s: no EXIF", im.File)
	}
	d := parseExif(t, tiff)
	if d.thumb == nil {
		t.Fatalf("%s: EXIF without thumbnail", im.File)
	}
	th, _ := aHash(decode(t, d.thumb))
	full, _ := aHash(decode(t, data))
	if dist := bits.OnesCount64(th ^ full); dist > 8 {
		t.Errorf("%s: thumbnail is %d bits from the picture, want a small copy of it", im.File, dist)
	}
	if got, want := pixelDims(t, d), fmt.Sprintf("%dx%d", im.Width, im.Height); got != want {
		t.Errorf("%s: EXIF pixel dimensions %s, want %s", im.File, got, want)
	}
	if !im.Taken.Equal(s.Taken) || im.Device != s.Device || im.Lat != s.Lat || im.Lon != s.Lon {
		t.Errorf("%s: truth metadata %v %q %g,%g differs from the spec", im.File, im.Taken, im.Device, im.Lat, im.Lon)
	}
}

// aHash is a 64-bit average hash: the picture's luma averaged over an 8×8
// grid (also returned), one bit per cell brighter than the mean.
func aHash(m image.Image) (uint64, [64]float64) {
	b := m.Bounds()
	var sum, cnt [64]float64
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := m.At(x, y).RGBA()
			k := (y-b.Min.Y)*8/b.Dy()*8 + (x-b.Min.X)*8/b.Dx()
			sum[k] += 0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)
			cnt[k]++
		}
	}
	mean := 0.0
	for k := range sum {
		sum[k] /= cnt[k]
		mean += sum[k] / 64
	}
	var h uint64
	for k, v := range sum {
		if v > mean {
			h |= 1 << k
		}
	}
	return h, sum
}

func TestNearDuplicates(t *testing.T) {
	const groups = 12
	dir, res := generate(t, testSpecs(groups))
	hashes := map[string]map[string]uint64{} // group → variant → aHash
	sums := map[string]string{}
	grids := map[[64]float64]string{} // 8×8 mean luma of each original
	for _, im := range res.Images {
		if hashes[im.Group] == nil {
			hashes[im.Group] = map[string]uint64{}
		}
		h, grid := aHash(decode(t, readFile(t, dir, im.File)))
		hashes[im.Group][im.Variant] = h
		if other, dup := sums[im.SHA256]; dup {
			t.Errorf("%s and %s are byte-identical", im.File, other)
		}
		sums[im.SHA256] = im.File
		if other, dup := grids[grid]; dup && im.Variant == VariantOriginal {
			t.Errorf("%s and %s show the same picture", im.File, other)
		}
		grids[grid] = im.File
	}
	// A variant stays within a few bits of its original.
	const within = 6
	for g, vs := range hashes {
		for v, h := range vs {
			if d := bits.OnesCount64(h ^ vs[VariantOriginal]); d > within {
				t.Errorf("%s: %s is %d bits from the original, want ≤ %d", g, v, d, within)
			}
		}
	}
	// Distinct pictures are far apart: an average hash only looks at the
	// brightness layout, so a few chance neighbours are allowed (about 1 %
	// of pairs over many seeds), but most pairs must be clearly apart.
	var near, pairs, total int
	for g1, v1 := range hashes {
		for g2, v2 := range hashes {
			if g1 >= g2 {
				continue
			}
			d := bits.OnesCount64(v1[VariantOriginal] ^ v2[VariantOriginal])
			pairs++
			total += d
			if d <= within {
				near++
			}
		}
	}
	if near*10 > pairs || total < 16*pairs {
		t.Errorf("distinct groups too alike: %d of %d pairs within %d bits, mean distance %.1f",
			near, pairs, within, float64(total)/float64(pairs))
	}
}

func TestInvalidSpecs(t *testing.T) {
	ok := Spec{Name: "a", Width: 32, Height: 32}
	tests := []struct {
		name  string
		specs []Spec
		want  string
	}{
		{"empty name", []Spec{{Width: 32, Height: 32}}, "plain file name"},
		{"path in name", []Spec{{Name: "../x", Width: 32, Height: 32}}, "plain file name"},
		{"too small", []Spec{{Name: "a", Width: 8, Height: 32}}, "outside"},
		{"too large", []Spec{{Name: "a", Width: 32, Height: 9000}}, "outside"},
		{"latitude", []Spec{{Name: "a", Width: 32, Height: 32, Lat: 91}}, "out of range"},
		{"not a number", []Spec{{Name: "a", Width: 32, Height: 32, Lon: math.NaN()}}, "out of range"},
		{"device", []Spec{{Name: "a", Width: 32, Height: 32, Device: "Samsung"}}, "Make|Model"},
		{"duplicate", []Spec{ok, ok}, "used twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			_, err := Generate(Params{Dir: dir, Specs: tt.specs})
			if rastro.ErrorCode(err) != rastro.EINVALID || !strings.Contains(rastro.ErrorMessage(err), tt.want) {
				t.Fatalf("err = %v, want EINVALID mentioning %q", err, tt.want)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("output folder created for invalid input")
			}
		})
	}
}

// BenchmarkGenerate measures one 1024×768 picture, alone and with its
// three variants (four JPEG encodes and one decode).
func BenchmarkGenerate(b *testing.B) {
	for _, variants := range []bool{false, true} {
		b.Run(fmt.Sprintf("variants=%v", variants), func(b *testing.B) {
			dir := b.TempDir()
			s := Spec{Name: "bench", Width: 1024, Height: 768, Taken: time.Date(2025, 3, 2, 12, 0, 0, 0, time.UTC),
				Lat: 9.93, Lon: -84.08, Device: "Samsung|SM-A515F", Variants: variants}
			var written int64
			for i := 0; b.Loop(); i++ {
				s.Seed = uint64(i)
				res, err := Generate(Params{Dir: dir, Prefix: "media", Specs: []Spec{s}})
				if err != nil {
					b.Fatal(err)
				}
				for _, f := range res.Files {
					st, err := os.Stat(filepath.Join(dir, filepath.Base(f)))
					if err != nil {
						b.Fatal(err)
					}
					written += st.Size()
				}
			}
			b.SetBytes(written / int64(b.N))
		})
	}
}

// BenchmarkGenerateBatch measures throughput on 16 pictures with variants,
// rendered by one worker per CPU.
func BenchmarkGenerateBatch(b *testing.B) {
	dir := b.TempDir()
	specs := testSpecs(16)
	for i := range specs {
		specs[i].Width, specs[i].Height = 1024, 768
	}
	var written int64
	for b.Loop() {
		res, err := Generate(Params{Dir: dir, Prefix: "media", Specs: specs})
		if err != nil {
			b.Fatal(err)
		}
		written = 0
		for _, f := range res.Files {
			st, err := os.Stat(filepath.Join(dir, filepath.Base(f)))
			if err != nil {
				b.Fatal(err)
			}
			written += st.Size()
		}
	}
	b.SetBytes(written)
}

// BenchmarkRender measures painting one 1024×768 scene, without encoding.
func BenchmarkRender(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		render(rand.New(rand.NewPCG(uint64(i), streamScene)), 1024, 768)
	}
}
