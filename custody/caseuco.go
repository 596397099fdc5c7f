package custody

import (
	"encoding/hex"
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/rastro/rastro"
)

// caseContext is the JSON-LD context of case.jsonld: the CASE/UCO 1.4
// namespaces and the package's own node identifiers.
var caseContext = map[string]string{
	"kb":                 "urn:rastro:kb:",
	"case-investigation": "https://ontology.caseontology.org/case/investigation/",
	"uco-action":         "https://ontology.unifiedcyberontology.org/uco/action/",
	"uco-core":           "https://ontology.unifiedcyberontology.org/uco/core/",
	"uco-identity":       "https://ontology.unifiedcyberontology.org/uco/identity/",
	"uco-observable":     "https://ontology.unifiedcyberontology.org/uco/observable/",
	"uco-tool":           "https://ontology.unifiedcyberontology.org/uco/tool/",
	"uco-types":          "https://ontology.unifiedcyberontology.org/uco/types/",
	"xsd":                "http://www.w3.org/2001/XMLSchema#",
}

// node is one JSON-LD node.
type node = map[string]any

// ref is a JSON-LD reference to a node.
func ref(id string) node { return node{"@id": id} }

// dateTime is an xsd:dateTime literal.
func dateTime(s string) node { return node{"@type": "xsd:dateTime", "@value": s} }

// caseGraph collects the nodes of case.jsonld.
type caseGraph struct {
	prefix string // "kb:case<ID>-", so that ids are unique across cases
	nodes  []node
	seen   map[string]bool
}

// add appends a node once.
func (g *caseGraph) add(n node) {
	id := n["@id"].(string)
	if !g.seen[id] {
		g.seen[id] = true
		g.nodes = append(g.nodes, n)
	}
}

// id returns a node identifier.
func (g *caseGraph) id(kind string, parts ...any) string {
	s := g.prefix + kind
	for _, p := range parts {
		s += "-" + url.PathEscape(fmt.Sprint(p)) // usernames and tool names may hold spaces
	}
	return s
}

// caseUCO builds the CASE/UCO 1.4 graph: the investigation, a File with
// FileFacet and ContentDataFacet (hashes) and a ProvenanceRecord per item,
// and an InvestigativeAction per custody event (performer, instrument,
// object, result), plus the package's own export action.
func caseUCO(c *contents, opts WriteOptions) node {
	g := &caseGraph{prefix: fmt.Sprintf("kb:case%d-", c.cs.ID), seen: map[string]bool{}}
	var objects []any
	files := map[int64]string{}
	provenance := map[int64]string{}
	for _, it := range c.items {
		files[it.Evidence.ID] = g.file(it)
		provenance[it.Evidence.ID] = g.provenance(it, files[it.Evidence.ID])
		objects = append(objects, ref(provenance[it.Evidence.ID]))
	}
	for _, ev := range c.events {
		objects = append(objects, ref(g.action(ev, files[ev.EvidenceID], provenance[ev.EvidenceID])))
	}
	objects = append(objects, ref(g.packaging(c, opts, files)))
	inv := node{
		"@id": g.id("investigation"), "@type": "case-investigation:Investigation",
		"uco-core:name":        c.cs.Title,
		"uco-core:description": fmt.Sprintf("Rastro case %d (jurisdiction %s): court package of %d evidence items", c.cs.ID, c.cs.Jurisdiction, len(c.items)),
		"uco-core:object":      objects,
	}
	return node{"@context": caseContext, "@graph": append([]node{inv}, g.nodes...)}
}

// file adds an item's File node and returns its id.
func (g *caseGraph) file(it Item) string {
	e := it.Evidence
	hashes := []any{g.hash("sha256", e.SHA256)}
	if e.SHA1 != "" {
		hashes = append(hashes, g.hash("sha1", e.SHA1))
	}
	if e.MD5 != "" {
		hashes = append(hashes, g.hash("md5", e.MD5))
	}
	content := node{"@id": g.id("content", e.ID), "@type": "uco-observable:ContentDataFacet",
		"uco-observable:sizeInBytes": e.Size, "uco-observable:hash": hashes}
	if e.MediaType != "" {
		content["uco-observable:mimeType"] = e.MediaType
	}
	facet := node{"@id": g.id("filefacet", e.ID), "@type": "uco-observable:FileFacet",
		"uco-observable:fileName": e.OriginalName, "uco-observable:sizeInBytes": e.Size}
	if ext := strings.TrimPrefix(path.Ext(e.OriginalName), "."); ext != "" {
		facet["uco-observable:extension"] = ext
	}
	id := g.id("file", e.ID)
	g.add(node{"@id": id, "@type": "uco-observable:File", "uco-core:hasFacet": []any{facet, content}})
	return id
}

// hash returns a Hash node (embedded).
func (g *caseGraph) hash(method, value string) node {
	names := map[string]string{"sha256": "SHA256", "sha1": "SHA1", "md5": "MD5"}
	return node{"@id": g.id("hash", method, value[:min(16, len(value))]), "@type": "uco-types:Hash",
		"uco-types:hashMethod": names[method],
		"uco-types:hashValue":  node{"@type": "xsd:hexBinary", "@value": value}}
}

// provenance adds an item's ProvenanceRecord and returns its id.
func (g *caseGraph) provenance(it Item, file string) string {
	e := it.Evidence
	desc := fmt.Sprintf("Evidence item %d, source %q, acquired %s; original included as %s%s", e.ID, e.Source,
		e.AcquiredAt.UTC().Format(TimeLayout), OriginalsDir, e.SHA256)
	if it.HashesOnly {
		desc = fmt.Sprintf("Evidence item %d, source %q, acquired %s; hashes only: the original stays in the vault", e.ID,
			e.Source, e.AcquiredAt.UTC().Format(TimeLayout))
	}
	n := node{"@id": g.id("provenance", e.ID), "@type": "case-investigation:ProvenanceRecord",
		"uco-core:description": desc, "uco-core:object": []any{ref(file)}}
	if e.ExhibitNo != "" {
		n["case-investigation:exhibitNumber"] = e.ExhibitNo
	}
	g.add(n)
	return n["@id"].(string)
}

// person adds an actor's Person node and returns its id.
func (g *caseGraph) person(userID int64, username string) string {
	id := g.id("person", userID, username)
	g.add(node{"@id": id, "@type": "uco-identity:Person", "uco-core:name": username})
	return id
}

// tool adds a Tool node and returns its id.
func (g *caseGraph) tool(name, version string) string {
	id := g.id("tool", name, version)
	g.add(node{"@id": id, "@type": "uco-tool:Tool", "uco-core:name": name, "uco-tool:version": version})
	return id
}

// action adds the InvestigativeAction of one custody event.
func (g *caseGraph) action(ev *rastro.CustodyEvent, file, provenance string) string {
	id := g.id("action", ev.Seq)
	n := node{"@id": id, "@type": "case-investigation:InvestigativeAction",
		"uco-core:name":         string(ev.Action),
		"uco-core:description":  fmt.Sprintf("Custody log event %d (leaf hash %s): %s", ev.Seq, hex.EncodeToString(ev.LeafHash), ev.Details),
		"uco-action:startTime":  dateTime(ev.Time.UTC().Format(TimeLayout)),
		"uco-action:performer":  ref(g.person(ev.UserID, ev.Username)),
		"uco-action:instrument": ref(g.tool(ev.Tool, ev.ToolVersion)),
		"uco-action:object":     []any{ref(file)},
	}
	if ev.Action == rastro.CustodyAcquire || ev.Action == rastro.CustodyUnpack {
		n["uco-action:result"] = []any{ref(provenance)}
	}
	g.add(n)
	return id
}

// packaging adds the action that wrote this package.
func (g *caseGraph) packaging(c *contents, opts WriteOptions, files map[int64]string) string {
	var objects []any
	for _, it := range c.items {
		objects = append(objects, ref(files[it.Evidence.ID]))
	}
	id := g.id("package", opts.Now.UTC().Format("20060102T150405Z"))
	g.add(node{"@id": id, "@type": "case-investigation:InvestigativeAction",
		"uco-core:name":         "court-package",
		"uco-core:description":  fmt.Sprintf("Court package written; custody proven by checkpoint of tree size %d", c.cp.Size),
		"uco-action:startTime":  dateTime(opts.Now.UTC().Format(TimeLayout)),
		"uco-action:instrument": ref(g.tool(opts.Tool, opts.ToolVersion)),
		"uco-action:object":     objects,
	})
	return id
}
