package custody

import (
	"bufio"
	"encoding/json"
	"github.com/rastro/rastro/internal/shareddata"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// ontologyDir is the CASE/UCO ontology of the reference data, or skips.
func ontologyDir(t *testing.T) string { return shareddata.Dir(t, "case-uco/ontology") }

// vocabulary is the set of full IRIs of the ontology's classes and
// properties.
type vocabulary map[string]bool

var (
	prefixRe  = regexp.MustCompile(`^@prefix\s+([A-Za-z0-9_-]*):\s+<([^>]+)>\s*\.`)
	subjectRe = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9_-]*):([A-Za-z][A-Za-z0-9_.-]*)\s*$`)
	declRe    = regexp.MustCompile(`\b(owl:Class|owl:ObjectProperty|owl:DatatypeProperty|rdf:Property|sh:NodeShape)\b`)
)

// loadVocabulary scans the Turtle files: a minimal reader for the CASE/UCO
// files' layout, where each subject starts an unindented line and its
// description ends with a line holding only ".". Subjects whose "a" list
// declares a class, property or node shape are collected.
func loadVocabulary(t *testing.T, dir string) vocabulary {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.ttl"))
	if len(files) == 0 {
		t.Skipf("no .ttl files in %s", dir)
	}
	v := vocabulary{}
	for _, path := range files {
		scanTurtle(t, path, v)
	}
	return v
}

// scanTurtle adds one file's declarations to v.
func scanTurtle(t *testing.T, path string, v vocabulary) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	prefixes := map[string]string{}
	subject, block := "", ""
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := prefixRe.FindStringSubmatch(line); m != nil {
			prefixes[m[1]] = m[2]
		} else if m := subjectRe.FindStringSubmatch(line); m != nil {
			subject, block = "", ""
			if ns, ok := prefixes[m[1]]; ok {
				subject = ns + m[2]
			}
		} else if strings.TrimSpace(line) == "." {
			if subject != "" && declRe.MatchString(typeList(block)) {
				v[subject] = true
			}
			subject, block = "", ""
		} else if subject != "" {
			block += line + "\n"
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

// typeList returns the objects of a subject's leading "a" predicate.
func typeList(block string) string {
	s := strings.TrimSpace(block)
	if !strings.HasPrefix(s, "a ") && !strings.HasPrefix(s, "a\n") && !strings.HasPrefix(s, "a\t") {
		return ""
	}
	end := strings.Index(s, ";")
	if end < 0 {
		end = len(s)
	}
	return s[:end]
}

// unknownTerms returns the classes and properties a JSON-LD document uses
// that the vocabulary does not declare (and context prefixes it expands).
func unknownTerms(t *testing.T, doc []byte, v vocabulary) []string {
	t.Helper()
	var root struct {
		Context map[string]string `json:"@context"`
		Graph   []any             `json:"@graph"`
	}
	if err := json.Unmarshal(doc, &root); err != nil {
		t.Fatal(err)
	}
	var bad []string
	expand := func(term string) string {
		prefix, local, ok := strings.Cut(term, ":")
		if ns, known := root.Context[prefix]; ok && known {
			return ns + local
		}
		return term
	}
	check := func(term string) {
		if !v[expand(term)] {
			bad = append(bad, term)
		}
	}
	var walk func(x any)
	walk = func(x any) {
		switch n := x.(type) {
		case []any:
			for _, e := range n {
				walk(e)
			}
		case map[string]any:
			if _, literal := n["@value"]; literal {
				if typ, _ := n["@type"].(string); !strings.HasPrefix(typ, "xsd:") {
					bad = append(bad, "datatype "+typ)
				}
				return
			}
			for k, val := range n {
				switch {
				case k == "@type":
					for _, typ := range asList(val) {
						check(typ)
					}
				case !strings.HasPrefix(k, "@"):
					check(k)
					walk(val)
				}
			}
		}
	}
	walk(root.Graph)
	return bad
}

// asList returns a @type value as a list of strings.
func asList(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			s, _ := e.(string)
			out = append(out, s)
		}
		return out
	}
	return nil
}

// TestCaseUCOVocabulary checks that the package's case.jsonld uses only
// classes and properties declared by the CASE/UCO 1.4 ontology files, and
// that the checker itself accepts the shared example and rejects a made-up
// term.
func TestCaseUCOVocabulary(t *testing.T) {
	dir := ontologyDir(t)
	v := loadVocabulary(t, dir)
	if len(v) < 500 {
		t.Fatalf("only %d terms read from the ontology", len(v))
	}
	example, err := os.ReadFile(filepath.Join(dir, "..", "01-chain-of-custody.jsonld"))
	if err != nil {
		t.Fatal(err)
	}
	if bad := unknownTerms(t, example, v); len(bad) != 0 {
		t.Fatalf("the checker rejects the shared example: %v", bad)
	}
	if bad := unknownTerms(t, []byte(`{"@context":{"uco-core":"https://ontology.unifiedcyberontology.org/uco/core/"},
		"@graph":[{"@id":"kb:x","@type":"uco-core:Evidence","uco-core:madeUp":"y"}]}`), v); len(bad) != 2 {
		t.Fatalf("the checker accepted made-up terms: %v", bad)
	}

	src := newFakeSource(t)
	doc, err := os.ReadFile(filepath.Join(writeDir(t, src), CaseUCOFile))
	if err != nil {
		t.Fatal(err)
	}
	if bad := unknownTerms(t, doc, v); len(bad) != 0 {
		t.Errorf("case.jsonld uses terms the ontology does not declare: %v", bad)
	}
	for _, want := range []string{"case-investigation:Investigation", "case-investigation:InvestigativeAction",
		"case-investigation:ProvenanceRecord", "uco-observable:File", "uco-observable:ContentDataFacet", "uco-types:Hash"} {
		if !strings.Contains(string(doc), `"`+want+`"`) {
			t.Errorf("case.jsonld has no %s", want)
		}
	}
}
