package intake_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/intake"
	"github.com/rastro/rastro/sqlite"
	"github.com/rastro/rastro/store"
	"github.com/rastro/rastro/vault"
)

// env is a real SQLite store, a file-system vault and a case.
type env struct {
	svc     *intake.Service
	db      *store.DB
	actor   rastro.Actor
	caseID  int64
	vdir    string
	actions []string // OnStored calls: "action name"
	infos   []intake.HookInfo
}

// newEnv opens a store and a vault in t.TempDir() with one case led by an
// investigator.
func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := t.Context()
	dir := t.TempDir()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "rastro.db"))
	must(t, err)
	t.Cleanup(func() { db.Close() })
	sys := rastro.SystemActor("test setup")
	ag := &rastro.Agency{Name: "Unidad de Prueba", Country: "mx", Kind: rastro.AgencyPolice}
	must(t, db.CreateAgency(ctx, sys, ag))
	u := &rastro.User{AgencyID: ag.ID, Username: "ines", DisplayName: "Inés Test", Role: rastro.RoleInvestigator, PasswordHash: "x"}
	must(t, db.CreateUser(ctx, sys, u))
	e := &env{db: db, actor: rastro.ActorOf(u), vdir: filepath.Join(dir, "vault")}
	cs := &rastro.Case{Title: "Operación Ficticia", Jurisdiction: "MX"}
	must(t, db.CreateCase(ctx, e.actor, cs))
	e.caseID = cs.ID
	b, err := vault.NewFSBackend(e.vdir)
	must(t, err)
	master := bytes.Repeat([]byte{7}, vault.KeySize)
	keys, err := vault.NewKeyring(b, master)
	must(t, err)
	e.svc = &intake.Service{Vault: vault.New(b, keys), Store: db,
		OnStored: func(ctx context.Context, ev *rastro.Evidence, action string) error {
			e.actions = append(e.actions, action+" "+ev.OriginalName)
			info, _ := intake.HookInfoFrom(ctx)
			e.infos = append(e.infos, info)
			return nil
		}}
	return e
}

// meta is the acquisition metadata the tests record.
var meta = intake.Acquisition{
	Source: "Phone of person of interest A, seizure S-17", ExhibitNo: "EX-004",
	AcquiredAt: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), Tool: "rastro-test 1.0",
	SourceTZ: "America/Mexico_City", Notes: "fictional test data",
}

// ingest runs Ingest on path.
func (e *env) ingest(t *testing.T, path string) ([]*rastro.Evidence, []error) {
	t.Helper()
	return e.svc.Ingest(t.Context(), e.actor, e.caseID, path, meta, nil)
}

// list returns the case's evidence by original name.
func (e *env) list(t *testing.T) map[string]*rastro.Evidence {
	t.Helper()
	evs, err := e.db.EvidenceList(t.Context(), e.actor, e.caseID)
	must(t, err)
	m := map[string]*rastro.Evidence{}
	for _, ev := range evs {
		m[ev.OriginalName] = ev
	}
	return m
}

// must fails the test on err.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// sha returns the hex SHA-256 of p.
func sha(p []byte) string {
	s := sha256.Sum256(p)
	return hex.EncodeToString(s[:])
}

// entry is one archive member to build.
type entry struct {
	name     string
	data     []byte
	typeflag byte        // tar type; 0 = regular
	link     string      // tar link target
	mode     os.FileMode // zip mode bits (e.g. os.ModeSymlink)
}

// makeZip builds a zip archive.
func makeZip(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.mode != 0 {
			h.SetMode(e.mode | 0o777)
		}
		w, err := zw.CreateHeader(h)
		must(t, err)
		w.Write(e.data)
	}
	must(t, zw.Close())
	return buf.Bytes()
}

// makeTar builds a tar archive.
func makeTar(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(e.data)), Linkname: e.link}
		if e.typeflag != 0 {
			h.Typeflag, h.Size = e.typeflag, 0
		}
		must(t, tw.WriteHeader(h))
		if h.Size > 0 {
			tw.Write(e.data)
		}
	}
	must(t, tw.Close())
	return buf.Bytes()
}

// gz compresses p.
func gz(t testing.TB, p []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(p)
	must(t, w.Close())
	return buf.Bytes()
}

// writeFiles writes files into a new folder and returns it.
func writeFiles(t testing.TB, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, data, 0o644))
	}
	return dir
}
