package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/sqlite"
)

// TestIngestExportVerify runs the chain of custody from the command line:
// ingest a folder, export a court package, verify it, and see a flipped byte
// make verification fail.
func TestIngestExportVerify(t *testing.T) {
	dir := t.TempDir()
	data := "--data=" + filepath.Join(dir, "data")
	scen := filepath.Join(dir, "seizure")
	mustRastro(t, "gen", "--size", "tiny", "--seed", "2", "--out", scen, "--quiet")
	os.Remove(filepath.Join(scen, "truth.json"))
	mustRastro(t, "agency", "add", data, "--name", "Unidad", "--country", "CR")
	mustRastro(t, "user", "add", data, "--username", "inv", "--role", "investigator", "--agency", "1")
	caseID := strings.TrimSpace(mustRastro(t, "case", "add", data, "--title", "C", "--jurisdiction", "CR", "--agency", "1", "--lead", "inv"))

	out := mustRastro(t, "ingest", data, "--case", caseID, "--exhibit", "EX-1", "--tz", "America/Costa_Rica", "--quiet", scen)
	if !regexp.MustCompile(`: \d+ evidence items`).MatchString(out) {
		t.Fatalf("ingest printed %q", out)
	}
	again := mustRastro(t, "ingest", data, "--case", caseID, "--quiet", scen)
	if again != out {
		t.Errorf("second ingest of the same folder: %q, first %q: want the same items", again, out)
	}

	// The parse jobs queued by the ingest run without a server.
	jobs := mustRastro(t, "jobs", "run", data)
	if m := regexp.MustCompile(`(\d+) done, 0 failed, 0 waiting`).FindStringSubmatch(jobs); m == nil || m[1] == "0" {
		t.Errorf("jobs run printed %q: want every parse job done", jobs)
	}

	pkg := filepath.Join(dir, "package.zip")
	out = mustRastro(t, "export", "evidence", data, "--case", caseID, "--out", pkg)
	key := regexp.MustCompile(`--key '([^']+)'`).FindStringSubmatch(out)
	if key == nil {
		t.Fatalf("export did not print the verifier key: %q", out)
	}
	mustRastro(t, "verify", "--key", key[1], pkg)

	b, err := os.ReadFile(pkg)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x01
	bad := filepath.Join(dir, "tampered.zip")
	if err := os.WriteFile(bad, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := rastroCmd(t, "verify", "--key", key[1], bad); err == nil {
		t.Error("a package with a flipped byte verified")
	}
}

// TestDemoCaseExportsVerifiablePackage is the "done when": a package
// exported from the demo case verifies.
func TestDemoCaseExportsVerifiablePackage(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := sqlite.Open(ctx, filepath.Join(dir, "rastro.db"))
	if err != nil {
		t.Fatal(err)
	}
	_, caseID, err := setupDemo(ctx, s, dir, "tiny")
	if err != nil {
		t.Fatal(err)
	}
	ev, err := openEvidence(dir, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := newRunner(s, ev, slog.New(slog.NewJSONHandler(io.Discard, nil)), 1).RunPending(ctx); err != nil {
		t.Fatal(err)
	}
	events, err := s.CustodyEvents(ctx, rastro.SystemActor("test"), caseID, 0)
	if err != nil || len(events) == 0 {
		t.Fatalf("demo intake logged %d custody events (err %v)", len(events), err)
	}
	s.Close()
	pkg := filepath.Join(t.TempDir(), "demo.zip")
	mustRastro(t, "export", "evidence", "--data="+dir, "--case", strconv.FormatInt(caseID, 10), "--out", pkg)
	if out := mustRastro(t, "verify", pkg); !strings.Contains(strings.ToLower(out), "verif") {
		t.Errorf("verify printed %q", out)
	}
}
