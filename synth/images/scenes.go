package images

import (
	"image"
	"math"
	"math/rand/v2"
)

// scene paints one kind of benign picture over the whole canvas.
type scene func(r *rand.Rand, c *canvas)

// scenes are the kinds of picture rendered. None shows a person: the
// generator's pictures stand in for the ordinary photos on a phone.
var scenes = [...]scene{seascape, mountains, room, street, abstract, skyscape}

// render paints one scene chosen and laid out by r and returns its pixels.
func render(r *rand.Rand, w, h int) *image.YCbCr {
	c := newCanvas(w, h)
	scenes[r.IntN(len(scenes))](r, c)
	return c.finish(r, randomLook(r))
}

// skyColors is the palette of one sky.
type skyColors struct{ top, horizon, cloud, sun rgb }

func skyPalette(r *rand.Rand) skyColors {
	switch r.IntN(4) {
	case 0, 1: // clear day
		hue := between(r, 195, 225)
		return skyColors{
			top:     hsv(hue, between(r, 0.55, 0.85), between(r, 0.6, 0.85)),
			horizon: hsv(hue-10, between(r, 0.1, 0.35), between(r, 0.88, 0.98)),
			cloud:   rgb{245, 246, 250}, sun: rgb{255, 250, 232},
		}
	case 2: // dusk
		return skyColors{
			top:     hsv(between(r, 215, 265), between(r, 0.4, 0.7), between(r, 0.3, 0.55)),
			horizon: hsv(between(r, 12, 42), between(r, 0.55, 0.85), between(r, 0.9, 1)),
			cloud:   hsv(between(r, 330, 380), between(r, 0.25, 0.5), between(r, 0.75, 0.95)),
			sun:     rgb{255, 224, 160},
		}
	default: // overcast
		g := between(r, 130, 190)
		return skyColors{
			top: rgb{g - 20, g - 14, g - 4}, horizon: rgb{g + 40, g + 42, g + 45},
			cloud: rgb{g + 55, g + 55, g + 58}, sun: rgb{g + 60, g + 60, g + 60},
		}
	}
}

// clouds blends fractal clouds over rows y0..y1; cover (0..1) is the share
// of sky they hide.
func clouds(r *rand.Rand, c *canvas, y0, y1 int, col rgb, cover float32) {
	hh := y1 - y0
	if hh < 2 {
		return
	}
	n := fbm(r, c.w, hh, 3+r.IntN(4), 2+r.IntN(2), 6)
	lo := 0.62 - 0.3*cover
	for y := range hh {
		row := n[y*c.w : (y+1)*c.w]
		base := 3 * (y + y0) * c.w
		for x, v := range row {
			if a := smoothstep(lo, lo+0.2, v); a > 0 {
				c.blend(base+3*x, col.scale(0.78+0.3*v), a*0.95)
			}
		}
	}
}

// sun paints a sun disk with its halo.
func sun(r *rand.Rand, c *canvas, x, y float32, col rgb) {
	rad := between(r, 0.015, 0.04) * float32(c.w)
	c.glow(x, y, rad*9, col, 0.4, 0)
	c.glow(x, y, rad, col, 1, 0.85)
}

// fillBelow paints, for every column x in x0..x0+len(top), the pixels from
// top[x-x0] down to bottom with col darkening by dark towards bottom.
func fillBelow(c *canvas, x0 int, top []int, bottom int, col rgb, dark float32) {
	span := float32(max(bottom-minInt(top), 1))
	for i, t := range top {
		x := x0 + i
		if x < 0 || x >= c.w {
			continue
		}
		for y := max(t, 0); y < min(bottom, c.h); y++ {
			k := 1 - dark*float32(y-t)/span
			j := 3 * (y*c.w + x)
			c.px[j], c.px[j+1], c.px[j+2] = col.r*k, col.g*k, col.b*k
		}
	}
}

func minInt(v []int) int {
	m := math.MaxInt
	for _, x := range v {
		m = min(m, x)
	}
	return m
}

// seascape: sky, sun, clouds, sea with waves, maybe an island and a beach.
func seascape(r *rand.Rand, c *canvas) {
	w, h := c.w, c.h
	sky := skyPalette(r)
	hz := int(between(r, 0.3, 0.6) * float32(h))
	c.vgradient(0, 0, w, hz, sky.top, sky.horizon)
	sx, sy := between(r, 0.1, 0.9)*float32(w), between(r, 0.2, 0.85)*float32(hz)
	sun(r, c, sx, sy, sky.sun)
	clouds(r, c, 0, hz, sky.cloud, between(r, 0.1, 0.7))
	sea := hsv(between(r, 178, 215), between(r, 0.4, 0.8), between(r, 0.35, 0.6))
	c.vgradient(0, hz, w, h, sea.mix(sky.horizon, 0.45), sea.scale(0.7))
	waves := fbm(r, w, h-hz, 2, 24+r.IntN(24), 5)
	c.shade(0, hz, w, h, waves, 0.55)
	if r.IntN(2) == 0 {
		island(r, c, hz, sky.horizon)
	}
	if r.IntN(2) == 0 {
		beach(r, c)
	}
}

// island paints a hilly silhouette standing on the horizon.
func island(r *rand.Rand, c *canvas, hz int, haze rgb) {
	iw := int(between(r, 0.15, 0.5) * float32(c.w))
	x0 := r.IntN(c.w - iw/2)
	height := between(r, 0.04, 0.14) * float32(c.h)
	rd := ridge(r, iw, 3, 6)
	top := make([]int, iw)
	for i := range top {
		taper := float32(math.Sin(math.Pi * float64(i) / float64(iw)))
		top[i] = hz - int(height*(0.3+rd[i])*taper)
	}
	fillBelow(c, x0, top, hz, haze.mix(rgb{38, 62, 44}, between(r, 0.5, 0.9)), 0)
}

// beach paints sand with a line of foam along a wavy shore.
func beach(r *rand.Rand, c *canvas) {
	shore := ridge(r, c.w, 3, 5)
	base := between(r, 0.8, 0.93) * float32(c.h)
	amp := 0.08 * float32(c.h)
	top := make([]int, c.w)
	for x := range top {
		top[x] = int(base - amp*shore[x])
	}
	sand := hsv(between(r, 30, 45), between(r, 0.25, 0.45), between(r, 0.75, 0.92))
	fillBelow(c, 0, top, c.h, sand, 0.15)
	y0 := minInt(top)
	c.shade(0, y0, c.w, c.h, fbm(r, c.w, c.h-y0, 40, 30, 3), 0.18)
	for x, t := range top {
		for k := range 6 {
			if y := t + k; y >= 0 && y < c.h {
				c.blend(3*(y*c.w+x), rgb{250, 250, 248}, 0.8-float32(k)*0.12)
			}
		}
	}
}

// mountains: sky and two to four ranges fading into the haze.
func mountains(r *rand.Rand, c *canvas) {
	w, h := c.w, c.h
	sky := skyPalette(r)
	hz := int(between(r, 0.45, 0.7) * float32(h))
	c.vgradient(0, 0, w, h, sky.top, sky.horizon)
	if r.IntN(2) == 0 {
		sun(r, c, between(r, 0.1, 0.9)*float32(w), between(r, 0.1, 0.4)*float32(h), sky.sun)
	}
	clouds(r, c, 0, hz, sky.cloud, between(r, 0, 0.6))
	near := hsv(between(r, 70, 150), between(r, 0.25, 0.6), between(r, 0.18, 0.38))
	if r.IntN(3) == 0 { // dry, rocky
		near = hsv(between(r, 15, 40), between(r, 0.2, 0.45), between(r, 0.3, 0.45))
	}
	n := 2 + r.IntN(3)
	top := make([]int, w)
	for i := range n {
		t := float32(i+1) / float32(n)
		base := float32(hz) + float32(h-hz)*0.75*float32(i)/float32(n)
		amp := float32(h) * between(r, 0.12, 0.32) * (1 - 0.5*float32(i)/float32(n))
		rd := ridge(r, w, 2+r.IntN(4), 7)
		for x := range top {
			top[x] = int(base - amp*rd[x])
		}
		fillBelow(c, 0, top, h, sky.horizon.mix(near, 0.3+0.7*t), 0.25*t)
		if i == 0 && r.IntN(2) == 0 {
			snow(c, top, rd, amp)
		}
	}
	c.shade(0, hz, w, h, fbm(r, w, h-hz, 12, 8, 5), 0.35)
}

// snow whitens the highest parts of a ridge.
func snow(c *canvas, top []int, rd []float32, amp float32) {
	for x, t := range top {
		depth := int((rd[x] - 0.55) * amp * 0.6)
		for y := max(t, 0); y < min(t+depth, c.h); y++ {
			c.blend(3*(y*c.w+x), rgb{240, 242, 248}, 0.85)
		}
	}
}

// skyscape: mostly sky and clouds above a tree line.
func skyscape(r *rand.Rand, c *canvas) {
	w, h := c.w, c.h
	sky := skyPalette(r)
	c.vgradient(0, 0, w, h, sky.top, sky.horizon)
	if r.IntN(2) == 0 {
		sun(r, c, between(r, 0.05, 0.95)*float32(w), between(r, 0.1, 0.7)*float32(h), sky.sun)
	}
	clouds(r, c, 0, h, sky.cloud, between(r, 0.35, 0.9))
	rd := ridge(r, w, 16+r.IntN(24), 5)
	base := between(r, 0.82, 0.96) * float32(h)
	amp := between(r, 0.06, 0.18) * float32(h)
	top := make([]int, w)
	for x := range top {
		top[x] = int(base - amp*rd[x])
	}
	fillBelow(c, 0, top, h, hsv(between(r, 90, 150), 0.4, between(r, 0.08, 0.2)), 0.3)
}

// abstract: a colour-mapped fractal texture under translucent shapes.
func abstract(r *rand.Rand, c *canvas) {
	p := [3]rgb{
		hsv(between(r, 0, 360), between(r, 0.3, 0.9), between(r, 0.2, 0.6)),
		hsv(between(r, 0, 360), between(r, 0.3, 0.9), between(r, 0.5, 0.9)),
		hsv(between(r, 0, 360), between(r, 0.1, 0.6), between(r, 0.8, 1)),
	}
	n := fbm(r, c.w, c.h, 2+r.IntN(4), 2+r.IntN(4), 7)
	for i, v := range n {
		v = smoothstep(0.25, 0.75, v)
		col := p[0].mix(p[1], min(v*2, 1))
		if v > 0.5 {
			col = p[1].mix(p[2], v*2-1)
		}
		c.px[3*i], c.px[3*i+1], c.px[3*i+2] = col.r, col.g, col.b
	}
	for range 3 + r.IntN(8) {
		col := hsv(between(r, 0, 360), between(r, 0.2, 0.9), between(r, 0.3, 1))
		x, y := between(r, 0, 1)*float32(c.w), between(r, 0, 1)*float32(c.h)
		s := between(r, 0.04, 0.25) * float32(c.w)
		if r.IntN(2) == 0 {
			c.glow(x, y, s, col, between(r, 0.3, 0.9), between(r, 0.7, 0.97))
			continue
		}
		c.rect(int(x-s), int(y-s/2), int(x+s), int(y+s/2), col, between(r, 0.2, 0.7))
	}
}
