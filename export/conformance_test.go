package export

import (
	"bufio"
	"github.com/rastro/rastro/internal/shareddata"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// ftmSchema is what the conformance test needs of one FtM schema.
type ftmSchema struct {
	extends []string
	props   map[string]string // property name -> type ("" for string)
}

// sharedFtMDir is the FollowTheMoney schemata of the reference data, or skips.
func sharedFtMDir(tb testing.TB) string { return shareddata.Dir(tb, "ftm") }

// parseSchemaYAML reads the few keys the test needs from FtM's schema YAML:
// the top-level schema name, its `extends` list and, under `properties`,
// each property's name and `type`. Block scalars and other keys are skipped
// because only these indentation levels are read.
func parseSchemaYAML(tb testing.TB, text string, into map[string]*ftmSchema) {
	tb.Helper()
	var cur *ftmSchema
	section, prop := "", ""
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		key, val, isKey := strings.Cut(trimmed, ":")
		val = strings.TrimSpace(val)
		switch {
		case indent == 0 && isKey:
			cur = &ftmSchema{props: map[string]string{}}
			into[key] = cur
			section, prop = "", ""
		case cur == nil:
		case indent == 2 && isKey:
			section, prop = key, ""
		case indent == 4 && section == "extends" && strings.HasPrefix(trimmed, "- "):
			cur.extends = append(cur.extends, strings.TrimSpace(strings.TrimPrefix(trimmed, "- ")))
		case indent == 4 && section == "properties" && isKey:
			prop = key
			cur.props[prop] = ""
		case indent == 6 && section == "properties" && prop != "" && key == "type":
			cur.props[prop] = strings.Trim(val, `"'`)
		}
	}
}

// loadSchemata reads every FtM schema and Rastro's Identifier extension.
func loadSchemata(tb testing.TB) map[string]*ftmSchema {
	tb.Helper()
	dir := sharedFtMDir(tb)
	files, err := filepath.Glob(filepath.Join(dir, "*.y*ml"))
	if err != nil || len(files) == 0 {
		tb.Skipf("no FtM schema YAML in %s", dir)
	}
	schemata := map[string]*ftmSchema{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		parseSchemaYAML(tb, string(data), schemata)
	}
	if _, ok := schemata["Identifier"]; ok {
		tb.Fatal("FtM now defines Identifier itself: revisit Rastro's extension")
	}
	parseSchemaYAML(tb, IdentifierSchemaYAML(), schemata)
	return schemata
}

// allProps returns the properties of schema and its ancestors.
func allProps(tb testing.TB, schemata map[string]*ftmSchema, name string) map[string]string {
	tb.Helper()
	out := map[string]string{}
	var walk func(string, int)
	walk = func(n string, depth int) {
		s, ok := schemata[n]
		if !ok || depth > 20 {
			tb.Fatalf("schema %q (ancestor of %q) not found", n, name)
		}
		for p, typ := range s.props {
			if _, seen := out[p]; !seen {
				out[p] = typ
			}
		}
		for _, parent := range s.extends {
			walk(parent, depth+1)
		}
	}
	walk(name, 0)
	return out
}

func TestSchemaParserReadsFtM(t *testing.T) {
	schemata := loadSchemata(t)
	person := allProps(t, schemata, "Person")
	for _, p := range []string{"birthDate", "name", "country", "phone", "email", "nationality"} {
		if _, ok := person[p]; !ok {
			t.Errorf("Person lacks inherited property %q: the YAML reader is broken", p)
		}
	}
	if got := allProps(t, schemata, "Payment")["payer"]; got != "entity" {
		t.Errorf("Payment.payer type = %q, want entity", got)
	}
	if !slices.Contains(schemata["Identifier"].extends, "Thing") {
		t.Errorf("Identifier extends %v, want Thing", schemata["Identifier"].extends)
	}
}

func TestFtMConformsToSchemata(t *testing.T) {
	schemata := loadSchemata(t)
	for _, opts := range []FtMOptions{{}, {IncludeVictimData: true}} {
		_, objs := export(t, caseFixture(t), system, opts)
		for _, o := range objs {
			if _, ok := schemata[o.Schema]; !ok {
				t.Errorf("%s: schema %q is neither FtM nor Rastro's extension", o.ID, o.Schema)
				continue
			}
			props := allProps(t, schemata, o.Schema)
			for p, vals := range o.Properties {
				if _, ok := props[p]; !ok {
					t.Errorf("%s: %s has no property %q", o.ID, o.Schema, p)
				}
				if len(vals) == 0 {
					t.Errorf("%s: property %q has no values", o.ID, p)
				}
			}
		}
	}
}

// Every link schema Rastro knows must map onto real FtM properties.
func TestLinkShapesExist(t *testing.T) {
	schemata := loadSchemata(t)
	for _, ls := range []string{"Payment", "Message", "Call", "Associate", "Family", "Employment", "Ownership", "UnknownLink", "uses", "appears_in"} {
		ftm, src, tgt, role := linkShape(ls)
		props := allProps(t, schemata, ftm)
		want := []string{src, tgt, "startDate", "endDate", "date"}
		if role != "" {
			want = append(want, "role")
		}
		if ftm == "Payment" {
			want = append(want, "amount", "currency")
		}
		for _, p := range want {
			if _, ok := props[p]; !ok {
				t.Errorf("link %s -> %s: no property %q", ls, ftm, p)
			}
		}
		for _, p := range []string{src, tgt} {
			if props[p] != "entity" {
				t.Errorf("link %s -> %s.%s: type %q, want entity", ls, ftm, p, props[p])
			}
		}
	}
}

// isEntityProp must know every entity-typed property name of FtM, or
// references in it would keep the store's IDs and dangle.
func TestEntityPropsMatchFtM(t *testing.T) {
	schemata := loadSchemata(t)
	var want []string
	for _, s := range schemata {
		for p, typ := range s.props {
			if typ == "entity" && !slices.Contains(want, p) {
				want = append(want, p)
			}
		}
	}
	sort.Strings(want)
	for _, p := range want {
		if !isEntityProp(p) {
			t.Errorf("isEntityProp(%q) = false; FtM types it entity", p)
		}
	}
	if len(want) < 40 {
		t.Errorf("only %d entity-typed properties found: the YAML reader is broken", len(want))
	}
}
