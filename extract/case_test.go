package extract

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rastro/rastro/synth"
)

// cachedCase returns a generated case of size and the test seed, generated
// once under os.TempDir()/rastro-extract-cases and reused by later runs
// (medium takes ~15 s to generate), keyed by the generator version.
// RASTRO_EXTRACT_CASE names a case folder to use instead. Tests that
// assert use a fresh case (generate); this cache serves benchmarks and the
// opt-in medium report.
func cachedCase(tb testing.TB, size string) (*synth.Truth, string) {
	tb.Helper()
	dir := os.Getenv("RASTRO_EXTRACT_CASE")
	if dir == "" {
		gen := strings.NewReplacer("/", "-", " ", "-").Replace(synth.Generator)
		dir = filepath.Join(os.TempDir(), "rastro-extract-cases", gen+"-"+size+"-"+strconv.FormatUint(testSeed(), 10))
		if _, err := os.Stat(filepath.Join(dir, "truth.json")); err != nil {
			generateCached(tb, size, dir)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil {
		tb.Fatalf("read truth: %v", err)
	}
	var tr synth.Truth
	if err := json.Unmarshal(data, &tr); err != nil {
		tb.Fatalf("decode truth: %v", err)
	}
	return &tr, dir
}

// generateCached generates into a sibling folder and renames it into
// place, so an interrupted run leaves no half-written case behind.
func generateCached(tb testing.TB, size, dir string) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		tb.Fatal(err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "gen-")
	if err != nil {
		tb.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	_, gen := generateIn(tb, size, tmp)
	os.RemoveAll(dir)
	if err := os.Rename(gen, dir); err != nil {
		tb.Fatal(err)
	}
}

// chatFiles returns the chat exports of a case: the selector-dense text.
func chatFiles(tb testing.TB, tr *synth.Truth, dir string) [][]byte {
	tb.Helper()
	var out [][]byte
	for _, f := range textFiles(tb, tr, dir) {
		if strings.HasPrefix(f.path, "chats/") {
			out = append(out, f.data)
		}
	}
	return out
}
