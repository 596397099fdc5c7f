package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/sqlite"
)

// TestIngestSurvivesKill kills `rastro ingest` with SIGKILL half-way, runs it
// again, and compares the final state with an uninterrupted ingest of the
// same folder: same evidence items, every blob readable and intact, one
// acquire/unpack custody event per item.
func TestIngestSurvivesKill(t *testing.T) {
	if os.Getenv("RASTRO_INGEST_CHILD") != "" {
		t.Skip("runs only as the parent")
	}
	dir := t.TempDir()
	scen := filepath.Join(dir, "seizure")
	mustRastro(t, "gen", "--size", "tiny", "--seed", "4", "--out", scen, "--quiet")
	os.Remove(filepath.Join(scen, "truth.json"))

	want := ingestState(t, freshCase(t, filepath.Join(dir, "clean")), func(data string) {
		mustRastro(t, "ingest", "--data="+data, "--case", "1", "--quiet", scen)
	})
	got := ingestState(t, freshCase(t, filepath.Join(dir, "killed")), func(data string) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestIngestChild$")
		cmd.Env = append(os.Environ(), "RASTRO_INGEST_CHILD="+data, "RASTRO_INGEST_SRC="+scen)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitForEvidence(t, data, 5)
		cmd.Process.Kill()
		cmd.Wait()
		mustRastro(t, "ingest", "--data="+data, "--case", "1", "--quiet", scen)
	})
	if got != want {
		t.Errorf("state after kill and re-run differs from an uninterrupted ingest:\n got: %s\nwant: %s", got, want)
	}
}

// TestIngestChild is the ingest process that TestIngestSurvivesKill kills.
func TestIngestChild(t *testing.T) {
	data := os.Getenv("RASTRO_INGEST_CHILD")
	if data == "" {
		t.Skip("runs only as the child of TestIngestSurvivesKill")
	}
	// Ingest the folder over and over until killed, so the kill lands
	// mid-work however fast the machine is.
	for {
		rastroCmd(t, "ingest", "--data="+data, "--case", "1", "--quiet", os.Getenv("RASTRO_INGEST_SRC"))
	}
}

func freshCase(t *testing.T, data string) string {
	t.Helper()
	mustRastro(t, "agency", "add", "--data="+data, "--name", "U", "--country", "CR")
	mustRastro(t, "user", "add", "--data="+data, "--username", "inv", "--role", "investigator", "--agency", "1")
	mustRastro(t, "case", "add", "--data="+data, "--title", "C", "--jurisdiction", "CR", "--agency", "1", "--lead", "inv")
	return data
}

func waitForEvidence(t *testing.T, data string, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		out, err := rastroCmdQuiet("case", "list", "--data="+data)
		if err == nil && strings.Contains(out, "C") {
			if k := countEvidence(t, data); k >= n {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the child ingest stored nothing within a minute")
}

func rastroCmdQuiet(args ...string) (string, error) {
	var out, errb strings.Builder
	err := run(context.Background(), args, &out, &errb)
	return out.String(), err
}

func countEvidence(t *testing.T, data string) int {
	s, err := sqlite.Open(context.Background(), filepath.Join(data, "rastro.db"))
	if err != nil {
		return 0
	}
	defer s.Close()
	ev, _ := s.EvidenceList(context.Background(), rastro.SystemActor("test"), 1)
	return len(ev)
}

// ingestState runs do on data and describes what the case then holds.
func ingestState(t *testing.T, data string, do func(data string)) string {
	t.Helper()
	do(data)
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(data, "rastro.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	env, err := openEvidence(data, s)
	if err != nil {
		t.Fatal(err)
	}
	sys := rastro.SystemActor("test")
	items, err := s.EvidenceList(ctx, sys, 1)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]string{}
	for _, e := range items {
		byID[e.ID] = e.OriginalName
	}
	var lines []string
	for _, e := range items {
		if err := env.vault.Verify(ctx, 1, e.SHA256); err != nil {
			t.Errorf("%s: blob does not verify: %v", e.OriginalName, err)
		}
		events, err := s.CustodyEvents(ctx, sys, 1, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, ev := range events {
			actions = append(actions, string(ev.Action))
		}
		slices.Sort(actions)
		lines = append(lines, fmt.Sprintf("%s %s parent=%s custody=%v", e.OriginalName, e.SHA256[:12], byID[e.ParentID], actions))
	}
	slices.Sort(lines)
	return fmt.Sprintf("%d items: %s", len(lines), strings.Join(lines, "; "))
}
