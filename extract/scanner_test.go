package extract

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

// span of a selector, for comparing Scanner with Scan.
type located struct {
	Kind, Value, Raw string
	Start, End       int64
}

func locate(sels []Selector) []located {
	out := make([]located, len(sels))
	for i, s := range sels {
		out[i] = located{s.Kind, s.Value, s.Raw, s.Start, s.End}
	}
	return out
}

// TestScannerMatchesScan streams a generated chat file in 1 KiB steps
// (through a reader returning one byte at a time at first) and expects the
// selectors and offsets Scan gives on the whole file.
func TestScannerMatchesScan(t *testing.T) {
	tr, dir := generate(t, "tiny")
	for _, f := range textFiles(t, tr, dir) {
		if !strings.HasPrefix(f.path, "chats/") {
			continue
		}
		t.Run(f.path, func(t *testing.T) {
			want := locate(Scan(f.data, Options{Region: "MX"}))
			sc := NewScanner(iotest.HalfReader(bytes.NewReader(f.data)), Options{Region: "MX"})
			sc.Buffer(1024)
			var gotSels []Selector
			for sc.Scan() {
				gotSels = append(gotSels, sc.Selector())
			}
			if err := sc.Err(); err != nil {
				t.Fatal(err)
			}
			got := locate(gotSels)
			// National numbers may resolve differently with only the
			// hints read so far; compare phones by place only.
			for i := range min(len(got), len(want)) {
				if got[i].Kind == KindPhone && want[i].Kind == KindPhone && got[i].Start == want[i].Start {
					got[i].Value = want[i].Value
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Scanner differs from Scan (-Scan +Scanner):\n%s", diff)
			}
		})
	}
}

func TestScannerReadError(t *testing.T) {
	boom := errors.New("disk gone")
	sc := NewScanner(iotest.ErrReader(boom), Options{})
	if sc.Scan() {
		t.Fatal("Scan = true on a failing reader")
	}
	if !errors.Is(sc.Err(), boom) {
		t.Fatalf("Err = %v, want %v", sc.Err(), boom)
	}
}
