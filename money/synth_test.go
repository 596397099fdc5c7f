package money

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/rastro/rastro/synth"
)

// synthCase generates a training case into a temporary folder.
func synthCase(tb testing.TB, size string, seed uint64) string {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "case")
	if _, err := synth.Generate(context.Background(), synth.Options{Size: size, Seed: seed, Out: dir}); err != nil {
		tb.Fatal(err)
	}
	return dir
}
