package export

import (
	"bytes"
	"context"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rastro/rastro"
	"github.com/rastro/rastro/sqlite"
)

// TestFtMOnSQLite exports the fictional case from a real SQLite store.
func TestFtMOnSQLite(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "rastro.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a := &rastro.Agency{Name: "Unidad Ficticia", Country: "ES", Kind: rastro.AgencyPolice}
	if err := db.CreateAgency(ctx, system, a); err != nil {
		t.Fatal(err)
	}
	c := &rastro.Case{AgencyID: a.ID, Title: "Caso de formación", Jurisdiction: "ES"}
	if err := db.CreateCase(ctx, system, c); err != nil {
		t.Fatal(err)
	}
	var s rastro.EntityService = db
	if err := fillCase(t, s, c.ID); err != nil {
		// Until the store implements links, keep entities in SQLite and
		// links in memory, so that the entity side is still tested for real.
		t.Logf("SQLite store cannot store links yet (%v): links kept in memory", err)
		s = &memLinks{EntityService: db, links: newMemStore()}
		if err := fillCase(t, s, c.ID); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	n, err := FtM(ctx, &buf, s, system, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	objs := parseLines(t, buf.Bytes())
	if n != len(objs) || n != 25 {
		t.Errorf("n = %d, %d lines, want 25 (11 entities, 14 links)", n, len(objs))
	}
	for _, s := range planted {
		if bytes.Contains(buf.Bytes(), []byte(s)) {
			t.Errorf("default export contains victim data %q", s)
		}
	}
	prefix := "rastro-" + strconv.FormatInt(c.ID, 10) + "-e-"
	want := map[string][]string{"name": {"Ramón Ejemplo Ficticio"}, "alias": {"El Jefe"}, "nationality": {"es"},
		"birthDate": {"1980-02-03"}, "phone": {"+34 611 222 333"}}
	if diff := cmp.Diff(want, byID(t, objs)[prefix+"person-ramon"].Properties); diff != "" {
		t.Errorf("suspect round trip (-want +got):\n%s", diff)
	}
}

// memLinks is a real store whose links live in memory.
type memLinks struct {
	rastro.EntityService
	links *memStore
}

func (m *memLinks) PutLinks(ctx context.Context, actor rastro.Actor, caseID int64, links []*rastro.Link) error {
	return m.links.PutLinks(ctx, actor, caseID, links)
}

func (m *memLinks) Links(ctx context.Context, actor rastro.Actor, caseID int64, entityID string) ([]*rastro.Link, error) {
	return m.links.Links(ctx, actor, caseID, entityID)
}
