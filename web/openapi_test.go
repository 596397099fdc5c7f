package web

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	must(t, json.Unmarshal(openapiDoc, &doc))
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi %q, want 3.1", doc.OpenAPI)
	}
	var inDoc, inTable []string
	for p, ops := range doc.Paths {
		for m := range ops {
			inDoc = append(inDoc, strings.ToUpper(m)+" "+p)
		}
	}
	for _, rt := range (&Server{}).routes() {
		if strings.HasPrefix(rt.pattern, "/api/") {
			inTable = append(inTable, rt.method+" "+rt.pattern)
		}
	}
	sort.Strings(inDoc)
	sort.Strings(inTable)
	if d := cmp.Diff(inTable, inDoc); d != "" {
		t.Errorf("route table and openapi.json differ (-table +doc):\n%s", d)
	}
}

func TestOpenAPIServed(t *testing.T) {
	f := newFixture(t)
	res := f.get("/api/v1/openapi.json", "")
	if res.StatusCode != 200 || !json.Valid([]byte(body(t, res))) {
		t.Fatalf("openapi.json: %d", res.StatusCode)
	}
}
