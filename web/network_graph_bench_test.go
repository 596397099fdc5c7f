package web

import (
	"testing"
	"time"

	"github.com/rastro/rastro/internal/cputime"
)

// BenchmarkGraphAPI times the network view's JSON requests on a 5,000-entity,
// 15,000-link case as an analyst (victims redacted): the whole graph, an
// expansion (one node's neighbourhood) and a path. "cold" empties the
// server's graph cache before every request, so the case is read from the
// store each time (as every request did before the cache); "warm" reuses
// the cached snapshot and graph of the unchanged case. cpu-ms/op is the
// process's CPU time per request, steadier than wall time on a shared
// machine. Run with
//
//	go test -run '^$' -bench BenchmarkGraphAPI -benchtime 20x -cpu 1 ./web/
func BenchmarkGraphAPI(b *testing.B) {
	f := newFixture(b)
	f.seedLargeNetwork(5000, 15000)
	cookie, _ := f.session(f.users["analyst-m"])
	base := "/api/v1/cases/" + itoa(f.caseID)
	for _, q := range []struct{ name, path string }{
		{"full", "/graph"},
		{"expand", "/graph?center=n00100&depth=1"},
		{"path", "/graph/path?from=n00100&to=n04321"},
	} {
		for _, cold := range []bool{true, false} {
			name := q.name + "/warm"
			if cold {
				name = q.name + "/cold"
			}
			b.Run(name, func(b *testing.B) {
				get := func() {
					res := f.get(base+q.path, cookie)
					if res.StatusCode != 200 {
						b.Fatalf("%s: %d", q.path, res.StatusCode)
					}
					res.Body.Close()
				}
				get() // warm up: the first request fills the cache
				b.ReportAllocs()
				cpu := cputime.Process()
				for b.Loop() {
					if cold {
						resetGraphCache(f.srv)
					}
					get()
				}
				b.ReportMetric(float64(cputime.Process()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
			})
		}
	}
}
