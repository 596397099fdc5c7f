package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"

	"golang.org/x/text/language"

	"github.com/rastro/rastro"
)

//go:embed i18n/*.json
var i18nFS embed.FS

// languages are the UI languages, the first being the fallback.
var languages = []string{"en", "es"}

// catalogs holds one message catalog per language.
type catalogs struct {
	msgs    map[string]map[string]string
	matcher language.Matcher
}

// mustLoadCatalogs reads the embedded catalogs.
func mustLoadCatalogs() *catalogs {
	c := &catalogs{msgs: map[string]map[string]string{}}
	var tags []language.Tag
	for _, l := range languages {
		b, err := i18nFS.ReadFile("i18n/" + l + ".json")
		if err != nil {
			panic(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("i18n/%s.json: %v", l, err))
		}
		c.msgs[l] = m
		tags = append(tags, language.Make(l))
	}
	c.matcher = language.NewMatcher(tags)
	return c
}

// localizer translates for one language.
type localizer struct {
	Lang     string
	msgs     map[string]string
	fallback map[string]string
}

// localizer returns the localizer for lang.
func (c *catalogs) localizer(lang string) *localizer {
	if _, ok := c.msgs[lang]; !ok {
		lang = languages[0]
	}
	return &localizer{Lang: lang, msgs: c.msgs[lang], fallback: c.msgs[languages[0]]}
}

// T returns the message for key, formatted with args when given. A missing
// key shows itself, and the catalog test makes sure none is missing.
func (l *localizer) T(key string, args ...any) string {
	m, ok := l.msgs[key]
	if !ok {
		if m, ok = l.fallback[key]; !ok {
			return key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(m, args...)
	}
	return m
}

// language picks the UI language: the user's setting, else (before login)
// a lang query parameter, else Accept-Language, else English.
func (s *Server) language(r *http.Request, u *rastro.User) string {
	if u != nil && validLang(u.Language) {
		return u.Language
	}
	if l := r.URL.Query().Get("lang"); u == nil && validLang(l) {
		return l
	}
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return languages[0]
	}
	_, i, conf := s.views.catalogs.matcher.Match(tags...)
	if conf == language.No {
		return languages[0]
	}
	return languages[i]
}

// validLang reports whether l is a UI language.
func validLang(l string) bool {
	for _, x := range languages {
		if l == x {
			return true
		}
	}
	return false
}
