package export

import (
	"context"
	"io"
	"strconv"
	"testing"

	"github.com/rastro/rastro"
)

// countingWriter discards output and counts bytes.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// benchCase builds a fictional case of n entities (1 in 20 a possible
// victim, each person using a phone identifier) and n/2 links.
func benchCase(tb testing.TB, n int) *memStore {
	tb.Helper()
	m := newMemStore()
	ctx := context.Background()
	var links []*rastro.Link
	for i := 0; i < n; i += 2 {
		id := strconv.Itoa(i)
		role := rastro.CaseRoleSuspect
		if i%20 == 0 {
			role = rastro.CaseRolePossibleVictim
		}
		person := entity("person-"+id, "Person", role, "name", "Persona Ficticia "+id, "alias", "alias "+id,
			"birthDate", "1990-01-01", "nationality", "es", "phone", "+34 600 "+id, "gender", "female")
		phone := entity("phone-"+id, "Identifier", rastro.CaseRoleUnknown, "value", "+34 600 "+id, "kind", "phone",
			"normalized", "+34600"+id)
		for _, e := range []*rastro.Entity{person, phone} {
			if err := m.PutEntity(ctx, system, e); err != nil {
				tb.Fatal(err)
			}
		}
		links = append(links, link("uses-"+id, "uses", "person-"+id, "phone-"+id))
	}
	if err := m.PutLinks(ctx, system, testCase, links); err != nil {
		tb.Fatal(err)
	}
	return m
}

func BenchmarkFtM100k(b *testing.B) {
	m := benchCase(b, 100_000)
	for _, bc := range []struct {
		name string
		opts FtMOptions
	}{
		{"redacted", FtMOptions{PseudonymKey: []byte("bench key")}},
		{"full", FtMOptions{IncludeVictimData: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var w countingWriter
			if _, err := FtMWith(context.Background(), &w, m, system, testCase, bc.opts); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(w.n)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := FtMWith(context.Background(), io.Discard, m, system, testCase, bc.opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
