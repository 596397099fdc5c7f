package custody

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"html/template"

	"github.com/rastro/rastro"
)

// reportTemplate is report.html: what was done to each item and how to
// check it, readable without any software but a browser.
var reportTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Court package: {{.Case.Title}}</title>
<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}
code{font-size:.9em;word-break:break-all}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #999;padding:.3em;text-align:left;vertical-align:top}</style></head>
<body>
<h1>Court package: {{.Case.Title}}</h1>
<p>Case {{.Case.ID}}, jurisdiction {{.Case.Jurisdiction}}. Written {{.Now}} by {{.Tool}} {{.ToolVersion}}.
{{len .Items}} evidence items, {{len .Events}} custody events.</p>

<h2>How to check this package</h2>
<ol>
<li>Run <code>rastro verify PACKAGE --key '{{.Key}}'</code>, or re-implement the check from
<code>docs/VERIFY.md</code> (about 100 lines in any language). Obtain the key from the issuing agency
through a separate channel: a key read from the package itself proves nothing against someone who
rewrote the package.</li>
<li>Every file is listed in <code>manifest.json</code> with its SHA-256.</li>
<li>Each original is stored as <code>originals/&lt;sha256&gt;</code>: its SHA-256 must equal its name and
the hash recorded in the custody events.</li>
<li>Each line of <code>custody/events.jsonl</code> is one event in canonical JSON (RFC 8785). Its leaf hash
is SHA-256(0x00 || line). <code>custody/proofs.json</code> holds the RFC 6962 inclusion proof of each event
in the log of {{.Size}} events whose root hash is <code>{{.Root}}</code>.</li>
<li><code>custody/checkpoint</code> states that size and root, signed with Ed25519 as a C2SP signed note
by the key in <code>custody/key.pub</code>{{if .Timestamped}}; <code>custody/checkpoint.tsr</code> is an RFC 3161
time-stamp of the checkpoint{{end}}.</li>
</ol>

<h2>Evidence items</h2>
{{range .Items}}
<h3>Item {{.Evidence.ID}}: {{.Evidence.OriginalName}}</h3>
<table>
<tr><th>SHA-256</th><td><code>{{.Evidence.SHA256}}</code></td></tr>
{{if .Evidence.SHA1}}<tr><th>SHA-1</th><td><code>{{.Evidence.SHA1}}</code></td></tr>{{end}}
{{if .Evidence.MD5}}<tr><th>MD5</th><td><code>{{.Evidence.MD5}}</code></td></tr>{{end}}
<tr><th>Size</th><td>{{.Evidence.Size}} bytes, {{.Evidence.MediaType}}</td></tr>
<tr><th>Source</th><td>{{.Evidence.Source}} {{if .Evidence.ExhibitNo}}(exhibit {{.Evidence.ExhibitNo}}){{end}}</td></tr>
<tr><th>Original</th><td>{{if .HashesOnly}}Not included (hashes only): the material stays in the evidence vault.{{else}}<code>originals/{{.Evidence.SHA256}}</code>{{end}}</td></tr>
</table>
<table><tr><th>Event</th><th>Time (UTC)</th><th>Action</th><th>By</th><th>Tool</th><th>Details</th></tr>
{{range .Events}}<tr><td>{{.Seq}}</td><td>{{.Time}}</td><td>{{.Action}}</td><td>{{.Username}}</td><td>{{.Tool}} {{.ToolVersion}}</td><td><code>{{.Details}}</code></td></tr>
{{end}}</table>
{{end}}
</body></html>
`))

// reportItem is an item with its events, for the template.
type reportItem struct {
	Item
	Events []*rastro.CustodyEvent
}

// renderReport renders report.html.
func renderReport(c *contents, opts WriteOptions) ([]byte, error) {
	byItem := map[int64][]*rastro.CustodyEvent{}
	for _, ev := range c.events {
		byItem[ev.EvidenceID] = append(byItem[ev.EvidenceID], ev)
	}
	items := make([]reportItem, len(c.items))
	for i, it := range c.items {
		items[i] = reportItem{Item: it, Events: byItem[it.Evidence.ID]}
	}
	var buf bytes.Buffer
	err := reportTemplate.Execute(&buf, map[string]any{
		"Case": c.cs, "Items": items, "Events": c.events, "Now": opts.Now.UTC().Format(TimeLayout),
		"Tool": opts.Tool, "ToolVersion": opts.ToolVersion, "Key": c.key, "Size": c.cp.Size,
		"Root": hex.EncodeToString(c.cp.RootHash), "Timestamped": len(c.cp.Timestamp) > 0,
	})
	if err != nil {
		return nil, fmt.Errorf("write package: report: %w", err)
	}
	return buf.Bytes(), nil
}
