// Package shareddata finds the project's third-party reference data for
// tests and benchmarks: the folder shared/data beside the repository (its
// README lists sources and licences). The data is never copied into the
// repository, so every test that reads it skips cleanly when it is absent.
package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

// Find returns the path of shared/data/rel, found by walking up from the
// working directory, or "" when there is none.
func Find(rel string) string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for ; ; dir = filepath.Dir(dir) {
		p := filepath.Join(dir, "shared", "data", rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		if dir == filepath.Dir(dir) {
			return ""
		}
	}
}

// Dir is Find for a test: it skips tb, naming what is missing, when
// shared/data/rel is absent.
func Dir(tb testing.TB, rel string) string {
	tb.Helper()
	p := Find(rel)
	if p == "" {
		tb.Skipf("reference data shared/data/%s not found beside the repository: skipped (see shared/data/README.md)", filepath.ToSlash(rel))
	}
	return p
}
