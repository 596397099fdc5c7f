package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// rastroCmd runs the binary's command line in-process and returns stdout.
func rastroCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	if err != nil {
		t.Logf("rastro %s: %v\nstderr: %s", strings.Join(args, " "), err, errb.String())
	}
	return out.String(), err
}

func mustRastro(t *testing.T, args ...string) string {
	t.Helper()
	out, err := rastroCmd(t, args...)
	if err != nil {
		t.Fatalf("rastro %s: %v", strings.Join(args, " "), err)
	}
	return out
}

func TestAdministrationCommands(t *testing.T) {
	data := "--data=" + t.TempDir()
	mustRastro(t, "migrate", data)
	agencyID := strings.TrimSpace(mustRastro(t, "agency", "add", data, "--name", "Unidad Ficticia", "--country", "cr"))
	if agencyID != "1" {
		t.Fatalf("agency add printed %q, want the new id 1", agencyID)
	}
	out := mustRastro(t, "user", "add", data, "--username", "ana", "--role", "investigator", "--agency", "Unidad Ficticia")
	if !strings.Contains(out, "password (shown once): ") {
		t.Fatalf("user add did not print a one-time password: %q", out)
	}
	caseID := strings.TrimSpace(mustRastro(t, "case", "add", data, "--title", "Operación Ejemplo", "--jurisdiction", "CR", "--agency", agencyID, "--lead", "ana"))
	if caseID != "1" {
		t.Fatalf("case add printed %q, want the new id 1", caseID)
	}
	mustRastro(t, "user", "add", data, "--username", "luis", "--role", "analyst", "--agency", agencyID)
	if out := mustRastro(t, "case", "member", data, "--case", caseID, "--username", "luis"); !strings.Contains(out, "luis is now member of case 1") {
		t.Errorf("case member printed %q", out)
	}
	if _, err := rastroCmd(t, "case", "member", data, "--case", caseID, "--username", "luis", "--role", "owner"); err == nil {
		t.Error("case member accepted the unknown role owner")
	}
	if list := mustRastro(t, "case", "list", data); !strings.Contains(list, "Operación Ejemplo") {
		t.Errorf("case list lacks the new case:\n%s", list)
	}
	if list := mustRastro(t, "user", "list", data); !strings.Contains(list, "ana") || !strings.Contains(list, "investigator") {
		t.Errorf("user list lacks the new user:\n%s", list)
	}
	out = filepath.Join(t.TempDir(), "case.ftm.json")
	mustRastro(t, "export", "ftm", data, "--case", caseID, "--out", out)
	if _, err := os.Stat(out); err != nil {
		t.Errorf("export ftm wrote no file: %v", err)
	}
}

func TestCommandErrors(t *testing.T) {
	data := "--data=" + t.TempDir()
	mustRastro(t, "agency", "add", data, "--name", "Unidad", "--country", "CR")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown command", []string{"frobnicate"}, "unknown command"},
		{"unknown subcommand", []string{"user", "delete", data}, "unknown subcommand"},
		{"bad role", []string{"user", "add", data, "--username", "x", "--role", "boss", "--agency", "1"}, "role"},
		{"unknown agency", []string{"user", "add", data, "--username", "x", "--agency", "Nadie"}, "no agency"},
		{"bad country", []string{"agency", "add", data, "--name", "B", "--country", "Costa Rica"}, "country"},
		{"case without lead", []string{"case", "add", data, "--title", "t", "--jurisdiction", "CR", "--agency", "1"}, "--lead"},
		{"export without case", []string{"export", "ftm", data, "--out", "x"}, "--case"},
		{"bad db", []string{"case", "list", "--db", "mysql://u:secret@h/db"}, "postgres://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := rastroCmd(t, tt.args...)
			if err == nil || !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(tt.want)) {
				t.Fatalf("got error %v, want one mentioning %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Fatalf("error leaks a password: %v", err)
			}
		})
	}
}

func TestGenWritesScenario(t *testing.T) {
	out := filepath.Join(t.TempDir(), "case")
	mustRastro(t, "gen", "--size", "tiny", "--seed", "3", "--out", out, "--quiet")
	b, err := os.ReadFile(filepath.Join(out, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	var truth struct {
		Seed  uint64 `json:"seed"`
		Files []struct {
			Path string `json:"path"`
		} `json:"files"`
	}
	if err := json.Unmarshal(b, &truth); err != nil {
		t.Fatal(err)
	}
	if truth.Seed != 3 || len(truth.Files) == 0 {
		t.Fatalf("truth.json: seed %d, %d files", truth.Seed, len(truth.Files))
	}
	for _, f := range truth.Files {
		if _, err := os.Stat(filepath.Join(out, f.Path)); err != nil {
			t.Errorf("truth lists %s, not on disk: %v", f.Path, err)
		}
	}
}
