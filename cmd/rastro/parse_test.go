package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/sqlite"
)

// brokenFolder writes a seizure folder with two good files and one
// truncated Telegram export, and returns its path.
func brokenFolder(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "seizure")
	files := map[string]string{
		"WhatsApp Chat with Ana.txt": "12/03/2024, 10:15 - Ana: hola, ¿vienes?\n12/03/2024, 10:16 - Beto: sí, a las 5\n12/03/2024, 10:17 - Ana: escribe al +506 8888 1234\n",
		"notes.txt":                  "Nota del agente: revisar el anuncio del hotel.\n",
		"result.json":                `{"name": "Chat", "type": "personal_chat", "id": 7, "messages": [{"id": 1, "type": "message", "date": "2024-03-12T10:15:00", "fr`,
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestIngestReportsBrokenFile: a folder with one broken file among good
// ones is ingested and parsed; the good files' records are stored and the
// command line says which file failed, where and why.
func TestIngestReportsBrokenFile(t *testing.T) {
	dir := t.TempDir()
	data := "--data=" + filepath.Join(dir, "data")
	mustRastro(t, "agency", "add", data, "--name", "Unidad", "--country", "CR")
	mustRastro(t, "user", "add", data, "--username", "inv", "--role", "investigator", "--agency", "1")
	caseID := strings.TrimSpace(mustRastro(t, "case", "add", data, "--title", "C", "--jurisdiction", "CR", "--agency", "1", "--lead", "inv"))
	mustRastro(t, "ingest", data, "--case", caseID, "--quiet", brokenFolder(t))

	out := mustRastro(t, "jobs", "run", data)
	for _, want := range []string{
		`WhatsApp Chat with Ana\.txt: parsed 3 records \(whatsapp\)`,
		`notes\.txt: parsed 1 records \(text\)`,
		`result\.json: failed at bytes:\d+: malformed JSON[^\n]*\(0 records stored before\)`,
		`3 done, 0 failed`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("jobs run output lacks %q:\n%s", want, out)
		}
	}
	// The reports are persisted for the evidence page.
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "data", "rastro.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	id, _ := strconv.ParseInt(caseID, 10, 64)
	reps, err := db.ParseReports(context.Background(), rastro.SystemActor("t"), id, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(reps) != 3 || reps[0].Name != "result.json" || reps[0].Outcome != rastro.ParseFailed || !strings.HasPrefix(reps[0].Location, "bytes:") {
		t.Errorf("stored reports: %+v", reps)
	}
	// Failures are listed first.
	if i, j := strings.Index(out, "result.json"), strings.Index(out, "notes.txt"); i < 0 || j < 0 || i > j {
		t.Errorf("the failed file is not listed first:\n%s", out)
	}
}
