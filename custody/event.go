package custody

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rastro/rastro"
)

// LeafFormat names the version of the leaf encoding; it is part of every
// leaf, so that a future encoding cannot be confused with this one.
const LeafFormat = "rastro-custody-event/1"

// TimeLayout is how an event's time is written in its leaf: UTC, RFC 3339,
// always nine fractional digits, so that the text is fixed width.
const TimeLayout = "2006-01-02T15:04:05.000000000Z"

// leaf is the JSON shape of a leaf before canonicalisation. Every field is
// always present.
type leaf struct {
	Format   string          `json:"format"`
	Seq      int64           `json:"seq"`
	CaseID   int64           `json:"case_id"`
	Evidence leafEvidence    `json:"evidence"`
	Action   string          `json:"action"`
	Actor    leafActor       `json:"actor"`
	Time     string          `json:"time"`
	Tool     leafTool        `json:"tool"`
	Details  json.RawMessage `json:"details"`
}

type leafEvidence struct {
	ID     int64  `json:"id"`
	SHA256 string `json:"sha256"`
}

type leafActor struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
}

type leafTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// EncodeLeaf returns the canonical JSON of ev, the bytes hashed into the
// tree. Details must be a JSON object (empty means {}).
func EncodeLeaf(ev *rastro.CustodyEvent) ([]byte, error) {
	details := ev.Details
	if len(bytes.TrimSpace(details)) == 0 {
		details = json.RawMessage(`{}`)
	}
	if !isObject(details) {
		return nil, errors.New("encode leaf: details must be a JSON object")
	}
	l := leaf{
		Format: LeafFormat, Seq: ev.Seq, CaseID: ev.CaseID,
		Evidence: leafEvidence{ID: ev.EvidenceID, SHA256: ev.EvidenceSHA256},
		Action:   string(ev.Action),
		Actor:    leafActor{ID: ev.UserID, Username: ev.Username},
		Time:     ev.Time.UTC().Format(TimeLayout),
		Tool:     leafTool{Name: ev.Tool, Version: ev.ToolVersion},
		Details:  details,
	}
	raw, err := json.Marshal(l)
	if err != nil {
		return nil, fmt.Errorf("encode leaf: %w", err)
	}
	out, err := Canonicalize(raw)
	if err != nil {
		return nil, fmt.Errorf("encode leaf: %w", err)
	}
	return out, nil
}

// isObject reports whether raw is a JSON object.
func isObject(raw []byte) bool {
	var m map[string]json.RawMessage
	return json.Unmarshal(raw, &m) == nil && m != nil
}

// ParseLeaf decodes a leaf into an event, with Leaf and LeafHash set. It
// rejects leaves that are not exactly canonical, have unknown or missing
// members, or another format.
func ParseLeaf(data []byte) (*rastro.CustodyEvent, error) {
	canon, err := Canonicalize(data)
	if err != nil {
		return nil, fmt.Errorf("parse leaf: %w", err)
	}
	if !bytes.Equal(canon, data) {
		return nil, errors.New("parse leaf: not in canonical form (RFC 8785)")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var l leaf
	if err := dec.Decode(&l); err != nil {
		return nil, fmt.Errorf("parse leaf: %w", err)
	}
	if l.Format != LeafFormat {
		return nil, fmt.Errorf("parse leaf: format %q, want %q", l.Format, LeafFormat)
	}
	t, err := time.Parse(TimeLayout, l.Time)
	if err != nil {
		return nil, fmt.Errorf("parse leaf: time: %w", err)
	}
	ev := &rastro.CustodyEvent{
		Seq: l.Seq, CaseID: l.CaseID, EvidenceID: l.Evidence.ID, EvidenceSHA256: l.Evidence.SHA256,
		Action: rastro.CustodyAction(l.Action), UserID: l.Actor.ID, Username: l.Actor.Username,
		Time: t, Tool: l.Tool.Name, ToolVersion: l.Tool.Version, Details: l.Details,
		Leaf: bytes.Clone(data), LeafHash: LeafHash(data),
	}
	// Re-encoding must give the same bytes, so that no member was missing.
	again, err := EncodeLeaf(ev)
	if err != nil || !bytes.Equal(again, data) {
		return nil, errors.New("parse leaf: members missing or malformed")
	}
	return ev, nil
}
