package custody

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rastro/rastro"
)

func sampleEvent() *rastro.CustodyEvent {
	return &rastro.CustodyEvent{
		Seq: 4, CaseID: 1, EvidenceID: 2, Action: rastro.CustodyAcquire,
		EvidenceSHA256: strings.Repeat("ab", 32), UserID: 3, Username: "ines",
		Time: time.Date(2026, 3, 1, 9, 0, 0, 123456000, time.UTC), Tool: "rastro", ToolVersion: "0.1.0",
		Details: json.RawMessage(`{"source":"seizure","exhibit_no":"EX-1 <a&b>"}`),
	}
}

func TestEncodeLeaf(t *testing.T) {
	got, err := EncodeLeaf(sampleEvent())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"action":"acquire","actor":{"id":3,"username":"ines"},"case_id":1,` +
		`"details":{"exhibit_no":"EX-1 <a&b>","source":"seizure"},` +
		`"evidence":{"id":2,"sha256":"` + strings.Repeat("ab", 32) + `"},"format":"rastro-custody-event/1",` +
		`"seq":4,"time":"2026-03-01T09:00:00.123456000Z","tool":{"name":"rastro","version":"0.1.0"}}`
	if string(got) != want {
		t.Errorf("EncodeLeaf =\n%s\nwant\n%s", got, want)
	}
	ev, err := ParseLeaf(got)
	if err != nil {
		t.Fatal(err)
	}
	back, _ := EncodeLeaf(ev)
	if diff := cmp.Diff(want, string(back)); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestParseLeafRejects(t *testing.T) {
	good, _ := EncodeLeaf(sampleEvent())
	tests := []struct{ name, leaf string }{
		{"not canonical", " " + string(good)},
		{"unknown member", strings.Replace(string(good), `"action"`, `"a":1,"action"`, 1)},
		{"missing member", strings.Replace(string(good), `"case_id":1,`, ``, 1)},
		{"other format", strings.Replace(string(good), `event/1`, `event/2`, 1)},
		{"bad time", strings.Replace(string(good), `09:00:00.123456000Z`, `09:00:00Z`, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseLeaf([]byte(tt.leaf)); err == nil {
				t.Errorf("ParseLeaf accepted %s", tt.leaf)
			}
		})
	}
	ev := sampleEvent()
	ev.Details = json.RawMessage(`[1]`)
	if _, err := EncodeLeaf(ev); err == nil {
		t.Error("EncodeLeaf accepted details that are not an object")
	}
}

// FuzzParseLeaf checks that leaf parsing never panics and accepts only
// exact encodings.
func FuzzParseLeaf(f *testing.F) {
	good, _ := EncodeLeaf(sampleEvent())
	f.Add(good)
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		ev, err := ParseLeaf(in)
		if err != nil {
			return
		}
		out, err := EncodeLeaf(ev)
		if err != nil || !bytes.Equal(out, in) {
			t.Fatalf("accepted %q, which encodes as %q (%v)", in, out, err)
		}
	})
}
