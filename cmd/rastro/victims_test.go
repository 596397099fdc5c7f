package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHTCDSRoundTripAndRedaction imports the training scenario's HTCDS file
// into a case, exports it again with and without personal data, and
// releases anonymised statistics, all from the command line.
func TestHTCDSRoundTripAndRedaction(t *testing.T) {
	dir := t.TempDir()
	data := "--data=" + filepath.Join(dir, "data")
	scen := filepath.Join(dir, "scenario")
	mustRastro(t, "gen", "--size", "tiny", "--seed", "5", "--out", scen, "--quiet")
	mustRastro(t, "agency", "add", data, "--name", "ONG Ficticia", "--country", "GT", "--kind", "ngo")
	mustRastro(t, "user", "add", data, "--username", "cw", "--role", "caseworker", "--agency", "1")
	caseID := strings.TrimSpace(mustRastro(t, "case", "add", data, "--title", "Casos", "--jurisdiction", "GT", "--agency", "1", "--lead", "cw"))

	src := filepath.Join(scen, "htcds", "victims.csv")
	mustRastro(t, "htcds", "import", data, "--case", caseID, src)
	full := filepath.Join(dir, "full.csv")
	if _, err := rastroCmd(t, "htcds", "export", data, "--case", caseID, "--out", full, "--personal-data"); err == nil {
		t.Error("export of personal data without a purpose was accepted")
	}
	mustRastro(t, "htcds", "export", data, "--case", caseID, "--out", full, "--personal-data", "--purpose", "referral to shelter, court order 12")
	want, _ := os.ReadFile(src)
	got, _ := os.ReadFile(full)
	if !bytes.Equal(got, want) {
		t.Errorf("HTCDS import → export with personal data is not byte-identical (%d vs %d bytes)", len(got), len(want))
	}
	side, err := os.ReadFile(full + ".txt")
	if err != nil || !strings.Contains(string(side), "IOM, CC BY 4.0") {
		t.Errorf("attribution sidecar missing: %v %q", err, side)
	}

	redacted := filepath.Join(dir, "redacted.csv")
	mustRastro(t, "htcds", "export", data, "--case", caseID, "--out", redacted)
	b, _ := os.ReadFile(redacted)
	for _, planted := range plantedVictimData(t, scen) {
		if strings.Contains(string(b), planted) {
			t.Errorf("redacted HTCDS export contains victim data %q", planted)
		}
	}

	out := filepath.Join(dir, "stats.csv")
	mustRastro(t, "stats", "export", data, "--case", caseID, "--out", out)
	b, err = os.ReadFile(out)
	if err != nil || !strings.HasPrefix(string(b), "gender,ageBroad,count,status\n") {
		t.Fatalf("stats export: %v %q", err, b)
	}
	// A handful of victims: every count is below k = 11 and must be withheld.
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n")[1:] {
		if f := strings.Split(line, ","); f[len(f)-1] != "suppressed" || f[len(f)-2] != "" {
			t.Errorf("stats export published %q from fewer than k victims", line)
		}
	}
}

// plantedVictimData returns the names, birth dates and phones of the
// scenario's possible victims, from its truth.
func plantedVictimData(t *testing.T, scen string) []string {
	t.Helper()
	tr, err := readTruth(scen)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range tr.People {
		if p.Kind == "victim" {
			out = append(out, p.Name, p.BirthDate)
			out = append(out, p.Phones...)
		}
	}
	if len(out) == 0 {
		t.Fatal("scenario has no victims")
	}
	return out
}
