package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/rastro/rastro"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pageNames lists every page template; each is parsed with the layout.
var pageNames = []string{"upload", "screening", "screening_list", "referrals", "login", "cases", "case", "entities", "entity", "statement",
	"admin_agencies", "admin_users", "audit", "tokens", "error", "evidence_list", "evidence", "findings", "identities", "network",
	"account", "trace", "payment", "mapping"}

// views holds the parsed templates and message catalogs.
type views struct {
	pages    map[string]*template.Template
	catalogs *catalogs
}

// mustParseViews parses the embedded templates and catalogs; they are part
// of the binary, so failing here is a build defect.
func mustParseViews() *views {
	v := &views{pages: map[string]*template.Template{}, catalogs: mustLoadCatalogs()}
	for _, name := range pageNames {
		t := template.Must(template.New("layout.html").Funcs(templateFuncs()).ParseFS(templateFS,
			"templates/layout.html", "templates/partials.html", "templates/"+name+".html"))
		v.pages[name] = t
	}
	return v
}

// templateFuncs are the helpers templates may call.
func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"short": func(s string) string {
			if len(s) > 12 {
				return s[:12]
			}
			return s
		},
		"when": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.UTC().Format("2006-01-02 15:04 UTC")
		},
		"pct":    func(f float64) int { return int(f*100 + 0.5) },
		"stamp":  func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") },
		"add":    func(a, b int) int { return a + b },
		"sub":    func(a, b int) int { return a - b },
		"victim": func(r rastro.CaseRole) bool { return r.IsVictim() },
		"list":   func(xs ...string) []string { return xs },
		"pair":   func(p *page, r rastro.CaseRole) rolePair { return rolePair{A: p, B: r} },
		"entref": func(p *page, m map[string]*rastro.Entity, id string) entRef { return entRef{P: p, E: m[id], ID: id} },
		"jlist": func(p *page, js []*rastro.IdentityJudgement, m map[string]*rastro.Entity, back string) judgementList {
			return judgementList{P: p, Judgements: js, Entities: m, Back: back}
		},
		"pair2":   func(p *page, v any) pageItem { return pageItem{A: p, B: v} },
		"size":    humanSize,
		"details": func(b json.RawMessage) string { return string(b) },
		"snippet": func(s string) string {
			return truncate(strings.TrimSpace(s), 280)
		},
	}
}

// humanSize formats a byte count with a binary unit, e.g. "1.5 MiB".
func humanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// rolePair carries the page and a case role into the "role" template.
type rolePair struct {
	A *page
	B rastro.CaseRole
}

// entRef carries the page and an entity (nil when not found) into the
// "ent" template.
type entRef struct {
	P  *page
	E  *rastro.Entity
	ID string
}

// judgementList carries identity judgements into the "judgements" template;
// Back is the entity page to return to after an undo ("" for the
// identities page).
type judgementList struct {
	P          *page
	Judgements []*rastro.IdentityJudgement
	Entities   map[string]*rastro.Entity
	Back       string
}

// pageItem carries the page and one item into a partial template.
type pageItem struct {
	A *page
	B any
}

// page is what every page template receives.
type page struct {
	L       *localizer
	User    *rastro.User
	Can     func(perm string) bool
	CSRF    string
	Version string
	Path    string
	Data    any
}

// newPage builds the common page data for r.
func (s *Server) newPage(r *http.Request, data any) *page {
	ri := reqInfo(r)
	p := &page{L: s.views.catalogs.localizer(ri.lang), User: ri.user, Version: s.cfg.Version,
		Path: r.URL.Path, Data: data, Can: func(p string) bool { return ri.user != nil && ri.actor.Can(rastro.Permission(p)) }}
	if ri.session != nil {
		p.CSRF = ri.session.CSRFToken
	}
	return p
}

// render executes a page (or, for htmx requests, one of its fragments when
// fragment is not "") into a buffer, so that a template error writes
// nothing but an error page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, fragment string, data any) {
	t, ok := s.views.pages[name]
	if !ok {
		s.fail(w, r, fmt.Errorf("render: no page %q", name))
		return
	}
	what := "layout.html"
	if fragment != "" && r.Header.Get("HX-Request") == "true" {
		what = fragment
	}
	s.execute(w, r, status, t, what, data)
}

// renderFragment executes one fragment of a page, whatever the request.
func (s *Server) renderFragment(w http.ResponseWriter, r *http.Request, name, fragment string, data any) {
	s.execute(w, r, http.StatusOK, s.views.pages[name], fragment, data)
}

// execute runs template what of t into a buffer and writes it.
func (s *Server) execute(w http.ResponseWriter, r *http.Request, status int, t *template.Template, what string, data any) {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, what, s.newPage(r, data)); err != nil {
		s.log.Error("render", "template", what, "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// errorPage renders the UI's error page.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, r, status, "error", "", map[string]any{"Status": status, "Message": msg})
}

// static serves the embedded assets under /static/.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	sub, _ := fs.Sub(staticFS, "static")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.StripPrefix("/static/", http.FileServerFS(sub)).ServeHTTP(w, r)
}
