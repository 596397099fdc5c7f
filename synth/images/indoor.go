package images

import (
	"image"
	"math/rand/v2"
)

// room: a wall with a window and a picture, a wooden floor, furniture and
// the warm light of a lamp.
func room(r *rand.Rand, c *canvas) {
	w, h := c.w, c.h
	wall := hsv(between(r, 0, 360), between(r, 0.05, 0.3), between(r, 0.6, 0.9))
	fy := int(between(r, 0.6, 0.78) * float32(h))
	c.vgradient(0, 0, w, fy, wall.scale(1.06), wall.scale(0.82))
	c.shade(0, 0, w, fy, fbm(r, w, fy, 6, 6, 4), 0.12)
	win := window(r, c, fy)
	if r.IntN(3) > 0 {
		picture(r, c, fy, win)
	}
	floor(r, c, fy)
	c.rect(0, fy-h/50, w, fy, wall.scale(1.15), 1) // skirting board
	for range 1 + r.IntN(3) {
		furniture(r, c, fy)
	}
	c.glow(between(r, 0, 1)*float32(w), between(r, 0, 0.5)*float32(h), between(r, 0.3, 0.7)*float32(w),
		rgb{255, 232, 196}, between(r, 0.15, 0.35), 0)
}

// frameColour is a painted white or a wooden frame.
func frameColour(r *rand.Rand) rgb {
	if r.IntN(2) == 0 {
		return rgb{236, 234, 228}
	}
	return hsv(between(r, 20, 35), between(r, 0.4, 0.6), between(r, 0.3, 0.55))
}

// window paints a framed window with sky and foliage behind it and
// returns the wall area it covers.
func window(r *rand.Rand, c *canvas, fy int) image.Rectangle {
	ww, wh := int(between(r, 0.16, 0.3)*float32(c.w)), int(between(r, 0.28, 0.45)*float32(c.h))
	wx, wy := r.IntN(c.w-ww), int(between(r, 0.06, 0.16)*float32(c.h))
	wh = min(wh, fy-wy-c.h/20)
	fr := frameColour(r)
	t := max(c.w/120, 2)
	c.rect(wx-t, wy-t, wx+ww+t, wy+wh+t, fr, 1)
	sky := skyPalette(r)
	c.vgradient(wx, wy, wx+ww, wy+wh, sky.top, sky.horizon)
	restore := c.clipTo(image.Rect(wx, wy, wx+ww, wy+wh))
	for range r.IntN(6) { // foliage outside
		c.glow(float32(wx)+between(r, 0, 1)*float32(ww), float32(wy+wh)-between(r, 0, 0.4)*float32(wh),
			between(r, 0.1, 0.3)*float32(ww), hsv(between(r, 80, 140), 0.5, between(r, 0.25, 0.5)), 1, 0.9)
	}
	restore()
	c.rect(wx, wy, wx+ww, wy+wh, rgb{255, 255, 255}, 0.08) // glass
	c.rect(wx+ww/2-t/2, wy, wx+ww/2+t/2+1, wy+wh, fr, 1)
	c.rect(wx, wy+wh/2-t/2, wx+ww, wy+wh/2+t/2+1, fr, 1)
	return image.Rect(wx-t, wy-t, wx+ww+t, wy+wh+t)
}

// picture paints a framed abstract print on the wall beside the window
// win, skipping it when a few tries find no free place.
func picture(r *rand.Rand, c *canvas, fy int, win image.Rectangle) {
	pw, ph := int(between(r, 0.08, 0.2)*float32(c.w)), int(between(r, 0.1, 0.22)*float32(c.h))
	px, py := r.IntN(c.w-pw), int(between(r, 0.08, 0.3)*float32(c.h))
	for try := 0; image.Rect(px, py, px+pw, py+ph).Inset(-c.w / 40).Overlaps(win); try++ {
		if try == 4 {
			return
		}
		px = r.IntN(c.w - pw)
	}
	ph = min(ph, fy-py-c.h/20)
	t := max(c.w/150, 2)
	c.rect(px-t+3, py-t+4, px+pw+t+3, py+ph+t+4, rgb{0, 0, 0}, 0.25) // shadow
	c.rect(px-t, py-t, px+pw+t, py+ph+t, frameColour(r), 1)
	a, b := hsv(between(r, 0, 360), 0.5, 0.8), hsv(between(r, 0, 360), 0.6, 0.5)
	c.vgradient(px, py, px+pw, py+ph, a, b)
	c.glow(float32(px)+between(r, 0.2, 0.8)*float32(pw), float32(py)+between(r, 0.2, 0.8)*float32(ph),
		float32(min(pw, ph))*between(r, 0.2, 0.45), hsv(between(r, 0, 360), 0.7, 0.9), 1, 0.95)
}

// floor paints wooden boards that widen towards the viewer.
func floor(r *rand.Rand, c *canvas, fy int) {
	wood := hsv(between(r, 18, 36), between(r, 0.35, 0.6), between(r, 0.35, 0.7))
	board := float32(c.h) / 80
	for y := float32(fy); int(y) < c.h; {
		next := y + board
		c.rect(0, int(y), c.w, int(next), wood.scale(between(r, 0.85, 1.1)), 1)
		c.rect(0, int(y), c.w, int(y)+1, wood.scale(0.55), 1) // the gap between two boards
		board *= 1.25
		y = next
	}
	c.shade(0, fy, c.w, c.h, fbm(r, c.w, c.h-fy, 2, 40, 4), 0.3)
}

// furniture paints a cabinet, table or sofa standing on the floor.
func furniture(r *rand.Rand, c *canvas, fy int) {
	fw, fh := int(between(r, 0.15, 0.35)*float32(c.w)), int(between(r, 0.15, 0.35)*float32(c.h))
	fx := r.IntN(c.w - fw/2)
	bottom := fy + int(between(r, 0.04, 0.18)*float32(c.h))
	col := hsv(between(r, 0, 360), between(r, 0.1, 0.5), between(r, 0.2, 0.7))
	c.rect(fx-fw/20, bottom-fh/30, fx+fw+fw/20, bottom+fh/20, rgb{0, 0, 0}, 0.3) // shadow
	c.vgradient(fx, bottom-fh, fx+fw, bottom, col.scale(1.1), col.scale(0.7))
	c.rect(fx, bottom-fh, fx+fw, bottom-fh+max(fh/25, 2), col.scale(1.3), 1)
	for k := range r.IntN(4) { // drawers or cushions
		y := bottom - fh + (k+1)*fh/5
		c.rect(fx+fw/20, y, fx+fw-fw/20, y+2, col.scale(0.5), 1)
	}
}

// street: façades with rows of windows, a pavement, a road and wires.
func street(r *rand.Rand, c *canvas) {
	w, h := c.w, c.h
	sky := skyPalette(r)
	c.vgradient(0, 0, w, h, sky.top, sky.horizon)
	clouds(r, c, 0, h/2, sky.cloud, between(r, 0, 0.5))
	gy := int(between(r, 0.78, 0.9) * float32(h))
	for x := -r.IntN(w / 10); x < w; {
		bw := int(between(r, 0.18, 0.45) * float32(w))
		facade(r, c, x, bw, int(between(r, 0.08, 0.5)*float32(h)), gy)
		x += bw + r.IntN(w/16+1)
	}
	walk := gy + (h-gy)/3
	c.rect(0, gy, w, walk, rgb{178, 174, 168}, 1)
	c.vgradient(0, walk, w, h, rgb{92, 92, 96}, rgb{70, 70, 74})
	c.shade(0, gy, w, h, fbm(r, w, h-gy, 40, 8, 3), 0.25)
	for x := r.IntN(w / 8); x < w; x += w / 6 {
		c.rect(x, (walk+h)/2, x+w/12, (walk+h)/2+max(h/150, 2), rgb{230, 230, 220}, 0.9)
	}
	for range r.IntN(3) {
		wire(r, c)
	}
}

// facade paints one building from top down to the ground at gy.
func facade(r *rand.Rand, c *canvas, x, bw, top, gy int) {
	col := hsv(between(r, 0, 360), between(r, 0.15, 0.6), between(r, 0.6, 0.92))
	c.rect(x, top, x+bw, gy, col, 1)
	c.shade(x, top, x+bw, gy, fbm(r, bw, gy-top, 4, 4, 5), 0.2)
	c.rect(x, top, x+bw, top+max(c.h/60, 2), col.scale(0.6), 1)
	cols, rows := 2+r.IntN(5), 1+r.IntN(6)
	cellW, cellH := bw/cols, (gy-top)*4/5/rows
	glass := hsv(between(r, 190, 230), between(r, 0.2, 0.4), between(r, 0.25, 0.45))
	for i := range cols {
		for j := range rows {
			wx, wy := x+i*cellW+cellW/4, top+c.h/40+j*cellH+cellH/5
			g := glass
			if r.IntN(6) == 0 {
				g = rgb{240, 205, 130} // a lit room
			}
			c.vgradient(wx, wy, wx+cellW/2, wy+cellH*3/5, g.scale(1.25), g.scale(0.8))
			c.rect(wx-2, wy+cellH*3/5, wx+cellW/2+2, wy+cellH*3/5+max(c.h/200, 2), col.scale(1.15), 1)
		}
	}
	dw := max(bw/8, 4)
	dx := x + r.IntN(max(bw-dw, 1))
	c.rect(dx, gy-(gy-top)/6, dx+dw, gy, col.scale(0.4), 1)
}

// wire paints a sagging power line across the picture.
func wire(r *rand.Rand, c *canvas) {
	y0, y1 := between(r, 0.05, 0.4)*float32(c.h), between(r, 0.05, 0.4)*float32(c.h)
	sag := between(r, 0.02, 0.1) * float32(c.h)
	for x := range c.w {
		t := float32(x) / float32(c.w)
		y := int(y0 + (y1-y0)*t + sag*4*t*(1-t))
		c.rect(x, y, x+1, y+2, rgb{30, 30, 32}, 0.85)
	}
}
