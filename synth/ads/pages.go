package ads

import (
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// writePages saves the planned HTML story ads and a few background ads as
// browser-saved pages, one file each.
func (g *gen) writePages(plan []plannedAd) error {
	for _, pa := range plan {
		if pa.html {
			g.buildStory(g.rs, &g.orgs[pa.org], pa.at, true)
			if err := g.savePage(true); err != nil {
				return err
			}
		}
	}
	n := int(min(300, 3+g.p.TargetBytes/(1<<20)))
	span := int64(g.p.End.Sub(g.p.Start))
	for range n {
		r := g.pickRand()
		g.buildBackground(r, g.p.Start.Add(time.Duration(r.Int64N(span))).Truncate(time.Second))
		if err := g.savePage(false); err != nil {
			return err
		}
	}
	return nil
}

// savePage renders g.a as a saved page and writes it.
func (g *gen) savePage(story bool) error {
	name := "pages/ad-" + strconv.FormatInt(g.a.id, 10) + ".html"
	file := g.rel(name)
	var body0, body1 int
	if g.a.market != "" {
		g.out, body0, body1 = g.darkPage(g.out[:0], file)
	} else {
		g.out, body0, body1 = g.clearPage(g.out[:0], file)
	}
	if err := os.WriteFile(filepath.Join(g.p.Dir, filepath.FromSlash(name)), g.out, 0o644); err != nil {
		return err
	}
	g.written += int64(len(g.out))
	g.res.Files = append(g.res.Files, file)
	if story {
		g.recordAd(file, int64(body0), int64(body1-body0), "bytes:"+strconv.Itoa(body0)+"-"+strconv.Itoa(body1))
	}
	return nil
}

// savedFrom appends the doctype and the comment browsers add to saved pages:
// "<!-- saved from url=(NNNN)URL -->", NNNN being the URL's length.
func (g *gen) savedFrom(dst []byte) []byte {
	dst = append(dst, "<!DOCTYPE html>\n<!-- saved from url=("...)
	start := len(dst)
	dst = append(dst, "0000)"...)
	u0 := len(dst)
	dst = g.appendURL(dst)
	n := len(dst) - u0
	for i := 3; i >= 0; i-- {
		dst[start+i] = byte('0' + n%10)
		n /= 10
	}
	return append(dst, " -->\n"...)
}

// clearPage renders a classified-site page; it returns the page and the
// byte range of its <body> element.
func (g *gen) clearPage(dst []byte, file string) ([]byte, int, int) {
	a := &g.a
	dst = g.savedFrom(dst)
	dst = append(dst, `<html lang="`...)
	dst = append(dst, a.lang...)
	dst = append(dst, "\"><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"...)
	dst = g.text(dst, a.title, htmlEsc, fTitle, 0, file, 0)
	dst = append(dst, " | "...)
	dst = append(dst, a.site.name...)
	dst = append(dst, "</title>\n<link rel=\"canonical\" href=\""...)
	dst = g.appendURL(dst)
	dst = append(dst, "\">\n<link rel=\"stylesheet\" href=\"./ad-"...)
	dst = strconv.AppendInt(dst, a.id, 10)
	dst = append(dst, "_files/main.css\">\n</head>\n"...)
	body0 := len(dst)
	dst = append(dst, "<body class=\"ad-detail\">\n<header class=\"site-header\"><a href=\"https://"...)
	dst = append(dst, a.site.host...)
	dst = append(dst, "/\">"...)
	dst = append(dst, a.site.name...)
	dst = append(dst, "</a> <nav class=\"breadcrumb\">"...)
	dst = append(dst, a.city.country...)
	dst = append(dst, " › "...)
	dst = append(dst, a.city.name...)
	dst = append(dst, " › "...)
	dst = append(dst, a.category...)
	dst = append(dst, "</nav></header>\n<main>\n<article class=\"ad\" id=\"ad-"...)
	dst = strconv.AppendInt(dst, a.id, 10)
	dst = append(dst, "\">\n<h1 class=\"ad-title\">"...)
	dst = g.text(dst, a.title, htmlEsc, fTitle, 0, file, 0)
	dst = append(dst, "</h1>\n<p class=\"ad-meta\">Publicado: <time datetime=\""...)
	dst = a.posted.AppendFormat(dst, time.RFC3339)
	dst = append(dst, "\">"...)
	dst = a.posted.AppendFormat(dst, "02/01/2006 15:04")
	dst = append(dst, "</time> · Anuncio #"...)
	dst = strconv.AppendInt(dst, a.id, 10)
	dst = append(dst, "</p>\n"...)
	if a.price > 0 {
		dst = append(dst, "<p class=\"ad-price\">"...)
		dst = appendPrice(dst, a.cur, a.price)
		dst = append(dst, "</p>\n"...)
	}
	dst = append(dst, "<div class=\"ad-description\">"...)
	dst = g.text(dst, a.body, htmlEsc, fBody, 0, file, 0)
	dst = append(dst, "</div>\n<ul class=\"ad-contact\">\n"...)
	for i, s := range a.phones {
		dst = append(dst, "<li class=\"ad-phone\">"...)
		dst = g.text(dst, []byte(s), htmlEsc, fPhones, i, file, 0)
		dst = append(dst, "</li>\n"...)
	}
	for i, s := range a.contacts {
		dst = append(dst, "<li class=\"ad-handle\">"...)
		dst = g.text(dst, []byte(s), htmlEsc, fContacts, i, file, 0)
		dst = append(dst, "</li>\n"...)
	}
	dst = append(dst, "</ul>\n<div class=\"ad-gallery\">"...)
	for i := range a.images {
		dst = append(dst, "<img src=\"./ad-"...)
		dst = strconv.AppendInt(dst, a.id, 10)
		dst = append(dst, "_files/"...)
		dst = appendImage(dst, a.id, i)
		dst = append(dst, "\" alt=\"foto\" width=\"640\" height=\"480\">"...)
	}
	dst = append(dst, "</div>\n</article>\n</main>\n<footer class=\"site-footer\"><p>© "...)
	dst = strconv.AppendInt(dst, int64(a.posted.Year()), 10)
	dst = append(dst, " "...)
	dst = append(dst, a.site.name...)
	dst = append(dst, " (sitio ficticio de entrenamiento)</p></footer>\n</body>"...)
	body1 := len(dst)
	return append(dst, "\n</html>\n"...), body0, body1
}

// darkPage renders a listing saved from a dark-web market; the market's
// own onion address is recorded as a selector with no owner.
func (g *gen) darkPage(dst []byte, file string) ([]byte, int, int) {
	a := &g.a
	dst = g.savedFrom(dst)
	g.marketSel(file, len(dst)-len(" -->\n")-len(strconv.FormatInt(a.id, 10))-len("/listing/")-len(a.market))
	dst = append(dst, "<html><head><meta charset=\"utf-8\">\n<title>Listing #"...)
	dst = strconv.AppendInt(dst, a.id, 10)
	dst = append(dst, " · Mercado Sombra</title>\n<style>body{background:#111;color:#ddd;font-family:monospace}</style>\n</head>\n"...)
	body0 := len(dst)
	dst = append(dst, "<body>\n<div class=\"nav\"><a href=\"http://"...)
	g.marketSel(file, len(dst))
	dst = append(dst, a.market...)
	dst = append(dst, "/\">Mercado Sombra (ficticio)</a> | <a href=\"/listings\">Listings</a> | <a href=\"/escrow\">Escrow</a></div>\n<h2>"...)
	dst = g.text(dst, a.title, htmlEsc, fTitle, 0, file, 0)
	dst = append(dst, "</h2>\n<table class=\"listing\">\n<tr><td>Vendor</td><td>"...)
	dst = append(dst, a.org.ID...)
	dst = append(dst, "_vendor</td></tr>\n<tr><td>Price</td><td>"...)
	dst = strconv.AppendInt(dst, max(1, a.price/int64(a.cur.scale)), 10)
	dst = append(dst, " USD (XMR/BTC)</td></tr>\n<tr><td>Location</td><td>"...)
	dst = append(dst, a.city.name...)
	dst = append(dst, "</td></tr>\n<tr><td>Posted</td><td>"...)
	dst = a.posted.UTC().AppendFormat(dst, time.DateOnly)
	dst = append(dst, "</td></tr>\n</table>\n<div class=\"desc\">"...)
	dst = g.text(dst, a.body, htmlEsc, fBody, 0, file, 0)
	dst = append(dst, "</div>\n</body>"...)
	body1 := len(dst)
	return append(dst, "\n</html>\n"...), body0, body1
}

// marketSel records the market's onion address written at off.
func (g *gen) marketSel(file string, off int) {
	o := g.a.org
	s := o.sel("onion", o.market, o.market, ObfNone)
	s.Owner, s.File, s.Offset = "", file, int64(off)
	g.res.Selectors = append(g.res.Selectors, s)
}
