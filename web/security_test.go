package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t)
	cookie, _ := f.session(f.users["analyst-m"])
	for _, path := range []string{"/login", "/cases", "/api/v1/me", "/healthz", "/nothing-here", "/static/app.css"} {
		res := f.get(path, cookie)
		h := res.Header
		if h.Get("Content-Security-Policy") != csp {
			t.Errorf("%s: CSP %q", path, h.Get("Content-Security-Policy"))
		}
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Fatal("CSP is not strict")
		}
		for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"} {
			if h.Get(k) != v {
				t.Errorf("%s: %s = %q, want %q", path, k, h.Get(k), v)
			}
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS without TLS", path)
		}
	}
	if res := f.get("/cases", cookie); res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("authenticated page Cache-Control %q", res.Header.Get("Cache-Control"))
	}
	f.srv = New(Config{TLS: true}, f.db, nil)
	f.h = f.srv.Handler()
	if res := f.get("/healthz", ""); !strings.HasPrefix(res.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Error("no HSTS with TLS")
	}
}

func TestTemplatesHaveNoInlineScriptOrStyle(t *testing.T) {
	inlineScript := regexp.MustCompile(`(?is)<script(?:\s[^>]*)?>\s*[^<\s]`)
	files, _ := fs.Glob(templateFS, "templates/*.html")
	for _, name := range files {
		b, _ := templateFS.ReadFile(name)
		s := string(b)
		if inlineScript.MatchString(s) {
			t.Errorf("%s: inline <script> body", name)
		}
		for _, bad := range []string{"style=", "<style", " on" + "click=", "onload=", "onsubmit=", "javascript:", "hx-on"} {
			if strings.Contains(strings.ToLower(s), bad) {
				t.Errorf("%s: contains %q, which the CSP forbids or which runs inline code", name, bad)
			}
		}
		for _, m := range regexp.MustCompile(`<script[^>]*>`).FindAllString(s, -1) {
			if !strings.Contains(m, `src="/static/`) {
				t.Errorf("%s: script not from /static/: %s", name, m)
			}
		}
	}
}

// manifest mirrors static/MANIFEST.json.
type manifest struct {
	Assets []struct {
		Name, Version, Source, License, SHA256 string
	} `json:"assets"`
}

func TestStaticManifest(t *testing.T) {
	b, err := staticFS.ReadFile("static/MANIFEST.json")
	must(t, err)
	var m manifest
	must(t, json.Unmarshal(b, &m))
	listed := map[string]bool{}
	for _, a := range m.Assets {
		listed[a.Name] = true
		data, err := staticFS.ReadFile("static/" + a.Name)
		if err != nil {
			t.Errorf("%s: listed but not embedded", a.Name)
			continue
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); got != a.SHA256 {
			t.Errorf("%s: sha256 %s, manifest says %s", a.Name, got, a.SHA256)
		}
		if a.Version == "" || a.Source == "" {
			t.Errorf("%s: version and source required", a.Name)
		}
	}
	_ = fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		name := strings.TrimPrefix(p, "static/")
		if err == nil && !d.IsDir() && name != "MANIFEST.json" && !listed[name] {
			t.Errorf("%s: embedded but not in MANIFEST.json", name)
		}
		return nil
	})
}

func TestStaticServed(t *testing.T) {
	f := newFixture(t)
	res := f.get("/static/vendor/htmx.min.js", "")
	if b := body(t, res); res.StatusCode != 200 || !strings.Contains(b, "htmx") {
		t.Fatalf("htmx: %d", res.StatusCode)
	}
}
