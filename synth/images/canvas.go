package images

import (
	"image"
	"math"
	"math/rand/v2"
)

// rgb is a linear-ish colour with channels in 0..255.
type rgb struct{ r, g, b float32 }

func (c rgb) mix(d rgb, t float32) rgb {
	return rgb{c.r + (d.r-c.r)*t, c.g + (d.g-c.g)*t, c.b + (d.b-c.b)*t}
}

func (c rgb) scale(k float32) rgb { return rgb{c.r * k, c.g * k, c.b * k} }

// hsv builds a colour from hue (0..360), saturation and value (0..1).
func hsv(h, s, v float32) rgb {
	h = float32(math.Mod(float64(h), 360))
	if h < 0 {
		h += 360
	}
	c := v * s
	hp := h / 60
	x := c * (1 - float32(math.Abs(math.Mod(float64(hp), 2)-1)))
	var r, g, b float32
	switch int(hp) {
	case 0:
		r, g, b = c, x, 0
	case 1:
		r, g, b = x, c, 0
	case 2:
		r, g, b = 0, c, x
	case 3:
		r, g, b = 0, x, c
	case 4:
		r, g, b = x, 0, c
	default:
		r, g, b = c, 0, x
	}
	m := v - c
	return rgb{(r + m) * 255, (g + m) * 255, (b + m) * 255}
}

// canvas is a floating-point RGB picture that scenes paint into; finish
// turns it into the 8-bit image the JPEG encoder reads.
type canvas struct {
	w, h int
	px   []float32       // r, g, b interleaved, row-major
	clip image.Rectangle // painting outside it is discarded
}

func newCanvas(w, h int) *canvas {
	return &canvas{w: w, h: h, px: make([]float32, 3*w*h), clip: image.Rect(0, 0, w, h)}
}

// clampRect limits a rectangle to the clip rectangle.
func (c *canvas) clampRect(x0, y0, x1, y1 int) (int, int, int, int) {
	return max(x0, c.clip.Min.X), max(y0, c.clip.Min.Y), min(x1, c.clip.Max.X), min(y1, c.clip.Max.Y)
}

// clipTo restricts painting to r until the returned function is called.
func (c *canvas) clipTo(r image.Rectangle) (restore func()) {
	old := c.clip
	c.clip = c.clip.Intersect(r)
	return func() { c.clip = old }
}

// blend mixes colour col into pixel i with opacity a (0..1).
func (c *canvas) blend(i int, col rgb, a float32) {
	p := c.px[i : i+3 : i+3]
	p[0] += (col.r - p[0]) * a
	p[1] += (col.g - p[1]) * a
	p[2] += (col.b - p[2]) * a
}

// vgradient fills a rectangle with a vertical gradient from top to bottom.
func (c *canvas) vgradient(x0, y0, x1, y1 int, top, bottom rgb) {
	x0, y0c, x1, y1c := c.clampRect(x0, y0, x1, y1)
	if x1 <= x0 {
		return
	}
	span := float32(max(y1-y0-1, 1))
	for y := y0c; y < y1c; y++ {
		col := top.mix(bottom, float32(y-y0)/span)
		row := c.px[3*(y*c.w+x0) : 3*(y*c.w+x1)]
		for i := 0; i < len(row); i += 3 {
			row[i], row[i+1], row[i+2] = col.r, col.g, col.b
		}
	}
}

// rect blends a flat colour over a rectangle.
func (c *canvas) rect(x0, y0, x1, y1 int, col rgb, a float32) {
	x0, y0, x1, y1 = c.clampRect(x0, y0, x1, y1)
	for y := y0; y < y1; y++ {
		for i := 3 * (y*c.w + x0); i < 3*(y*c.w+x1); i += 3 {
			c.blend(i, col, a)
		}
	}
}

// glow blends col with an opacity falling off from a at the centre to 0 at
// radius rad (a soft disk when hard > 0: fully opaque up to hard·rad).
func (c *canvas) glow(cx, cy, rad float32, col rgb, a, hard float32) {
	x0, y0, x1, y1 := c.clampRect(int(cx-rad), int(cy-rad), int(cx+rad)+1, int(cy+rad)+1)
	inv := 1 / (rad * rad)
	for y := y0; y < y1; y++ {
		dy := float32(y) - cy
		for x := x0; x < x1; x++ {
			dx := float32(x) - cx
			d := (dx*dx + dy*dy) * inv
			if d >= 1 {
				continue
			}
			t := float32(1) - d
			if hard > 0 {
				t = min(t/(1-hard*hard), 1)
			} else {
				t *= t
			}
			c.blend(3*(y*c.w+x), col, a*t)
		}
	}
}

// shade multiplies a rectangle's brightness by 1 + amount·(n−0.5), with n
// the noise field covering exactly that rectangle.
func (c *canvas) shade(x0, y0, x1, y1 int, n []float32, amount float32) {
	w := x1 - x0
	cx0, cy0, cx1, cy1 := c.clampRect(x0, y0, x1, y1)
	for y := cy0; y < cy1; y++ {
		nr := n[(y-y0)*w:]
		for x := cx0; x < cx1; x++ {
			k := 1 + amount*(nr[x-x0]-0.5)
			p := c.px[3*(y*c.w+x):]
			p[0] *= k
			p[1] *= k
			p[2] *= k
		}
	}
}

// fbm returns a w×h field of fractal value noise in about 0..1: octaves
// of bilinear-interpolated random grids, the first with cx×cy cells.
// Anisotropic cells (cx ≠ cy) give streaks such as waves or wood grain.
func fbm(r *rand.Rand, w, h, cx, cy, octaves int) []float32 {
	out := make([]float32, w*h)
	amp, total := float32(1), float32(0)
	for o := range octaves {
		gx, gy := cx<<o, cy<<o
		if gx > w/4 || (h > 1 && gy > h/4) { // finer cells are lost in the grain
			break
		}
		addOctave(r, out, w, h, gx, gy, amp)
		total += amp
		amp *= 0.5
	}
	if total > 0 {
		inv := 1 / total
		for i := range out {
			out[i] *= inv
		}
	}
	return out
}

// addOctave adds amp times one bilinear value-noise octave of gx×gy cells.
// Rows are interpolated once per output row, then each cell's span of
// pixels along x, so the cost is a multiply-add per pixel.
func addOctave(r *rand.Rand, out []float32, w, h, gx, gy int, amp float32) {
	gw := gx + 2
	grid := make([]float32, gw*(gy+2))
	for i := range grid {
		grid[i] = r.Float32()
	}
	start := make([]int, gx+1) // first x of each cell
	fx := make([]float32, w)   // smoothed position of x inside its cell
	for x := range w {
		f := float32(x) * float32(gx) / float32(w)
		t := f - float32(int(f))
		fx[x] = amp * t * t * (3 - 2*t)
	}
	for i := range start {
		start[i] = (i*w + gx - 1) / gx
	}
	start[gx] = w
	tmp := make([]float32, gw)
	for y := range h {
		f := float32(y) * float32(gy) / float32(h)
		iy := int(f)
		t := f - float32(iy)
		t = t * t * (3 - 2*t)
		g0, g1 := grid[iy*gw:(iy+1)*gw], grid[(iy+1)*gw:(iy+2)*gw]
		for i := range tmp {
			tmp[i] = g0[i] + (g1[i]-g0[i])*t
		}
		row := out[y*w : (y+1)*w]
		for i := range gx {
			a, d := amp*tmp[i], tmp[i+1]-tmp[i]
			seg := row[start[i]:start[i+1]]
			fs := fx[start[i]:start[i+1]]
			for x := range seg {
				seg[x] += a + d*fs[x]
			}
		}
	}
}

// ridge returns n heights in about 0..1 along a 1-D fractal line, the
// outline of hills, mountains or a tree line.
func ridge(r *rand.Rand, n, cells, octaves int) []float32 {
	return fbm(r, n, 1, cells, 1, octaves)
}

// look is what the camera adds to a scene: lens vignetting around an
// off-centre point, uneven light across the frame and sensor grain.
type look struct {
	vignette float32 // darkening at the corners, 0..1
	cx, cy   float32 // vignette centre, as a fraction of width and height
	lx, ly   float32 // brightness change per half-frame along x and y
	grain    float32 // amplitude of the grain in 8-bit steps
}

func randomLook(r *rand.Rand) look {
	a := between(r, 0, 2*math.Pi)
	amp := between(r, 0.05, 0.3)
	return look{
		vignette: between(r, 0.15, 0.5),
		cx:       between(r, 0.35, 0.65), cy: between(r, 0.35, 0.65),
		lx: amp * float32(math.Cos(float64(a))), ly: amp * float32(math.Sin(float64(a))),
		grain: between(r, 2, 6),
	}
}

// finish converts the canvas through the camera look l to a full-chroma
// YCbCr picture (JFIF equations), which image/jpeg encodes without a
// per-pixel colour conversion of its own; the grain comes from r.
func (c *canvas) finish(r *rand.Rand, l look) *image.YCbCr {
	img := image.NewYCbCr(image.Rect(0, 0, c.w, c.h), image.YCbCrSubsampleRatio444)
	hw, hh := float32(c.w)/2, float32(c.h)/2
	vx, vy := l.cx*float32(c.w), l.cy*float32(c.h)
	inv := l.vignette / (hw*hw + hh*hh)
	kx := make([]float32, c.w) // the x part of the light and vignette factor
	for x := range kx {
		dx := float32(x) - vx
		kx[x] = l.lx*(float32(x)-hw)/hw - inv*dx*dx
	}
	gs := l.grain / 128
	var bits uint64
	for y := range c.h {
		dy := float32(y) - vy
		row := 1 + l.ly*(float32(y)-hh)/hh - inv*dy*dy
		src := c.px[3*y*c.w : 3*(y+1)*c.w]
		yy := img.Y[y*img.YStride : y*img.YStride+c.w]
		cb := img.Cb[y*img.CStride : y*img.CStride+c.w]
		cr := img.Cr[y*img.CStride : y*img.CStride+c.w]
		for x, kxx := range kx[:len(yy)] {
			if x&7 == 0 {
				bits = r.Uint64()
			}
			n := gs * float32(int8(bits>>(8*(x&7))))
			k := row + kxx
			s := src[3*x : 3*x+3 : 3*x+3]
			rr, g, b := clampF(s[0]*k+n), clampF(s[1]*k+n), clampF(s[2]*k+n)
			yy[x] = uint8(0.299*rr + 0.587*g + 0.114*b + 0.5)
			cb[x] = uint8(min255(128.5 - 0.168736*rr - 0.331264*g + 0.5*b))
			cr[x] = uint8(min255(128.5 + 0.5*rr - 0.418688*g - 0.081312*b))
		}
	}
	return img
}

// min255 caps the rounded chroma of saturated blue or red, which reaches
// 256; a float to uint8 conversion out of range is undefined in Go.
func min255(v float32) float32 {
	if v > 255 {
		return 255
	}
	return v
}

// clampF limits v to 0..255. From there the JFIF equations give Y at
// most 255.5, which uint8 truncates to 255, and Cb, Cr at least 1.
func clampF(v float32) float32 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return v
}

func smoothstep(e0, e1, x float32) float32 {
	t := min(max((x-e0)/(e1-e0), 0), 1)
	return t * t * (3 - 2*t)
}

// between returns a random float in [lo, hi).
func between(r *rand.Rand, lo, hi float32) float32 { return lo + (hi-lo)*r.Float32() }
