package web

import (
	"context"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rastro/rastro"
)

func TestCatalogsHaveSameKeys(t *testing.T) {
	c := mustLoadCatalogs()
	keys := func(l string) []string {
		var ks []string
		for k, v := range c.msgs[l] {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: %s is empty", l, k)
			}
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return ks
	}
	if d := cmp.Diff(keys("en"), keys("es")); d != "" {
		t.Errorf("en and es catalogs differ (-en +es):\n%s", d)
	}
}

func TestTemplateKeysExist(t *testing.T) {
	c := mustLoadCatalogs()
	re := regexp.MustCompile(`\.T "([^"]+)"`)
	files, _ := fs.Glob(templateFS, "templates/*.html")
	n := 0
	for _, name := range files {
		b, _ := templateFS.ReadFile(name)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			n++
			if _, ok := c.msgs["en"][m[1]]; !ok {
				t.Errorf("%s uses missing key %q", name, m[1])
			}
		}
	}
	if n < 50 {
		t.Fatalf("found only %d keys: is the pattern stale?", n)
	}
	// Keys built at run time: one per case role and legal status.
	for _, r := range []rastro.CaseRole{rastro.CaseRoleUnknown, rastro.CaseRoleSuspect, rastro.CaseRolePossibleVictim,
		rastro.CaseRoleVictim, rastro.CaseRoleWitness, rastro.CaseRolePersonOfInt} {
		if _, ok := c.msgs["en"]["role."+string(r)]; !ok {
			t.Errorf("missing key role.%s", r)
		}
	}
	for _, l := range []rastro.LegalStatus{rastro.LegalSuspected, rastro.LegalCharged, rastro.LegalConvicted, rastro.LegalAcquitted} {
		if _, ok := c.msgs["en"]["legal."+string(l)]; !ok {
			t.Errorf("missing key legal.%s", l)
		}
	}
}

func TestLanguageChoice(t *testing.T) {
	f := newFixture(t)
	u := f.users["analyst-m"]
	cookie, _ := f.session(u)
	tests := []struct {
		name, accept, userLang, want, wantNot string
	}{
		{"spanish browser", "es-MX,es;q=0.9", "", "Casos", ">Cases<"},
		{"english browser", "en-GB", "", ">Cases<", "Casos"},
		{"unknown language", "de-DE", "", ">Cases<", "Casos"},
		{"no header", "", "", ">Cases<", "Casos"},
		{"user setting wins", "es", "en", ">Cases<", "Casos"},
		{"user setting es", "en", "es", "Casos", ">Cases<"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u.Language = tt.userLang
			must(t, f.db.UpdateUser(context.Background(), rastro.SystemActor("t"), u))
			res := f.get("/cases", cookie, "Accept-Language", tt.accept)
			b := body(t, res)
			if !strings.Contains(b, tt.want) || strings.Contains(b, tt.wantNot) {
				t.Errorf("want %q and not %q in the page", tt.want, tt.wantNot)
			}
		})
	}
	res := f.get("/login", "", "Accept-Language", "es")
	if b := body(t, res); !strings.Contains(b, "Iniciar sesión") || !strings.Contains(b, `lang="es"`) {
		t.Error("login page not in Spanish for Accept-Language: es")
	}
}
