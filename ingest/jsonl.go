package ingest

import (
	"encoding/json"
	"io"
)

// JSONL returns a Func that writes each item as one JSON object per line:
// the output of `rastro parse`, so anyone can check what a parser made of a
// file. Times are RFC 3339 in UTC.
func JSONL(w io.Writer) Func {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return func(it Item) error { return enc.Encode(it) }
}
