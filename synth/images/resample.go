package images

import (
	"fmt"
	"image"
)

// halve downsizes a 4:2:0 picture to half its width and height with a 2×2
// box filter on each plane, the cheap averaging messaging apps use.
func halve(src *image.YCbCr) (*image.YCbCr, error) {
	if src.SubsampleRatio != image.YCbCrSubsampleRatio420 || src.Rect.Min != (image.Point{}) {
		return nil, fmt.Errorf("halve: want a 4:2:0 picture at the origin, got ratio %v at %v", src.SubsampleRatio, src.Rect.Min)
	}
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	w, h := sw/2, sh/2
	dst := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	box2(dst.Y, dst.YStride, w, h, src.Y, src.YStride, sw, sh)
	cw, ch := (w+1)/2, (h+1)/2
	scw, sch := (sw+1)/2, (sh+1)/2
	box2(dst.Cb, dst.CStride, cw, ch, src.Cb, src.CStride, scw, sch)
	box2(dst.Cr, dst.CStride, cw, ch, src.Cr, src.CStride, scw, sch)
	return dst, nil
}

// box2 writes into the w×h plane dst the 2×2 averages of the sw×sh plane
// src, repeating src's last row and column where dst reaches past them.
func box2(dst []uint8, dstStride, w, h int, src []uint8, srcStride, sw, sh int) {
	for y := range h {
		r0 := src[min(2*y, sh-1)*srcStride:]
		r1 := src[min(2*y+1, sh-1)*srcStride:]
		d := dst[y*dstStride : y*dstStride+w]
		for x := range d {
			x0, x1 := min(2*x, sw-1), min(2*x+1, sw-1)
			d[x] = uint8((uint(r0[x0]) + uint(r0[x1]) + uint(r1[x0]) + uint(r1[x1]) + 2) >> 2)
		}
	}
}

// thumbSide is the long side of EXIF thumbnails (160×120 is the size
// EXIF 2.3 recommends for a 4:3 picture).
const thumbSide = 160

// thumbnail box-filters a full-chroma picture down to a thumbnail whose
// long side is thumbSide, keeping the aspect ratio.
func thumbnail(src *image.YCbCr) *image.YCbCr {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	tw, th := thumbSide, max(thumbSide*sh/sw, 1)
	if sh > sw {
		tw, th = max(thumbSide*sw/sh, 1), thumbSide
	}
	tw, th = min(tw, sw), min(th, sh)
	dst := image.NewYCbCr(image.Rect(0, 0, tw, th), image.YCbCrSubsampleRatio444)
	for _, pl := range [][2][]uint8{{dst.Y, src.Y}, {dst.Cb, src.Cb}, {dst.Cr, src.Cr}} {
		boxN(pl[0], dst.YStride, tw, th, pl[1], src.YStride, sw, sh)
	}
	return dst
}

// boxN writes into the w×h plane dst the averages of the matching areas
// of the sw×sh plane src (sw ≥ w, sh ≥ h).
func boxN(dst []uint8, dstStride, w, h int, src []uint8, srcStride, sw, sh int) {
	for y := range h {
		y0, y1 := y*sh/h, (y+1)*sh/h
		for x := range w {
			x0, x1 := x*sw/w, (x+1)*sw/w
			sum := 0
			for yy := y0; yy < y1; yy++ {
				for _, v := range src[yy*srcStride+x0 : yy*srcStride+x1] {
					sum += int(v)
				}
			}
			n := (y1 - y0) * (x1 - x0)
			dst[y*dstStride+x] = uint8((sum + n/2) / n)
		}
	}
}
