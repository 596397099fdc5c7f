package web

import (
	"io"
	"net/http"
	"os"
	"strconv"
	"testing"

	"github.com/rastro/rastro"
)

// BenchmarkEvidencePage renders the page of an item with 10 custody events
// in a log of RASTRO_BENCH_EVENTS events (default 2000; the others belong
// to another item), verified against a checkpoint over the whole log:
// verification reads every leaf hash from 0, so the cost grows with the
// log, not with the item.
func BenchmarkEvidencePage(b *testing.B) {
	n := 2000
	if v, err := strconv.Atoi(os.Getenv("RASTRO_BENCH_EVENTS")); err == nil && v > 0 {
		n = v
	}
	f := newFixture(b)
	for i := range n {
		item := f.imageID
		if i%max(1, n/10) == 0 {
			item = f.textID
		}
		f.appendCustody(item, rastro.CustodyParse)
	}
	f.checkpoint()
	cookie, _ := f.session(f.users["analyst-m"])
	path := f.evidencePath(f.textID)
	b.ResetTimer()
	for b.Loop() {
		res := f.get(path, cookie)
		if res.StatusCode != http.StatusOK {
			b.Fatalf("status %d", res.StatusCode)
		}
		_, _ = io.Copy(io.Discard, res.Body)
	}
}
